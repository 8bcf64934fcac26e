#pragma once
/// Another session of the test's own holding a table in ACCESS EXCLUSIVE mode in an open
/// transaction, as `BEGIN; LOCK TABLE ...` in psql would: every statement of the tool on that
/// table waits for it (or gives up at its limit).

#include "test_database.hpp"

#include <pqxx/transaction>

#include <memory>
#include <string>

namespace sonamu::test {

/// Holds `table` from construction (LOCK TABLE has returned: the lock is granted) until
/// release() or destruction, which roll the transaction back.
class HeldTable {
 public:
  HeldTable(const TestDatabase& db, const std::string& table)
      : cx_(db.connect()), tx_(std::make_unique<pqxx::work>(*cx_)) {
    tx_->exec("LOCK TABLE " + tx_->quote_name(table) + " IN ACCESS EXCLUSIVE MODE");
  }
  /// `table` of `schema` (a tenant's, say), whatever the search_path.
  HeldTable(const TestDatabase& db, const std::string& schema, const std::string& table)
      : cx_(db.connect()), tx_(std::make_unique<pqxx::work>(*cx_)) {
    tx_->exec("LOCK TABLE " + tx_->quote_name(schema) + "." + tx_->quote_name(table) + " IN ACCESS EXCLUSIVE MODE");
  }
  ~HeldTable() { release(); }
  HeldTable(const HeldTable&) = delete;
  HeldTable& operator=(const HeldTable&) = delete;

  void release() {
    if (!tx_) return;
    tx_->abort();
    tx_.reset();
  }

 private:
  std::unique_ptr<pqxx::connection> cx_;
  std::unique_ptr<pqxx::work> tx_;
};

}  // namespace sonamu::test
