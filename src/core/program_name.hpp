#pragma once
/// The name the executable is run by, for every message that tells the user a command to type:
/// `sonamu` for this repository's executable, the target's name for a project's own (set once
/// by the command line's entry point before anything else runs).

#include <string>

namespace sonamu {

/// "sonamu" until set.
const std::string& program_name();

/// Called once, at start, before any other thread exists.
void set_program_name(const std::string& name);

}  // namespace sonamu
