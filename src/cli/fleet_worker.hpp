#pragma once
/// One fleet target, run on the worker thread that calls run_on_target: its own connection,
/// store, session, Migrator and reporter, all created and destroyed there.

#include "cli/fleet_gate.hpp"
#include "cli/options.hpp"
#include "conninfo/connection_target.hpp"
#include "core/fleet.hpp"
#include "core/registry.hpp"
#include "engine/command_result.hpp"
#include "engine/migrator.hpp"
#include "host/signal_watcher.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// One target of a fleet.
struct FleetTarget {
  std::string name;                   ///< how output names it
  conninfo::ConnectionTarget connection;
  std::optional<std::string> schema;  ///< schemas fleets: bookkeeping and search_path here
  std::size_t position = 0;           ///< its place in the fleet's listing, from 0 (a shard's JSON says it)
  /// A rollback asked about on a terminal: the records its question showed (none when its
  /// rehearsal reverted nothing). The target reverts exactly these, or nothing (exit 5).
  std::optional<std::vector<RecordToRevert>> confirmed;
};

/// What every target shares (read only).
struct WorkerContext {
  const Options& options;
  const Registry& registry;
  MigratorSettings settings;  ///< copied per target; its schema replaced for schema targets
  SignalWatcher& signals;
  /// Each server's share of the targets at once; none: every target connects at once.
  FleetGates* gates = nullptr;
};

/// Runs the command of `context.options` on `target`, exactly as a single command would
/// (own connection, own lock, own batches). Never throws: a failure is the target's result.
TargetReport run_on_target(const FleetTarget& target, const WorkerContext& context);

}  // namespace sonamu::cli
