#include "pg/postgres_statement_meter.hpp"

#include <pqxx/result>

#include <algorithm>
#include <array>
#include <sstream>

namespace sonamu::pg {

namespace {

/// The user tables (ordinary, partitioned, materialised views), without the bookkeeping ones
/// and other sessions' temporary tables. The size is read by oid: of a table another session
/// dropped meanwhile it is NULL, and the table counts as empty.
constexpr const char* existing_query = R"(
SELECT c.oid::bigint, n.nspname, c.relname, COALESCE(pg_total_relation_size(c.oid), 0), c.reltuples::bigint,
       c.relkind <> 'p' AND COALESCE(pg_relation_size(c.oid), 0) = 0
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT (n.nspname = $1 AND c.relname IN ($2, $3, $4))
ORDER BY c.oid)";

/// One row per existing table, in the order of the array: its storage, the modes this backend
/// holds on it, and the sequential scans of it counted so far in this transaction (only the
/// difference between two reads means anything: counts not yet sent to the statistics of
/// earlier transactions of the session are included). One query: pg_locks is read once.
constexpr const char* state_query = R"(
SELECT coalesce(pg_relation_filenode(e.oid)::bigint, -1),
       coalesce(string_agg(l.mode, ',' ORDER BY l.mode), ''),
       COALESCE(pg_stat_get_xact_numscans(e.oid), 0)
FROM unnest($1::oid[]) WITH ORDINALITY AS e(oid, position)
LEFT JOIN pg_locks l ON l.locktype = 'relation' AND l.relation = e.oid AND l.granted
                     AND l.pid = pg_backend_pid()
GROUP BY e.oid, e.position
ORDER BY e.position)";

/// The table lock modes from weakest to strongest (PostgreSQL's conflict table order).
constexpr std::array<const char*, 8> mode_order = {
    "AccessShareLock",  "RowShareLock",          "RowExclusiveLock", "ShareUpdateExclusiveLock",
    "ShareLock",        "ShareRowExclusiveLock", "ExclusiveLock",    "AccessExclusiveLock"};

int strength(const std::string& mode) {
  const auto it = std::find(mode_order.begin(), mode_order.end(), mode);
  return it == mode_order.end() ? -1 : static_cast<int>(it - mode_order.begin());
}

std::set<std::string> split_modes(const std::string& text) {
  std::set<std::string> modes;
  std::stringstream in(text);
  std::string mode;
  while (std::getline(in, mode, ',')) {
    if (!mode.empty()) modes.insert(mode);
  }
  return modes;
}

}  // namespace

PostgresStatementMeter::PostgresStatementMeter(pqxx::transaction_base& tx, const TableLocation& bookkeeping)
    : tx_(tx) {
  const auto rows = tx_.exec_params(existing_query, bookkeeping.schema, bookkeeping.table,
                                    bookkeeping.lock_table(), bookkeeping.history_table());
  oids_ = "{";
  for (const auto& row : rows) {
    ExistingTable table;
    table.schema = row[1].as<std::string>();
    table.name = row[2].as<std::string>();
    table.bytes = row[3].as<long long>();
    table.rows = row[4].as<long long>();
    table.empty = row[5].as<bool>();
    existing_.push_back(std::move(table));
    if (oids_.size() > 1) oids_ += ',';
    oids_ += row[0].as<std::string>();
  }
  oids_ += "}";
}

PostgresStatementMeter::State PostgresStatementMeter::read_state() {
  State state;
  if (existing_.empty()) return state;
  for (const auto& row : tx_.exec_params(state_query, oids_)) {
    state.filenodes.push_back(row[0].as<long long>());
    state.modes.push_back(split_modes(row[1].as<std::string>()));
    state.scans.push_back(row[2].as<long long>());
  }
  return state;
}

void PostgresStatementMeter::before_statement() {
  // The state after the previous statement is the state before this one.
  if (!fresh_) last_ = read_state();
  fresh_ = false;
}

std::vector<TableEffect> PostgresStatementMeter::after_statement() {
  State now = read_state();
  std::vector<TableEffect> effects;
  for (std::size_t i = 0; i < now.filenodes.size() && i < last_.filenodes.size(); ++i) {
    const bool new_lock = std::any_of(now.modes[i].begin(), now.modes[i].end(),
                                      [&](const std::string& mode) { return last_.modes[i].count(mode) == 0; });
    // Dropping or rewriting a table holds it in ACCESS EXCLUSIVE mode until the transaction
    // ends: a table gone or rewritten that this backend holds no lock on is another session's
    // doing (an application dropping its own tables meanwhile).
    const bool held_here = !now.modes[i].empty();
    const bool dropped = held_here && now.filenodes[i] == -1 && last_.filenodes[i] != -1;
    const bool rewritten = held_here && !dropped && now.filenodes[i] != last_.filenodes[i];
    const bool scanned = now.scans[i] > last_.scans[i];
    if (!new_lock && !dropped && !rewritten && !scanned) continue;
    TableEffect effect;
    effect.table = existing_[i];
    // The mode this statement asked for: the strongest of those it newly holds. A rewrite (or a
    // drop) happens under the strongest held, whichever statement took it: that one is named.
    const bool only_new = !rewritten && !dropped;
    for (const auto& mode : now.modes[i]) {
      if (only_new && last_.modes[i].count(mode) != 0) continue;
      if (strength(mode) > strength(effect.lock_mode)) effect.lock_mode = mode;
    }
    effect.rewritten = rewritten;
    effect.dropped = dropped;
    effect.scanned = scanned;
    effects.push_back(std::move(effect));
  }
  last_ = std::move(now);
  fresh_ = true;
  return effects;
}

}  // namespace sonamu::pg
