#pragma once
/// The one mapping from a failure to an exit code and a message, for the single command and
/// for every target of a fleet alike.

#include <exception>
#include <string>

namespace sonamu::cli {

/// How a command that threw ended.
struct Failure {
  int exit_code = 1;
  /// One line, passwords redacted. A signal's message starts in lower case ("interrupted by
  /// SIGINT: ..."): a fleet puts the target before it, a single command capitalises it.
  std::string message;
  bool interrupted = false;  ///< a signal ended it: 128 + the signal's number
};

/// The failure `error` stands for. `server` names the database for a lost connection ("h:5432
/// db"); empty when it is not known yet.
Failure failure_of(const std::exception_ptr& error, const std::string& server);

}  // namespace sonamu::cli
