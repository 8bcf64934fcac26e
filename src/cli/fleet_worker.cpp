#include "cli/fleet_worker.hpp"

#include "cli/command_table.hpp"
#include "cli/failure.hpp"
#include "engine/silent_reporter.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/text.hpp"
#include "pg/connect.hpp"
#include "pg/fleet_targets.hpp"
#include "pg/session.hpp"
#include "pg/store.hpp"

#include <pqxx/except>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

namespace sonamu::cli {

namespace {

/// Lets a signal cancel the statement running on this worker's connection, while it is open.
class Watched {
 public:
  Watched(SignalWatcher& signals, pqxx::connection_base& cx) : signals_(signals), cx_(cx) { signals_.add(&cx_); }
  ~Watched() { signals_.remove(&cx_); }
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;

 private:
  SignalWatcher& signals_;
  pqxx::connection_base& cx_;
};

/// Why `status --check` failed on a target: "6 pending migrations", "1 edited since applied".
std::string behind_text(const StatusReport& status) {
  std::vector<std::string> parts;
  if (!status.pending.empty()) parts.push_back(std::to_string(status.pending.size()) + " pending migrations");
  if (!status.edited.empty()) {
    parts.push_back(std::to_string(status.edited.size()) + " edited since applied (" + join(status.edited) + ")");
  }
  return join(parts);
}

/// The target's outcome from the value its command returned.
void settle(TargetReport& report, const CommandResult& value) {
  const MigrationResult* migration = value.migration ? &*value.migration : nullptr;
  if (migration != nullptr && report.risks.empty()) {
    // A dry run reports the data at risk without asking to confirm it.
    for (const auto& risk : migration->data_at_risk) report.risks.push_back(risk.risk);
  }
  if (migration != nullptr && migration->failure) report.result.migration = migration->failure->migration;
  if (value.code == ExitCode::ok) {
    report.result.state = value.changed_nothing() ? TargetState::up_to_date : TargetState::done;
    return;
  }
  std::string message = "failed with exit code " + std::to_string(static_cast<int>(value.code));
  if (migration != nullptr && migration->failure) message = migration->failure->message;
  if (value.status) message = behind_text(*value.status);
  report.result.state = TargetState::failed;
  report.result.exit_code = static_cast<int>(value.code);
  report.result.error = conninfo::redact_passwords(message);
}

/// Connects to `target` once its server has room for it (`slot` then holds the place). While
/// the server turns the connection away for now, its share of the fleet is lowered and the
/// connection retried after growing pauses, until the connect timeout has passed since the
/// first refusal.
std::unique_ptr<pqxx::connection> connect_in_turn(const FleetTarget& target, FleetGates* gates, GateSlot& slot) {
  if (gates == nullptr) return pg::connect(target.connection);
  using clock = std::chrono::steady_clock;
  std::optional<clock::time_point> deadline;
  std::chrono::milliseconds pause(50);
  for (;;) {
    if (!slot.take(*gates, target.connection.server)) throw Interrupted(interrupt_signal());
    try {
      return pg::connect(target.connection);
    } catch (const pg::ServerBusy& busy) {
      slot.turned_away(busy.reason());
      const auto now = clock::now();
      if (!deadline) deadline = now + std::chrono::seconds(target.connection.connect_timeout_seconds);
      if (now >= *deadline) {
        throw Error(ExitCode::connection, std::string(busy.what()) + " (still after retrying for " +
                                              std::to_string(target.connection.connect_timeout_seconds) + " s)");
      }
      std::this_thread::sleep_for(std::min<clock::duration>(pause, *deadline - now));
      pause = std::min(pause * 2, std::chrono::milliseconds(2000));
    }
  }
}

/// The fleet's settings for `target`, keeping in `report` what its rollback reverts and
/// deletes.
MigratorSettings target_settings(const FleetTarget& target, const WorkerContext& context, TargetReport& report) {
  MigratorSettings settings = context.settings;
  if (target.schema) settings.location.schema = *target.schema;
  // The confirmation a rollback asks for was given once for the whole fleet (or is not
  // needed); here it is decided without asking, and what is at risk is kept.
  auto confirm = context.settings.confirm_data_loss;
  settings.confirm_data_loss = [&report, confirm](const std::vector<DataAtRisk>& risks) {
    report.risks = risks;
    return confirm ? confirm(risks) : true;
  };
  settings.records_to_revert = [&report](const std::vector<RecordToRevert>& records) { report.to_revert = records; };
  settings.confirmed_records = target.confirmed;
  return settings;
}

}  // namespace

TargetReport run_on_target(const FleetTarget& target, const WorkerContext& context) {
  TargetReport report;
  report.result.target = target.name;
  SilentReporter silent;  // the fleet prints a summary, never a target's lines
  ResultRecorder recorder(silent);
  try {
    const MigratorSettings settings = target_settings(target, context, report);
    GateSlot slot;  // outlives the connection: the place is given back once it is closed
    auto cx = connect_in_turn(target, context.gates, slot);
    Watched watched(context.signals, *cx);
    pg::Store store(*cx, settings.location);
    pg::PostgresSession session(*cx, store);
    if (target.schema) session.confine_to(*target.schema);
    Migrator migrator(session, store, context.registry, recorder, settings);
    report.value = command_of(context.options).run(migrator, recorder, context.options);
    settle(report, *report.value);
  } catch (...) {
    const Failure failure = failure_of(std::current_exception(), target.connection.description);
    report.result.state = TargetState::failed;
    report.result.exit_code = failure.exit_code;
    report.result.error = failure.message;
  }
  if (report.result.migration.empty()) {
    // A command that threw after a migration failed (a rollback --all stopped) still names it.
    const auto failure = recorder.result(ExitCode::migration_failed).failure;
    if (failure) report.result.migration = failure->migration;
  }
  return report;
}

}  // namespace sonamu::cli
