#include "engine/lock_row_reset.hpp"

#include "core/program_name.hpp"
#include "core/transaction_ended.hpp"

#include <spdlog/spdlog.h>

namespace sonamu {

std::string reset_lock_row_if_ended(const std::exception& failure, Session& session, BookkeepingStore& store,
                                    const StatementLimits& limits) {
  if (dynamic_cast<const TransactionEnded*>(&failure) == nullptr) return {};
  // The session's migration lock is still held: no runner of this tool has the row. A knex
  // process sees the row locked as committed and leaves it alone, so it is nobody's lock now.
  try {
    auto tx = session.begin(TransactionKind::read_write);
    tx->limit(limits);
    const auto state = store.inspect(*tx);
    if (!state.lock_table_exists) return {};
    // The old value, or nothing when the row was already unlocked (or missing).
    const bool was_locked = store.reset_table_lock(*tx).has_value();
    tx->commit();
    return was_locked ? "; knex's lock row, committed at is_locked = 1 with it, was reset to 0" : "";
  } catch (const std::exception& e) {
    spdlog::debug("resetting knex's lock row failed: {}", e.what());
    return std::string("; knex's lock row may be left at is_locked = 1 (resetting it failed: ") + e.what() +
           "): run `" + program_name() + " migrate unlock`";
  }
}

}  // namespace sonamu
