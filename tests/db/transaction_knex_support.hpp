#pragma once
// The production migration handle (sonamu::pg::TransactionKnex) on a transaction of a test
// database, for tests that run the builders on a real server without the migrator around them.

#include "engine/silent_reporter.hpp"
#include "pg/transaction_knex.hpp"

#include <pqxx/transaction>

#include <string>
#include <vector>

namespace sonamu::test {

/// A Reporter that keeps the SQL of every statement and ignores every other event.
class StatementLog final : public SilentReporter {
 public:
  std::vector<std::string> sql;

  void statement(const std::string& text, const std::vector<Param>&) override { sql.push_back(text); }
};

/// Runs `fn(knex)` with a handle on a new transaction of `db`, commits, and returns the SQL
/// of the statements it sent.
template <typename Database, typename Fn>
std::vector<std::string> with_knex(const Database& db, Fn fn) {
  auto cx = db.connect();
  pqxx::work tx(*cx);
  StatementLog log;
  pg::TransactionKnex knex(tx, log, true);  // in a transaction: checked as a migration is
  fn(static_cast<Knex&>(knex));
  tx.commit();
  return log.sql;
}

}  // namespace sonamu::test
