#include "host/prompt.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <cerrno>
#include <iostream>

#include <poll.h>
#include <unistd.h>

namespace sonamu::cli {

bool ask(std::ostream& err, const std::string& question) {
  err << question << " [y/N] " << std::flush;
  // Signals are taken by the watcher thread, so a blocking read would never see Ctrl-C:
  // stdin is read a byte at a time once poll() says it is readable, and the recorded signal
  // is looked at every 100 ms.
  std::string answer;
  for (;;) {
    if (const int signal_number = interrupt_signal()) {
      // The terminal echoed ^C where the answer goes: the next line starts on its own.
      err << '\n' << std::flush;
      throw Interrupted(signal_number, true);
    }
    pollfd readable{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&readable, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char c = 0;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;  // end of input answers no
    answer.push_back(c);
  }
  if (const int signal_number = interrupt_signal()) {
    err << '\n' << std::flush;
    throw Interrupted(signal_number, true);
  }
  if (!answer.empty() && answer.back() == '\r') answer.pop_back();
  return answer == "y" || answer == "Y" || answer == "yes";
}

void require_confirmation(bool yes, const std::string& command, const std::string& question, std::ostream& err) {
  if (yes) return;
  if (!::isatty(STDIN_FILENO)) {
    throw Error(ExitCode::usage, "`migrate " + command +
                                     "` changes the bookkeeping table without running the "
                                     "migration; pass --yes to confirm (stdin is not a terminal)");
  }
  if (!ask(err, question)) throw Error(ExitCode::migration_failed, "Cancelled: nothing was changed");
}

}  // namespace sonamu::cli
