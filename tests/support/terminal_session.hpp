#pragma once
/// A program run inside a real pseudo-terminal: a detached tmux session on a private socket,
/// whose screen can be read while the program runs and after it ends.

#include "process.hpp"
#include "scratch_directory.hpp"

#include <string>

namespace sonamu::test {

/// Starts `spec` in a tmux window of `columns` × `rows`; the server ends with this object.
class TerminalSession {
 public:
  TerminalSession(const ProcessSpec& spec, int columns = 240, int rows = 24);
  ~TerminalSession();
  TerminalSession(const TerminalSession&) = delete;
  TerminalSession& operator=(const TerminalSession&) = delete;

  /// The screen with its scrollback, one line per row, trailing blanks and trailing empty rows removed
  /// (and tmux's own "Pane is dead" notice once the program has ended).
  std::string screen() const;
  /// The same with the lines the terminal wrapped at its width joined again, as the program
  /// wrote them.
  std::string text() const;
  /// Types `text` and Enter, as the user answering a question would.
  void type(const std::string& text) const;
  /// True once the program has ended.
  bool ended() const;
  /// The exit status of the ended program.
  int exit_status() const;

 private:
  std::string captured(bool joined) const;
  std::string tmux(const std::vector<std::string>& args) const;

  ScratchDirectory directory_;
  std::string socket_;
  std::string binary_;
};

}  // namespace sonamu::test
