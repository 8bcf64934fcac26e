#include "cli/printing.hpp"

#include "core/text.hpp"
#include "output/migration_json.hpp"

#include <algorithm>

namespace sonamu::cli {

void print_status(Invocation& in, const StatusReport& report, ExitCode code) {
  if (in.options.json) {
    auto document = envelope(in.context, static_cast<int>(code));
    document.update(status_json(report));
    print_document(in.out, document);
  } else if (!in.options.quiet) {
    in.out << status_text(report, in.style);
  }
}

void print_migration_result(Invocation& in, const MigrationResult& result, const nlohmann::json* lint) {
  if (in.options.json) {
    auto document = envelope(in.context, static_cast<int>(result.code));
    document.update({{"result", result.code != ExitCode::ok ? "failed"
                                : result.batches.empty()    ? "nothing_to_do"
                                                            : "done"},
                     {"dry_run", in.options.dry_run}});
    document.update(migration_json(result));
    if (lint != nullptr) document["lint"] = *lint;
    print_document(in.out, document);
  } else if (in.options.dry_run && !in.options.quiet) {
    in.out << "Dry run: nothing was changed\n";
  }
}

void print_history(Invocation& in, const std::vector<HistoryRecord>& records) {
  if (in.options.json) {
    auto document = envelope(in.context, 0);
    document["history"] = history_json(records);
    print_document(in.out, document);
  } else if (!in.options.quiet) {
    in.out << history_text(records, in.style);
  }
}

void print_verified(Invocation& in, const MigrationResult& result) {
  if (result.verified.empty() && result.skipped.empty() && result.code == ExitCode::ok && !in.options.quiet) {
    in.out << "Nothing to verify: no migration is pending (--all reverts the applied ones first)\n";
  }
  if (result.verified.empty() && !result.skipped.empty() && result.code == ExitCode::migration_failed &&
      !result.failure) {
    in.out << std::flush;
    in.err << "Error: verify checked no migration: each one it reached was skipped\n" << std::flush;
  }
  if (!in.options.quiet) in.out << "Verify: nothing was changed\n";
}

void print_unlocked(Invocation& in, const std::optional<std::string>& was_locked) {
  if (in.options.quiet) return;
  const auto& location = in.settings.migrator.location;
  const std::string lock_table = location.schema + "." + location.lock_table();
  in.out << (was_locked ? "Unlocked " + lock_table + ": is_locked was " + *was_locked + ", now 0\n"
                        : lock_table + " was not locked: nothing changed\n");
}

void print_forgotten(Invocation& in, const RecordChange& change) {
  if (in.options.quiet) return;
  in.out << "Forgot " << change.name << " (batch " << change.batch
         << "): its record was deleted; its down function was not run\n";
}

void print_marked(Invocation& in, const RecordChange& change) {
  if (in.options.quiet) return;
  in.out << "Marked " << change.name << " as applied in batch " << change.batch
         << "; its up function was not run\n";
}

void print_accepted(Invocation& in, const RecordChange& change) {
  if (in.options.quiet) return;
  in.out << "Accepted the current source of " << change.name << " (batch " << change.batch
         << ") as applied; no migration code was run\n";
}

void print_created(Invocation& in, const std::string& path) {
  if (!in.options.quiet) in.out << "Created Migration: " << path << '\n';
}

void print_initialized(Invocation& in, const InitializedProject& project) {
  if (in.options.quiet) return;
  auto& out = in.out;
  out << "Created " << join(project.created) << '\n';
  const std::string prefix = project.prefix ? " -DCMAKE_PREFIX_PATH=" + *project.prefix : "";
  const std::string program = "build/" + project.executable;
  out << (project.folder == "." ? std::string("Next:") : "Next, in " + project.folder + ":") << '\n'
      << "  cmake -S . -B build" << prefix << " && cmake --build build\n"
      << "  " << program << " migrate make create_users     # then write it, and build again\n"
      << "  DATABASE_URL=postgresql://USER@HOST/DATABASE " << program << " migrate run\n";
}

void print_failure(std::ostream& out, const Options& options, const Context& context, int code,
                   const std::string& message) {
  if (!options.json) return;
  auto document = envelope(context, code);
  document["error"] = {{"message", message}};
  print_document(out, document);
}

}  // namespace sonamu::cli
