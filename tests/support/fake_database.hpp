#pragma once
/// In-memory fakes of the engine's database interfaces (Session, Transaction, MigrationLock,
/// BookkeepingStore), so the engine's paths run without a server. The fake server keeps:
/// the bookkeeping rows and history, knex's lock flag, and "objects" that migrations create
/// and drop with statements of the form `create NAME` and `drop NAME`. A transaction works on
/// a copy that replaces the server's state on commit; autocommit works on the state itself.
///
/// Statements that make things go wrong: `fail` fails like an SQL error, `interrupt` fails
/// like a statement cancelled by Ctrl-C (the signal is recorded first), `contended` fails on a
/// lock timeout (55P03, or a deadlock 40P01 when `deadlocks` is set) while the server's
/// `conflicts_left` is above zero, counting it down.

#include "core/bookkeeping_store.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"

#include <sonamu/knex.hpp>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>

namespace sonamu::test {

/// Everything the fake server holds.
struct FakeState {
  bool tables = false;  ///< the bookkeeping tables exist
  bool table_locked = false;
  std::vector<AppliedMigration> rows;
  std::int64_t next_id = 1;
  std::vector<HistoryEntry> history;
  std::set<std::string> objects;
  std::map<std::string, long long> rows_in;  ///< data held by an object, for data at risk
  std::map<std::string, std::string> source_hashes;  ///< recorded name -> hash it was applied with
};

/// The fake server, and what the engine did to it.
struct FakeServer {
  FakeState state;
  int transactions_begun = 0;
  int transactions_open = 0;  ///< begun and not yet ended (committed or rolled back)
  int commits = 0;
  bool lock_held_elsewhere = false;
  bool lock_held = false;
  std::vector<StatementLimits> limits_applied;
  int counts_taken = 0;  ///< count_losses calls
  int conflicts_left = 0;  ///< how many more `contended` statements fail
  bool deadlocks = false;  ///< they fail as deadlocks rather than lock timeouts
};

class FakeTransaction final : public Transaction {
 public:
  FakeTransaction(FakeServer& server, TransactionKind kind) : server_(server), kind_(kind), work_(server.state) {
    ++server_.transactions_begun;
    ++server_.transactions_open;
  }
  ~FakeTransaction() override { --server_.transactions_open; }
  FakeState& state() { return kind_ == TransactionKind::autocommit ? server_.state : work_; }
  void limit(const StatementLimits& limits) override { server_.limits_applied.push_back(limits); }
  void run(MigrationFn fn, Reporter& reporter) override {
    Handle handle(*this, reporter);
    fn(handle);
  }
  void commit() override {
    if (kind_ != TransactionKind::autocommit) server_.state = work_;
    ++server_.commits;
  }

 private:
  class Handle final : public Knex {
   public:
    Handle(FakeTransaction& tx, Reporter& reporter) : tx_(tx), reporter_(reporter) {}

   protected:
    Result execute(const std::string& sql, const std::vector<Param>& params) override {
      throw_if_interrupted();
      reporter_.statement(sql, params);
      if (sql == "fail") throw DatabaseError("division by zero", "22012");
      if (sql == "contended" && tx_.server_.conflicts_left > 0) {
        --tx_.server_.conflicts_left;
        if (tx_.server_.deadlocks) throw DatabaseError("deadlock detected", "40P01");
        throw DatabaseError("canceling statement due to lock timeout", "55P03");
      }
      if (sql == "interrupt") {
        request_interrupt(SIGINT);
        throw DatabaseError("canceling statement due to user request", "57014");
      }
      auto& objects = tx_.state().objects;
      if (sql.rfind("create ", 0) == 0) objects.insert(sql.substr(7));
      if (sql.rfind("drop ", 0) == 0) objects.erase(sql.substr(5));
      return {};
    }

   private:
    FakeTransaction& tx_;
    Reporter& reporter_;
  };

  FakeServer& server_;
  TransactionKind kind_;
  FakeState work_;
};

inline FakeState& state_of(Transaction& tx) { return static_cast<FakeTransaction&>(tx).state(); }

class FakeLock final : public MigrationLock {
 public:
  explicit FakeLock(FakeServer& server) : server_(server) { server_.lock_held = true; }
  ~FakeLock() override { server_.lock_held = false; }

