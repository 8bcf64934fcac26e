#include "cli/prompt.hpp"

#include "core/error.hpp"

#include <iostream>
#include <unistd.h>

namespace sonamu::cli {

bool ask(std::ostream& err, const std::string& question) {
  err << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

void require_confirmation(const Options& options, const std::string& question, std::ostream& err) {
  if (options.yes) return;
  if (!::isatty(STDIN_FILENO)) {
    throw Error(ExitCode::usage, "`migrate " + options.command +
                                     "` changes the bookkeeping table without running the "
                                     "migration; pass --yes to confirm (stdin is not a terminal)");
  }
  if (!ask(err, question)) throw Error(ExitCode::migration_failed, "Cancelled: nothing was changed");
}

}  // namespace sonamu::cli
