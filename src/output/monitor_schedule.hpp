#pragma once
/// When the monitoring connection looks at what a running statement waits for, and when it
/// is closed again: a statement that has run a while may be queued for a lock, so it is looked
/// at once; seen waiting, it is watched until the wait ends; seen not waiting, the connection
/// is closed and the next look comes later and later (a statement may reach a locked row or
/// table at any time), never more than `longest_pause` apart.

#include <chrono>
#include <optional>
#include <string>

namespace sonamu::cli {

/// Time points and durations of the schedule.
using MonitorClock = std::chrono::steady_clock;

/// The statement limits' durations as PostgreSQL reads them ("500ms", "4s", "1.5min", a bare
/// number in milliseconds); nullopt for no limit (absent, unreadable, or 0, which PostgreSQL
/// takes as "no limit").
std::optional<std::chrono::milliseconds> limit_duration(const std::optional<std::string>& value);

/// How long a statement runs before the first look: `usual` (200 ms), or a quarter of the
/// shortest limit that can end a lock wait when that is sooner, so the wait is seen, and its
/// holders named, before the limit cancels it. Never below `shortest`.
std::chrono::milliseconds first_look_after(std::chrono::milliseconds usual,
                                           std::optional<std::chrono::milliseconds> lock_timeout,
                                           std::optional<std::chrono::milliseconds> statement_timeout);

/// The looks at one statement after another. Pure: the caller opens and closes the connection.
class MonitorSchedule {
 public:
  /// The least time before a first look, whatever the limits.
  static constexpr std::chrono::milliseconds shortest{50};
  /// Between two looks at a statement seen waiting.
  static constexpr std::chrono::milliseconds while_waiting{500};
  /// Between the first look that saw no wait and the next; doubled after each such look.
  static constexpr std::chrono::milliseconds first_pause{2000};
  /// The longest pause between two looks at a statement that waited for nothing.
  static constexpr std::chrono::milliseconds longest_pause{30000};

  explicit MonitorSchedule(std::chrono::milliseconds first_look) : first_look_(first_look) {}

  /// A new statement, started at `start`: its first look is due `first_look` later.
  void statement_started(MonitorClock::time_point start);
  /// Nothing runs: no look is due.
  void statement_ended() { next_.reset(); }
  /// When the next look is due; nullopt when none is.
  std::optional<MonitorClock::time_point> next_look() const { return next_; }
  /// Whether a look is due at `now`.
  bool due(MonitorClock::time_point now) const { return next_ && now >= *next_; }
  /// After a look at `now` that saw the statement `waiting` for a lock (or not): schedules the
  /// next look, and returns whether the monitoring connection stays open until then (only
  /// while the statement waits).
  bool looked(MonitorClock::time_point now, bool waiting);

 private:
  std::chrono::milliseconds first_look_;
  std::chrono::milliseconds pause_{first_pause};
  std::optional<MonitorClock::time_point> next_;
};

}  // namespace sonamu::cli
