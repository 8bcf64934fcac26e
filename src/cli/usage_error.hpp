#pragma once
/// The usage errors that are about the `migrate` command word itself: none given (the commands
/// are listed), or one that is no command (named, with the nearest command, in one line).

#include <optional>
#include <string>

namespace sonamu::cli {

/// The whole message (lines ending in a newline) when `argv` runs `migrate` with no command
/// word or an unknown one; unset for any other command line.
std::optional<std::string> migrate_word_error(int argc, char** argv);

}  // namespace sonamu::cli
