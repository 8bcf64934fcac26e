#include "cli/fleet_report_command.hpp"

#include "cli/command_table.hpp"
#include "core/error.hpp"
#include "core/fleet_versions.hpp"
#include "host/text_file.hpp"
#include "output/documents.hpp"
#include "output/fleet_output.hpp"
#include "output/fleet_report.hpp"
#include "output/fleet_versions_output.hpp"

namespace sonamu::cli {

namespace {

ShardDocument read_document(const std::string& path) {
  const std::string text = read_text_file(path, "the fleet document");
  try {
    return {path, nlohmann::json::parse(text)};
  } catch (const nlohmann::json::exception& e) {
    throw Error(ExitCode::usage, "fleet-report: " + path + " is not JSON (" + std::string(e.what()) + ")");
  }
}

/// The fleet command the merged documents are of ("rollback --all" is `rollback`).
const Command& command_named(const std::string& spelled) {
  const Command* command = find_command(spelled.substr(0, spelled.find(' ')));
  if (command == nullptr || command->run == nullptr) {
    throw Error(ExitCode::usage, "fleet-report: `" + spelled + "` is no command that runs on a fleet");
  }
  return *command;
}

}  // namespace

void fleet_report_options(CLI::App& command, Options& options) {
  command.add_option("files", options.files, "The JSON documents of the shards (--shard K/N --json), one per shard")
      ->required();
}

ExitCode fleet_report_command(Invocation& in) {
  std::vector<ShardDocument> shards;
  for (const auto& path : in.options.files) shards.push_back(read_document(path));
  const MergedFleet merged = merge_fleet_documents(shards);
  const Command& command = command_named(merged.command);
  if (in.options.json) {
    print_document(in.out, merged.document);
    return static_cast<ExitCode>(merged.exit_code);
  }
  const Direction direction = (command.traits & reverts) != 0 ? Direction::down : Direction::up;
  in.err << fleet_failures_text(merged.outcome, direction, in.style) << std::flush;
  if (in.options.quiet) return static_cast<ExitCode>(merged.exit_code);
  const bool dry_run = merged.document.value("dry_run", false);
  in.out << outcome_counts(merged.outcome.results, dry_run ? "rehearsed" : command.fleet_done) << '\n';
  if (merged.document.contains("versions")) {
    in.out << fleet_versions_text(fleet_versions(target_versions(merged.document["targets"])));
  }
  return static_cast<ExitCode>(merged.exit_code);
}

}  // namespace sonamu::cli
