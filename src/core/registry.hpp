#pragma once
/// The migrations compiled into this program, collected by `sonamu::Registrar`.

#include <sonamu/migration.hpp>

#include <string>
#include <vector>

namespace sonamu {

/// One compiled migration.
struct Migration {
  std::string stem;         ///< e.g. `20251220143022_create__users`
  std::string source_file;  ///< as the compiler saw it, for error messages
  MigrationFn up = nullptr;
  MigrationFn down = nullptr;
  bool transactional = true;  ///< false: runs outside any transaction, recorded right after
  std::string source_hash;    ///< SHA-256 (hex) of the source as compiled; empty if unknown
};

/// A set of migrations sorted by name, plus the problems found while registering them.
class Registry {
 public:
  /// The registry filled by the static registrars of this program.
  static Registry& global();

  /// Adds a migration; a malformed or duplicate name is recorded as a problem, not thrown.
  void add(const std::string& source_file, MigrationFn up, MigrationFn down,
           bool transactional = true, const std::string& source_hash = "");

  /// All migrations, sorted by stem.
  const std::vector<Migration>& migrations() const;

  /// One message per malformed or duplicate migration; empty when all is well.
  const std::vector<std::string>& problems() const;

  /// The migration named `stem`, or nullptr.
  const Migration* find(const std::string& stem) const;

 private:
  /// Sorts once after registration and moves duplicates to the problems: linear-logarithmic
  /// in the number of migrations, however many there are.
  void settle() const;

  mutable std::vector<Migration> migrations_;
  mutable std::vector<std::string> problems_;
  mutable bool settled_ = true;
};

}  // namespace sonamu
