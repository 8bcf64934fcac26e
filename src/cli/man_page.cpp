#include "cli/man_page.hpp"

#include "cli/markdown_roff.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

namespace sonamu::cli {

namespace {

/// The README sections the page quotes: man section title, README heading.
const std::vector<std::pair<std::string, std::string>> readme_sections = {
    {"EXIT STATUS", "## Exit codes"},
    {"ENVIRONMENT", "### Environment"},
    {"FILES", "### Files"},
    {"EXAMPLES", "### The guide's scenarios with these commands"},
    {"SEE ALSO", "### See also"},
};

/// An option as `--help` shows it: "-c,--connection TEXT"; names in bold, the rest in italics.
std::string option_tag(const CLI::Option& option) {
  CLI::Formatter formatter;
  const bool positional = option.nonpositional() == false;
  const std::string names = formatter.make_option_name(&option, positional);
  const std::string rest = formatter.make_option_opts(&option);
  std::string tag;
  std::size_t start = 0;
  while (start <= names.size()) {
    const std::size_t comma = std::min(names.find(',', start), names.size());
    if (!tag.empty()) tag += ", ";
    tag += (positional ? "\\fI" : "\\fB") + roff_inline(names.substr(start, comma - start)) + "\\fR";
    start = comma + 1;
  }
  if (!rest.empty()) tag += " \\fI" + roff_inline(rest.substr(1)) + "\\fR";
  return tag;
}

/// An option's identity for grouping: its names and its text.
std::string option_key(const CLI::Option& option) {
  return option.get_name(true, true) + '\n' + option.get_description();
}

std::string option_entry(const CLI::Option& option) {
  // .br: the text always starts below the tag, even a tag narrower than the indent.
  return ".TP\n" + option_tag(option) + "\n.br\n" + roff_inline(option.get_description()) + '\n';
}

std::string usage(const std::string& path, const CLI::App& command) {
  std::string line = ".B " + roff_inline(path) + '\n';
  for (const CLI::Option* option : command.get_options()) {
    if (option->nonpositional()) continue;
    line += option->get_required() ? ".I " + roff_inline(option->get_name()) + '\n'
                                   : ".RI [ " + roff_inline(option->get_name()) + " ]\n";
  }
  return line + ".RI [ options ]\n.br\n";
}

std::string required_section(const std::string& readme, const std::string& heading) {
  const std::string body = markdown_section(readme, heading);
  if (body.find_first_not_of(" \n") == std::string::npos) {
    throw std::runtime_error("README.md has no section \"" + heading + "\" for the manual page");
  }
  return body;
}

}  // namespace

std::string man_page(const CLI::App& app, const std::string& version, const std::string& readme) {
  const CLI::App* migrate = app.get_subcommand("migrate");
  const auto commands = migrate->get_subcommands({});
  std::vector<const CLI::App*> top_commands = app.get_subcommands({});

  // Options every migrate command has, with the same text, are listed once.
  std::map<std::string, std::size_t> seen;
  for (const CLI::App* command : commands) {
    for (const CLI::Option* option : command->get_options()) ++seen[option_key(*option)];
  }
  auto common = [&](const CLI::Option& option) { return seen[option_key(option)] == commands.size(); };

  std::string page;
  page += ".\\\" Generated from the command definitions and README.md: do not edit.\n";
  page += ".TH SONAMU 1 \"\" \"sonamu " + roff_inline(version) + "\" \"User Commands\"\n";
  page += ".SH NAME\nsonamu \\- " + roff_inline(app.get_description().substr(app.get_description().find(": ") + 2)) + '\n';

  page += ".SH SYNOPSIS\n";
  for (const CLI::App* command : commands) page += usage("sonamu migrate " + command->get_name(), *command);
  for (const CLI::App* command : top_commands) {
    if (command != migrate) page += usage("sonamu " + command->get_name(), *command);
  }
  page += ".B sonamu\n.RB [ \\-\\-help | \\-\\-version ]\n";

  // The README's opening, between its title and its first section.
  const std::size_t intro_start = readme.find('\n') + 1;
  const std::size_t intro_end = readme.find("\n## ");
  page += ".SH DESCRIPTION\n" + markdown_to_roff(readme.substr(intro_start, intro_end - intro_start));
  page += ".PP\n" + roff_inline(migrate->get_description()) + ": the commands below. " +
          "Every command takes \\fB\\-\\-help\\fR.\n";

  page += ".SH OPTIONS\n";
  for (const CLI::Option* option : app.get_options()) page += option_entry(*option);

  page += ".SH COMMANDS\n";
  for (const CLI::App* command : commands) {
    page += ".SS \"migrate " + roff_inline(command->get_name()) + "\"\n";
    page += roff_inline(command->get_description()) + ".\n";
    std::string own;
    for (const CLI::Option* option : command->get_options()) {
      if (!common(*option)) own += option_entry(*option);
    }
    page += own + ".PP\nAnd the common options (\\fBCOMMON OPTIONS\\fR).\n";
  }
  for (const CLI::App* command : top_commands) {
    if (command == migrate) continue;
    page += ".SS \"" + roff_inline(command->get_name()) + "\"\n" + roff_inline(command->get_description()) + ".\n";
    for (const CLI::Option* option : command->get_options()) page += option_entry(*option);
  }

  page += ".SH COMMON OPTIONS\nEvery \\fBmigrate\\fR command takes these.\n";
  for (const CLI::Option* option : commands.front()->get_options()) {
    if (common(*option)) page += option_entry(*option);
  }

  for (const auto& [title, heading] : readme_sections) {
    page += ".SH \"" + title + "\"\n" + markdown_to_roff(required_section(readme, heading));
  }
  return page;
}

}  // namespace sonamu::cli
