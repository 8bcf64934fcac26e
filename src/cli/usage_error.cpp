#include "cli/usage_error.hpp"

#include "cli/command_table.hpp"
#include "cli/suggest.hpp"
#include "core/program_name.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace sonamu::cli {

namespace {

/// "  run       Apply all pending migrations ...", one line per command, in the table's order.
std::string command_list() {
  std::size_t width = 0;
  for (const auto& command : command_table()) width = std::max(width, std::strlen(command.name));
  std::string text;
  for (const auto& command : command_table()) {
    const std::string name = command.name;
    text += "  " + name + std::string(width - name.size() + 2, ' ') + command.help + "\n";
  }
  return text;
}

}  // namespace

std::optional<std::string> migrate_word_error(int argc, char** argv) {
  // The first word that is no option is the group; the next one is the command.
  int i = 1;
  while (i < argc && argv[i][0] == '-') ++i;
  if (i >= argc || std::strcmp(argv[i], "migrate") != 0) return std::nullopt;
  ++i;
  while (i < argc && argv[i][0] == '-') ++i;
  const std::string& program = program_name();
  const std::string list = "; the commands are:\n" + command_list() + "(see " + program + " migrate --help)\n";
  if (i >= argc) return "Error: `" + program + " migrate` needs a command" + list;
  const std::string word = argv[i];
  if (find_command(word) != nullptr) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& command : command_table()) names.emplace_back(command.name);
  const std::string match = closest(word, names);
  // One line, as every other bad command line: the list is one --help away.
  return "Error: unknown command '" + word + "' for `" + program + " migrate`" +
         (match.empty() ? "" : " (did you mean '" + match + "'?)") + " (see " + program + " migrate --help)\n";
}

}  // namespace sonamu::cli
