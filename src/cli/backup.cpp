#include "cli/backup.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "pg/connect.hpp"

#include <libpq-fe.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

/// The conninfo split into a password-free string for argv, and the secrets, which go to
/// pg_dump through its environment (libpq reads PGPASSWORD and PGSSLPASSWORD... from there)
/// so that no other local user sees them in `ps`.
struct SplitConninfo {
  std::string conninfo;
  std::string password;
};

SplitConninfo without_password(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), PQconninfoFree);
  if (error) PQfreemem(error);
  std::map<std::string, std::string> fields;
  SplitConninfo split;
  for (auto* option = options.get(); option && option->keyword; ++option) {
    if (!option->val || !*option->val) continue;
    if (std::strcmp(option->keyword, "password") == 0) {
      split.password = option->val;
    } else if (std::strcmp(option->keyword, "sslpassword") == 0) {
      // libpq has no environment variable for it: pg_dump would need it on its command line,
      // where every local user can read it.
      throw Error(ExitCode::usage,
                  "--backup cannot pass sslpassword to pg_dump without showing it to other local "
                  "users; use a key without a passphrase for the backup, or take it separately");
    } else {
      fields[option->keyword] = option->val;
    }
  }
  split.conninfo = conninfo::conninfo_from_fields(fields);
  return split;
}

std::string folder_of(const std::string& file) {
  const auto slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : file.substr(0, slash);
}

std::string base_of(const std::string& file) {
  const auto slash = file.rfind('/');
  return slash == std::string::npos ? file : file.substr(slash + 1);
}

/// Runs pg_dump with its output on `out_fd`; returns its exit status and stderr. A signal to
/// this process ends pg_dump too (and so does this process's death, even by kill -9).
std::pair<int, std::string> run_pg_dump(const SplitConninfo& split, int out_fd) {
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    throw Error(ExitCode::migration_failed, "Backup failed: cannot create a pipe");
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The watcher thread's blocked signals are inherited: unblock them, so Ctrl-C on the
    // terminal reaches pg_dump; and die with the parent whatever ends it.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(error_pipe[1], STDERR_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    if (!split.password.empty()) ::setenv("PGPASSWORD", split.password.c_str(), 1);
    const std::string dbname = "--dbname=" + split.conninfo;
    ::execlp("pg_dump", "pg_dump", "--no-password", dbname.c_str(), static_cast<char*>(nullptr));
    ::dprintf(STDERR_FILENO, "cannot run pg_dump: %s\n", std::strerror(errno));
    ::_exit(127);
  }
  ::close(error_pipe[1]);
  if (pid < 0) {
    ::close(error_pipe[0]);
    throw Error(ExitCode::migration_failed, "Backup failed: cannot start pg_dump");
  }
  std::string errors;
  char buffer[1024];
  bool signalled = false;
  for (;;) {
    if (!signalled && interrupt_signal() != 0) {
      ::kill(pid, SIGTERM);  // SIGTERM to this process alone (kill PID) must stop pg_dump too
      signalled = true;
    }
    pollfd readable{error_pipe[0], POLLIN, 0};
    if (::poll(&readable, 1, 100) <= 0) continue;  // woken every 100 ms to see a signal
    const ssize_t n = ::read(error_pipe[0], buffer, sizeof buffer);
    if (n <= 0) break;
    errors.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(error_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, errors};
}

}  // namespace

void check_backup_target(const std::string& file, bool replace, bool json) {
  if (file == "-") {
    if (json) throw Error(ExitCode::usage, "--backup -: the dump would go into the --json document on stdout");
    return;
  }
  struct stat existing {};
  if (::lstat(file.c_str(), &existing) != 0) return;
  if (!replace) {
    throw Error(ExitCode::usage,
                "Backup file " + file + " already exists; choose a new name, or pass --replace-backup");
  }
  if (S_ISDIR(existing.st_mode)) throw Error(ExitCode::usage, "Backup file " + file + " is a directory");
}

long long backup_database(const conninfo::ConnectionTarget& target, const std::string& file, bool replace) {
  const auto split = without_password(target.conninfo);
  if (file == "-") {
    const auto [status, errors] = run_pg_dump(split, STDOUT_FILENO);
    if (const int signal_number = interrupt_signal()) throw Interrupted(signal_number);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      throw Error(ExitCode::migration_failed,
                  "Backup to - failed (" + pg::one_line_reason(errors.empty() ? "pg_dump failed" : errors) +
                      "); nothing was rolled back");
    }
    return 0;
  }
  // A new file of our own, private from the start, next to the target so it can be renamed.
  std::string temporary = folder_of(file) + "/." + base_of(file) + ".partial-XXXXXX";
  std::vector<char> name(temporary.begin(), temporary.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    throw Error(ExitCode::migration_failed,
                "Backup to " + file + " failed (cannot create a file there: " + std::strerror(errno) +
                    "); nothing was rolled back");
  }
  temporary = name.data();
  const auto fail = [&](const std::string& reason) {
    ::close(fd);
    ::unlink(temporary.c_str());  // only the file this command created
    throw Error(ExitCode::migration_failed, "Backup to " + file + " failed (" + reason + "); nothing was rolled back");
  };
  const auto [status, errors] = run_pg_dump(split, fd);
  if (const int signal_number = interrupt_signal()) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw Interrupted(signal_number);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fail(pg::one_line_reason(errors.empty() ? "pg_dump failed" : errors));
  }
  if (::fsync(fd) != 0) fail(std::string("cannot write it: ") + std::strerror(errno));
  struct stat written {};
  ::fstat(fd, &written);
  // link() never replaces anything, symlinks included; rename() replaces the name itself,
  // never the target of a symlink.
  if (replace ? ::rename(temporary.c_str(), file.c_str()) != 0 : ::link(temporary.c_str(), file.c_str()) != 0) {
    const std::string reason = errno == EEXIST ? "it appeared meanwhile" : std::strerror(errno);
    fail("cannot put it in place: " + reason);
  }
  if (!replace) ::unlink(temporary.c_str());
  ::close(fd);
  return static_cast<long long>(written.st_size);
}

}  // namespace sonamu::cli
