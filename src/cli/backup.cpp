#include "cli/backup.hpp"

#include "core/error.hpp"
#include "pg/connect.hpp"

#include <libpq-fe.h>

#include <cerrno>
#include <map>

#include <cstring>
#include <filesystem>
#include <memory>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sonamu::cli {

namespace {

/// The conninfo split into a password-free string for argv, and the password.
std::pair<std::string, std::string> without_password(const std::string& conninfo) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), PQconninfoFree);
  if (error) PQfreemem(error);
  std::map<std::string, std::string> fields;
  std::string password;
  for (auto* option = options.get(); option && option->keyword; ++option) {
    if (!option->val || !*option->val) continue;
    if (std::strcmp(option->keyword, "password") == 0) {
      password = option->val;
    } else {
      fields[option->keyword] = option->val;
    }
  }
  return {conninfo::conninfo_from_fields(fields), password};
}

}  // namespace

long long backup_database(const conninfo::ConnectionTarget& target, const std::string& file) {
  const auto [conninfo, password] = without_password(target.conninfo);
  int error_pipe[2];
  if (::pipe(error_pipe) != 0) throw Error(ExitCode::migration_failed, "Backup failed: cannot create a pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(error_pipe[1], STDERR_FILENO);
    ::close(error_pipe[0]);
    ::close(error_pipe[1]);
    if (!password.empty()) ::setenv("PGPASSWORD", password.c_str(), 1);
    const std::string dbname = "--dbname=" + conninfo;
    const std::string output = "--file=" + file;
    ::execlp("pg_dump", "pg_dump", "--no-password", dbname.c_str(), output.c_str(),
             static_cast<char*>(nullptr));
    ::dprintf(STDERR_FILENO, "cannot run pg_dump: %s\n", std::strerror(errno));
    ::_exit(127);
  }
  ::close(error_pipe[1]);
  std::string errors;
  char buffer[1024];
  for (ssize_t n; (n = ::read(error_pipe[0], buffer, sizeof buffer)) > 0;) errors.append(buffer, static_cast<std::size_t>(n));
  ::close(error_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::error_code ec;
    std::filesystem::remove(file, ec);  // a partial dump must not pass for a backup
    throw Error(ExitCode::migration_failed,
                "Backup to " + file + " failed (" + pg::one_line_reason(errors.empty() ? "pg_dump failed" : errors) +
                    "); nothing was rolled back");
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : static_cast<long long>(size);
}

}  // namespace sonamu::cli
