#pragma once
/// `migrate verify`: up → down → up of each pending migration in one transaction that is
/// always rolled back, the catalog and the data compared after down with before up.

#include "core/catalog.hpp"
#include "core/exit_code.hpp"
#include "engine/applied_records.hpp"
#include "engine/batch_runner.hpp"
#include "engine/engine_context.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sonamu {

/// What `verify` checks.
struct VerifyRequest {
  bool all = false;                ///< from the base: revert what is applied first
  std::optional<std::string> name; ///< only this pending migration
  bool in_production = false;      ///< --force: run in production too
};

class Verifier {
 public:
  Verifier(EngineContext& context, AppliedRecords& records, BatchRunner& runner)
      : context_(context), records_(records), runner_(runner) {}

  ExitCode verify(const VerifyRequest& request);

 private:
  /// Reverts what is applied, newest first, down to the first irreversible migration;
  /// returns the records that stay applied.
  std::vector<AppliedMigration> revert_applied(const std::vector<AppliedMigration>& applied, Transaction& tx);
  /// The pending stem `name`, after applying, unchecked, the pending ones before it.
  std::vector<std::string> only_named(const std::string& name, const std::vector<std::string>& pending_stems,
                                      Transaction& tx);
  /// up → down → up of one pending migration inside `tx`, comparing catalog and data;
  /// nullopt when it checked out, else the exit code to stop with.
  std::optional<ExitCode> verify_one(const MigrationStep& step, Transaction& tx);
  /// Compares what up → down did to the catalog and the data; nullopt when they came back.
  std::optional<ExitCode> compare_round_trip(const MigrationStep& step, Transaction& tx, Direction& direction);
  /// Refuses verify in production unless asked for explicitly: it keeps its locks until it ends.
  void refuse_in_production(const VerifyRequest& request) const;
  /// Tells the reporter, once, that verify keeps its locks, and its limits.
  void announce();
  /// The tables `step`'s up and down write to, learnt by running both once, undone
  /// (`direction`: which of them is running, for the report of a failure).
  std::set<std::string> tables_verified(const MigrationStep& step, Transaction& tx, Direction& direction);
  /// What differs from `before` in the catalog now, by the doing of `tx` alone.
  CatalogDifference catalog_changes(const Catalog& before, Transaction& tx);

  EngineContext& context_;
  AppliedRecords& records_;
  BatchRunner& runner_;
  bool announced_ = false;
};

}  // namespace sonamu
