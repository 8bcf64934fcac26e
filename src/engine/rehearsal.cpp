#include "engine/rehearsal.hpp"

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
  return rehearsal;
}

}  // namespace sonamu
