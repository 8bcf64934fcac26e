#include "core/program_name.hpp"

namespace sonamu {

namespace {

std::string& name_storage() {
  static std::string name = "sonamu";
  return name;
}

}  // namespace

const std::string& program_name() { return name_storage(); }

void set_program_name(const std::string& name) {
  if (!name.empty()) name_storage() = name;
}

}  // namespace sonamu
