#pragma once
/// Who the executable is. The name it is run by, for every message that tells the user a command to type:
/// `sonamu` for this repository's executable, the target's name for a project's own (set once
/// by the command line's entry point before anything else runs).

#include <string>

namespace sonamu {

/// "sonamu" until set.
const std::string& program_name();

/// Called once, at start, before any other thread exists.
void set_program_name(const std::string& name);

/// The absolute folder of the migrations the executable was built from (so its sources are
/// found from any working directory); empty when the build did not say.
const std::string& built_migrations_dir();

/// Called once, at start, like set_program_name.
void set_built_migrations_dir(const std::string& folder);

}  // namespace sonamu
