#pragma once
/// How much data the drops of a rollback would delete, counted on the server.

#include "core/data_loss.hpp"

#include <pqxx/transaction_base>

#include <vector>

namespace sonamu::pg {

/// Row counts of the tables and non-null counts of the columns in `drops` that exist now.
std::vector<DataAtRisk> count_at_risk(pqxx::transaction_base& tx, const std::vector<Drop>& drops);

}  // namespace sonamu::pg
