#pragma once
/// The statements that begin, end or mark a transaction, as PostgreSQL's own grammar reads them
/// (libpg_query, the parser of PostgreSQL 15), and which of them a migration that runs inside
/// the tool's transaction may not send.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sonamu::grammar {

/// One transaction statement (PostgreSQL's TransactionStmt).
struct TransactionStatement {
  enum class Kind {
    begin,        ///< BEGIN, START TRANSACTION
    end,          ///< COMMIT, END, ROLLBACK, ABORT (AND CHAIN too), PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED
    savepoint,    ///< SAVEPOINT name
    release,      ///< RELEASE [SAVEPOINT] name
    rollback_to,  ///< ROLLBACK TO [SAVEPOINT] name
  };
  Kind kind = Kind::end;
  std::string savepoint;    ///< the name, for the three savepoint kinds
  std::size_t offset = 0;   ///< where the statement's first word is in the text
  std::string text;         ///< its first line as written, for messages
};

struct SplitOutcome;

/// The transaction statements among those of `split`, a successful split of `text`, in order.
std::vector<TransactionStatement> transaction_statements(const std::string& text, const SplitOutcome& split);

/// Why a statement may not run inside the transaction a migration runs in.
struct Refusal {
  std::size_t offset = 0;  ///< where the refused statement is in the text checked
  std::string message;
};

/// Checks the SQL texts one migration function sends, in order, inside the tool's transaction.
/// Refused: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT (with or without AND CHAIN),
/// PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED, and RELEASE or ROLLBACK TO a savepoint that
/// this migration did not create (it would reach into the work of the tool or of another
/// migration). A migration's own savepoints stay inside the transaction and are allowed.
/// Text that does not parse is not refused: the server rejects it, or runs a grammar newer
/// than this parser's, and the transaction status checked after every statement stays the
/// last line of defence.
class TransactionControlCheck {
 public:
  /// Why `sql` may not be sent; nullopt when it may. Remembers the savepoints it creates.
  std::optional<Refusal> check(std::string_view sql);
  /// The same for `text` already split (successfully) into `split`: a long file is parsed once.
  std::optional<Refusal> check(const std::string& text, const SplitOutcome& split);

 private:
  std::set<std::string> savepoints_;
};

/// The first line of `statement`, trimmed, at most 80 characters: how a message quotes it.
std::string quoted_statement(std::string_view statement);

}  // namespace sonamu::grammar
