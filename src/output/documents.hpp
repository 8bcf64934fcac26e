#pragma once
/// The JSON documents' parts that are the same for every command: the envelope, and the
/// fields of status and history, written from their values.

#include "core/bookkeeping.hpp"
#include "engine/migrator.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace sonamu::cli {

/// Where the command ran, as far as it is known: the JSON document's envelope.
struct Context {
  std::string command;      ///< as the JSON document names it ("rollback --all", ...)
  std::string environment;
  std::string database;
};

/// `text` as a JSON string, or null when it is empty: how every document writes a text that
/// may be absent.
nlohmann::json text_or_null(const std::string& text);

/// The fields every JSON document starts with: command, environment, database (null while
/// unknown), ok and exit_code.
nlohmann::json envelope(const Context& context, int exit_code);

/// `status`'s fields of its JSON document: batches, pending and edited.
nlohmann::json status_json(const StatusReport& report);

/// The `history` array: each record, newest first.
nlohmann::json history_json(const std::vector<HistoryRecord>& records);

/// Prints a JSON document on stdout, indented, with a final newline.
void print_document(std::ostream& out, const nlohmann::json& document);

}  // namespace sonamu::cli
