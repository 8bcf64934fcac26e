#include "cli/fleet_command.hpp"

#include "cli/command_table.hpp"
#include "cli/fleet_resume.hpp"
#include "cli/fleet_worker.hpp"
#include "cli/printing.hpp"
#include "core/error.hpp"
#include "core/fleet_shard.hpp"
#include "engine/fleet_runner.hpp"
#include "host/prompt.hpp"
#include "output/fleet_output.hpp"
#include "output/fleet_versions_output.hpp"
#include "pg/connect.hpp"
#include "pg/fleet_targets.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <unistd.h>

namespace sonamu::cli {

namespace {

const char* environment(const char* name) { return std::getenv(name); }

/// A connection string of the configuration resolved as --connection would be; `source`
/// names it in errors (the fleet and the key: `fleets.regions.targets[2]`).
conninfo::ConnectionTarget resolve(const std::string& connection, const Invocation& in, const std::string& source) {
  conninfo::ConnectionRequest request = in.settings.connection;
  request.connection = connection;
  request.connection_source = source;
  return conninfo::resolve_connection(request, environment);
}

/// The names the fleet's listing query returns, each once (a repeated one is said once, on
/// stderr). The query runs on one connection, closed before returning, that a signal cancels.
std::vector<std::string> listed_names(const config::Fleet& fleet, const std::string& name,
                                      const conninfo::ConnectionTarget& listing, const Invocation& in,
                                      SignalWatcher& signals) {
  pg::ListedNames listed;
  {
    const auto cx = pg::connect(listing);
    struct Unwatched {
      SignalWatcher& signals;
      ~Unwatched() { signals.watch(nullptr); }  // before the connection closes
    } watched{signals};
    signals.watch(cx.get());
    listed = pg::list_names(*cx, listing, fleet.query, name, in.settings.migrator.limits);
  }
  if (!listed.repeated.empty()) {
    std::string names;
    for (const auto& repeated : listed.repeated) names += (names.empty() ? "" : ", ") + repeated;
    spdlog::warn("The target query of fleet {} listed {} more than once: each runs once", name, names);
  }
  return listed.names;
}

/// The fleet's targets, in the order its definition gives them. A listing query runs on one
/// connection that is closed before any target is connected to.
std::vector<FleetTarget> list_targets(const config::Fleet& fleet, const std::string& name, const Invocation& in,
                                      SignalWatcher& signals) {
  const std::string source = "fleets." + name;
  std::vector<FleetTarget> targets;
  if (fleet.kind == config::Fleet::Kind::targets) {
    for (std::size_t i = 0; i < fleet.targets.size(); ++i) {
      FleetTarget target;
      target.connection = resolve(fleet.targets[i], in, source + ".targets[" + std::to_string(i) + "]");
      target.name = target.connection.description;
      target.position = i;
      targets.push_back(std::move(target));
    }
    return targets;
  }
  const conninfo::ConnectionTarget listing = resolve(*fleet.connection, in, source + ".connection");
  for (const auto& item : listed_names(fleet, name, listing, in, signals)) {
    FleetTarget target;
    target.name = item;
    target.position = targets.size();
    if (fleet.kind == config::Fleet::Kind::databases) {
      target.connection = conninfo::with_database(listing, item);
    } else {
      target.connection = listing;
      target.schema = item;
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

bool rolls_back(const Options& options) { return (command_of(options).traits & reverts) != 0; }

/// How each target confirms the data its rollback deletes, without asking: the question,
/// if any, was asked once for the whole fleet before.
std::function<bool(const std::vector<DataAtRisk>&)> unattended(const Invocation& in, bool confirmed) {
  const bool require_yes = in.settings.require_yes && !in.options.yes && !confirmed;
  const bool require_backup = in.settings.require_backup;
  const std::string environment_name = in.settings.environment;
  return [=](const std::vector<DataAtRisk>&) {
    if (require_backup) {
      throw Error(ExitCode::usage, "This rollback deletes data and the " + environment_name +
                                       " environment requires a backup first, which a fleet does not take: "
                                       "nothing was changed");
    }
    if (require_yes) {
      throw Error(ExitCode::usage, "This rollback deletes data and the " + environment_name +
                                       " environment requires --yes to confirm it (stdin is not a terminal): "
                                       "nothing was changed");
    }
    return true;
  };
}

/// Runs the command on every target; `reports[i]` is filled by the worker that ran target i.
FleetOutcome run_all(const std::vector<FleetTarget>& targets, const WorkerContext& context, const FleetPlan& plan,
                     FleetReporter& reporter, std::vector<TargetReport>& reports) {
  std::vector<std::string> names;
  for (const auto& target : targets) names.push_back(target.name);
  reports.assign(targets.size(), TargetReport{});
  FleetOutcome outcome = run_fleet(
      names, plan,
      [&](std::size_t i) {
        reports[i] = run_on_target(targets[i], context);
        return reports[i].result;
      },
      reporter);
  for (std::size_t i = 0; i < reports.size(); ++i) reports[i].result = outcome.results[i];
  return outcome;
}

/// On a terminal, before a rollback: every target is rehearsed (nothing changes), the data
/// each one would delete is listed, and the question is asked once. Returns false when the
/// operator declines; else each target keeps the records the answer was about.
bool confirm_fleet_rollback(Invocation& in, std::vector<FleetTarget>& targets, WorkerContext context,
                            const FleetPlan& plan) {
  Options rehearsal = in.options;
  rehearsal.dry_run = true;
  context.settings.dry_run = true;
  if (!context.settings.limits.lock_timeout) context.settings.limits.lock_timeout = "2s";
  const WorkerContext measuring{rehearsal, context.registry, context.settings, context.signals};
  FleetProgress quiet(in.err, *in.options.fleet, false);
  std::vector<TargetReport> reports;
  FleetPlan all = plan;
  all.canary = 0;
  all.fail_fast = false;
  run_all(targets, measuring, all, quiet, reports);
  for (std::size_t i = 0; i < targets.size(); ++i) targets[i].confirmed = reports[i].to_revert;
  std::size_t at_risk = 0;
  for (const auto& report : reports) {
    if (report.risks.empty()) continue;
    ++at_risk;
    in.err << report.result.target << ":\n";
    for (const auto& risk : report.risks) in.err << "  " << data_at_risk_line(risk, in.style) << '\n';
  }
  if (at_risk == 0) return true;
  return ask(in.err, "Roll back " + std::to_string(targets.size()) + " targets and delete the data of " +
                         std::to_string(at_risk) + " of them?");
}

Direction direction_of(const Options& options) { return rolls_back(options) ? Direction::down : Direction::up; }

void print_text(Invocation& in, const FleetOutcome& outcome, const std::vector<TargetReport>& reports,
                bool risks_listed) {
  const Options& options = in.options;
  if (rolls_back(options) && !options.quiet && !risks_listed) {
    // What each target's rollback deleted (or, refused, would have deleted), as a single
    // rollback lists it before it proceeds.
    for (const auto& report : reports) {
      for (const auto& risk : report.risks) {
        in.err << report.result.target << ": " << data_at_risk_line(risk, in.style) << '\n';
      }
    }
  }
  in.err << fleet_failures_text(outcome, direction_of(options), in.style) << std::flush;
  if (options.quiet) return;
  const Command& command = command_of(options);
  if (command.kind == CommandResult::Kind::status) in.out << fleet_status_table(reports);
  if (command.kind == CommandResult::Kind::history) in.out << fleet_history_text(reports, in.style);
  in.out << outcome_counts(outcome.results, options.dry_run ? "rehearsed" : command.fleet_done) << '\n';
  if (command.kind == CommandResult::Kind::status) {
    in.out << fleet_versions_text(fleet_versions(target_versions(reports)));
  }
}

/// What the JSON document of a fleet is written from.
struct FleetDocument {
  const std::string& fleet;
  const std::vector<FleetTarget>& targets;  ///< those run, as `reports`
  const FleetOutcome& outcome;
  const std::vector<TargetReport>& reports;
  int code;
  const std::vector<Throttle>& throttles;
  const FleetResume& resume;
};

void print_json(Invocation& in, const FleetDocument& fleet) {
  auto document = envelope(in.context, fleet.code);
  const auto count = [&](TargetState state) {
    long n = 0;
    for (const auto& result : fleet.outcome.results) n += result.state == state ? 1 : 0;
    return n;
  };
  std::vector<std::string> not_started;
  for (const auto& result : fleet.outcome.results) {
    if (result.state == TargetState::not_started) not_started.push_back(result.target);
  }
  const nlohmann::json resumed = in.options.resume
                                     ? nlohmann::json{{"state", fleet.resume.path}, {"skipped", fleet.resume.skipped}}
                                     : nlohmann::json(nullptr);
  document.update({{"fleet", fleet.fleet},
                   {"shard", in.options.shard ? nlohmann::json(*in.options.shard) : nlohmann::json(nullptr)},
                   {"dry_run", in.options.dry_run},
                   {"resumed", resumed},
                   {"summary",
                    {{"done", count(TargetState::done)},
                     {"up_to_date", count(TargetState::up_to_date)},
                     {"failed", count(TargetState::failed)},
                     {"not_started", count(TargetState::not_started)}}},
                   {"stopped", text_or_null(fleet.outcome.stopped)},
                   {"not_started", not_started},
                   {"throttled", fleet_throttles_json(fleet.throttles)},
                   {"targets", fleet_targets_json(fleet.reports, command_of(in.options).kind)}});
  if (in.options.shard) {
    // Where each target stands in the whole fleet: fleet-report merges the shards in that order.
    for (std::size_t i = 0; i < fleet.targets.size(); ++i) {
      document["targets"][i]["position"] = fleet.targets[i].position;
    }
  }
  if (command_of(in.options).kind == CommandResult::Kind::status) {
    document["versions"] = fleet_versions_json(fleet_versions(target_versions(fleet.reports)));
  }
  print_document(in.out, document);
}

/// The targets of this runner's share (--shard K/N), in their order; "40 targets" or "shard
/// 1/2: 20 of 40 targets" for the banner.
std::string take_shard(std::vector<FleetTarget>& targets, const std::optional<FleetShard>& shard,
                       const std::string& spelled) {
  const std::size_t all = targets.size();
  if (!shard) return std::to_string(all) + " targets";
  targets.erase(std::remove_if(targets.begin(), targets.end(),
                               [&](const FleetTarget& target) { return !in_fleet_shard(target.name, *shard); }),
                targets.end());
  return "shard " + spelled + ": " + std::to_string(targets.size()) + " of " + std::to_string(all) + " targets";
}

std::vector<std::string> names_of(const std::vector<FleetTarget>& targets) {
  std::vector<std::string> names;
  names.reserve(targets.size());
  for (const auto& target : targets) names.push_back(target.name);
  return names;
}

/// Leaves out the targets that `--resume` skips (`to_run[i]` false for target i).
void take_unfinished(std::vector<FleetTarget>& targets, const std::vector<bool>& to_run) {
  std::vector<FleetTarget> kept;
  kept.reserve(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (to_run[i]) kept.push_back(std::move(targets[i]));
  }
  targets = std::move(kept);
}

/// The first line of every fleet command that writes: where it is about to write, and what
/// `--resume` skips. A command that only reads says the skipped targets alone.
void print_banner(Invocation& in, const std::string& counted, const FleetPlan& plan, unsigned per_server,
                  const FleetResume& resume) {
  const Options& options = in.options;
  if (options.quiet || options.json) return;
  const std::string skipped =
      options.resume ? std::to_string(resume.skipped) + " skipped by --resume" : std::string();
  if ((command_of(options).traits & CommandTraits::writes) != 0) {
    in.err << "Environment: " << in.settings.environment << ", fleet: " << *options.fleet << " (" << counted << ", "
           << plan.parallel << " at once"
           << (per_server < plan.parallel ? ", " + std::to_string(per_server) + " per server" : "")
           << (skipped.empty() ? "" : ", " + skipped) << ")\n" << std::flush;
  } else if (!skipped.empty()) {
    in.err << "Fleet " << *options.fleet << ": " << skipped << "\n" << std::flush;
  }
}

FleetPlan plan_of(const Options& options) {
  FleetPlan plan;
  plan.parallel = options.parallel;
  plan.canary = options.canary;
  plan.fail_fast = options.fail_fast;
  return plan;
}

}  // namespace

ExitCode fleet_command(Invocation& in, const Registry& registry) {
  const Options& options = in.options;
  const std::string& name = *options.fleet;
  if (rolls_back(options) && in.settings.backup && !options.dry_run) {
    throw Error(ExitCode::usage, "backupBeforeRollback takes one database: back up a fleet's databases before, "
                                 "one by one, and roll back without it");
  }
  // A bad --shard is refused before anything connects.
  const std::optional<FleetShard> shard =
      options.shard ? std::optional<FleetShard>(parse_fleet_shard(*options.shard)) : std::nullopt;
  // Before the listing query: a signal cancels it on the server (the workers inherit the
  // watcher's signal mask too).
  SignalWatcher signals;
  std::vector<FleetTarget> targets = list_targets(*in.settings.fleet, name, in, signals);
  const std::string counted = take_shard(targets, shard, options.shard.value_or(""));
  // A state file of another command or target list is refused before any target starts.
  FleetResume resume = prepare_resume(in, names_of(targets));
  take_unfinished(targets, resume.to_run);
  const FleetPlan plan = plan_of(options);
  // A server's budget: the flag, else the fleet's parallelPerServer, else all the workers.
  const unsigned per_server =
      std::min(plan.parallel, options.parallel_per_server.value_or(
                                  in.settings.fleet->parallel_per_server.value_or(plan.parallel)));
  print_banner(in, counted, plan, per_server, resume);

  FleetGates gates(per_server);
  WorkerContext context{options, registry, in.settings.migrator, signals, &gates};
  bool confirmed = options.yes;
  const bool asked = rolls_back(options) && !options.dry_run && !options.yes && ::isatty(STDIN_FILENO) != 0;
  if (asked) {
    if (!confirm_fleet_rollback(in, targets, context, plan)) {
      throw Error(ExitCode::migration_failed, "Rollback cancelled: nothing was changed");
    }
    confirmed = true;
  }
  context.settings.confirm_data_loss = unattended(in, confirmed);

  const bool live = ::isatty(STDERR_FILENO) != 0 && !options.json && !options.quiet && !options.debug;
  FleetProgress progress(in.err, name, live);
  std::vector<TargetReport> reports;
  // Asked for (--resume, --state), the state file must be written; else a folder the tool
  // may not write to only costs a later resume.
  FleetStateRecorder recorder(progress, resume.path, resume.state, options.resume || options.state);
  const FleetOutcome outcome = run_all(targets, context, plan, recorder, reports);
  progress.finish();
  const std::string unrecorded = recorder.finish();
  if (!unrecorded.empty()) in.err << "Warning: " << unrecorded << "; a --resume would not know this run\n";

  const int code = fleet_exit_code(outcome.results, outcome.stop_code);
  const std::vector<Throttle> throttles = gates.throttles();
  if (options.json) {
    print_json(in, {name, targets, outcome, reports, code, throttles, resume});
  } else {
    if (!options.quiet) in.err << fleet_throttles_text(throttles);
    print_text(in, outcome, reports, asked);
  }
  return static_cast<ExitCode>(code);
}

}  // namespace sonamu::cli
