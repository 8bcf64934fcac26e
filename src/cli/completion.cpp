#include "cli/completion.hpp"

#include "core/program_name.hpp"

#include <cctype>

namespace sonamu::cli {

namespace {

/// "_sonamu", or "_my_migrate" for a project's executable: a shell function name of the
/// program's, so that two programs' completions never replace each other.
std::string completion_function() {
  std::string function = "_";
  for (const char c : program_name()) function += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return function;
}

std::string words_of(const CLI::App& app) {
  std::string words;
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) words += " --" + name;
    for (const auto& name : option->get_snames()) words += " -" + name;
  }
  return words;
}

/// The bash function; zsh runs the same one through bashcompinit.
std::string bash_function(const CLI::App& app) {
  std::string top = words_of(app);
  std::string cases;
  std::string migrate_commands;
  for (const CLI::App* command : app.get_subcommands({})) {
    top += " " + command->get_name();
    if (command->get_name() != "migrate") continue;
    for (const CLI::App* sub : command->get_subcommands({})) {
      migrate_commands += " " + sub->get_name();
      cases += "      " + sub->get_name() + ") words=\"" + words_of(*sub) + "\" ;;\n";
    }
  }
  const std::string function = completion_function();
  return function + "() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" words=\"\"\n"
         "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
         "    words=\"" + top + "\"\n"
         "  elif [ \"${COMP_WORDS[1]}\" = completion ]; then\n"
         "    words=\"bash zsh\"\n"
         "  elif [ \"${COMP_WORDS[1]}\" = migrate ] && [ \"$COMP_CWORD\" -eq 2 ]; then\n"
         "    words=\"" + migrate_commands + "\"\n"
         "  elif [ \"${COMP_WORDS[1]}\" = migrate ]; then\n"
         "    case \"${COMP_WORDS[2]}\" in\n" + cases +
         "    esac\n"
         "  fi\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -F " + function + " " + program_name() + "\n";
}

}  // namespace

std::string completion_script(const std::string& shell, const CLI::App& app) {
  const std::string& name = program_name();
  if (shell == "bash") {
    return "# bash completion for " + name + ": source <(" + name + " completion bash)\n" + bash_function(app);
  }
  if (shell == "zsh") {
    return "# zsh completion for " + name + ": source <(" + name + " completion zsh)\n"
           "autoload -U +X bashcompinit && bashcompinit\n" + bash_function(app);
  }
  return {};
}

}  // namespace sonamu::cli
