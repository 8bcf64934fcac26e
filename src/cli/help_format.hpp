#pragma once
/// `--help` laid out for the terminal: option descriptions wrapped at word boundaries to its
/// width, under the column CLI11 starts them at.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace sonamu::cli {

/// `text` cut into lines of at most `width` characters at spaces (a word longer than `width`
/// stays whole on its own line), joined by newlines.
std::string wrap_words(const std::string& text, std::size_t width);

/// The width to lay help out for: COLUMNS when set to a number, else stdout's terminal width;
/// 0 (no wrapping) when neither is known, as when the help is piped.
std::size_t help_width();

/// Makes `app` and every subcommand wrap option descriptions to `width` (0: leave them).
void wrap_help(CLI::App& app, std::size_t width);

}  // namespace sonamu::cli
