#include "process.hpp"

#include <csignal>
#include <fcntl.h>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace sonamu::test {

Process::Process(const ProcessSpec& spec) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[0]);
    ::close(err_pipe[1]);
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
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
}

Process::~Process() {
  if (!waited_) {
    signal(SIGKILL);
    wait();
  }
}

void Process::signal(int signal_number) const {
  if (pid_ > 0) ::kill(pid_, signal_number);
}

bool Process::wait_for_output(const std::string& text) {
  while (result_.out.find(text) == std::string::npos) {
    if (out_fd_ < 0) return false;
    pollfd fd = {out_fd_, POLLIN, 0};
    if (::poll(&fd, 1, -1) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) {
      ::close(out_fd_);
      out_fd_ = -1;
    } else {
      result_.out.append(buffer, static_cast<std::size_t>(n));
    }
  }
  return true;
}

ProcessResult Process::wait() {
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) break;
    char buffer[4096];
    int* fd_of[2] = {&out_fd_, &err_fd_};
    std::string* sink_of[2] = {&result_.out, &result_.err};
    for (int i = 0; i < 2; ++i) {
      if (*fd_of[i] < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(*fd_of[i], buffer, sizeof buffer);
      if (n > 0) {
        sink_of[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(*fd_of[i]);
        *fd_of[i] = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  waited_ = true;
  return result_;
}

ProcessResult run_process(const ProcessSpec& spec) {
  Process process(spec);
  return process.wait();
}

}  // namespace sonamu::test
