#include "host/backup.hpp"

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "pg/connect.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

/// The conninfo split into a secret-free string for argv, and the secrets, which no other
/// local user may see in `ps`: the password goes to pg_dump through its environment
/// (PGPASSWORD), the sslpassword, for which libpq has no environment variable, through a
/// service file that is a pipe (PGSERVICEFILE=/dev/fd/N), so it is never written to disk.
struct SplitConninfo {
  std::string conninfo;
  std::string password;
  std::string sslpassword;
};

/// The name of the service section pg_dump reads the sslpassword from.
constexpr const char* backup_service = "sonamu_backup";

SplitConninfo without_secrets(const std::string& conninfo) {
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
      split.sslpassword = option->val;
    } else {
      fields[option->keyword] = option->val;
    }
  }
  if (!split.sslpassword.empty()) {
    // A service file holds one value per line, trimmed at its end; the connection's own
    // service would be looked up in the pipe instead of the user's file.
    const std::string& value = split.sslpassword;
    if (value.find_first_of("\r\n") != std::string::npos || std::isspace(static_cast<unsigned char>(value.back()))) {
      throw Error(ExitCode::usage,
                  "--backup cannot pass an sslpassword ending in a space or holding a line break to pg_dump");
    }
    if (fields.count("service") != 0) {
      throw Error(ExitCode::usage, "--backup cannot pass sslpassword to pg_dump together with service=");
    }
  }
  split.conninfo = conninfo::conninfo_from_fields(fields);
  return split;
}

/// A pipe whose read end pg_dump opens as its service file, already holding the section
/// with the sslpassword (far below a pipe's capacity, so writing never blocks); -1 if none.
int service_pipe(const SplitConninfo& split) {
  if (split.sslpassword.empty()) return -1;
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    throw Error(ExitCode::migration_failed, "Backup failed: cannot create a pipe");
  }
  const std::string section = std::string("[") + backup_service + "]\nsslpassword=" + split.sslpassword + "\n";
  const bool written = ::write(ends[1], section.data(), section.size()) == static_cast<ssize_t>(section.size());
  ::close(ends[1]);
  if (!written) {
    ::close(ends[0]);
    throw Error(ExitCode::migration_failed, "Backup failed: cannot pass the sslpassword to pg_dump");
  }
  return ends[0];
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

/// The start of the name of this process's unfinished dump to `file`, before its random part.
std::string partial_prefix(const std::string& file) { return "." + base_of(file) + ".partial-"; }

/// Deletes the unfinished dumps to `file` of earlier runs whose process no longer exists:
/// killed (kill -9, a crash), they could not delete their own. A file of a process still
/// running, or of another user's, is left alone. Returns the paths deleted.
std::vector<std::string> remove_abandoned_partials(const std::string& file) {
  std::vector<std::string> removed;
  const std::string folder = folder_of(file);
  const std::string prefix = partial_prefix(file);
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return removed;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    // PID-XXXXXX: the process that created it, then mkostemp's six characters.
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.size() != dash + 7) continue;
    if (rest.find_first_not_of("0123456789") != dash) continue;
    const long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    const std::string path = folder + "/" + name;
    if (::unlink(path.c_str()) == 0) removed.push_back(path);
  }
  ::closedir(dir);
  return removed;
}

/// pg_dump's environment: this process's, with the password and the service file of the
/// connection in place of any the user's environment held.
std::vector<std::string> pg_dump_environment(const SplitConninfo& split, int service_fd) {
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    const auto name = variable.substr(0, variable.find('='));
    if (name != "PGPASSWORD" && name != "PGSERVICEFILE" && name != "PGSERVICE") variables.push_back(variable);
  }
  if (!split.password.empty()) variables.push_back("PGPASSWORD=" + split.password);
  if (service_fd >= 0) {
    variables.push_back("PGSERVICEFILE=/dev/fd/" + std::to_string(service_fd));
    variables.push_back(std::string("PGSERVICE=") + backup_service);
  }
  return variables;
}

