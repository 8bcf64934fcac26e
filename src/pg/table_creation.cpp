// Creating the bookkeeping tables beside another creator: knex creates its tables without any
// lock this tool could wait on (hasTable, then CREATE TABLE, each statement committed on its
// own), so both may create the same table at the same moment.
#include "pg/store.hpp"
#include "pg/transaction.hpp"

#include <pqxx/subtransaction>

namespace sonamu::pg {

namespace {

/// Creations tried before giving up. Each retry follows another session's commit of one of
/// knex's two tables (the tool's own runners exclude each other by the transaction lock), so
/// three suffice beside knex; more means something else keeps creating them.
constexpr int creation_attempts = 5;

/// Whether `e` is a CREATE TABLE beaten by another session's committed creation of the same
/// table: a duplicate in pg_type's or pg_class's unique index when the two overlapped (IF NOT
/// EXISTS does not help there: the other table was not visible when the check ran), "relation
/// already exists" when it committed after the tables were inspected, or "type already
/// exists" (42710) when it committed between the statement's look-up of the relation and of
/// its row type.
bool created_by_another(const pqxx::sql_error& e) {
  return e.sqlstate() == "23505" || e.sqlstate() == "42P07" || e.sqlstate() == "42710";
}

}  // namespace

bool Store::ensure_tables(Transaction& transaction, const TablesState& state) {
  auto& native_tx = native(transaction);
  // A subtransaction undoes a beaten creation alone: the caller's transaction (its lock, its
  // reads) goes on. Outside a transaction block there is nothing to keep.
  auto* tx = dynamic_cast<pqxx::dbtransaction*>(&native_tx);
  TablesState now = state;
  for (int attempt = 1;; ++attempt) {
    const bool creates = !now.migrations_table_exists || !now.lock_table_exists || !now.history_table_exists ||
                         !now.sources_table_exists;
    if (!creates || tx == nullptr) {
      native_tx.exec(creation_sql(now));
      return !now.migrations_table_exists;
    }
    try {
      pqxx::subtransaction creation(*tx, "sonamu_create_tables");
      creation.exec(creation_sql(now));
      creation.commit();
      return !now.migrations_table_exists;
    } catch (const pqxx::sql_error& e) {
      if (!created_by_another(e) || attempt == creation_attempts) throw;
    }
    // The other creator has committed (PostgreSQL let this statement fail only then): its
    // tables are visible now, checked like any found table, and only what is still missing is
    // created.
    now = inspect(native_tx);
    validate(now);
  }
}

}  // namespace sonamu::pg
