#include "grammar/transaction_control.hpp"

#include "grammar/sql_statements.hpp"

#include <nlohmann/json.hpp>
#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

namespace sonamu::grammar {

namespace {

using json = nlohmann::json;

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// Whether a statement beginning with `word` can be a TransactionStmt: only those are parsed
/// a second time, so a long script costs one pass of the parser.
bool may_control_transaction(std::string_view sql, std::size_t at, std::size_t end) {
  std::string word;
  while (at < end && word.size() < 10 && (std::isalpha(static_cast<unsigned char>(sql[at])) != 0)) {
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[at])));
    ++at;
  }
  static const std::array<const char*, 9> starts{"abort",   "begin",     "commit", "end",    "prepare",
                                                 "release", "rollback", "savepoint", "start"};
  return std::find(starts.begin(), starts.end(), word) != starts.end();
}

/// The TransactionStmt node of the single statement `statement`, or null when it is none.
json transaction_node(const std::string& statement) {
  const std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult*)> result(
      new PgQueryParseResult(pg_query_parse(statement.c_str())), [](PgQueryParseResult* parsed) {
        pg_query_free_parse_result(*parsed);
        delete parsed;
      });
  if (result->error != nullptr || result->parse_tree == nullptr) return nullptr;
  const json tree = json::parse(result->parse_tree, nullptr, false);
  if (tree.is_discarded()) return nullptr;
  for (const auto& entry : tree.value("stmts", json::array())) {
    const json node = entry.value("stmt", json::object());
    if (node.contains("TransactionStmt")) return node["TransactionStmt"];
  }
  return nullptr;
}

TransactionStatement::Kind kind_of(const std::string& kind) {
  using Kind = TransactionStatement::Kind;
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") return Kind::begin;
  if (kind == "TRANS_STMT_SAVEPOINT") return Kind::savepoint;
  if (kind == "TRANS_STMT_RELEASE") return Kind::release;
  if (kind == "TRANS_STMT_ROLLBACK_TO") return Kind::rollback_to;
  return Kind::end;  // commit, rollback, prepare, commit/rollback prepared: unknown ones too
}

}  // namespace

std::string quoted_statement(std::string_view statement) {
  std::string_view line = statement.substr(0, statement.find('\n'));
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  while (!line.empty() && line.back() == ';') line.remove_suffix(1);
  if (line.size() > 80) return std::string(line.substr(0, 77)) + "...";
  return std::string(line);
}

std::vector<TransactionStatement> transaction_statements(const std::string& text, const SplitOutcome& split) {
  std::vector<TransactionStatement> found;
  for (const auto& [first, end] : split.statements) {
    if (!may_control_transaction(text, first, end)) continue;
    const json node = transaction_node(text.substr(first, end - first));
    if (node.is_null()) continue;
    TransactionStatement statement;
    statement.kind = kind_of(node.value("kind", ""));
    statement.savepoint = node.value("savepoint_name", "");
    statement.offset = first;
    statement.text = quoted_statement(std::string_view(text).substr(first, end - first));
    found.push_back(std::move(statement));
  }
  return found;
}

std::optional<Refusal> TransactionControlCheck::check(std::string_view sql) {
  const std::string text(sql);
  const SplitOutcome split = split_statements(text);
  if (!split.ok) return std::nullopt;
  return check(text, split);
}

std::optional<Refusal> TransactionControlCheck::check(const std::string& text, const SplitOutcome& split) {
  const auto statements = transaction_statements(text, split);
  static const std::string own_transactions =
      "; a migration that runs in a transaction may not begin, commit or roll back one (a migration that "
      "controls its own transactions runs without one: `-- migrate:up transaction:false`, "
      "SONAMU_MIGRATION_WITHOUT_TRANSACTION)";
  using Kind = TransactionStatement::Kind;
  for (const auto& statement : statements) {
    switch (statement.kind) {
      case Kind::begin:
        return Refusal{statement.offset, "`" + statement.text + "` would start a transaction inside the migration's own" +
                                             own_transactions};
      case Kind::end:
        return Refusal{statement.offset, "`" + statement.text + "` would end the migration's transaction" +
                                             own_transactions};
      case Kind::savepoint:
        savepoints_.insert(statement.savepoint);
        break;
      case Kind::release:
      case Kind::rollback_to:
        if (savepoints_.count(statement.savepoint) == 0) {
          return Refusal{statement.offset,
                         "`" + statement.text + "` names a savepoint this migration did not create: it would reach "
                         "outside the migration, into the transaction the tool runs it in"};
        }
        break;
    }
  }
  return std::nullopt;
}

}  // namespace sonamu::grammar
