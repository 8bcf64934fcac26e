#pragma once
// The production migration handle (sonamu::pg::TransactionKnex) on a transaction of a test
// database, for tests that run the builders on a real server without the migrator around them.

#include "pg/transaction_knex.hpp"

#include <pqxx/transaction>

#include <string>
#include <vector>

namespace sonamu::test {

/// A Reporter that keeps the SQL of every statement and ignores every other event.
class StatementLog final : public Reporter {
 public:
  std::vector<std::string> sql;

  void statement(const std::string& text, const std::vector<Param>&) override { sql.push_back(text); }
  void migration_started(Direction, const std::string&) override {}
  void migration_finished(Direction, const std::string&, std::chrono::milliseconds) override {}
  void migration_failed(Direction, const std::string&, const std::string&, const std::string&) override {}
  void batch_committed(Direction, int, const std::vector<std::string>&) override {}
  void batch_in_parts(Direction, int, const std::vector<std::pair<bool, std::vector<std::string>>>&) override {}
  void batch_partly_done(Direction, int, const std::vector<std::string>&,
                         const std::vector<std::string>&) override {}
  void migration_skipped(Direction, const std::string&, const std::string&) override {}
  void data_at_risk(const std::vector<DataAtRisk>&) override {}
  void verified(const std::string&, const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void nothing_to_do(Direction) override {}
  void all_rolled_back() override {}
  void rollback_all_stopped(const std::vector<int>&, int) override {}
};

/// Runs `fn(knex)` with a handle on a new transaction of `db`, commits, and returns the SQL
/// of the statements it sent.
template <typename Database, typename Fn>
std::vector<std::string> with_knex(const Database& db, Fn fn) {
  auto cx = db.connect();
  pqxx::work tx(*cx);
  StatementLog log;
  pg::TransactionKnex knex(tx, log);
  fn(static_cast<Knex&>(knex));
  tx.commit();
  return log.sql;
}

}  // namespace sonamu::test
