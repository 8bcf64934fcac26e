#pragma once
/// Declaring, from a migration's `down`, that it knowingly does not give every value back.

#include <optional>
#include <string>

namespace sonamu {

class Knex;

/// Call from `down` when it restores the schema but not every value (a type converted back,
/// a column re-created empty): `migrate verify` then lists what differs and stays green,
/// instead of failing. Call it before anything else in the down; it runs nothing.
///
///     void down(sonamu::Knex& knex) {
///       sonamu::lossy(knex, "ages lose their leading zeros");
///       knex.raw("ALTER TABLE users ALTER COLUMN age TYPE varchar(3) USING lpad(age::text, 3, '0')");
///     }
void lossy(Knex& knex, const std::string& reason);

/// The reason `lossy` was given on this handle, if it was called; clears it.
std::optional<std::string> take_declared_loss(const Knex& knex);

}  // namespace sonamu
