// What a test needs to see every connect() the tool makes (under strace) and to write a
// password into a URL: shared by the connection URL and the fleet connection tests, which
// both prove that no name but the configured host is ever looked up.
#pragma once

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace sonamu::test {

/// `argv` run under strace (found on PATH), which writes every connect() of the process and
/// of its threads to the file `trace`.
inline std::vector<std::string> traced_connects(const std::string& trace, const std::vector<std::string>& argv) {
  const char* path = std::getenv("PATH");
  std::string strace = "strace";
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && ::access((dir + "/strace").c_str(), X_OK) == 0) {
      strace = dir + "/strace";
      break;
    }
  }
  std::vector<std::string> traced = {strace, "-f", "-qq", "-e", "trace=connect", "-o", trace};
  traced.insert(traced.end(), argv.begin(), argv.end());
  return traced;
}

/// The connect() calls of such a trace, one line each.
inline std::vector<std::string> connect_calls(const std::string& trace) {
  std::ifstream in(trace);
  if (!in) throw std::runtime_error("no strace output in " + trace + " (is strace installed?)");
  std::vector<std::string> calls;
  for (std::string line; std::getline(in, line);) {
    if (line.find("connect(") != std::string::npos) calls.push_back(line);
  }
  return calls;
}

inline std::string socket_dir() {
  const char* host = std::getenv("PGHOST");
  return host != nullptr ? host : "/var/run/postgresql";
}

inline std::string percent_encoded(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0) {
      encoded += static_cast<char>(c);
    } else {
      encoded += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return encoded;
}

}  // namespace sonamu::test
