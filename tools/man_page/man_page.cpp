#include "man_page.hpp"

#include "markdown_roff.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

namespace sonamu::cli {

namespace {

const std::string readme_file = "README.md";

/// A section of the documentation the page quotes.
struct QuotedSection {
  std::string title;    ///< the man page's section
  std::string file;     ///< the Markdown file, relative to the source folder
  std::string heading;  ///< the heading line of the quoted section in that file
};

const std::vector<QuotedSection> quoted_sections = {
    {"EXIT STATUS", readme_file, "## Exit codes"},
    {"ENVIRONMENT", "docs/configuration.md", "### Environment"},
    {"FILES", "docs/configuration.md", "### Files"},
    {"EXAMPLES", "docs/rollback-safety.md", "## The guide's scenarios with these commands"},
    {"SEE ALSO", "docs/configuration.md", "### See also"},
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

const std::string& document(const std::map<std::string, std::string>& documents, const std::string& file) {
  const auto found = documents.find(file);
  if (found == documents.end()) throw std::runtime_error("the manual page needs " + file);
  return found->second;
}

std::string required_section(const std::map<std::string, std::string>& documents, const QuotedSection& quoted) {
  const std::string body = markdown_section(document(documents, quoted.file), quoted.heading);
  if (body.find_first_not_of(" \n") == std::string::npos) {
    throw std::runtime_error(quoted.file + " has no section \"" + quoted.heading + "\" for the manual page");
  }
  return body;
}

}  // namespace

const std::vector<std::string>& man_page_documents() {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> names{readme_file};
    for (const QuotedSection& quoted : quoted_sections) {
      if (std::find(names.begin(), names.end(), quoted.file) == names.end()) names.push_back(quoted.file);
    }
    return names;
  }();
  return files;
}

/// The SYNOPSIS section: one usage line per command.
std::string synopsis(const CLI::App& app) {
  const CLI::App* migrate = app.get_subcommand("migrate");
  std::string page = ".SH SYNOPSIS\n";
  for (const CLI::App* command : migrate->get_subcommands({})) {
    page += usage("sonamu migrate " + command->get_name(), *command);
  }
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command != migrate) page += usage("sonamu " + command->get_name(), *command);
  }
  return page + ".B sonamu\n.RB [ \\-\\-help | \\-\\-version ]\n";
}

std::string man_page(const CLI::App& app, const std::string& version,
                     const std::map<std::string, std::string>& documents) {
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
  page += ".\\\" Generated from the command definitions and the documentation: do not edit.\n";
  page += ".TH SONAMU 1 \"\" \"sonamu " + roff_inline(version) + "\" \"User Commands\"\n";
  page += ".SH NAME\nsonamu \\- " + roff_inline(app.get_description().substr(app.get_description().find(": ") + 2)) + '\n';

  page += synopsis(app);

  // The README's opening, between its title and its first section.
  const std::string& readme = document(documents, readme_file);
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

  for (const QuotedSection& quoted : quoted_sections) {
    page += ".SH \"" + quoted.title + "\"\n" + markdown_to_roff(required_section(documents, quoted));
  }
  return page;
}

}  // namespace sonamu::cli
