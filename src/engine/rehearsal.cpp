#include "engine/rehearsal.hpp"

namespace sonamu {

namespace {

/// A handle that sends nothing and keeps the SQL texts it was given.
class RehearsalKnex final : public Knex {
 public:
  std::vector<std::string> statements;

 protected:
  Result execute(const std::string& sql, const std::vector<Param>&) override {
    statements.push_back(sql);
    return {};
  }
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
  for (const auto& sql : knex.statements) {
    for (auto& drop : drops_in(sql)) rehearsal.drops.push_back(std::move(drop));
  }
  return rehearsal;
}

}  // namespace sonamu
