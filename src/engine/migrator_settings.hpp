#pragma once
/// How the engine runs one command: where the bookkeeping lives, the limits a batch runs
/// under, and the guards and questions of a rollback. Filled by the command line.

#include "core/bookkeeping_store.hpp"
#include "core/data_loss.hpp"
#include "core/database.hpp"
#include "core/order_check.hpp"
#include "engine/lock_retry.hpp"
#include "engine/measuring_reporter.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sonamu {

/// One record a rollback reverts, as it was read. A migration reverted and applied again by
/// another runner has a new id: the same name is not the same record.
struct RecordToRevert {
  std::int64_t id = 0;
  std::string name;
  int batch = 0;  ///< told to the person asked; not part of the record's identity
};

/// Where the bookkeeping lives, how names are written, and the limits a batch runs under.
struct MigratorSettings {
  TableLocation location;
  /// Appended to the stem in recorded names; empty: each migration's own file extension.
  std::string extension;
  std::chrono::milliseconds lock_timeout{60000};
  StatementLimits limits;  ///< PostgreSQL `statement_timeout` and `lock_timeout` for migrations
  bool disable_transactions = false;  ///< knex's option: every migration runs on its own
  bool dry_run = false;  ///< run everything in one transaction that is always rolled back
  /// In a dry run, measure every statement for the lint report (dry_run_measured()).
  bool measure_dry_run = false;
  /// Which statements the lint report measures (all when unset): see MeasuringReporter.
  MeasureFilter measure_filter;
  bool force = false;    ///< roll back irreversible migrations (their record only)
  /// Production: without `force`, a rollback reverting more than one batch is refused.
  bool production = false;
  /// Production, with `force`: whether such a rollback was confirmed too (--yes, or a person at
  /// a terminal, who is asked before data is deleted). Unconfirmed, it is refused.
  bool wide_rollback_confirmed = true;
  /// Asked before a rollback that deletes data, once no transaction is open; returning false
  /// (or throwing) cancels it. Unset: proceed.
  std::function<bool(const std::vector<DataAtRisk>&)> confirm_data_loss;
  /// Whether confirm_data_loss may wait for a person: the migration lock is then released
  /// while it waits, and the rollback refused if the records changed meanwhile.
  bool confirmation_waits = false;
  /// Told the records a rollback is about to revert, before their data is confirmed (in a
  /// dry run too): a fleet's rehearsal keeps what each target's question is about.
  std::function<void(const std::vector<RecordToRevert>&)> records_to_revert;
  /// The records the rollback was confirmed for before this migrator started (a fleet asks
  /// once, from a rehearsal of every target). Reverting anything else is refused (exit 5),
  /// exactly as when the records change while this migrator's own question waits.
  std::optional<std::vector<RecordToRevert>> confirmed_records;
  /// Called once a rollback has passed every check that can refuse it, before it changes
  /// anything (the backup is taken here). Not called for a dry run.
  std::function<void()> before_revert;
  /// Tables up to this size have their data at risk counted exactly; above it, estimated.
  long long exact_count_bytes = 64LL * 1024 * 1024;
  /// How a batch that fails on a lock timeout or a deadlock is tried again.
  LockRetryPolicy retry;
  /// Pending migrations that sort before the newest applied one: warned about, or refused.
  OutOfOrderPolicy out_of_order = OutOfOrderPolicy::warn;
  /// Waits between attempts; unset: sleeps, stopping early on a signal.
  std::function<void(std::chrono::milliseconds)> pause;
};

}  // namespace sonamu
