#include "core/registry.hpp"

#include "core/migration_name.hpp"

#include <algorithm>

namespace sonamu {

Registry& Registry::global() {
  // A function-local static, so registrars in other files can use it whatever the order
  // of static initialisation.
  static Registry registry;
  return registry;
}

void Registry::add(const std::string& source_file, MigrationFn up, MigrationFn down,
                   bool transactional, const std::string& source_hash) {
  const std::string stem = stem_of_path(source_file);
  if (const std::string problem = migration_name_problem(stem); !problem.empty()) {
    problems_.push_back("Invalid migration file name '" + stem + "' (" + source_file +
                        "): " + problem);
    return;
  }
  migrations_.push_back(Migration{stem, source_file, up, down, transactional, source_hash});
  settled_ = false;
}

void Registry::settle() const {
  if (settled_) return;
  std::stable_sort(migrations_.begin(), migrations_.end(),
                   [](const Migration& a, const Migration& b) { return a.stem < b.stem; });
  std::vector<Migration> unique;
  unique.reserve(migrations_.size());
  for (auto& migration : migrations_) {
    if (!unique.empty() && unique.back().stem == migration.stem) {
      problems_.push_back("Duplicate migration name '" + migration.stem + "': " +
                          unique.back().source_file + " and " + migration.source_file);
      continue;
    }
    unique.push_back(std::move(migration));
  }
  migrations_ = std::move(unique);
  settled_ = true;
}

const std::vector<Migration>& Registry::migrations() const {
  settle();
  return migrations_;
}

const std::vector<std::string>& Registry::problems() const {
  settle();
  return problems_;
}

const Migration* Registry::find(const std::string& stem) const {
  const auto& all = migrations();
  const auto it = std::lower_bound(all.begin(), all.end(), stem,
                                   [](const Migration& m, const std::string& s) { return m.stem < s; });
  return it != all.end() && it->stem == stem ? &*it : nullptr;
}

Registrar::Registrar(const char* source_file, MigrationFn up, MigrationFn down,
                     bool transactional) noexcept {
  try {
    Registry::global().add(source_file, up, down, transactional);
  } catch (...) {
    // Out of memory during static initialisation: nothing sensible can be reported yet.
  }
}

Registrar::Registrar(const char* source_file, MigrationFn up, MigrationFn down, bool transactional,
                     const char* source_hash) noexcept {
  try {
    Registry::global().add(source_file, up, down, transactional, source_hash);
  } catch (...) {
    // As above.
  }
}

}  // namespace sonamu
