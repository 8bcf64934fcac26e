#pragma once
/// `--shard K/N`: a stable share of a fleet's targets for one of N runners (a CI matrix, an
/// indexed job). A target's share depends on its name alone, so adding or removing a target
/// moves no other one.

#include <cstddef>
#include <string>

namespace sonamu {

struct FleetShard {
  std::size_t index = 1;  ///< K, from 1
  std::size_t count = 1;  ///< N
};

/// "K/N" with 1 ≤ K ≤ N ≤ 1000; throws sonamu::Error (usage) naming the text otherwise.
FleetShard parse_fleet_shard(const std::string& text);

/// Whether the target named `name` belongs to `shard` (FNV-1a of the name, modulo N).
bool in_fleet_shard(const std::string& name, const FleetShard& shard);

}  // namespace sonamu
