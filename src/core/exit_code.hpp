#pragma once
/// The process exit codes, in one place. Scripts depend on them: never renumber.

namespace sonamu {

enum class ExitCode : int {
  ok = 0,                ///< success, or nothing to do
  migration_failed = 1,  ///< a migration failed; its batch was left as it was before
  usage = 2,             ///< bad command line, bad configuration or bad migration names
  connection = 3,        ///< cannot connect to or authenticate with the server
  mismatch = 4,          ///< bookkeeping table and compiled migrations disagree
  locked = 5,            ///< another runner held the migration lock past --lock-timeout
};

}  // namespace sonamu
