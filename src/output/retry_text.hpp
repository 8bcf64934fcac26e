#pragma once
/// How a batch tried again after a lock conflict is told on the terminal (pure functions).

#include "core/lock_wait.hpp"
#include "core/reporter.hpp"
#include "output/format.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sonamu::cli {

/// The lines of one failed attempt, for stderr:
///
///     ↻ NAME: attempt 1 of 5 failed: canceling statement due to lock timeout
///        Waited for lock on "users" (AccessExclusiveLock) held by pid 4711, ...
///        Query of pid 4711: LOCK TABLE users IN ACCESS SHARE MODE
///        Rolled back; trying again in 1.2 s
///
/// The two middle lines only when the wait was seen (`wait`). An attempt that measured the
/// data at risk says `↻ Measuring the data at risk of NAME: ...` and `Nothing changed;
/// measuring again in ...`.
std::vector<std::string> retry_lines(const std::string& name, const LockRetry& retry,
                                     const std::optional<LockWait>& wait, const Style& style);

}  // namespace sonamu::cli
