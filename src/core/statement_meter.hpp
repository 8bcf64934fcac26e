#pragma once
/// What a rehearsed statement did to the tables that existed before the rehearsal, as
/// PostgreSQL itself shows it: the locks its own backend holds (pg_locks) and whether a
/// table's storage was replaced (a new relfilenode: the table was rewritten). The PostgreSQL
/// adapter implements it (src/pg); the lint reads it.

#include <string>
#include <vector>

namespace sonamu {

/// A table as it was before the rehearsal began.
struct ExistingTable {
  std::string schema;
  std::string name;
  long long bytes = 0;  ///< pg_total_relation_size: heap, indexes and TOAST
  long long rows = -1;  ///< the planner's estimate (reltuples); -1 when never counted
  /// Its heap has no page, so it holds no row (a partitioned table, whose rows are in its
  /// partitions, never counts as empty).
  bool empty = false;
};

/// What one statement did to one existing table.
struct TableEffect {
  ExistingTable table;
  /// The strongest lock mode the statement newly took on it ("AccessExclusiveLock"); for a
  /// rewrite or a drop, the strongest held, whichever statement took it; empty when the
  /// statement only scanned a table it already held.
  std::string lock_mode;
  bool rewritten = false;  ///< its relfilenode changed: every row was written anew
  bool dropped = false;    ///< it no longer exists
  /// The statement read the whole table (PostgreSQL counted a sequential scan of it in this
  /// transaction): a rewrite, a SET NOT NULL that no validated check proves, an UPDATE...
  bool scanned = false;
};

/// Measures the statements of a rehearsal, one after the other, in its transaction.
class StatementMeter {
 public:
  virtual ~StatementMeter() = default;
  /// The tables that existed when the meter was made (the bookkeeping tables left out).
  virtual const std::vector<ExistingTable>& existing() const = 0;
  /// Just before a statement is sent.
  virtual void before_statement() = 0;
  /// Just after it completed: the existing tables on which it took a new lock, or which it
  /// rewrote, dropped or scanned (a table only scanned has an empty lock_mode).
  virtual std::vector<TableEffect> after_statement() = 0;
};

}  // namespace sonamu
