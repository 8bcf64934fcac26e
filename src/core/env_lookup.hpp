#pragma once
/// Reading environment variables through a function, so tests need no real environment.

#include <functional>

namespace sonamu {

/// Reads an environment variable; nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

}  // namespace sonamu
