#pragma once
/// How progress leaves the migrator: the core never prints, it tells a Reporter.

#include "core/data_check.hpp"
#include "core/data_loss.hpp"
#include "core/lock_wait.hpp"

#include <sonamu/knex.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sonamu {

/// Whether migrations are being applied (`up`) or reverted (`down`).
enum class Direction { up, down };

/// A batch transaction (or a migration run without one) that failed on a lock timeout or a
/// deadlock, was rolled back and is about to be tried again.
struct LockRetry {
  int attempt = 0;    ///< the attempt that failed, from 1
  int attempts = 0;   ///< how many attempts are allowed in all
  std::chrono::milliseconds delay{0};  ///< the pause before the next attempt
  std::string sqlstate;  ///< 55P03 (lock_timeout) or 40P01 (deadlock)
  std::string message;   ///< PostgreSQL's message
  /// The attempt measured the data at risk (the downs rehearsed in a transaction that is
  /// rolled back), not the batch itself: nothing was changed either way.
  bool measuring = false;
};

/// Receives every event of a command, in order. The terminal implementation lives in the CLI;
/// tests use recording fakes.
class Reporter {
 public:
  virtual ~Reporter() = default;

  /// A migration is about to run.
  virtual void migration_started(Direction direction, const std::string& name) = 0;
  /// A statement is about to be sent on behalf of a migration.
  virtual void statement(const std::string& sql, const std::vector<Param>& params) = 0;
  /// The statement last announced by statement() completed without error.
  virtual void statement_finished(std::chrono::milliseconds /*elapsed*/) {}
  /// A statement of the measurement of the data at risk is about to be sent (`running`), or
  /// completed: it is not a migration's statement and is not listed, only watched for the lock
  /// it may wait for (named by lock_waiting(), as for a migration's statement).
  virtual void measuring_statement(bool /*running*/) {}
  /// The statement running has waited `waited` so far for a lock that `wait` names. Told
  /// repeatedly while the wait lasts, from a thread other than the one running migrations.
  virtual void lock_waiting(const LockWait& /*wait*/, std::chrono::milliseconds /*waited*/) {}
  /// The command waits for the migration lock another runner holds (MigrationLockObserver:
  /// nullopt once the wait has ended).
  virtual void migration_lock_wait(const std::optional<MigrationLockWait>& /*wait*/) {}
  /// Migration `name` failed on a lock timeout or a deadlock; its transaction was rolled back
  /// and the attempt is repeated after `retry.delay`. The lock it waited for, if it was seen,
  /// came through lock_waiting() before.
  virtual void lock_retry(Direction /*direction*/, const std::string& /*name*/, const LockRetry& /*retry*/) {}
  /// A batch is about to run these migrations, in this order (`batch` 0: a rehearsal that
  /// records nothing, as `verify`).
  virtual void batch_started(Direction /*direction*/, int /*batch*/,
                             const std::vector<std::string>& /*names*/) {}
  /// A migration's function returned without error (its transaction is not yet committed).
  virtual void migration_finished(Direction direction, const std::string& name,
                                  std::chrono::milliseconds elapsed) = 0;
  /// A migration failed; its batch is being rolled back. `sqlstate` is empty when the
  /// failure did not come from the server.
  virtual void migration_failed(Direction direction, const std::string& name,
                                const std::string& message, const std::string& sqlstate) = 0;
  /// A batch was committed: `names` in the order they ran.
  virtual void batch_committed(Direction direction, int batch,
                               const std::vector<std::string>& names) = 0;
  /// The batch holds non-transactional migrations, so it runs in these parts, in order:
  /// each `{true, names}` is one transaction, each `{false, {name}}` a migration run alone.
  virtual void batch_in_parts(Direction direction, int batch,
                              const std::vector<std::pair<bool, std::vector<std::string>>>& parts) = 0;
  /// A batch in parts stopped: `done` were committed (recorded, or their records deleted),
  /// `not_done` were not.
  virtual void batch_partly_done(Direction direction, int batch, const std::vector<std::string>& done,
                                 const std::vector<std::string>& not_done) = 0;
  /// A migration was not run: `reason` says why (a dry run cannot rehearse a
  /// non-transactional migration; verify skips it).
  virtual void migration_skipped(Direction direction, const std::string& name,
                                 const std::string& reason) = 0;
  /// A rollback is about to delete this data (asked before confirming); an entry of kind
  /// LossKind::unknown says the data at risk could not be measured.
  virtual void data_at_risk(const std::vector<DataAtRisk>& risks) = 0;
  /// `verify` of one migration: empty lists mean down restored the catalog exactly.
  virtual void verified(const std::string& name, const std::vector<std::string>& left_behind,
                        const std::vector<std::string>& missing) = 0;
  /// `verify` of one migration compared the rows present before up with what down left:
  /// `check.drifts` empty means every compared value came back. `declared_lossy` holds the
  /// reason its down gave (Knex::lossy) for losing data knowingly.
  virtual void data_checked(const std::string& /*name*/, const DataCheck& /*check*/,
                            const std::optional<std::string>& /*declared_lossy*/) {}
  /// `verify` is about to run migrations in its one transaction, which keeps every lock they
  /// take until it ends; each statement waits at most `lock_timeout` for a lock and runs at
  /// most `statement_timeout` (unset: not limited).
  virtual void verify_holds_locks(const std::optional<std::string>& /*lock_timeout*/,
                                  const std::optional<std::string>& /*statement_timeout*/) {}
  /// There was nothing to apply, or nothing to revert.
  virtual void nothing_to_do(Direction direction) = 0;
  /// `rollback --to NAME` with NAME the newest applied migration: nothing was applied after it.
  virtual void nothing_after(const std::string& name) {
    (void)name;
    nothing_to_do(Direction::down);
  }
  /// Pending migrations `names` sort before `newest_applied` yet are about to be applied after
  /// it (a branch merged late).
  virtual void late_migrations(const std::vector<std::string>& /*names*/, const std::string& /*newest_applied*/) {}
  /// `rollback --all` reverted every batch.
  virtual void all_rolled_back() = 0;
  /// `rollback --all` stopped at `failed_batch`; `done_batches` stay rolled back.
  virtual void rollback_all_stopped(const std::vector<int>& done_batches, int failed_batch) = 0;
};

}  // namespace sonamu
