#pragma once
/// The failure of a migration statement that ended the transaction the migration ran in.

#include "core/database.hpp"

#include <string>

namespace sonamu {

/// A statement of a migration ended the transaction the migration ran in (PostgreSQL reported
/// no transaction open after it): what the batch ran before it may have been committed, or
/// rolled back, without its record. The command stops and resets knex's lock row.
class TransactionEnded final : public DatabaseError {
 public:
  explicit TransactionEnded(const std::string& message) : DatabaseError(message, "") {}
};

}  // namespace sonamu
