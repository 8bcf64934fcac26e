#include "host/text_file.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

std::string system_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

/// Writes all of `text` to `fd` and flushes it to disk; false (errno set) on a failure.
bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t written = ::write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    done += static_cast<std::size_t>(written);
  }
  return ::fsync(fd) == 0;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::filesystem::path target(path);
  const auto folder = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) throw Error(ExitCode::usage, system_error("Cannot write a temporary file in", folder.string()));
  // mkstemp makes the file private; a schema file is as readable as any other source file.
  const bool written = ::fchmod(fd, 0644) == 0 && write_all(fd, text);
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || ::rename(temporary.c_str(), path.c_str()) != 0) {
    // The first failure is the one to report: close after a failed write says nothing new.
    if (!written) errno = write_errno;
    const std::string message = system_error("Cannot write", path);
    ::unlink(temporary.c_str());
    throw Error(ExitCode::usage, message);
  }
}

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ExitCode::usage, system_error("Cannot read " + what, path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ExitCode::usage, system_error("Cannot read " + what, path));
  return text.str();
}

std::optional<std::string> read_text_file_if_any(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::nullopt;
  return read_text_file(path, what);
}

}  // namespace sonamu::cli
