#pragma once
/// The error a builder raises at the call that misuses it, before any SQL is sent.

#include <stdexcept>

namespace sonamu {

/// A schema or query definition that cannot be turned into SQL: an empty name, a type with
/// impossible arguments, a foreign key without a referenced column, ... It is a programming
/// error in the migration, so it derives from std::logic_error.
class DefinitionError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace sonamu
