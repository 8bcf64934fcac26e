#pragma once
/// The text of a MigrationResult's parts, as the terminal prints each when it happens: a
/// committed batch, a failure, the data at risk. The terminal reporter writes these functions'
/// text at the moment each part ends; the JSON document is written from the same values
/// (output/migration_json.hpp).

#include "core/migration_result.hpp"
#include "engine/migrator_settings.hpp"
#include "output/format.hpp"

#include <string>

namespace sonamu::cli {

/// How much the terminal prints.
struct Verbosity {
  bool verbose = false;  ///< each migration's start, statements and timing
  bool quiet = false;    ///< errors only
  bool dry_run = false;  ///< summaries say "would"
};

/// "Batch 2 run: 2 migrations" and each migration with its mark; with --verbose, whose log
/// named each migration as it ran, the batch line alone after a blank line.
std::string committed_batch_text(const BatchOutcome& batch, const Verbosity& verbosity, const Style& style);

/// "❌ Error running NAME", "   Error: MESSAGE" and, when a lock limit ended the statement,
/// what it waited for and each session that held the lock.
std::string failure_text(const MigrationFailure& failure, const Style& style);

/// "⚠ users.phone: 12 non-null values will be deleted"; a measurement a lock stopped names
/// who held the lock.
std::string risk_text(const RiskOutcome& risk, const Style& style);

/// The lines of the whole result that its parts print, in the order a terminal shows them
/// (the data at risk before anything ran, then the batches, then the failure); without the
/// live lines of --verbose (statements, timings, lock waits).
std::string migration_text(const MigrationResult& result, const Verbosity& verbosity, const Style& style);

/// What a rollback reverts, said before its question: `It rolls back 1 migration of batch 2:
/// 20251220143200_alter_users_add1.cpp` (`of batches 3 and 2` over several).
std::string reverting_text(const std::vector<RecordToRevert>& records);

}  // namespace sonamu::cli
