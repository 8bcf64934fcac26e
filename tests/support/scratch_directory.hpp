#pragma once
/// A temporary folder that is removed, with everything in it, when the owner goes away.

#include <filesystem>
#include <string>

namespace sonamu::test {

class ScratchDirectory {
 public:
  /// Creates a new, empty folder under the system's temporary folder.
  explicit ScratchDirectory(const std::string& prefix = "sonamu-test");
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string string() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace sonamu::test
