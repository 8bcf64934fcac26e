#pragma once
/// `knex.raw(...)`: a statement when written as one, an SQL fragment when used as a value.

#include <sonamu/builder/sql_value.hpp>
#include <sonamu/result.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace sonamu {

class Knex;

/// What `knex.raw(sql, values...)` gives. As in knex, it depends on where it is written:
///
///     knex.raw("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"");    // a statement: runs
///     table.uuid("id").defaultTo(knex.raw("uuid_generate_v4()"));  // a value: never runs
///     Result n = knex.raw("SELECT count(*) AS n FROM users");      // read: runs now
///
/// Used as a value (converted to Raw or SqlValue) it is only SQL text. Otherwise it runs once,
/// when its rows are first read, at the latest at the end of the full expression (or of the
/// variable) that holds it. Errors are thrown where it runs; while another exception unwinds
/// the stack it is dropped silently.
class RawQuery {
 public:
  RawQuery(Knex& knex, Raw statement);
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;
  /// Takes over the pending run.
  RawQuery(RawQuery&& other) noexcept;
  RawQuery& operator=(RawQuery&&) = delete;
  /// Runs the statement if nothing read it and it was not used as a value.
  ~RawQuery() noexcept(false);

  /// The SQL fragment, for a value: `defaultTo`, `update({...})`, `whereRaw`. Cancels the run.
  Raw fragment() const;
  operator Raw() const { return fragment(); }  // NOLINT: implicit, as knex.raw is a value there

  /// Runs the statement (once) and returns its rows.
  const Result& rows() const;
  operator Result() const { return rows(); }  // NOLINT: implicit on purpose
  /// The Result's accessors, each running the statement first.
  std::size_t size() const { return rows().size(); }
  bool empty() const { return rows().empty(); }
  std::size_t affected_rows() const { return rows().affected_rows(); }
  const Value& at(std::size_t index, std::string_view column) const { return rows().at(index, column); }
  RowView operator[](std::size_t index) const { return rows()[index]; }

 private:
  Knex* knex_;
  Raw statement_;
  mutable bool pending_ = true;
  mutable std::optional<Result> result_;
  int exceptions_at_creation_;
};

}  // namespace sonamu
