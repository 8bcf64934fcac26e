#include "core/bookkeeping.hpp"

#include <utility>

namespace sonamu {

HistoryEntry HistoryEntry::instant(std::string action, std::string name, int batch) {
  const auto now = std::chrono::system_clock::now();
  return {std::move(action), std::move(name), batch, now, now, true, {}};
}

HistoryEntry HistoryEntry::until_now(std::string action, std::string name, int batch,
                                     std::chrono::system_clock::time_point started,
                                     std::string error) {
  const bool success = error.empty();
  return {std::move(action), std::move(name), batch, started, std::chrono::system_clock::now(),
          success, std::move(error)};
}

}  // namespace sonamu
