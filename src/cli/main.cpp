// The `sonamu` executable: every binary built with migrations compiled in uses this file.

#include <sonamu/cli.hpp>

#include <iostream>

// sonamu_add_migrations names the program after its target (or its PROGRAM_NAME).
#ifndef SONAMU_PROGRAM_NAME
#define SONAMU_PROGRAM_NAME "sonamu"
#endif

// ... and tells it the folder of the migrations it was built from.
#ifndef SONAMU_MIGRATIONS_DIR
#define SONAMU_MIGRATIONS_DIR ""
#endif

int main(int argc, char** argv) {
  return sonamu::cli::run_app(argc, argv, std::cout, std::cerr, SONAMU_PROGRAM_NAME, SONAMU_MIGRATIONS_DIR);
}
