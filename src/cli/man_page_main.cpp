// Writes sonamu(1) at build time: man_page_main README.md VERSION OUTPUT.
// It builds the command line exactly as `sonamu` does, so the page cannot drift from --help.

#include "cli/app_definition.hpp"
#include "cli/man_page.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: man_page_main README.md VERSION OUTPUT\n";
    return 2;
  }
  std::ifstream readme_file(argv[1]);
  if (!readme_file) {
    std::cerr << "error: cannot read " << argv[1] << '\n';
    return 1;
  }
  std::stringstream readme;
  readme << readme_file.rdbuf();

  CLI::App app;
  sonamu::cli::Options options;
  std::string shell;
  sonamu::cli::define_app(app, options, shell);
  try {
    const std::string page = sonamu::cli::man_page(app, argv[2], readme.str());
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
