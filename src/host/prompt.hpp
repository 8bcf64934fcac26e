#pragma once
/// Questions asked on the terminal, and the rule for when they may be skipped.

#include <ostream>
#include <string>

namespace sonamu::cli {

/// Asks `question` on the terminal; true for y or yes.
bool ask(std::ostream& err, const std::string& question);

/// forget and mark change the record without running code: confirmed by --yes (`yes`) or on
/// the terminal, else stopped (sonamu::Error, usage without a terminal, naming `command`).
void require_confirmation(bool yes, const std::string& command, const std::string& question, std::ostream& err);

}  // namespace sonamu::cli
