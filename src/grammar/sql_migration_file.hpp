#pragma once
/// A SQL migration file (dbmate's convention): a `-- migrate:up` section, optionally a
/// `-- migrate:down` section, `-- migrate:up transaction:false` for a migration that runs
/// outside any transaction, and `-- sonamu:lossy REASON` in the down section. Markers are
/// comment lines as PostgreSQL's scanner reads them: the same words inside a string, a quoted
/// name, a dollar-quoted body or a /* */ comment are SQL, not markers. Read in one pass.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sonamu::grammar {

/// What is wrong with the file, on which line (from 1).
class SqlFileError : public std::runtime_error {
 public:
  SqlFileError(int line, const std::string& message) : std::runtime_error(message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

/// The sections of a SQL migration file, each as its statements (PostgreSQL's grammar splits
/// them when the file is built, so what runs is known before anything runs).
struct SqlMigrationFile {
  std::vector<std::string> up;
  std::optional<std::vector<std::string>> down;  ///< unset without a `-- migrate:down` line
  bool transactional = true;
  std::string lossy_reason;         ///< empty without a `-- sonamu:lossy` line
};

/// Reads `content` (a UTF-8 byte-order mark and CRLF line ends are accepted). Throws
/// SqlFileError for misplaced, unknown or repeated markers, SQL before `-- migrate:up`, a NUL
/// byte, text PostgreSQL's scanner or grammar cannot read, and in a transactional migration any
/// statement that would begin or end the transaction it runs in.
SqlMigrationFile read_sql_migration(std::string content);

}  // namespace sonamu::grammar