/// Reads pg_dump's stderr until it closes it, sending it SIGTERM once a signal reaches this
/// process (SIGTERM to this process alone, kill PID, must stop pg_dump too); returns the
/// text and the exit status.
std::pair<int, std::string> collect_pg_dump(pid_t pid, int error_fd) {
  std::string errors;
  char buffer[1024];
  bool signalled = false;
  for (;;) {
    if (!signalled && interrupt_signal() != 0) {
      ::kill(pid, SIGTERM);
      signalled = true;
    }
    pollfd readable{error_fd, POLLIN, 0};
    if (::poll(&readable, 1, 100) <= 0) continue;  // woken every 100 ms to see a signal
    const ssize_t n = ::read(error_fd, buffer, sizeof buffer);
    if (n <= 0) break;
    errors.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(error_fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, errors};
}

/// In the child after fork(): only async-signal-safe calls, since other threads may hold the
/// allocator's lock. Never returns.
[[noreturn]] void exec_pg_dump(pid_t parent, int error_fd, int out_fd, int service_fd, char** argv, char** envp) {
  // The watcher thread's blocked signals are inherited: unblock them, so Ctrl-C on the
  // terminal reaches pg_dump; and die with the parent whatever ends it.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  ::dup2(error_fd, STDERR_FILENO);
  ::dup2(out_fd, STDOUT_FILENO);
  // The service pipe is inherited by pg_dump, unlike every other descriptor.
  if (service_fd >= 0) ::fcntl(service_fd, F_SETFD, 0);
  ::execvpe("pg_dump", argv, envp);
  static const char message[] = "cannot run pg_dump\n";
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(127);
}

/// Runs pg_dump with its output on `out_fd`; returns its exit status and stderr. A signal to
/// this process ends pg_dump too (and so does this process's death, even by kill -9).
std::pair<int, std::string> run_pg_dump(const SplitConninfo& split, int out_fd,
                                        const std::optional<std::string>& lock_wait_timeout) {
  const int service_fd = service_pipe(split);
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    if (service_fd >= 0) ::close(service_fd);
    throw Error(ExitCode::migration_failed, "Backup failed: cannot create a pipe");
  }
  // Everything the child needs is built before fork().
  auto variables = pg_dump_environment(split, service_fd);
  std::vector<char*> envp;
  for (auto& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);
  std::string dbname = "--dbname=" + split.conninfo;
  std::string program = "pg_dump";
  std::string no_password = "--no-password";
  // A table another session holds must not keep the dump, and the rollback after it, waiting
  // without end: pg_dump gives up as the tool's own statements do.
  std::string lock_wait = lock_wait_timeout ? "--lock-wait-timeout=" + *lock_wait_timeout : std::string();
  char* argv[] = {program.data(), no_password.data(), dbname.data(), lock_wait.empty() ? nullptr : lock_wait.data(),
                  nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) exec_pg_dump(parent, error_pipe[1], out_fd, service_fd, argv, envp.data());
  ::close(error_pipe[1]);
  if (service_fd >= 0) ::close(service_fd);
  if (pid < 0) {
    ::close(error_pipe[0]);
    throw Error(ExitCode::migration_failed, "Backup failed: cannot start pg_dump");
  }
  return collect_pg_dump(pid, error_pipe[0]);
}

}  // namespace

void check_backup_target(const std::string& file, bool replace, bool json) {
  if (file.empty()) throw Error(ExitCode::usage, "--backup needs a file name (or - for stdout)");
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

namespace {

/// `--backup -`: pg_dump writes to this process's standard output; nothing to size or rename.
void backup_to_stdout(const SplitConninfo& split, const std::optional<std::string>& lock_wait_timeout) {
  const auto [status, errors] = run_pg_dump(split, STDOUT_FILENO, lock_wait_timeout);
  throw_if_interrupted();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(ExitCode::migration_failed,
                "Backup to - failed (" + pg::one_line_reason(errors.empty() ? "pg_dump failed" : errors) +
                    "); nothing was rolled back");
  }
}

/// A new file of our own, private from the start, next to `file` so it can be renamed; named
/// with this process's id, so a later run knows when it was abandoned. Sets `temporary` to its
/// name and returns its descriptor.
int create_partial(const std::string& file, std::string& temporary) {
  temporary = folder_of(file) + "/" + partial_prefix(file) + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> name(temporary.begin(), temporary.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    throw Error(ExitCode::migration_failed,
                "Backup to " + file + " failed (cannot create a file there: " + std::strerror(errno) +
                    "); nothing was rolled back");
  }
  temporary = name.data();
  return fd;
}

}  // namespace

BackupResult backup_database(const conninfo::ConnectionTarget& target, const std::string& file, bool replace,
                          const std::optional<std::string>& lock_wait_timeout) {
  const auto split = without_secrets(target.conninfo);
  if (file == "-") {
    backup_to_stdout(split, lock_wait_timeout);
    return {};
  }
  BackupResult result;
  result.removed = remove_abandoned_partials(file);
  std::string temporary;
  const int fd = create_partial(file, temporary);
  const auto fail = [&](const std::string& reason) {
    ::close(fd);
    ::unlink(temporary.c_str());  // only the file this command created
    throw Error(ExitCode::migration_failed, "Backup to " + file + " failed (" + reason + "); nothing was rolled back");
  };
  const auto [status, errors] = run_pg_dump(split, fd, lock_wait_timeout);
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
  result.bytes = static_cast<long long>(written.st_size);
  return result;
}

}  // namespace sonamu::cli
