#pragma once
/// `fleet-report`: the JSON documents that the shards of one fleet command wrote (`--shard
/// K/N --json`) merged into the document one unsharded run writes.

#include "engine/fleet_runner.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sonamu::cli {

/// One shard's document, and the file it was read from (for errors).
struct ShardDocument {
  std::string path;
  nlohmann::json document;
};

/// The merged fleet.
struct MergedFleet {
  nlohmann::json document;  ///< the shape of an unsharded fleet document
  std::string command;      ///< as the documents name it: "run", "rollback --all", ...
  int exit_code = 0;        ///< the most severe of the shards' exit codes
  FleetOutcome outcome;     ///< each target's result, in the fleet's order, and why shards stopped
};

/// Merges `shards`: one command on one fleet and environment, shards 1/N to N/N each once,
/// every target in exactly one of them. Throws sonamu::Error (usage) naming the file at fault
/// for anything else: another command, a shard given twice or missing, a target in two
/// shards, a document of a `--resume` run (which covers only what it ran).
MergedFleet merge_fleet_documents(const std::vector<ShardDocument>& shards);

}  // namespace sonamu::cli
