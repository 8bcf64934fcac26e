#pragma once
/// The command line: parses `sonamu migrate ...`, wires the migrator and prints the result.

#include <ostream>

namespace sonamu::cli {

/// Runs the program as `main` would and returns its exit code (see core/exit_code.hpp).
int run_app(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace sonamu::cli
