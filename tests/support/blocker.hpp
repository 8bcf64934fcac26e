#pragma once
/// An application's session in the way of a migration: connected as `application_name` api,
/// it ran a statement (a LOCK TABLE, an INSERT, ...) in a transaction it keeps open, so the
/// tool's status line, --verbose lines and errors have a pid, an application and a query to name.

#include "test_database.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <memory>
#include <string>

namespace sonamu::test {

class Blocker {
 public:
  /// Runs `settings` (if any) outside the transaction, then opens the transaction and runs `sql`.
  Blocker(const TestDatabase& db, const std::string& sql, const std::string& settings = "")
      : cx_(std::make_unique<pqxx::connection>(db.conninfo() + bounded_session + " application_name=api")) {
    if (!settings.empty()) pqxx::nontransaction(*cx_).exec(settings);
    tx_ = std::make_unique<pqxx::work>(*cx_);
    tx_->exec(sql);
  }
  int pid() const { return cx_->backendpid(); }
  /// The open transaction, to run more statements in it.
  pqxx::work& tx() { return *tx_; }
  /// Ends the transaction (commits it), releasing its locks, and the session.
  void release() {
    tx_->commit();
    tx_.reset();
    cx_.reset();
  }

 private:
  std::unique_ptr<pqxx::connection> cx_;
  std::unique_ptr<pqxx::work> tx_;
};

}  // namespace sonamu::test
