#include "terminal_session.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace sonamu::test {

namespace {

/// `text` as one single-quoted shell word.
std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

/// The full path of `program` on PATH; a missing tool fails the test, it never skips it.
std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error(program + " is not installed (scripts/install-deps.sh installs it)");
}

std::string trim_right(const std::string& line) {
  const auto end = line.find_last_not_of(" \t");
  return end == std::string::npos ? std::string() : line.substr(0, end + 1);
}

}  // namespace

TerminalSession::TerminalSession(const ProcessSpec& spec, int columns, int rows)
    : directory_("sonamu-tty"), socket_(directory_.string() + "/tmux.sock"), binary_(on_path("tmux")) {
  // The program's environment and folder are written out, so they do not depend on what the
  // tmux server hands its windows.
  const std::string script = directory_.string() + "/run.sh";
  {
    std::ofstream file(script);
    if (!spec.cwd.empty()) file << "cd " << shell_quote(spec.cwd) << " || exit 97\n";
    for (const auto& [name, value] : spec.env) {
      if (value) {
        file << "export " << name << "=" << shell_quote(*value) << "\n";
      } else {
        file << "unset " << name << "\n";
      }
    }
    for (const auto& word : spec.argv) file << shell_quote(word) << ' ';
    file << "\necho $? > " << shell_quote(directory_.string() + "/status") << '\n';
  }
  tmux({"-f", "/dev/null", "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
        "new-session", "-d", "-s", "t", "-x", std::to_string(columns), "-y", std::to_string(rows),
        "bash " + shell_quote(script)});
}

TerminalSession::~TerminalSession() {
  try {
    run_process({{binary_, "-S", socket_, "kill-server"}, "", {}}, std::chrono::seconds(30));
  } catch (...) {
    // Killed with its deadline already; nothing more to do in a destructor.
  }
}

std::string TerminalSession::tmux(const std::vector<std::string>& args) const {
  ProcessSpec spec;
  spec.argv = {binary_, "-S", socket_};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env["TERM"] = "xterm-256color";
  const auto result = run_process(spec, std::chrono::seconds(30));
  if (result.exit_code != 0) {
    throw std::runtime_error("tmux " + args.front() + " failed (" + std::to_string(result.exit_code) +
                             "): " + result.err);
  }
  return result.out;
}

std::string TerminalSession::screen() const { return captured(false); }

std::string TerminalSession::text() const { return captured(true); }

std::string TerminalSession::captured(bool joined) const {
  // From the start of the scrollback: everything the terminal has shown and still holds.
  std::vector<std::string> args{"capture-pane", "-p", "-S", "-", "-t", "t"};
  if (joined) args.push_back("-J");
  std::istringstream raw(tmux(args));
  std::vector<std::string> lines;
  for (std::string line; std::getline(raw, line);) {
    if (line.rfind("Pane is dead", 0) == 0) continue;
    lines.push_back(trim_right(line));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

void TerminalSession::type(const std::string& text) const {
  tmux({"send-keys", "-t", "t", "-l", text});
  tmux({"send-keys", "-t", "t", "Enter"});
}

bool TerminalSession::ended() const {
  return tmux({"display-message", "-p", "-t", "t", "#{pane_dead}"}) == "1\n";
}

int TerminalSession::exit_status() const {
  std::ifstream file(directory_.string() + "/status");
  int status = -1;
  if (!(file >> status)) throw std::runtime_error("the program in the terminal left no exit status");
  return status;
}

}  // namespace sonamu::test
