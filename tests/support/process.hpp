#pragma once
/// Runs a program as a user would, capturing stdout, stderr and the exit code.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonamu::test {

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

/// A started process; `wait` collects its output.
class Process {
 public:
  explicit Process(const ProcessSpec& spec);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int pid() const { return pid_; }
  /// Sends a signal (for example SIGKILL) to the process.
  void signal(int signal_number) const;
  /// Reads all output until the process exits, and returns it with the exit code.
  ProcessResult wait();
  /// Reads stdout until `text` has appeared (or the process closed it); true if it appeared.
  bool wait_for_output(const std::string& text);

 private:

  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  ProcessResult result_;
  bool waited_ = false;
};

/// Starts a process and waits for it.
ProcessResult run_process(const ProcessSpec& spec);

}  // namespace sonamu::test
