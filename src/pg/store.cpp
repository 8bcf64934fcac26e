#include "pg/store.hpp"

#include "core/error.hpp"
#include "core/migration_name.hpp"
#include "core/program_name.hpp"
#include "core/text.hpp"
#include "pg/bound_rows.hpp"
#include "pg/connect.hpp"
#include "pg/sources_layout.hpp"
#include "pg/transaction.hpp"

#include <fmt/format.h>
#include <pqxx/except>
#include <pqxx/prepared_statement>
#include <pqxx/result>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

namespace sonamu::pg {

namespace {

/// 64-bit FNV-1a: a stable hash that does not depend on the server or the compiler.
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

/// UTC time in ISO 8601 with microseconds, the text form a timestamptz parameter accepts.
std::string iso_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06lld+00",
                parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                parts.tm_min, parts.tm_sec, static_cast<long long>(micros % 1000000));
  return buffer;
}

/// Milliseconds from `started` to `finished`, both taken to the microsecond as they are
/// stored, rounded half away from zero: what round() of the difference gives on the server.
long long rounded_millis(std::chrono::system_clock::time_point started,
                         std::chrono::system_clock::time_point finished) {
  using namespace std::chrono;
  const long long micros = duration_cast<microseconds>(finished.time_since_epoch()).count() -
                           duration_cast<microseconds>(started.time_since_epoch()).count();
  return micros >= 0 ? (micros + 500) / 1000 : -((-micros + 500) / 1000);
}

/// Up to this many rows, the bookkeeping writes bind a VALUES list: parsed and planned without
/// looking up a single function, which is most of what they cost on a new connection (every
/// target of a fleet is one). More rows bind one array per column and unnest() them: one
/// statement whose size does not grow with the rows, much cheaper for thousands of them.
constexpr std::size_t values_rows_limit = 32;

void insert_rows(pqxx::transaction_base& tx, const std::string& insert_head, const BoundRows& rows,
                 const std::string& tail = {}) {
  tx.exec_params(insert_head + " VALUES " + rows.values_sql() + tail,
                 pqxx::prepare::make_dynamic_params(rows.parameters()));
}

}  // namespace

