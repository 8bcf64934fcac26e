#include <sonamu/lossy.hpp>

#include <map>
#include <mutex>

namespace sonamu {

namespace {

/// Declarations by handle. A handle lives for one run of one function, and the rehearsal
/// that reads a declaration takes it, so an entry never outlives the question it answers.
std::mutex declarations_mutex;
std::map<const Knex*, std::string>& declarations() {
  static std::map<const Knex*, std::string> by_handle;
  return by_handle;
}

}  // namespace

void lossy(Knex& knex, const std::string& reason) {
  const std::lock_guard<std::mutex> guard(declarations_mutex);
  declarations()[&knex] = reason;
}

std::optional<std::string> take_declared_loss(const Knex& knex) {
  const std::lock_guard<std::mutex> guard(declarations_mutex);
  const auto found = declarations().find(&knex);
  if (found == declarations().end()) return std::nullopt;
  std::string reason = std::move(found->second);
  declarations().erase(found);
  return reason;
}

}  // namespace sonamu
