#pragma once
/// The migration handle over a libpqxx transaction.

#include "core/reporter.hpp"

#include <sonamu/knex.hpp>

#include <pqxx/transaction_base>

namespace sonamu::pg {

/// Runs a migration's statements in `tx`, telling the reporter about each one first.
class TransactionKnex final : public Knex {
 public:
  TransactionKnex(pqxx::transaction_base& tx, Reporter& reporter) : tx_(tx), reporter_(reporter) {}

 protected:
  Result execute(const std::string& sql, const std::vector<Param>& params) override;

 private:
  pqxx::transaction_base& tx_;
  Reporter& reporter_;
};

}  // namespace sonamu::pg
