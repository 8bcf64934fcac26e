#pragma once
/// How an environment name (--env, NODE_ENV) is read: the production guards must not depend on
/// how the word was typed.

#include <string>

namespace sonamu {

/// What the production policy makes of an environment name.
enum class EnvironmentKind {
  other,            ///< guarded as any environment
  production,       ///< `production`, in any case
  near_production,  ///< another name whose first word (its leading letters) is prod, prd or production
};

/// `name` without surrounding whitespace, and `production` for any spelling of it in another
/// case: what the configuration file is searched for and the output names.
std::string canonical_environment(const std::string& name);

/// The kind of `name` (compared without surrounding whitespace and without case).
EnvironmentKind environment_kind(const std::string& name);

}  // namespace sonamu
