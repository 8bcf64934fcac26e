#include "grammar/sql_migration_file.hpp"

#include "grammar/sql_statements.hpp"
#include "grammar/sql_tokens.hpp"
#include "grammar/transaction_control.hpp"

#include <pg_query.h>

#include <algorithm>
#include <regex>
#include <vector>

namespace sonamu::grammar {

namespace {

/// Line numbers of byte offsets, from the offsets where lines start.
class Lines {
 public:
  explicit Lines(const std::string& text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  int of(std::size_t offset) const {
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
  }
  std::size_t start(int line) const { return starts_[static_cast<std::size_t>(line - 1)]; }
  /// Where the line after `line` starts (the end of the text for the last one).
  std::size_t next(int line, std::size_t text_size) const {
    return static_cast<std::size_t>(line) < starts_.size() ? starts_[static_cast<std::size_t>(line)] : text_size;
  }

 private:
  std::vector<std::size_t> starts_;
};

std::string normalised(std::string content) {
  if (content.compare(0, 3, "\xEF\xBB\xBF") == 0) content.erase(0, 3);
  // Line endings as written on any system.
  std::string text;
  text.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') continue;
    text += content[i];
  }
  return text;
}

/// The reader's state while it walks the tokens.
struct Markers {
  int up_line = 0;
  int down_line = 0;
  int lossy_line = 0;
  std::string up_options;
  std::string down_options;
  std::string lossy_reason;
};

void marker(const std::string& comment, int line, Markers& found) {
  static const std::regex section("^--[ \t]*migrate:(up|down)([ \t]+(.*))?$");
  static const std::regex lossy("^--[ \t]*sonamu:lossy([ \t]+(.*))?$");
  static const std::regex any_section("^--[ \t]*migrate:.*");
  std::smatch match;
  if (std::regex_match(comment, match, section)) {
    const std::string kind = match[1];
    const std::string options = match[3];
    if (!options.empty() && options != "transaction:false") {
      throw SqlFileError(line, "unknown option '" + options + "' (only transaction:false is known)");
    }
    int& kind_line = kind == "up" ? found.up_line : found.down_line;
    if (kind_line != 0) {
      throw SqlFileError(line, "a second '-- migrate:" + kind + "' section (the first is on line " +
                                   std::to_string(kind_line) + ")");
    }
    if (kind == "down" && found.up_line == 0) {
      throw SqlFileError(line, "'-- migrate:down' comes before '-- migrate:up'");
    }
    kind_line = line;
    (kind == "up" ? found.up_options : found.down_options) = options;
  } else if (std::regex_match(comment, any_section)) {
    throw SqlFileError(line, "unknown marker '" + comment + "' (expected '-- migrate:up' or '-- migrate:down')");
  } else if (std::regex_match(comment, match, lossy)) {
    if (found.down_line == 0) throw SqlFileError(line, "'-- sonamu:lossy' belongs in the '-- migrate:down' section");
    if (found.lossy_line != 0) {
      throw SqlFileError(line, "a second '-- sonamu:lossy' line (the first is on line " +
                                   std::to_string(found.lossy_line) + "): one reason per migration");
    }
    found.lossy_reason = match[2];
    if (found.lossy_reason.empty()) {
      throw SqlFileError(line, "'-- sonamu:lossy' needs a reason: '-- sonamu:lossy ages lose their leading zeros'");
    }
    found.lossy_line = line;
  }
}

bool blank_before(const std::string& text, std::size_t line_start, std::size_t at) {
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(line_start),
                     text.begin() + static_cast<std::ptrdiff_t>(at), [](char c) { return c == ' ' || c == '\t'; });
}

Markers find_markers(const std::string& text, const Lines& lines) {
  const ScanOutcome scanned = scan_sql(text);
  if (!scanned.ok) {
    // "unterminated quoted string at or near "...": the quoted rest can span lines; the line
    // number says where it is.
    const std::string message = scanned.error.find('\n') == std::string::npos
                                    ? scanned.error
                                    : scanned.error.substr(0, scanned.error.find(" at or near "));
    throw SqlFileError(lines.of(scanned.error_at), message.substr(0, message.find('\n')));
  }
  Markers found;
  for (const auto& token : scanned.tokens) {
    const int line = lines.of(token.start);
    if (token.kind == sql_comment_token) {
      // A marker is a comment line of its own, as dbmate reads it.
      if (!blank_before(text, lines.start(line), token.start)) continue;
      std::string comment = text.substr(token.start, token.end - token.start);
      while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\t')) comment.pop_back();
      marker(comment, line, found);
    } else if (token.kind != c_comment_token && found.up_line == 0) {
      throw SqlFileError(line, "SQL before the '-- migrate:up' line");
    }
  }
  return found;
}

/// The statements of `section`, which starts at `offset` in the file. Text the grammar cannot
/// read stops the build here rather than at run time on a production database: a migration
/// that fails halfway through a file without a transaction leaves half its work behind.
std::vector<std::string> section_statements(const std::string& section, std::size_t offset, const Lines& lines,
                                            bool transactional) {
  const SplitOutcome split = split_statements(section);
  if (!split.ok) {
    // "at end of input" points past the section: the line to look at is that of its last word.
    std::size_t at = split.error_at;
    if (at >= section.size()) at = std::min(section.size(), section.find_last_not_of(" \t\n\r\f\v"));
    throw SqlFileError(lines.of(offset + at),
                       split.error + " (read by the grammar of PostgreSQL " PG_MAJORVERSION ")");
  }
  if (transactional) {
    TransactionControlCheck check;
    if (const auto refusal = check.check(section, split)) {
      throw SqlFileError(lines.of(offset + refusal->offset), refusal->message);
    }
  }
  return statement_texts(section, split);
}

}  // namespace

SqlMigrationFile read_sql_migration(std::string content) {
  const std::string text = normalised(std::move(content));
  const Lines lines(text);
  // PostgreSQL's reader takes text up to its first NUL, and so does the server: what follows
  // one would be silently left out.
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    throw SqlFileError(lines.of(nul), "a NUL byte: SQL text cannot hold one");
  }
  const Markers found = find_markers(text, lines);
  if (found.up_line == 0) throw SqlFileError(1, "no '-- migrate:up' line: a SQL migration needs an up section");
  if (found.down_options == "transaction:false" && found.up_options != "transaction:false") {
    throw SqlFileError(found.down_line, "transaction:false on the down section only: put it on '-- migrate:up', "
                                        "it applies to the whole migration");
  }
  SqlMigrationFile file;
  file.transactional = found.up_options != "transaction:false";
  file.lossy_reason = found.lossy_reason;
  // Each section starts after its marker's line; up ends where the down marker's line starts.
  const std::size_t up_start = lines.next(found.up_line, text.size());
  const std::size_t up_end = found.down_line == 0 ? text.size() : lines.start(found.down_line);
  file.up = section_statements(text.substr(up_start, up_end - up_start), up_start, lines, file.transactional);
  if (found.down_line != 0) {
    const std::size_t down_start = lines.next(found.down_line, text.size());
    file.down = section_statements(text.substr(down_start), down_start, lines, file.transactional);
  }
  return file;
}

}  // namespace sonamu::grammar
