#pragma once
/// A rehearsal of a migration's code with nothing sent to the server, so that a misuse of the
/// builder (sonamu::DefinitionError) is reported before any SQL of its batch runs.

#include <sonamu/migration.hpp>

#include <optional>
#include <string>

namespace sonamu {

/// Calls `fn` on a handle that executes nothing and returns empty results. Returns the
/// DefinitionError's message if the builder refused a call; anything else the code throws
/// (it may depend on results a rehearsal cannot give) is left for the real run.
std::optional<std::string> definition_problem(MigrationFn fn);

/// The reason a down function gives through sonamu::irreversible, found by rehearsing it;
/// nullopt when it is reversible.
std::optional<std::string> irreversible_reason(MigrationFn down);

}  // namespace sonamu
