#include "cli/fleet_worker.hpp"

#include "cli/commands.hpp"
#include "cli/json_reporter.hpp"
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

/// Calls the engine's entry point for the command; returns its exit code.
ExitCode run_command_on(Migrator& migrator, const Options& options, TargetReport& report) {
  const std::string& command = options.command;
  if (command == "status") {
    report.status = migrator.status();
    return options.check && report.status->behind() ? ExitCode::migration_failed : ExitCode::ok;
  }
  if (command == "history") {
    report.history = migrator.history(options.limit);
    return ExitCode::ok;
  }
  if (command == "verify") {
    VerifyRequest request;
    request.all = options.all;
    if (!options.name.empty()) request.name = options.name;
    return migrator.verify(request);
  }
  return migrate_with(migrator, options);
}

/// Whether the command left the target as it found it because there was nothing to do.
bool nothing_to_do(const Options& options, const TargetReport& report, const JsonReporter& collector) {
  const std::string& command = options.command;
  if (command == "status") return !report.status->behind();
  if (command == "history" || command == "verify") return false;
  return collector.batches().empty();
}

/// Why `status --check` failed on a target: "6 pending migrations", "1 edited since applied".
std::string behind_text(const StatusReport& status) {
  std::vector<std::string> parts;
  if (!status.pending.empty()) parts.push_back(std::to_string(status.pending.size()) + " pending migrations");
  if (!status.edited.empty()) {
    parts.push_back(std::to_string(status.edited.size()) + " edited since applied (" + join(status.edited) + ")");
  }
  return join(parts);
}

/// The data at risk as the collector kept it (a dry run reports it without asking).
std::vector<DataAtRisk> risks_of(const nlohmann::json& entries) {
  std::vector<DataAtRisk> risks;
  for (const auto& entry : entries) {
    DataAtRisk risk;
    risk.display = entry.value("object", "");
    const std::string kind = entry.value("kind", "table");
    risk.kind = kind == "column"        ? LossKind::column
                : kind == "type_change" ? LossKind::type_change
                : kind == "unknown"     ? LossKind::unknown
                                        : LossKind::table;
    risk.reason = entry.value("reason", "");
    risk.attempts = entry.value("attempts", 0);
    const auto sqlstate = entry.find("sqlstate");
    if (sqlstate != entry.end() && sqlstate->is_string()) risk.sqlstate = sqlstate->get<std::string>();
    const auto count = entry.find("count");  // null when the data at risk is unknown
    risk.count = count != entry.end() && count->is_number() ? count->get<long long>() : 0;
    risk.estimated = entry.value("estimated", false);
    risk.from_type = entry.value("from_type", "");
    risk.to_type = entry.value("to_type", "");
    risks.push_back(std::move(risk));
  }
  return risks;
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

void fail(TargetReport& report, int code, const std::string& message) {
  report.result.state = TargetState::failed;
  report.result.exit_code = code;
  report.result.error = conninfo::redact_passwords(message);
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
  JsonReporter collector;  // silent: the fleet prints a summary, never a target's lines
  try {
    const MigratorSettings settings = target_settings(target, context, report);
    GateSlot slot;  // outlives the connection: the place is given back once it is closed
    auto cx = connect_in_turn(target, context.gates, slot);
    Watched watched(context.signals, *cx);
    pg::Store store(*cx, settings.location);
    pg::PostgresSession session(*cx, store);
    if (target.schema) session.confine_to(*target.schema);
    Migrator migrator(session, store, context.registry, collector, settings);
    const ExitCode code = run_command_on(migrator, context.options, report);
    report.batches = collector.batches();
    if (report.risks.empty()) report.risks = risks_of(collector.data_at_risk());
    report.error = collector.error();
    if (code != ExitCode::ok) {
      const auto& error = collector.error();
      std::string message = "failed with exit code " + std::to_string(static_cast<int>(code));
      if (error.is_object()) {
        report.result.migration = error.value("migration", "");
        message = error.value("message", message);
      } else if (context.options.command == "status") {
        message = behind_text(*report.status);
      }
      fail(report, static_cast<int>(code), message);
    } else {
      report.result.state = nothing_to_do(context.options, report, collector) ? TargetState::up_to_date
                                                                              : TargetState::done;
    }
  } catch (const Interrupted& e) {
    fail(report, 128 + e.signal_number(),
         std::string("interrupted by ") + (e.signal_number() == SIGINT ? "SIGINT" : "SIGTERM") +
             ": the transaction in progress was rolled back and the lock released");
  } catch (const Error& e) {
    fail(report, static_cast<int>(e.code()), e.what());
  } catch (const pqxx::broken_connection& e) {
    if (const int signal_number = interrupt_signal()) {
      fail(report, 128 + signal_number, "interrupted: the connection was closed before the batch committed");
    } else {
      fail(report, static_cast<int>(ExitCode::connection),
           "Lost the connection to PostgreSQL at " + target.connection.description + ": " +
               pg::one_line_reason(e.what()));
    }
  } catch (const std::exception& e) {
    fail(report, static_cast<int>(ExitCode::migration_failed), pg::one_line_reason(e.what()));
  }
  if (report.error.is_object() && report.result.migration.empty()) {
    report.result.migration = report.error.value("migration", "");
  }
  return report;
}

}  // namespace sonamu::cli
