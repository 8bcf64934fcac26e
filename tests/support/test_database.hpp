#pragma once
/// A throwaway database per test, on the server named by the PG* variables. A test that
/// cannot reach the server fails: it never skips.

#include <pqxx/connection>
#include <pqxx/result>

#include <memory>
#include <string>

namespace sonamu::test {

/// Limits of every connection the tests open themselves, so a blocked query fails instead of
/// hanging the suite: connect within 10 s, no statement longer than 60 s.
inline constexpr const char* bounded_session = " connect_timeout=10 options='-c statement_timeout=60s'";

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
  /// A new connection to this database, with the limits of `bounded_session`.
  std::unique_ptr<pqxx::connection> connect() const;
  /// Runs SQL in its own transaction and returns the rows.
  pqxx::result query(const std::string& sql) const;
  /// The single value of a one-row, one-column query, as text ("NULL" for null).
  std::string scalar(const std::string& sql) const;
  /// The same, with `value` bound to $1.
  std::string scalar(const std::string& sql, const std::string& value) const;
  /// True when a table of that name exists in the schema.
  bool has_table(const std::string& table, const std::string& schema = "public") const;

 private:
  std::string name_;
};

/// A login role with a password, for tests of password authentication. Roles belong to the
/// whole server, so it is dropped again when destroyed, whatever the outcome of the test.
class TestRole {
 public:
  TestRole(std::string name, const std::string& password);
  ~TestRole();
  TestRole(const TestRole&) = delete;
  TestRole& operator=(const TestRole&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace sonamu::test
