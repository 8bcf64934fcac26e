#pragma once
/// A throwaway database per test, on the server named by the PG* variables. A test that
/// cannot reach the server fails: it never skips.

#include <pqxx/connection>
#include <pqxx/result>

#include <memory>
#include <string>

namespace sonamu::test {

/// Creates a uniquely named database; drops it (forcibly) when destroyed.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// Connection string for this database; host, port and user come from PG* variables.
  std::string conninfo() const { return "dbname=" + name_; }
  /// A new connection to this database.
  std::unique_ptr<pqxx::connection> connect() const;
  /// Runs SQL in its own transaction and returns the rows.
  pqxx::result query(const std::string& sql) const;
  /// The single value of a one-row, one-column query, as text ("NULL" for null).
  std::string scalar(const std::string& sql) const;
  /// True when a table of that name exists in the schema.
  bool has_table(const std::string& table, const std::string& schema = "public") const;

 private:
  std::string name_;
};

}  // namespace sonamu::test
