#pragma once
/// sonamu(1), written from the same CLI11 definition that prints `--help`, and from the
/// README's sections on exit codes, environment, files, examples and related pages.

#include <CLI/CLI.hpp>

#include <string>

namespace sonamu::cli {

/// The manual page (man(7) roff) of `app` for `version`; `readme` is the README's text.
/// Throws std::runtime_error naming a README section that is missing.
std::string man_page(const CLI::App& app, const std::string& version, const std::string& readme);

}  // namespace sonamu::cli
