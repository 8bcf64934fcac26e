#include "output/progress_text.hpp"

#include <fmt/format.h>

namespace sonamu::cli {

namespace {

std::string holder_text(const LockHolder& holder) {
  std::string text = fmt::format("pid {}", holder.pid);
  if (!holder.application.empty()) text += fmt::format(", application \"{}\"", holder.application);
  if (!holder.state.empty()) text += fmt::format(", {} for {} s", holder.state, holder.state_seconds);
  return text;
}

/// `pid 4711 "api", idle in transaction 12 s`: who, then since when in which state.
std::string holder_brief(const LockHolder& holder) {
  std::string text = fmt::format("pid {}", holder.pid);
  if (!holder.application.empty()) text += fmt::format(" \"{}\"", holder.application);
  if (!holder.state.empty()) text += fmt::format(", {} {} s", holder.state, holder.state_seconds);
  return text;
}

/// Code points of UTF-8 text (continuation bytes are not counted).
std::size_t columns_of(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds elapsed) {
  return fmt::format("{:.1f} s", static_cast<double>(elapsed.count()) / 1000.0);
}

std::string lock_wait_text(const LockWait& wait) {
  std::string text = wait.relation.empty()
                         ? fmt::format("lock ({}, {})", wait.locktype, wait.mode)
                         : fmt::format("lock on \"{}\" ({})", wait.relation, wait.mode);
  for (std::size_t i = 0; i < wait.holders.size(); ++i) {
    text += (i == 0 ? " held by " : " and ") + holder_text(wait.holders[i]);
  }
  return text;
}

std::string waiting_line(const LockWait& wait, std::chrono::milliseconds waited) {
  return "Waiting " + seconds_text(waited) + " for " + lock_wait_text(wait);
}

std::vector<std::string> blocked_failure_lines(const LockWait& wait) {
  std::vector<std::string> lines{"   Waited for " + lock_wait_text(wait)};
  for (const auto& holder : wait.holders) {
    if (!holder.query.empty()) lines.push_back(fmt::format("   Query of pid {}: {}", holder.pid, one_line(holder.query)));
  }
  return lines;
}

std::string one_line(const std::string& text) {
  std::string line;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

std::string fit_width(const std::string& text, std::size_t columns, const Style& style) {
  if (columns_of(text) <= columns) return text;
  const std::string ellipsis = style.emoji ? "…" : "...";
  const std::size_t keep = columns > columns_of(ellipsis) ? columns - columns_of(ellipsis) : 0;
  std::string cut;
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts && count++ == keep) break;
    cut += text[i];
  }
  return cut + ellipsis;
}

std::string lock_wait_brief(const LockWait& wait, const Style& style) {
  std::string text = wait.relation.empty() ? wait.locktype + " lock" : "\"" + wait.relation + "\"";
  for (std::size_t i = 0; i < wait.holders.size(); ++i) {
    text += (i == 0 ? " held by " : " and ") + holder_brief(wait.holders[i]);
  }
  return text + (style.emoji ? " · " : " | ") + wait.mode;
}

std::string migration_lock_brief(const MigrationLockWait& wait) {
  return "the migration lock held by " +
         (wait.holder ? holder_brief(*wait.holder) : std::string("another session (not visible to this role)"));
}

std::string short_migration_name(const std::string& name, const Style& style) {
  // YYYYMMDDHHMMSS_description.ext: the day stays, the time of day goes.
  if (name.size() <= 15 || name[14] != '_') return name;
  return name.substr(0, 8) + (style.emoji ? "…" : "...") + name.substr(14);
}

std::string status_line(const StatusState& state, std::size_t columns, const Style& style) {
  static const char* const braille[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  static const char* const ascii[] = {"-", "\\", "|", "/"};
  const std::string spinner = style.emoji ? braille[state.frame % 10] : ascii[state.frame % 4];
  const std::string separator = style.emoji ? " · " : " | ";
  const auto compose = [&](const std::string& migration) {
    std::string line = spinner + " ";
    if (state.waiting) line += "waiting for " + *state.waiting + separator;
    line += state.command;
    if (state.phase) {
      line += separator + *state.phase + separator + seconds_text(state.phase_elapsed);
    } else {
      if (state.batch > 0) line += separator + "batch " + std::to_string(state.batch);
      line += separator + std::to_string(state.index) + "/" + std::to_string(state.total);
      if (!migration.empty()) line += " " + migration;
      line += separator + seconds_text(state.migration_elapsed) + " (batch " + seconds_text(state.batch_elapsed) + ")";
    }
    if (!state.waiting && state.statement) line += separator + one_line(*state.statement);
    return line;
  };
  std::string line = compose(state.migration);
  if (columns_of(line) > columns) line = compose(short_migration_name(state.migration, style));
  const std::string fitted = fit_width(line, columns, style);
  if (!style.color) return fitted;
  // The spinner in cyan, the rest dim: progress, not output.
  return "\033[36m" + spinner + "\033[0m\033[2m" + fitted.substr(spinner.size()) + "\033[0m";
}

}  // namespace sonamu::cli
