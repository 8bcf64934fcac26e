#include "core/program_name.hpp"

namespace sonamu {

namespace {

std::string& name_storage() {
  static std::string name = "sonamu";
  return name;
}

std::string& folder_storage() {
  static std::string folder;
  return folder;
}

}  // namespace

const std::string& program_name() { return name_storage(); }

void set_program_name(const std::string& name) {
  if (!name.empty()) name_storage() = name;
}

const std::string& built_migrations_dir() { return folder_storage(); }

void set_built_migrations_dir(const std::string& folder) { folder_storage() = folder; }

}  // namespace sonamu
