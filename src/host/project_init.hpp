#pragma once
/// `migrate init`: the files of a new project that builds its own migration executable against
/// the installed package, so that a first run needs no copying from the documentation.

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// What `init` made.
struct InitializedProject {
  std::string folder;                 ///< as given
  std::string executable;             ///< the target the CMakeLists.txt builds
  std::vector<std::string> created;   ///< paths written, in order
  std::optional<std::string> prefix;  ///< where the package is, when CMake needs telling
};

/// The executable's name for a project in `folder` when none is given: the folder's name made
/// an identifier, then `_migrate` ("shop-api" → "shop_api_migrate").
std::string default_executable_name(const std::string& folder);

/// Writes `folder`/CMakeLists.txt, `folder`/sonamu.config.json (the connection from
/// DATABASE_URL) and `folder`/migrations/, creating `folder` if needed. Throws sonamu::Error
/// (usage) before writing anything when `executable` is no identifier or a file exists: nothing
/// is overwritten.
InitializedProject init_project(const std::string& folder, const std::string& executable);

}  // namespace sonamu::cli