 private:
  FakeServer& server_;
};

class FakeSession final : public Session {
 public:
  explicit FakeSession(FakeServer& server) : server_(server) {}
  void prepare() override {}
  std::unique_ptr<MigrationLock> lock(std::chrono::milliseconds, const MigrationLockObserver&) override {
    if (server_.lock_held_elsewhere) throw Error(ExitCode::locked, "Timed out waiting for the migration lock");
    return std::make_unique<FakeLock>(server_);
  }
  std::unique_ptr<Transaction> begin(TransactionKind kind) override {
    return std::make_unique<FakeTransaction>(server_, kind);
  }
  /// Each object is a line of its own, and every one may have been changed by `tx`.
  Catalog catalog(Transaction& tx) override {
    Catalog lines;
    for (const auto& object : state_of(tx).objects) lines.emplace(object, object);
    return lines;
  }
  std::set<std::string> changed_here(Transaction&, const std::set<std::string>& objects) override { return objects; }
  /// Each object is a table of its own, its id taken from its name.
  SchemaShape schema_shape(Transaction& tx) override {
    SchemaShape shape;
    for (const auto& name : state_of(tx).objects) {
      const auto rows = state_of(tx).rows_in.find(name);
      const bool holds_data = rows != state_of(tx).rows_in.end() && rows->second > 0;
      shape.push_back({static_cast<std::uint32_t>(std::hash<std::string>()(name)), name, {}, holds_data});
    }
    std::sort(shape.begin(), shape.end(), [](const TableShape& a, const TableShape& b) { return a.id < b.id; });
    return shape;
  }
  std::vector<DataAtRisk> count_losses(Transaction& tx, const std::vector<Loss>& losses, long long) override {
    ++server_.counts_taken;
    std::vector<DataAtRisk> risks;
    for (const auto& loss : losses) {
      const auto found = state_of(tx).rows_in.find(loss.display);
      if (found == state_of(tx).rows_in.end() || found->second == 0) continue;
      DataAtRisk risk;
      risk.display = loss.display;
      risk.kind = loss.kind;
      risk.count = found->second;
      risks.push_back(risk);
    }
    return risks;
  }
  /// The fake holds no rows to compare: the data check is PostgreSQL's (tests/db, tests/e2e).
  RowSnapshot snapshot_rows(Transaction&, long long, const std::set<std::string>&) override { return {}; }
  /// The work runs on a copy of the transaction's state, which is put back after it.
  std::set<std::string> tables_written(Transaction& tx, const std::function<void()>& work) override {
    const FakeState saved = state_of(tx);
    try {
      work();
    } catch (...) {
      state_of(tx) = saved;
      throw;
    }
    state_of(tx) = saved;
    return {};
  }
  DataCheck compare_rows(Transaction&, const RowSnapshot&) override { return {}; }
  std::set<std::string> invalid_indexes(Transaction&) override { return {}; }
  /// Measures nothing: the fake server has no tables of its own.
  std::unique_ptr<StatementMeter> meter(Transaction&) override {
    class NoMeter final : public StatementMeter {
     public:
      const std::vector<ExistingTable>& existing() const override { return none_; }
      void before_statement() override {}
      std::vector<TableEffect> after_statement() override { return {}; }

     private:
      std::vector<ExistingTable> none_;
    };
    return std::make_unique<NoMeter>();
  }

 private:
  FakeServer& server_;
};

class FakeStore final : public BookkeepingStore {
 public:
  const TableLocation& location() const override { return location_; }
  TablesState inspect(Transaction& tx) override {
    TablesState tables;
    tables.schema_exists = true;
    tables.migrations_table_exists = tables.lock_table_exists = tables.history_table_exists = state_of(tx).tables;
    return tables;
  }
  void validate(const TablesState&) const override {}
  bool ensure_tables(Transaction& tx, const TablesState&) override {
    // Another creator (knex) may commit the tables, and a batch, between inspect and here.
    if (before_creation) before_creation(state_of(tx));
    const bool created = !state_of(tx).tables;
    state_of(tx).tables = true;
    return created;
  }
  /// Called as ensure_tables starts, with the state the transaction sees.
  std::function<void(FakeState&)> before_creation;
  std::vector<AppliedMigration> read_applied(Transaction& tx) override { return state_of(tx).rows; }
  std::optional<std::vector<AppliedMigration>> read_applied_if_plain(Transaction& tx) override {
    if (!state_of(tx).tables || state_of(tx).rows.empty()) return std::nullopt;
    return state_of(tx).rows;
  }
  void record(Transaction& tx, const std::vector<std::string>& names, int batch,
              const std::vector<std::chrono::system_clock::time_point>&) override {
    auto& state = state_of(tx);
    for (const auto& name : names) {
      AppliedMigration row;
      row.id = state.next_id++;
      row.name = name;
      row.stem = name.substr(0, name.rfind('.'));
      row.batch = batch;
      state.rows.push_back(row);
    }
  }
  void erase(Transaction& tx, const std::vector<std::int64_t>& ids) override {
    auto& rows = state_of(tx).rows;
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](const AppliedMigration& row) {
                                return std::find(ids.begin(), ids.end(), row.id) != ids.end();
                              }),
               rows.end());
  }
  void set_table_lock(Transaction& tx, std::chrono::milliseconds) override {
    if (state_of(tx).table_locked) throw Error(ExitCode::locked, "Migration table is already locked");
    state_of(tx).table_locked = true;
  }
  void clear_table_lock(Transaction& tx) override { state_of(tx).table_locked = false; }
  std::optional<std::string> reset_table_lock(Transaction& tx) override {
    const bool was = state_of(tx).table_locked;
    state_of(tx).table_locked = false;
    return was ? std::optional<std::string>("1") : std::nullopt;
  }
  void append_history(Transaction& tx, const std::vector<HistoryEntry>& entries) override {
    auto& history = state_of(tx).history;
    history.insert(history.end(), entries.begin(), entries.end());
  }
  std::map<std::string, std::string> read_source_hashes(Transaction& tx) override {
    return state_of(tx).source_hashes;
  }
  void record_source_hashes(Transaction& tx,
                            const std::vector<std::pair<std::string, std::string>>& hashes) override {
    for (const auto& [name, hash] : hashes) state_of(tx).source_hashes[name] = hash;
  }
  void erase_source_hashes(Transaction& tx, const std::vector<std::string>& names) override {
    for (const auto& name : names) state_of(tx).source_hashes.erase(name);
  }
  std::vector<HistoryRecord> read_history(Transaction& tx, int limit) override {
    std::vector<HistoryRecord> records;
    const auto& history = state_of(tx).history;
    for (auto it = history.rbegin(); it != history.rend() && static_cast<int>(records.size()) < limit; ++it) {
      HistoryRecord record;
      record.action = it->action;
      record.name = it->name;
      record.batch = it->batch;
      record.success = it->success;
      record.error = it->error;
      records.push_back(record);
    }
    return records;
  }

 private:
  TableLocation location_;
};

}  // namespace sonamu::test
