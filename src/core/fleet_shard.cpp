#include "core/fleet_shard.hpp"

#include "core/error.hpp"

#include <cstdint>
#include <regex>

namespace sonamu {

FleetShard parse_fleet_shard(const std::string& text) {
  static const std::regex form("([0-9]{1,4})/([0-9]{1,4})");
  std::smatch match;
  if (std::regex_match(text, match, form)) {
    const FleetShard shard{std::stoul(match[1].str()), std::stoul(match[2].str())};
    if (shard.index >= 1 && shard.index <= shard.count && shard.count <= 1000) return shard;
  }
  throw Error(ExitCode::usage, "--shard " + text + ": expected K/N with 1 <= K <= N <= 1000 (e.g. 2/4)");
}

bool in_fleet_shard(const std::string& name, const FleetShard& shard) {
  // FNV-1a, 64 bits: the same on every machine and every run, unlike std::hash.
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : name) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash % shard.count == shard.index - 1;
}

}  // namespace sonamu
