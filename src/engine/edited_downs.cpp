// Rolling back a migration edited since it was applied: said before anything runs, and refused
// in production until the edit is accepted (`migrate accept NAME` records the compiled source
// as the applied one).
#include "engine/edited_downs.hpp"

#include "core/error.hpp"
#include "core/program_name.hpp"
#include "core/text.hpp"

#include <spdlog/spdlog.h>

namespace sonamu {

std::vector<std::string> edited_since_applied(BookkeepingStore& store, Transaction& tx,
                                              const std::vector<std::pair<std::string, std::string>>& compiled) {
  std::vector<std::string> edited;
  if (compiled.empty()) return edited;
  const auto recorded = store.read_source_hashes(tx);
  for (const auto& [name, hash] : compiled) {
    const auto applied = recorded.find(name);
    if (applied != recorded.end() && applied->second != hash) edited.push_back(name);
  }
  return edited;
}

void check_edited_downs(const std::vector<std::string>& edited, bool refuse) {
  if (edited.empty()) return;
  // Said even with --quiet or --json (on stderr): code nobody ran against this database runs.
  for (const auto& name : edited) {
    spdlog::warn("{} was edited since it was applied: the down that runs is the edited one, not the one recorded "
                 "at apply time (if the edit is intended: {} migrate accept {})",
                 printable(name), program_name(), printable(name));
  }
  if (!refuse) return;
  std::vector<std::string> commands;
  for (const auto& name : edited) commands.push_back(program_name() + " migrate accept " + printable(name));
  throw Error(ExitCode::usage,
              "Refusing in production to roll back " + join(edited) +
                  ": edited since applied, so the down that would run is not the one recorded at apply time; "
                  "if the edited down is the one to run, accept the edit first (" + join(commands, "; ") +
                  "): nothing was changed");
}

}  // namespace sonamu
