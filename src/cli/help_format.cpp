#include "cli/help_format.hpp"

#include <cstdlib>
#include <memory>
#include <sys/ioctl.h>
#include <unistd.h>

namespace sonamu::cli {

namespace {

/// CLI11's formatter, with each option's description wrapped to the columns left of `width`.
class WrappingFormatter final : public CLI::Formatter {
 public:
  explicit WrappingFormatter(std::size_t width) : width_(width) {}

  std::string make_option_desc(const CLI::Option* option) const override {
    const std::string description = CLI::Formatter::make_option_desc(option);
    const std::size_t column = get_column_width();
    // Too narrow for a description column: leave the text to the terminal.
    if (width_ <= column + 20) return description;
    return wrap_words(description, width_ - column - 1);
  }

 private:
  std::size_t width_;
};

}  // namespace

std::string wrap_words(const std::string& text, std::size_t width) {
  std::string wrapped;
  std::size_t line = 0;  // characters on the current line
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string word = text.substr(start, end - start);
    if (line > 0 && line + 1 + word.size() > width) {
      wrapped += '\n';
      line = 0;
    } else if (line > 0) {
      wrapped += ' ';
      ++line;
    }
    wrapped += word;
    line += word.size();
    start = end + 1;
  }
  return wrapped;
}

std::size_t help_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0) return static_cast<std::size_t>(value);
  }
  winsize size{};
  if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 0;
}

void wrap_help(CLI::App& app, std::size_t width) {
  if (width == 0) return;
  app.formatter(std::make_shared<WrappingFormatter>(width));
  for (CLI::App* sub : app.get_subcommands({})) wrap_help(*sub, width);
}

}  // namespace sonamu::cli
