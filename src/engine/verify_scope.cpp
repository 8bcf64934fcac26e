// `migrate verify`: what its checks of one migration look at. Other sessions may change the
// database meanwhile (an application creating and dropping tables, the other tenants of a
// fleet verified side by side): the checks read and compare only what the migration itself
// can change, so they neither wait on other sessions' locks nor blame the migration for
// their changes.
#include "engine/verifier.hpp"
#include "engine/silent_reporter.hpp"

namespace sonamu {

namespace {

/// The first pass's statements are not shown (the real pass shows them); a wait for a lock
/// is, as it is in the real pass, so that a verify held up there is not silent.
class LockWaitsOnly final : public SilentReporter {
 public:
  explicit LockWaitsOnly(Reporter& inner) : inner_(inner) {}
  void lock_waiting(const LockWait& wait, std::chrono::milliseconds waited) override {
    inner_.lock_waiting(wait, waited);
  }

 private:
  Reporter& inner_;
};

}  // namespace

std::set<std::string> Verifier::tables_verified(const MigrationStep& step, Transaction& tx, Direction& direction) {
  // Which tables a migration writes to is known only once it ran: up and down run once,
  // unseen and undone, before the copies are taken. A failure of this pass is the
  // migration's and is reported as such (the same statements fail in the real pass).
  LockWaitsOnly silent(context_.reporter);
  auto tables = context_.session.tables_written(tx, [&] {
    direction = Direction::up;
    tx.run(step.migration->up, silent);
    direction = Direction::down;
    try {
      tx.run(step.migration->down, silent);
    } catch (const IrreversibleMigration&) {
      // The real pass meets it and reports the migration as skipped.
    }
  });
  direction = Direction::up;
  return tables;
}

CatalogDifference Verifier::catalog_changes(const Catalog& before, Transaction& tx) {
  const Catalog after = context_.session.catalog(tx);
  return catalog_difference(before, after, context_.session.changed_here(tx, differing_objects(before, after)));
}

}  // namespace sonamu
