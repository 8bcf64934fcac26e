#pragma once
/// What a migration file includes: the handle type and the registration macro.
///
/// A migration is a file `migrations/YYYYMMDDHHMMSS_name.cpp`:
///
///     #include <sonamu/migration.hpp>
///
///     namespace {
///     void up(sonamu::Knex& knex) {
///       knex.schema.createTable("users", [](auto& table) {
///         table.increments();
///         table.string("email", 255).notNullable();
///       });
///     }
///     void down(sonamu::Knex& knex) { knex.schema.dropTable("users"); }
///     }  // namespace
///
///     SONAMU_MIGRATION(up, down)
///
/// Its name is taken from the file name, so renaming the file renames the migration.
///
/// A migration that cannot run inside a transaction (`CREATE INDEX CONCURRENTLY`,
/// `ALTER TYPE ... ADD VALUE` on old servers, `VACUUM`) registers with
/// `SONAMU_MIGRATION_WITHOUT_TRANSACTION(up, down)` instead: it runs on its own and is recorded
/// right after it succeeds.

#include <sonamu/knex.hpp>

#include <stdexcept>
#include <string>

namespace sonamu {

/// Thrown by `irreversible`: this migration's down cannot be written.
class IrreversibleMigration : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Call from `down` when the change cannot be undone (deleted rows, lossy type changes):
/// rolling the migration back then refuses with `reason`, unless forced.
///
///     void down(sonamu::Knex&) { sonamu::irreversible("deleted users cannot be restored"); }
[[noreturn]] inline void irreversible(const std::string& reason) { throw IrreversibleMigration(reason); }

/// Signature of a migration's `up` and `down`.
using MigrationFn = void (*)(Knex&);

/// Adds a migration to the process-wide registry during static initialisation. Never throws:
/// problems (a malformed file name, a duplicate) are kept and reported at start-up.
class Registrar {
 public:
  Registrar(const char* source_file, MigrationFn up, MigrationFn down,
            bool transactional = true) noexcept;
  /// `source_hash`: SHA-256 (hex) of the file when it was compiled, empty if unknown.
  Registrar(const char* source_file, MigrationFn up, MigrationFn down, bool transactional,
            const char* source_hash) noexcept;
};

}  // namespace sonamu

/// The SHA-256 of this file as compiled, set by sonamu_add_migrations(); empty elsewhere.
#ifndef SONAMU_SOURCE_HASH
#define SONAMU_SOURCE_HASH ""
#endif

/// Registers the migration defined in the current file; its name comes from `__FILE__`.
#define SONAMU_MIGRATION(up_fn, down_fn)                                              \
  namespace {                                                                         \
  const ::sonamu::Registrar sonamu_migration_registrar_{__FILE__, (up_fn), (down_fn), true,  \
                                                        SONAMU_SOURCE_HASH};                  \
  }

/// Registers the migration defined in the current file to run outside any transaction.
#define SONAMU_MIGRATION_WITHOUT_TRANSACTION(up_fn, down_fn)                                    \
  namespace {                                                                                 \
  const ::sonamu::Registrar sonamu_migration_registrar_{__FILE__, (up_fn), (down_fn), false,     \
                                                        SONAMU_SOURCE_HASH};                     \
  }
