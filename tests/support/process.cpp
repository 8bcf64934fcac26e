#include "process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sonamu::test {

namespace {

/// After a kill, how long the pipes may stay open before they are closed unread.
constexpr std::chrono::seconds drain_after_kill(5);

std::string quoted_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`;&|<>()*?") == std::string::npos) {
      line += arg;
    } else {
      line += '\'';
      for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += '\'';
    }
  }
  return line;
}

}  // namespace

Process::Process(const ProcessSpec& spec) : command_line_(quoted_command_line(spec.argv)) {
  int out_pipe[2];
  int err_pipe[2];
  // Close-on-exec: a sibling started later must not hold this child's pipes open.
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error("pipe failed");
  }
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // a group of its own: a kill on timeout reaches its children too
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    // No terminal on stdin, as in CI.
    const int null_input = ::open("/dev/null", O_RDONLY);
    ::dup2(null_input, STDIN_FILENO);
    ::close(null_input);
    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) ::_exit(126);
    for (const auto& [name, value] : spec.env) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
    std::vector<char*> argv;
    for (const auto& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);  // also from here, so the group exists before any kill is sent
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
}

Process::~Process() {
  if (!reaped_) kill_and_reap();
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void Process::signal(int signal_number) const {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal_number);
}

void Process::pump(Clock::time_point deadline) {
  if (out_fd_ < 0 && err_fd_ < 0) return;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  if (::poll(fds, 2, static_cast<int>(std::max<long long>(0, left))) <= 0) return;
  char buffer[4096];
  int* fd_of[2] = {&out_fd_, &err_fd_};
  std::string* sink_of[2] = {&result_.out, &result_.err};
  for (int i = 0; i < 2; ++i) {
    if (*fd_of[i] < 0 || fds[i].revents == 0) continue;
    const ssize_t n = ::read(*fd_of[i], buffer, sizeof buffer);
    if (n > 0) {
      sink_of[i]->append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      ::close(*fd_of[i]);
      *fd_of[i] = -1;
    }
  }
}

bool Process::reap(bool block) {
  if (reaped_) return true;
  int status = 0;
  pid_t done;
  do {
    done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (done < 0 && errno == EINTR);
  if (done == 0) return false;
  if (done == pid_) {
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  reaped_ = true;
  return true;
}

void Process::kill_and_reap() {
  if (pid_ <= 0 || reaped_) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  // Keep what it printed last; a grandchild outside the group could hold the pipes open, so
  // this is bounded too.
  const auto deadline = Clock::now() + drain_after_kill;
  while ((out_fd_ >= 0 || err_fd_ >= 0) && Clock::now() < deadline) pump(deadline);
  reap(true);  // killed: this returns at once
}

void Process::timed_out(const std::string& what, std::chrono::milliseconds timeout) {
  kill_and_reap();
  throw ProcessTimeout("timed out after " + std::to_string(timeout.count()) + " ms waiting for " + what +
                       "; killed: " + command_line_ + "\n--- its stdout so far ---\n" + result_.out +
                       "\n--- its stderr so far ---\n" + result_.err);
}

bool Process::wait_for(bool on_stdout, const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string& sink = on_stdout ? result_.out : result_.err;
  const int& fd = on_stdout ? out_fd_ : err_fd_;
  while (sink.find(text) == std::string::npos) {
    if (fd < 0) return false;
    if (Clock::now() >= deadline) {
      timed_out(std::string("\"") + text + "\" on " + (on_stdout ? "stdout" : "stderr"), timeout);
    }
    pump(deadline);
  }
  return true;
}

bool Process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_for(true, text, timeout);
}

bool Process::wait_for_error_output(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_for(false, text, timeout);
}

bool Process::running() {
  pump(Clock::now());
  return !reap(false);
}

ProcessResult Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    if (Clock::now() >= deadline) timed_out("the process to end", timeout);
    pump(deadline);
  }
  // Both pipes are closed: the process has ended, or closed them and lives on.
  while (!reap(false)) {
    if (Clock::now() >= deadline) timed_out("the process to end", timeout);
    ::usleep(10 * 1000);
  }
  return result_;
}

ProcessResult run_process(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  Process process(spec);
  return process.wait(timeout);
}

}  // namespace sonamu::test
