#include "core/preflight.hpp"

namespace sonamu {

namespace {

/// A handle that sends nothing.
class RehearsalKnex final : public Knex {
 protected:
  Result execute(const std::string&, const std::vector<Param>&) override { return {}; }
};

/// What a rehearsal of `fn` threw that says something about its definition.
struct Rehearsal {
  std::optional<std::string> definition_problem;
  std::optional<std::string> irreversible_reason;
};

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
    // Not about the definition: the real run reports it with the server's context.
  }
  return rehearsal;
}

}  // namespace

std::optional<std::string> definition_problem(MigrationFn fn) { return rehearse(fn).definition_problem; }

std::optional<std::string> irreversible_reason(MigrationFn down) {
  return rehearse(down).irreversible_reason;
}

}  // namespace sonamu
