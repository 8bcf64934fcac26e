#include "engine/rehearsal.hpp"

#include <sonamu/lossy.hpp>

namespace sonamu {

namespace {

/// A handle that sends nothing.
class RehearsalKnex final : public Knex {
 protected:
  Result execute(const std::string&, const std::vector<Param>&) override { return {}; }
};

}  // namespace

Rehearsal rehearse(MigrationFn fn) {
  RehearsalKnex knex;
  take_declared_loss(knex);  // a handle that lived at this address before said nothing of this one
  Rehearsal rehearsal;
  try {
    fn(knex);
  } catch (const DefinitionError& e) {
    rehearsal.definition_problem = e.what();
  } catch (const IrreversibleMigration& e) {
    rehearsal.irreversible_reason = e.what();
  } catch (...) {
    // Not about the definition: the real run reports it.
  }
  rehearsal.lossy_reason = take_declared_loss(knex);
  return rehearsal;
}

}  // namespace sonamu
