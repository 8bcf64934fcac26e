#pragma once
/// The JSON of a MigrationResult, as `--json` documents and a fleet's targets show it.

#include "core/migration_result.hpp"

#include <nlohmann/json.hpp>

namespace sonamu::cli {

/// The `batches` array: each batch with its migrations and what became of each.
nlohmann::json batches_json(const MigrationResult& result);

/// The fields a run, up, rollback or down adds to its document: batches, skipped,
/// data_at_risk, lock_retries and error (null without a failure).
nlohmann::json migration_json(const MigrationResult& result);

}  // namespace sonamu::cli
