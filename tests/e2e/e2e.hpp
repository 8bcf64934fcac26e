#pragma once
/// Running the built binaries against a test database.

#include "../support/process.hpp"
#include "../support/scratch_directory.hpp"
#include "../support/test_database.hpp"

#include <string>
#include <vector>

namespace sonamu::test {

/// An empty folder to run commands in: no `migrations/` to compare, no development database.
/// Tests that write files use a ScratchDirectory of their own instead.
std::string empty_directory();

/// A finished command, with the "Environment: ..." line that mutating commands print first on
/// stderr taken out of `err` and kept apart.
struct MigrateResult : ProcessResult {
  std::string banner;
};

/// Moves the leading "Environment: ..." line of `result.err` into `banner`.
MigrateResult split_banner(ProcessResult result);

/// Starts `spec` and waits for it (at most `timeout`), splitting off the banner.
MigrateResult run_migrate(const ProcessSpec& spec, std::chrono::milliseconds timeout = default_deadline);

/// Runs `binary migrate <args> -c <db>` from `cwd` (an empty folder by default), with
/// DATABASE_URL unset so only the test database can be reached.
MigrateResult migrate(const TestDatabase& db, std::vector<std::string> args,
                      const std::string& binary = SONAMU_BINARY, std::string cwd = "");

/// The same command as `migrate`, to start in the background (with extra environment).
ProcessSpec migrate_spec(const TestDatabase& db, std::vector<std::string> args,
                         const std::string& binary = SONAMU_BINARY,
                         const std::map<std::string, std::optional<std::string>>& env = {});

/// How the binary names the test server's `database` in its messages: host:port/database,
/// host and port from the PG* variables the suite runs with.
std::string server_description(const std::string& database);

/// The regex of the line a migration's lock timeout ends with: its transaction rolled back and
/// the two ways on (the holder's pid when it was seen in time, else "the transaction ...").
inline const std::string lock_advice =
    "   Its transaction was rolled back: nothing it did was kept\\. To go on, end the (transaction of pid [0-9]+|"
    "transaction that holds the lock), or give the lock more time with --lock-timeout-sql, and run the command "
    "again\n";

/// Rows of the bookkeeping table as "name:batch" in id order ("<no table>" without one).
std::string recorded(const TestDatabase& db);

/// The guide's six migration names, with an extension.
std::vector<std::string> bundled(const std::string& extension);

/// `prefix` + each name + "\n", concatenated.
std::string lines(const std::string& prefix, const std::vector<std::string>& names);

}  // namespace sonamu::test
