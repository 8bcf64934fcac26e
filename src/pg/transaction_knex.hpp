#pragma once
/// The migration handle over a libpqxx transaction.

#include "core/reporter.hpp"
#include "grammar/transaction_control.hpp"

#include <sonamu/knex.hpp>

#include <pqxx/transaction_base>

namespace sonamu::pg {

/// Runs a migration's statements in `tx`, telling the reporter about each one first. In a
/// transaction (`in_transaction`), a statement that would begin or end one is refused before it
/// is sent, and one that ended it all the same (the server reports no transaction open after
/// it) stops the migration with TransactionEnded before anything else is sent.
class TransactionKnex final : public Knex {
 public:
  TransactionKnex(pqxx::transaction_base& tx, Reporter& reporter, bool in_transaction)
      : tx_(tx), reporter_(reporter), in_transaction_(in_transaction) {}

 protected:
  Result execute(const std::string& sql, const std::vector<Param>& params) override;

 private:
  /// Throws DatabaseError when `sql` may not run in the migration's transaction.
  void refuse_transaction_control(const std::string& sql);
  /// Throws TransactionEnded when the statement `sql` just sent left no transaction open.
  void check_still_in_transaction(const std::string& sql);

  pqxx::transaction_base& tx_;
  Reporter& reporter_;
  bool in_transaction_;
  grammar::TransactionControlCheck control_;
};

}  // namespace sonamu::pg
