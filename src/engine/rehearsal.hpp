#pragma once
/// A rehearsal of a migration function with nothing sent to the server: what the engine
/// learns from a migration's code before any SQL of its batch runs.

#include <sonamu/migration.hpp>

#include <optional>
#include <string>

namespace sonamu {

/// What one run of a migration function on a handle that executes nothing showed.
struct Rehearsal {
  /// The builder refused a call (sonamu::DefinitionError): the migration cannot run.
  std::optional<std::string> definition_problem;
  /// The function declared itself irreversible (sonamu::irreversible) with this reason.
  std::optional<std::string> irreversible_reason;
  /// The function declared that it loses data knowingly (Knex::lossy) with this reason.
  std::optional<std::string> lossy_reason;
};

/// Calls `fn` once on a handle that sends nothing and answers every query with no rows.
/// Anything else the code throws (it may depend on results a rehearsal cannot give) is left
/// for the real run, which reports it with the server's context.
Rehearsal rehearse(MigrationFn fn);

}  // namespace sonamu
