#pragma once
/// What the engine does after a migration ended the batch's transaction itself.

#include "core/bookkeeping_store.hpp"
#include "core/database.hpp"

#include <exception>
#include <string>

namespace sonamu {

/// After `failure`, when it is TransactionEnded: resets knex's lock row, which a COMMIT may
/// have left committed at is_locked = 1, in a transaction of its own under `limits`. Returns
/// what it did, to be appended to the failure's reason; empty for any other failure.
std::string reset_lock_row_if_ended(const std::exception& failure, Session& session, BookkeepingStore& store,
                                    const StatementLimits& limits);

}  // namespace sonamu
