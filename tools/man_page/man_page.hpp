#pragma once
/// sonamu(1), written from the same CLI11 definition that prints `--help`, and from the
/// documentation's sections on exit codes, environment, files, examples and related pages.

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace sonamu::cli {

/// The Markdown files the page quotes, relative to the source folder ("README.md", "docs/...").
const std::vector<std::string>& man_page_documents();

/// The manual page (man(7) roff) of `app` for `version`; `documents` holds the text of each
/// file of man_page_documents(), by that name. Throws std::runtime_error naming a file or a
/// section that is missing.
std::string man_page(const CLI::App& app, const std::string& version,
                     const std::map<std::string, std::string>& documents);

}  // namespace sonamu::cli
