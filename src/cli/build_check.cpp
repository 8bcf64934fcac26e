#include "cli/build_check.hpp"

#include "core/error.hpp"
#include "core/program_name.hpp"
#include "core/source_check.hpp"
#include "core/text.hpp"
#include "host/source_hash.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace sonamu::cli {

namespace {

namespace fs = std::filesystem;

bool is_folder(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool same_folder(const std::string& a, const std::string& b) {
  std::error_code ec;
  return !a.empty() && !b.empty() && fs::equivalent(a, b, ec);
}

/// What to do about sources that are not compiled in: rebuild this executable when they are in
/// the folder it was built from; otherwise it is another project's executable (the installed
/// `sonamu`, say), which no rebuild of it can help.
std::string uncompiled_advice(const std::string& folder, const std::string& built_from) {
  if (built_from.empty() || same_folder(folder, built_from)) return "rebuild it (cmake --build build) before migrating";
  return program_name() + " was built with the migrations of another folder: build this project's own executable "
                          "(sonamu_add_migrations in its CMakeLists.txt; `" + program_name() +
         " migrate init` writes one) and run that";
}

/// The problem with `folder`'s sources, if any.
std::string stale_problem(const Registry& registry, const std::string& folder, const std::string& built_from) {
  std::vector<std::string> known;
  for (const auto& migration : registry.migrations()) known.push_back(migration.stem);
  const auto stale = uncompiled_sources(folder, known);
  if (!stale.empty()) {
    return "These migration files in " + folder + " are not compiled into this binary: " + join(stale) + "; " +
           uncompiled_advice(folder, built_from);
  }
  // A file edited since the build would otherwise run its old, compiled code silently.
  const auto edited = edited_sources(folder, registry.migrations(), sha256_of_file);
  if (!edited.empty()) {
    return "These migration files in " + folder + " changed since this binary was built: " + join(edited) +
           "; rebuild it (cmake --build build) before migrating";
  }
  return "";
}

}  // namespace

std::string folder_to_check(const SourceFolderChoice& choice) {
  if (!choice.named.empty()) {
    // A folder the user named must be there, or the check would silently check nothing.
    if (is_folder(choice.named)) return choice.named;
    std::error_code ec;
    throw Error(ExitCode::usage, "The migrations folder " + choice.named +
                                     (fs::exists(choice.named, ec) ? " is not a folder" : " does not exist") +
                                     " (--migrations-dir or the config file's directory)");
  }
  if (is_folder("migrations")) return "migrations";
  // Run from elsewhere (its build folder, a cron job, CI): the project's folder it was built from.
  if (is_folder(choice.built_from)) return choice.built_from;
  if (choice.built_from.empty()) {
    spdlog::debug("no migrations folder here and none known from the build: the sources are not compared");
  } else {
    spdlog::debug("this binary was built from the migrations in {}, which are not on this machine: the sources "
                  "are not compared with it",
                  choice.built_from);
  }
  return "";
}

void check_build(const Registry& registry, const std::string& folder, const std::string& built_from, bool refuse,
                 std::ostream& err) {
  if (!registry.problems().empty()) throw Error(ExitCode::usage, join(registry.problems()));
  if (folder.empty()) return;
  const std::string problem = stale_problem(registry, folder, built_from);
  if (problem.empty()) return;
  if (refuse) throw Error(ExitCode::mismatch, problem);
  // A command that only reads shows what the records say; the sources may be ahead of it.
  // File names come from the file system: never raw control characters on the terminal.
  err << "Warning: " << printable(problem) << '\n' << std::flush;
}

}  // namespace sonamu::cli