std::string text_array_literal(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

Store::Store(pqxx::connection_base& cx, TableLocation location)
    : cx_(cx),
      location_(std::move(location)),
      migrations_sql_(qualified(location_.table)),
      lock_sql_(qualified(location_.lock_table())),
      history_sql_(qualified(location_.history_table())),
      sources_sql_(qualified(location_.sources_table())) {}

std::string Store::qualified(const std::string& table) const {
  return cx_.quote_name(location_.schema) + "." + cx_.quote_name(table);
}

TablesState Store::inspect(Transaction& tx) { return inspect(native(tx)); }

namespace {

/// "missing column(s) x; unexpected column(s) y" for a table that is not knex's, or "".
std::string column_problem(const std::vector<std::string>& actual,
                           const std::vector<std::string>& expected) {
  const auto absent_from = [](const std::vector<std::string>& names, const std::vector<std::string>& in) {
    std::vector<std::string> absent;
    for (const auto& name : names) {
      if (std::find(in.begin(), in.end(), name) == in.end()) absent.push_back(name);
    }
    return absent;
  };
  std::vector<std::string> problems;
  if (const auto missing = absent_from(expected, actual); !missing.empty()) {
    problems.push_back("missing column(s) " + join(missing));
  }
  if (const auto unexpected = absent_from(actual, expected); !unexpected.empty()) {
    problems.push_back("unexpected column(s) " + join(unexpected));
  }
  return join(problems, "; ");
}

}  // namespace

void Store::validate(const TablesState& state) const {
  if (!state.schema_exists) {
    throw Error(ExitCode::usage, "Schema \"" + location_.schema +
                                     "\" does not exist in this database (--schema)");
  }
  const auto check = [&](bool exists, const std::vector<std::string>& columns,
                         const std::string& table, const std::vector<std::string>& expected) {
    if (!exists) return;
    const std::string problem = column_problem(columns, expected);
    if (!problem.empty()) {
      throw Error(ExitCode::mismatch, "The table " + location_.schema + "." + table +
                                          " is not a knex bookkeeping table: " + problem);
    }
  };
  check(state.migrations_table_exists, state.migrations_columns, location_.table,
        {"id", "name", "batch", "migration_time"});
  check(state.lock_table_exists, state.lock_columns, location_.lock_table(), {"index", "is_locked"});
  if (!state.problems.empty()) throw Error(ExitCode::mismatch, join(state.problems, "; "));
}

std::string Store::creation_sql(const TablesState& state) const {
  // One string, one round trip, for whatever is missing: it holds quoted identifiers only,
  // no values.
  std::string sql;
  // The DDL is knex's own, so a knex process finds exactly the tables it would have created.
  if (!state.migrations_table_exists) {
    sql += "CREATE TABLE " + migrations_sql_ +
           " (\"id\" serial primary key, \"name\" varchar(255), \"batch\" integer,"
           " \"migration_time\" timestamptz);";
  }
  if (!state.lock_table_exists) {
    sql += "CREATE TABLE " + lock_sql_ + " (\"index\" serial primary key, \"is_locked\" integer);";
  }
  if (!state.history_table_exists) {
    // Not a knex table: knex deletes the rows it rolls back, so it cannot tell what happened.
    sql += "CREATE TABLE " + history_sql_ +
           " (\"id\" serial primary key, \"action\" varchar(16) NOT NULL,"
           " \"name\" varchar(255) NOT NULL, \"batch\" integer,"
           " \"started_at\" timestamptz NOT NULL, \"finished_at\" timestamptz NOT NULL,"
           " \"duration_ms\" integer NOT NULL, \"success\" boolean NOT NULL, \"error\" text,"
           " \"db_user\" text NOT NULL DEFAULT current_user,"
           " \"client_host\" text NOT NULL DEFAULT COALESCE(host(inet_client_addr()), 'local'),"
           " \"tool_version\" varchar(32) NOT NULL);";
  }
  if (!state.sources_table_exists) {
    // Not a knex table either: the hash of the source each migration was applied with, so an
    // applied migration edited afterwards can be told apart. knex ignores it; a migration knex
    // applies simply has no hash here.
    sql += "CREATE TABLE " + sources_sql_ +
           " (\"name\" varchar(255) PRIMARY KEY, \"source_hash\" varchar(64) NOT NULL,"
           " \"recorded_at\" timestamptz NOT NULL DEFAULT now());";
  }
  sql += "INSERT INTO " + lock_sql_ + " (\"is_locked\") SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM " + lock_sql_ + ")";
  return sql;
}

void Store::append_history(Transaction& tx, const std::vector<HistoryEntry>& entries) {
  if (entries.empty()) return;
  const std::string head = "INSERT INTO " + history_sql_ +
                           " (\"action\", \"name\", \"batch\", \"started_at\", \"finished_at\","
                           " \"duration_ms\", \"success\", \"error\", \"tool_version\")";
  if (entries.size() <= values_rows_limit) {
    BoundRows rows({"varchar", "varchar", "integer", "timestamptz", "timestamptz", "integer", "boolean", "text",
                    "varchar"});
    for (const auto& entry : entries) {
      rows.add({entry.action, entry.name, std::to_string(entry.batch), iso_utc(entry.started),
                iso_utc(entry.finished), std::to_string(rounded_millis(entry.started, entry.finished)),
                entry.success ? "true" : "false",
                entry.error.empty() ? std::nullopt : std::optional<std::string>(entry.error), SONAMU_VERSION});
    }
    insert_rows(native(tx), head, rows);
    return;
  }
  std::vector<std::string> actions, names, batches, started, finished, durations, successes, errors;
  for (const auto& entry : entries) {
    actions.push_back(entry.action);
    names.push_back(entry.name);
    batches.push_back(std::to_string(entry.batch));
    started.push_back(iso_utc(entry.started));
    finished.push_back(iso_utc(entry.finished));
    durations.push_back(std::to_string(rounded_millis(entry.started, entry.finished)));
    successes.push_back(entry.success ? "true" : "false");
    errors.push_back(entry.error);
  }
  // WITH ORDINALITY keeps the rows in the order given, so ids grow in the order things happened.
  native(tx).exec_params(head +
                     " SELECT h.action, h.name, h.batch, h.started_at, h.finished_at, h.duration_ms,"
                     " h.success, NULLIF(h.error, ''), $9"
                     " FROM unnest($1::text[], $2::text[], $3::integer[], $4::timestamptz[],"
                     " $5::timestamptz[], $6::integer[], $7::boolean[], $8::text[]) WITH ORDINALITY"
                     " AS h(action, name, batch, started_at, finished_at, duration_ms, success, error, position)"
                     " ORDER BY h.position",
                 text_array_literal(actions), text_array_literal(names), text_array_literal(batches),
                 text_array_literal(started), text_array_literal(finished), text_array_literal(durations),
                 text_array_literal(successes), text_array_literal(errors), SONAMU_VERSION);
}

std::vector<HistoryRecord> Store::read_history(Transaction& transaction, int limit) {
  auto& tx = native(transaction);
  const auto state = inspect(tx);
  if (!state.history_table_exists) return {};
  pqxx::result rows;
  try {
    rows = tx.exec_params(
        "SELECT \"action\", \"name\", COALESCE(\"batch\", 0),"
        " to_char(\"started_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
        " \"duration_ms\", \"success\", COALESCE(\"error\", ''), \"db_user\", \"client_host\","
        " \"tool_version\" FROM " + history_sql_ + " ORDER BY \"id\" DESC LIMIT $1",
        limit);
  } catch (const pqxx::sql_error& e) {
    throw_if_limited(e, location_.history_table());
    throw;
  }
  std::vector<HistoryRecord> entries;
  for (const auto& row : rows) {
    HistoryRecord entry;
    entry.action = row[0].as<std::string>();
    entry.name = row[1].as<std::string>();
    entry.batch = row[2].as<int>();
    entry.started_at = row[3].as<std::string>();
    entry.duration_ms = row[4].as<long long>();
    entry.success = row[5].as<bool>();
    entry.error = row[6].as<std::string>();
    entry.db_user = row[7].as<std::string>();
    entry.client_host = row[8].as<std::string>();
    entry.tool_version = row[9].as<std::string>();
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::map<std::string, std::string> Store::read_source_hashes(Transaction& transaction) {
  auto& tx = native(transaction);
  // Checked first rather than caught: a failed statement would abort the caller's transaction.
  if (tx.exec_params("SELECT to_regclass($1) IS NULL", sources_sql_)[0][0].as<bool>()) return {};
  check_sources_layout(tx, sources_sql_, location_.schema + "." + location_.sources_table());
  pqxx::result rows;
  try {
    rows = tx.exec("SELECT \"name\", \"source_hash\" FROM " + sources_sql_);
  } catch (const pqxx::sql_error& e) {
    throw_if_limited(e, location_.sources_table());
    throw;
  }
  std::map<std::string, std::string> hashes;
  for (const auto& row : rows) hashes.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return hashes;
}

void Store::record_source_hashes(Transaction& tx,
                                 const std::vector<std::pair<std::string, std::string>>& hashes) {
  if (hashes.empty()) return;
  const std::string head = "INSERT INTO " + sources_sql_ + " (\"name\", \"source_hash\")";
  const std::string replace = " ON CONFLICT (\"name\") DO UPDATE SET \"source_hash\" = EXCLUDED.\"source_hash\","
                              " \"recorded_at\" = now()";
  if (hashes.size() <= values_rows_limit) {
    BoundRows rows({"varchar", "varchar"});
    for (const auto& [name, hash] : hashes) rows.add({name, hash});
    insert_rows(native(tx), head, rows, replace);
    return;
  }
  std::vector<std::string> names, values;
  for (const auto& [name, hash] : hashes) {
    names.push_back(name);
    values.push_back(hash);
  }
  native(tx).exec_params(head + " SELECT * FROM unnest($1::text[], $2::text[])" + replace,
                         text_array_literal(names), text_array_literal(values));
}

void Store::erase_source_hashes(Transaction& transaction, const std::vector<std::string>& names) {
  if (names.empty()) return;
  auto& tx = native(transaction);
  if (tx.exec_params("SELECT to_regclass($1) IS NULL", sources_sql_)[0][0].as<bool>()) return;
  tx.exec_params("DELETE FROM " + sources_sql_ + " WHERE \"name\" = ANY($1::text[])", text_array_literal(names));
}

std::optional<std::string> Store::reset_table_lock(Transaction& tx) {
  // The values as they were, read in the same statement that resets them.
  const auto rows = native(tx).exec(
      "WITH \"before\" AS (SELECT \"index\", \"is_locked\" FROM " + lock_sql_ +
      " WHERE \"is_locked\" <> 0 FOR UPDATE), \"reset\" AS (UPDATE " + lock_sql_ +
      " AS \"row\" SET \"is_locked\" = 0 FROM \"before\" WHERE \"row\".\"index\" = \"before\".\"index\" "
      "RETURNING \"before\".\"is_locked\") SELECT string_agg(DISTINCT \"is_locked\"::text, ', ') FROM \"reset\"");
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

namespace {

AppliedMigration applied_from(const pqxx::row& row) {
  AppliedMigration migration;
  migration.id = row[0].as<std::int64_t>();
  migration.name = row[1].is_null() ? std::string() : row[1].as<std::string>();
  migration.stem = migration_stem(migration.name);
  migration.batch = row[2].as<int>();
  if (!row[3].is_null()) migration.migration_time = row[3].as<std::string>();
  return migration;
}

}  // namespace

std::optional<std::vector<AppliedMigration>> Store::read_applied_if_plain(Transaction& tx) {
  // The column count is an uncorrelated subquery: computed once, not per row.
  pqxx::result rows;
  try {
    rows = native(tx).exec_params(
      "SELECT \"id\", \"name\", COALESCE(\"batch\", 0),"
      " to_char(\"migration_time\" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
      " (SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = $1::regclass"
      "  AND attnum > 0 AND NOT attisdropped)"
      " FROM " + migrations_sql_ + " ORDER BY \"id\"",
      migrations_sql_);
  } catch (const pqxx::sql_error& e) {
    throw_if_limited(e, location_.table);
    return std::nullopt;  // no such schema or table: the full path says what is wrong
  }
  if (rows.empty() || rows[0][4].as<int>() != 4) return std::nullopt;
  std::vector<AppliedMigration> applied;
  applied.reserve(rows.size());
  for (const auto& row : rows) applied.push_back(applied_from(row));
  return applied;
}

void Store::throw_if_limited(const pqxx::sql_error& e, const std::string& table) const {
  // The limits the engine set before reading (lock_timeout, statement_timeout) expired: a
  // session holds the table. Waiting longer is what the limits were given to prevent.
  if (e.sqlstate() != "55P03" && e.sqlstate() != "57014") return;
  throw Error(ExitCode::locked, "Could not read " + location_.schema + "." + table +
                                    " within the configured limits (--lock-timeout-sql, --statement-timeout): "
                                    "another session holds it (" + one_line_reason(e.what()) + ")");
}

std::vector<AppliedMigration> Store::read_applied(Transaction& tx) {
  try {
    return read_applied(native(tx));
  } catch (const pqxx::sql_error& e) {
    throw_if_limited(e, location_.table);
    throw;
  }
}

std::vector<AppliedMigration> Store::read_applied(pqxx::transaction_base& tx) const {
  const auto rows = tx.exec("SELECT \"id\", \"name\", COALESCE(\"batch\", 0),"
                            " to_char(\"migration_time\" AT TIME ZONE 'UTC',"
                            " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM " +
                            migrations_sql_ + " ORDER BY \"id\"");
  std::vector<AppliedMigration> applied;
  applied.reserve(rows.size());
  for (const auto& row : rows) applied.push_back(applied_from(row));
  return applied;
}

void Store::record(Transaction& tx, const std::vector<std::string>& names, int batch,
                   const std::vector<std::chrono::system_clock::time_point>& times) {
  if (names.empty()) return;
  const std::string head = "INSERT INTO " + migrations_sql_ + " (\"name\", \"batch\", \"migration_time\")";
  // Rows go in in run order, so ids grow in the order the migrations ran.
  if (names.size() <= values_rows_limit) {
    BoundRows rows({"varchar", "integer", "timestamptz"});
    for (std::size_t i = 0; i < names.size(); ++i) rows.add({names[i], std::to_string(batch), iso_utc(times[i])});
    insert_rows(native(tx), head, rows);
    return;
  }
  std::vector<std::string> stamps;
  stamps.reserve(times.size());
  for (const auto& time : times) stamps.push_back(iso_utc(time));
  native(tx).exec_params(head +
                     " SELECT m.name, $2, m.migration_time"
                     " FROM unnest($1::text[], $3::timestamptz[]) WITH ORDINALITY"
                     " AS m(name, migration_time, position) ORDER BY m.position",
                 text_array_literal(names), batch, text_array_literal(stamps));
}

void Store::erase(Transaction& tx, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (auto id : ids) texts.push_back(std::to_string(id));
  native(tx).exec_params("DELETE FROM " + migrations_sql_ + " WHERE \"id\" = ANY($1::bigint[])",
                 text_array_literal(texts));
}

void Store::set_table_lock(Transaction& transaction, std::chrono::milliseconds wait) {
  auto& tx = native(transaction);
  // A knex batch holds the row until it commits: wait for it as long as for another runner
  // of this tool (no statement_timeout cuts that wait shorter), then go back to the session's
  // own settings; the caller sets the limits of the migrations again.
  tx.exec_params("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', '0', true)",
                 std::to_string(wait.count()) + "ms");
  pqxx::result result;
  try {
    // NULL is unlocked, as for knex (it tests the value's truth in JavaScript).
    result = tx.exec("UPDATE " + lock_sql_ + " SET \"is_locked\" = 1 WHERE COALESCE(\"is_locked\", 0) = 0");
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != "55P03") throw;
    throw Error(ExitCode::locked,
                fmt::format("Timed out after {:g}s waiting for {}.{}: a knex migration holds it",
                            static_cast<double>(wait.count()) / 1000.0, location_.schema,
                            location_.lock_table()));
  }
  tx.exec("SET LOCAL lock_timeout TO DEFAULT; SET LOCAL statement_timeout TO DEFAULT");
  if (result.affected_rows() == 0) {
    const auto values = tx.exec("SELECT COALESCE(string_agg(\"is_locked\"::text, ', '), 'no row') FROM " + lock_sql_);
    throw Error(ExitCode::locked,
                "Migration table is already locked: " + location_.schema + "." + location_.lock_table() +
                    " has is_locked = " + values[0][0].as<std::string>() +
                    ", left by another tool; if no migration is running, run `" + program_name() + " migrate unlock`");
  }
}

void Store::clear_table_lock(Transaction& tx) {
  native(tx).exec("UPDATE " + lock_sql_ + " SET \"is_locked\" = 0");
}

std::int64_t Store::advisory_key() const {
  return static_cast<std::int64_t>(fnv1a("sonamu-migrate:" + location_.schema + "." + location_.table));
}

bool Store::try_advisory_lock(pqxx::transaction_base& tx) const {
  return tx.exec_params("SELECT pg_try_advisory_lock($1)", advisory_key())[0][0].as<bool>();
}

void Store::release_advisory_lock(pqxx::transaction_base& tx) const {
  tx.exec_params("SELECT pg_advisory_unlock($1)", advisory_key());
}

std::int64_t Store::transaction_lock_key() const {
  return static_cast<std::int64_t>(fnv1a("sonamu-migrate-batch:" + location_.schema + "." + location_.table));
}

void Store::lock_transaction(Transaction& transaction, std::chrono::milliseconds wait) {
  auto& tx = native(transaction);
  // A free lock, the common case, is taken in one statement. lock_timeout 0 would mean no
  // limit at all: without a wait, this one try is all.
  bool taken = tx.exec_params("SELECT pg_try_advisory_xact_lock($1)", transaction_lock_key())[0][0].as<bool>();
  if (!taken && wait.count() > 0) {
    // A savepoint keeps the transaction usable when the wait expires, to name the holder.
    tx.exec("SAVEPOINT sonamu_lock_wait");
    try {
      tx.exec_params("SELECT set_config('lock_timeout', $1, true)", std::to_string(wait.count()) + "ms");
      tx.exec_params("SELECT pg_advisory_xact_lock($1)", transaction_lock_key());
      tx.exec("SET LOCAL lock_timeout TO DEFAULT");
      tx.exec("RELEASE SAVEPOINT sonamu_lock_wait");
      taken = true;
    } catch (const pqxx::sql_error& e) {
      if (e.sqlstate() != "55P03") throw;
      tx.exec("ROLLBACK TO SAVEPOINT sonamu_lock_wait");
    }
  }
  if (taken) return;
  throw Error(ExitCode::locked,
              fmt::format("Timed out after {:g}s waiting for the migration lock on {}.{}, held by {}",
                          static_cast<double>(wait.count()) / 1000.0, location_.schema, location_.table,
                          lock_holder(tx, transaction_lock_key())));
}

std::string Store::advisory_lock_holder(pqxx::transaction_base& tx) const {
  return lock_holder(tx, advisory_key());
}

std::optional<LockHolder> Store::advisory_lock_session(pqxx::transaction_base& tx) const {
  const auto key = static_cast<std::uint64_t>(advisory_key());
  const auto rows = tx.exec_params(
      "SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(a.state, ''),"
      " COALESCE(floor(extract(epoch FROM now() - a.state_change))::bigint, 0)"
      " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
      " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
      " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
      " AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid",
      std::to_string(key >> 32), std::to_string(key & 0xffffffffULL));
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  LockHolder holder;
  holder.pid = rows[0][0].as<int>();
  holder.application = rows[0][1].as<std::string>();
  holder.state = rows[0][2].as<std::string>();
  holder.state_seconds = rows[0][3].as<long long>();
  return holder;
}

std::string Store::lock_holder(pqxx::transaction_base& tx, std::int64_t signed_key) const {
  // A bigint advisory key appears in pg_locks split into classid (high half) and objid.
  const auto key = static_cast<std::uint64_t>(signed_key);
  const auto rows = tx.exec_params(
      "SELECT a.pid, COALESCE(a.application_name, ''), a.backend_start::text"
      " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
      " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
      // Advisory locks belong to one database: the same key held in another is no holder.
      " AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
      " AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid",
      std::to_string(key >> 32), std::to_string(key & 0xffffffffULL));
  if (rows.empty()) return "another session (not visible to this user)";
  const auto& row = rows[0];
  return "pid " + row[0].as<std::string>() + ", application '" + row[1].as<std::string>() +
         "', started " + row[2].as<std::string>();
}

}  // namespace sonamu::pg
