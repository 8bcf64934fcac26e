#include "core/preflight.hpp"

namespace sonamu {

namespace {

/// A handle that sends nothing.
class RehearsalKnex final : public Knex {
 protected:
  Result execute(const std::string&, const std::vector<Param>&) override { return {}; }
};

}  // namespace

std::optional<std::string> definition_problem(MigrationFn fn) {
  RehearsalKnex knex;
  try {
    fn(knex);
  } catch (const DefinitionError& e) {
    return std::string(e.what());
  } catch (const IrreversibleMigration&) {
    // Reported by irreversible_reason.
  } catch (...) {
    // Not a definition problem: the real run reports it with the server's context.
  }
  return std::nullopt;
}

std::optional<std::string> irreversible_reason(MigrationFn down) {
  RehearsalKnex knex;
  try {
    down(knex);
  } catch (const IrreversibleMigration& e) {
    return std::string(e.what());
  } catch (...) {
  }
  return std::nullopt;
}

}  // namespace sonamu
