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
  } catch (...) {
    // Not a definition problem: the real run reports it with the server's context.
  }
  return std::nullopt;
}

}  // namespace sonamu
