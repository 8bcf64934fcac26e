// Writes sonamu(1) at build time: man_page_main SOURCE_DIR VERSION OUTPUT.
// It builds the command line exactly as `sonamu` does, so the page cannot drift from --help,
// and quotes the documentation's files (README.md, docs/) found in SOURCE_DIR.

#include "cli/app_definition.hpp"
#include "man_page.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: man_page_main SOURCE_DIR VERSION OUTPUT\n";
    return 2;
  }
  std::map<std::string, std::string> documents;
  for (const std::string& name : sonamu::cli::man_page_documents()) {
    const std::string path = std::string(argv[1]) + "/" + name;
    std::ifstream file(path);
    if (!file) {
      std::cerr << "error: cannot read " << path << '\n';
      return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    documents[name] = text.str();
  }

  CLI::App app;
  sonamu::cli::Options options;
  std::string shell;
  sonamu::cli::define_app(app, options, shell);
  try {
    const std::string page = sonamu::cli::man_page(app, argv[2], documents);
    std::ofstream out(argv[3], std::ios::binary);
    out << page;
    if (!out.flush()) {
      std::cerr << "error: cannot write " << argv[3] << '\n';
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
