#pragma once
/// Fleets for the end-to-end tests: databases or a project folder made for one test and
/// removed after it, the fleet commands run in it, and what the tests wait for.
#include "e2e.hpp"
#include "../support/wait_until.hpp"

#include "pg/store.hpp"

#include <catch2/catch.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <unistd.h>

namespace sonamu::test {

inline std::unique_ptr<pqxx::connection> admin() {
  return std::make_unique<pqxx::connection>(std::string("dbname=postgres") + bounded_session);
}

inline std::string two_digits(std::size_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

/// `count` databases named PREFIX_01, PREFIX_02, ..., created empty and dropped at the end.
class DatabaseFleet {
 public:
  explicit DatabaseFleet(std::size_t count) {
    static std::atomic<int> counter{0};
    prefix_ = "fleet_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    auto cx = admin();
    for (std::size_t i = 1; i <= count; ++i) {
      names_.push_back(prefix_ + "_" + two_digits(i));
      pqxx::nontransaction tx(*cx);
      tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(names_.back()) + " WITH (FORCE)");
      tx.exec("CREATE DATABASE " + tx.quote_name(names_.back()));
    }
  }
  ~DatabaseFleet() {
    try {
      auto cx = admin();
      for (const auto& name : names_) {
        pqxx::nontransaction tx(*cx);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name) + " WITH (FORCE)");
      }
    } catch (...) {
      // The server is removed at the end of the run anyway.
    }
  }
  DatabaseFleet(const DatabaseFleet&) = delete;
  DatabaseFleet& operator=(const DatabaseFleet&) = delete;

  const std::vector<std::string>& names() const { return names_; }
  const std::string& prefix() const { return prefix_; }
  /// The application name every connection of this fleet carries, to find them in pg_stat_activity.
  std::string application() const { return prefix_ + "_runner"; }

  /// The `databases` query that lists exactly these databases, in name order.
  std::string query() const {
    return "SELECT datname FROM pg_database WHERE datname LIKE '" + prefix_ + "\\\\_%' ORDER BY 1";
  }

  std::unique_ptr<pqxx::connection> connect(std::size_t i) const {
    return std::make_unique<pqxx::connection>("dbname=" + names_[i] + bounded_session);
  }

  std::string scalar(std::size_t i, const std::string& sql) const {
    auto cx = connect(i);
    pqxx::work tx(*cx);
    const auto rows = tx.exec(sql);
    return rows[0][0].is_null() ? "NULL" : rows[0][0].as<std::string>();
  }

  void exec(std::size_t i, const std::string& sql) const {
    auto cx = connect(i);
    pqxx::work tx(*cx);
    tx.exec(sql);
    tx.commit();
  }

  /// "name:batch ..." of the bookkeeping table in `schema` ("<no table>" without one).
  std::string recorded(std::size_t i, const std::string& schema = "public") const {
    if (scalar(i, "SELECT to_regclass('" + schema + ".knex_migrations') IS NULL") == "t") return "<no table>";
    return scalar(i, "SELECT COALESCE(string_agg(name || ':' || batch, ' ' ORDER BY id), '') FROM \"" + schema +
                         "\".knex_migrations");
  }

 private:
  std::string prefix_;
  std::vector<std::string> names_;
};

/// A project folder whose sonamu.config.json defines `fleets` (a JSON object text).
class Project {
 public:
  explicit Project(const std::string& fleets) {
    std::ofstream(directory_.path() / "sonamu.config.json") << "{ \"fleets\": " << fleets << " }\n";
  }
  std::string path() const { return directory_.string(); }

 private:
  ScratchDirectory directory_{"sonamu-fleet"};
};

/// `migrate ARGS` run in `project` (no -c: the fleet names its targets).
inline ProcessSpec fleet_spec(const Project& project, std::vector<std::string> args,
                       const std::map<std::string, std::optional<std::string>>& env = {}) {
  ProcessSpec spec;
  spec.argv = {SONAMU_BINARY, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = project.path();
  spec.env = env;
  spec.env["DATABASE_URL"] = std::nullopt;
  return spec;
}

inline MigrateResult fleet(const Project& project, std::vector<std::string> args,
                    const std::map<std::string, std::optional<std::string>>& env = {}) {
  return run_migrate(fleet_spec(project, std::move(args), env));
}

inline std::string databases_fleet(const DatabaseFleet& databases) {
  return "{ \"tenants\": { \"connection\": \"dbname=postgres application_name=" + databases.application() +
         "\", \"databases\": \"" + databases.query() + "\" } }";
}

inline std::string all_six(int batch) {
  std::string text;
  for (const auto& name : bundled(".cpp")) text += (text.empty() ? "" : " ") + name + ":" + std::to_string(batch);
  return text;
}

/// The conflict that breaks a target: the table its first migration creates already exists.
inline constexpr const char* conflict = "CREATE TABLE users (conflict integer)";

/// Connections of this fleet open on the server right now.
inline int open_connections(const DatabaseFleet& databases) {
  auto cx = admin();
  pqxx::work tx(*cx);
  return tx.exec_params("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                        databases.application())[0][0]
      .as<int>();
}

/// Holds the migration lock of target `i`'s bookkeeping tables, as another runner would.
inline std::unique_ptr<pqxx::connection> hold_migration_lock(const DatabaseFleet& databases, std::size_t i) {
  auto cx = databases.connect(i);
  sonamu::pg::Store store(*cx, sonamu::TableLocation{});
  pqxx::nontransaction tx(*cx);
  REQUIRE(store.try_advisory_lock(tx));
  return cx;
}

/// Waits until a fleet connection on database `name` tries for the migration lock (held by
/// the test): its session is set up then, not merely connecting.
inline void wait_for_runner_on(const DatabaseFleet& databases, const std::string& name) {
  wait_until("a fleet connection on " + name + " trying for the migration lock", [&] {
    auto cx = admin();
    pqxx::work tx(*cx);
    return tx.exec_params("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2"
                          " AND query LIKE '%pg_try_advisory_lock%'",
                          databases.application(), name)[0][0]
               .as<int>() > 0;
  });
}


}  // namespace sonamu::test
