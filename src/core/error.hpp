#pragma once
/// The one exception type that carries an exit code to the edge of the program.

#include "core/exit_code.hpp"

#include <stdexcept>
#include <string>

namespace sonamu {

/// A fatal, already-explained condition: `what()` is the one-line message for the operator.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace sonamu
