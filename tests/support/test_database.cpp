#include "test_database.hpp"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <atomic>
#include <unistd.h>

namespace sonamu::test {

namespace {

/// The maintenance database, on the server the PG* variables name.
std::unique_ptr<pqxx::connection> admin() {
  return std::make_unique<pqxx::connection>(std::string("dbname=postgres") + bounded_session);
}

}  // namespace

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  name_ = "sonamu_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto cx = admin();
  pqxx::nontransaction tx(*cx);
  tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  tx.exec("CREATE DATABASE " + tx.quote_name(name_));
}

TestDatabase::~TestDatabase() {
  try {
    auto cx = admin();
    pqxx::nontransaction tx(*cx);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (...) {
    // The server removes everything when the test run ends anyway.
  }
}

std::unique_ptr<pqxx::connection> TestDatabase::connect() const {
  return std::make_unique<pqxx::connection>(conninfo() + bounded_session);
}

pqxx::result TestDatabase::query(const std::string& sql) const {
  auto cx = connect();
  pqxx::work tx(*cx);
  auto rows = tx.exec(sql);
  tx.commit();
  return rows;
}

std::string TestDatabase::scalar(const std::string& sql) const {
  const auto rows = query(sql);
  if (rows.size() != 1 || rows.columns() != 1) {
    throw std::runtime_error("expected one value from: " + sql);
  }
  return rows[0][0].is_null() ? "NULL" : rows[0][0].as<std::string>();
}

std::string TestDatabase::scalar(const std::string& sql, const std::string& value) const {
  auto cx = connect();
  pqxx::work tx(*cx);
  const auto rows = tx.exec_params(sql, value);
  tx.commit();
  if (rows.size() != 1 || rows.columns() != 1) {
    throw std::runtime_error("expected one value from: " + sql);
  }
  return rows[0][0].is_null() ? "NULL" : rows[0][0].as<std::string>();
}

bool TestDatabase::has_table(const std::string& table, const std::string& schema) const {
  auto cx = connect();
  pqxx::work tx(*cx);
  return !tx.exec_params("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND "
                         "table_name = $2",
                         schema, table)
              .empty();
}

TestRole::TestRole(std::string name, const std::string& password) : name_(std::move(name)) {
  auto cx = admin();
  pqxx::nontransaction tx(*cx);
  // A role left by an interrupted earlier run is replaced, so the password is the one given.
  tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(name_));
  // CREATE ROLE takes no bound parameters: the password goes in as an escaped literal.
  tx.exec("CREATE ROLE " + tx.quote_name(name_) + " LOGIN PASSWORD " + tx.quote(password));
}

TestRole::~TestRole() {
  try {
    auto cx = admin();
    pqxx::nontransaction tx(*cx);
    tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(name_));
  } catch (...) {
    // Nothing more can be done from a destructor; the next run replaces the role.
  }
}

}  // namespace sonamu::test
