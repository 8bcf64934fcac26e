// The `sonamu` executable: every binary built with migrations compiled in uses this file.

#include <sonamu/cli.hpp>

#include <iostream>

int main(int argc, char** argv) { return sonamu::cli::run_app(argc, argv, std::cout, std::cerr); }
