#pragma once
/// The stale-binary check: the migration sources on disk against the code compiled into this
/// executable, from whatever folder it is run. A command that runs migration code or writes
/// refuses a stale binary; one that only reads (status, history, schema) warns and goes on.

#include "core/registry.hpp"

#include <ostream>
#include <string>

namespace sonamu::cli {

/// Where the sources to compare with are looked for.
struct SourceFolderChoice {
  std::string named;        ///< --migrations-dir or the config's directory; empty for none
  std::string built_from;   ///< the absolute folder the executable was built from; empty if unknown
};

/// The folder the check reads: the named one; else `migrations` of the working directory when
/// there is one; else the folder the executable was built from, when it is on this machine;
/// else none (empty), which --debug says. Throws sonamu::Error (usage) when a named folder is
/// not a folder.
std::string folder_to_check(const SourceFolderChoice& choice);

/// Compares `folder` (none: nothing to compare) with `registry`. With `refuse` a stale binary
/// is an error (exit code 4); without, the same text goes to `err` as a warning.
void check_build(const Registry& registry, const std::string& folder, const std::string& built_from, bool refuse,
                 std::ostream& err);

}  // namespace sonamu::cli
