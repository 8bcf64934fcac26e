#pragma once
/// Runs a program as a user would, capturing stdout, stderr and the exit code. Every wait is
/// bounded: a child that outlives its deadline is killed, and the test fails with the command
/// line and everything the child printed, instead of hanging the suite.

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonamu::test {

/// How long a wait lasts unless the caller says otherwise: far longer than any command of the
/// suite needs, short enough that a hung child is reported well before CTest's own timeout.
inline constexpr std::chrono::milliseconds default_deadline = std::chrono::seconds(120);

/// What a finished process left behind.
struct ProcessResult {
  int exit_code = -1;  ///< 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

/// How to start a process.
struct ProcessSpec {
  std::vector<std::string> argv;
  std::string cwd;                                            ///< empty: inherit
  std::map<std::string, std::optional<std::string>> env;      ///< nullopt unsets
};

/// Thrown when a wait passes its deadline; the child has been killed and reaped by then.
class ProcessTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A started process; `wait` collects its output. The process leads a process group of its
/// own, so a kill on timeout also reaches whatever it started.
class Process {
 public:
  explicit Process(const ProcessSpec& spec);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int pid() const { return pid_; }
  /// The command line, for messages.
  const std::string& command_line() const { return command_line_; }
  /// Sends a signal (for example SIGKILL) to the process.
  void signal(int signal_number) const;
  /// Reads all output until the process exits, and returns it with the exit code. Past the
  /// deadline the process is killed and ProcessTimeout is thrown.
  ProcessResult wait(std::chrono::milliseconds timeout = default_deadline);
  /// Reads output until `text` has appeared on stdout; false if the process closed stdout
  /// first (it ended). Past the deadline the process is killed and ProcessTimeout is thrown.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout = default_deadline);
  /// The same, for stderr (where --debug logs go).
  bool wait_for_error_output(const std::string& text,
                             std::chrono::milliseconds timeout = default_deadline);
  /// True while the process has not ended; reads what it printed meanwhile.
  bool running();
  /// What the process printed so far.
  const std::string& out() const { return result_.out; }
  const std::string& err() const { return result_.err; }

 private:
  using Clock = std::chrono::steady_clock;
  /// Reads what is available on both pipes, waiting at most until `deadline`.
  void pump(Clock::time_point deadline);
  /// Kills the process group and reaps the process; never throws, never waits unbounded.
  void kill_and_reap();
  /// Reaps the process if it has ended (`block`: wait for it). True once reaped.
  bool reap(bool block);
  [[noreturn]] void timed_out(const std::string& what, std::chrono::milliseconds timeout);
  bool wait_for(bool on_stdout, const std::string& text, std::chrono::milliseconds timeout);

  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string command_line_;
  ProcessResult result_;
  bool reaped_ = false;
};

/// Starts a process and waits for it, at most `timeout`.
ProcessResult run_process(const ProcessSpec& spec, std::chrono::milliseconds timeout = default_deadline);

}  // namespace sonamu::test
