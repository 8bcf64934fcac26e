#include <sonamu/knex.hpp>

#include <exception>

namespace sonamu {

RawQuery::RawQuery(Knex& knex, Raw statement)
    : knex_(&knex), statement_(std::move(statement)), exceptions_at_creation_(std::uncaught_exceptions()) {}

RawQuery::RawQuery(RawQuery&& other) noexcept
    : knex_(other.knex_),
      statement_(std::move(other.statement_)),
      pending_(other.pending_),
      result_(std::move(other.result_)),
      exceptions_at_creation_(other.exceptions_at_creation_) {
  other.pending_ = false;
}

RawQuery::~RawQuery() noexcept(false) {
  if (!pending_) return;
  pending_ = false;
  // During unwinding a throw would terminate the program, and the migration fails anyway.
  if (std::uncaught_exceptions() > exceptions_at_creation_) return;
  result_ = knex_->execute(statement_.sql, statement_.bindings);
}

Raw RawQuery::fragment() const {
  pending_ = false;
  return statement_;
}

const Result& RawQuery::rows() const {
  if (pending_) {
    // Cleared first: a statement that throws is not run again by the destructor.
    pending_ = false;
    result_ = knex_->execute(statement_.sql, statement_.bindings);
  }
  if (!result_) throw DefinitionError("knex.raw(...) was used as a value: it has no rows");
  return *result_;
}

SqlValue::SqlValue(const RawQuery& query) : value_(query.fragment()) {}

}  // namespace sonamu
