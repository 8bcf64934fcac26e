#pragma once
/// Each command's printed result, as text or as one JSON document, as the invocation's options
/// ask: the only place that decides which of them a result is written as.

#include "cli/invocation.hpp"
#include "host/project_init.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// `status`: the documented text, or the JSON document with `batches` and `pending`.
void print_status(Invocation& in, const StatusReport& report, ExitCode code);

/// `run`, `up`, `rollback`, `down`: the JSON document (the text was printed as it happened),
/// or the dry run's last line.
/// `lint`: the lint report of the command (--verbose, --dry-run), put in the JSON document.
void print_migration_result(Invocation& in, const MigrationResult& result, const nlohmann::json* lint = nullptr);

/// `history`: the table, newest first, or the JSON document with `history`.
void print_history(Invocation& in, const std::vector<HistoryRecord>& records);

/// `verify`: what its value says beyond the comparisons reported as they happened (nothing to
/// verify, or nothing verified), then its last line.
void print_verified(Invocation& in, const MigrationResult& result);

/// `unlock`: the is_locked value knex's lock row had (unset: it was not locked), now 0.
void print_unlocked(Invocation& in, const std::optional<std::string>& was_locked);

/// `forget` and `mark`: which record changed, and that no migration code ran.
void print_forgotten(Invocation& in, const RecordChange& change);
void print_marked(Invocation& in, const RecordChange& change);
/// `accept`: whose source is now taken as applied.
void print_accepted(Invocation& in, const RecordChange& change);

/// `make`: the file it wrote.
void print_created(Invocation& in, const std::string& path);

/// What `init` wrote, and the commands that build and run the new project.
void print_initialized(Invocation& in, const InitializedProject& project);

/// A failure that ended the command before its result: the JSON document, with --json only.
void print_failure(std::ostream& out, const Options& options, const Context& context, int code,
                   const std::string& message);

}  // namespace sonamu::cli
