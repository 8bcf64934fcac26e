#pragma once
/// The StatementMeter over the rehearsal's own libpqxx transaction: pg_locks of its own
/// backend and pg_relation_filenode() of the tables that existed before, read between
/// statements.

#include "core/bookkeeping.hpp"
#include "core/statement_meter.hpp"

#include <pqxx/transaction_base>

#include <map>
#include <set>
#include <string>

namespace sonamu::pg {

class PostgresStatementMeter final : public StatementMeter {
 public:
  /// Reads the existing tables (size, row estimate, storage) once, in `tx`.
  PostgresStatementMeter(pqxx::transaction_base& tx, const TableLocation& bookkeeping);

  const std::vector<ExistingTable>& existing() const override { return existing_; }
  void before_statement() override;
  std::vector<TableEffect> after_statement() override;

 private:
  /// Locks held by this backend and storage, of each existing table (by position).
  struct State {
    std::vector<std::set<std::string>> modes;
    std::vector<long long> filenodes;  ///< -1: dropped
    std::vector<long long> scans;      ///< sequential scans counted in this transaction
  };
  State read_state();

  pqxx::transaction_base& tx_;
  std::vector<ExistingTable> existing_;
  std::string oids_;  ///< the existing tables' oids as an array literal
  State last_;
  bool fresh_ = false;  ///< last_ describes the present: nothing ran since it was read
};

}  // namespace sonamu::pg
