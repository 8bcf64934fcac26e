#include "markdown_roff.hpp"

#include <sstream>
#include <utility>
#include <vector>

namespace sonamu::cli {

namespace {

/// One character escaped for roff; `-` as \- so that options read (and copy) as typed.
void escape_char(std::string& out, char c) {
  if (c == '\\') {
    out += "\\e";
  } else if (c == '-') {
    out += "\\-";
  } else {
    out += c;
  }
}

/// A line that roff would take for a request (leading . or ') gets a zero-width escape.
std::string protect_line(const std::string& line) {
  if (!line.empty() && (line[0] == '.' || line[0] == '\'')) return "\\&" + line;
  return line;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The cells of a table row `| a | b |`.
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::string inner = trim(row);
  if (starts_with(inner, "|")) inner.erase(0, 1);
  if (!inner.empty() && inner.back() == '|') inner.pop_back();
  std::string cell;
  bool in_code = false;
  for (char c : inner) {
    if (c == '`') in_code = !in_code;
    if (c == '|' && !in_code) {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(trim(cell));
  return cells;
}

bool is_separator_row(const std::string& row) { return row.find_first_not_of("|-: \t") == std::string::npos; }

/// Where the link `[text](target)` opening at `open` ends: the index of its `]` and of its `)`,
/// or {npos, npos} when `open` opens no link.
std::pair<std::size_t, std::size_t> link_at(const std::string& text, std::size_t open) {
  const std::size_t close = text.find("](", open);
  const std::size_t end = close == std::string::npos ? close : text.find(')', close);
  if (end == std::string::npos || text.find('[', open + 1) < close) return {std::string::npos, std::string::npos};
  return {close, end};
}

std::string verbatim(const std::string& line) {
  std::string out;
  for (char c : line) escape_char(out, c);
  return protect_line(out);
}

}  // namespace

std::string roff_inline(const std::string& text) {
  std::string out;
  bool code = false;
  bool bold = false;
  std::pair<std::size_t, std::size_t> link{std::string::npos, std::string::npos};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!code && c == '[' && link.first == std::string::npos) {
      link = link_at(text, i);  // a link reads as its text: its target means nothing on a page
      if (link.first != std::string::npos) continue;
    }
    if (i == link.first) {
      i = link.second;
      link = {std::string::npos, std::string::npos};
    } else if (c == '`') {
      code = !code;
      out += code ? "\\fB" : "\\fR";
    } else if (!code && c == '*' && i + 1 < text.size() && text[i + 1] == '*') {
      bold = !bold;
      out += bold ? "\\fB" : "\\fR";
      ++i;
    } else {
      escape_char(out, c);
    }
  }
  if (code || bold) out += "\\fR";
  return protect_line(out);
}

std::string markdown_section(const std::string& markdown, const std::string& heading) {
  const std::size_t level = heading.find_first_not_of('#');
  std::string body;
  bool inside = false;
  bool fenced = false;
  for (const auto& line : lines_of(markdown)) {
    if (starts_with(line, "```")) fenced = !fenced;
    if (!fenced && starts_with(line, "#")) {
      const std::size_t line_level = line.find_first_not_of('#');
      if (inside && line_level <= level) break;
      if (line == heading) {
        inside = true;
        continue;
      }
    }
    if (inside) body += line + '\n';
  }
  return body;
}

std::string markdown_to_roff(const std::string& markdown) {
  std::string out;
  std::string paragraph;
  auto flush = [&] {
    if (!paragraph.empty()) out += ".PP\n" + roff_inline(paragraph) + '\n';
    paragraph.clear();
  };
  const auto lines = lines_of(markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (starts_with(line, "```")) {
      flush();
      out += ".PP\n.RS 4\n.nf\n";
      for (++i; i < lines.size() && !starts_with(lines[i], "```"); ++i) out += verbatim(lines[i]) + '\n';
      out += ".fi\n.RE\n";
    } else if (starts_with(line, "    ") && paragraph.empty()) {
      out += ".PP\n.RS 4\n.nf\n";
      for (; i < lines.size() && (starts_with(lines[i], "    ") || trim(lines[i]).empty()); ++i) {
        // A blank line ends the block when the next line is not code either.
        if (trim(lines[i]).empty() && (i + 1 >= lines.size() || !starts_with(lines[i + 1], "    "))) break;
        out += verbatim(lines[i].substr(std::min<std::size_t>(4, lines[i].size()))) + '\n';
      }
      --i;  // the line that ended the block is read again by the outer loop
      out += ".fi\n.RE\n";
    } else if (starts_with(line, "|")) {
      flush();
      const bool header = i + 1 < lines.size() && starts_with(lines[i + 1], "|") && is_separator_row(lines[i + 1]);
      if (header || is_separator_row(line)) continue;
      const auto cells = cells_of(line);
      out += ".TP\n" + roff_inline(cells[0]) + '\n';
      std::string rest;
      for (std::size_t c = 1; c < cells.size(); ++c) rest += (c > 1 ? "; " : "") + cells[c];
      out += roff_inline(rest) + '\n';
    } else if (starts_with(line, "- ")) {
      flush();
      paragraph = line.substr(2);
      for (; i + 1 < lines.size() && starts_with(lines[i + 1], "  ") && !trim(lines[i + 1]).empty(); ++i) {
        paragraph += ' ' + trim(lines[i + 1]);
      }
      out += ".IP \\(bu 2\n" + roff_inline(paragraph) + '\n';
      paragraph.clear();
    } else if (trim(line).empty()) {
      flush();
    } else {
      paragraph += (paragraph.empty() ? "" : " ") + trim(line);
    }
  }
  flush();
  return out;
}

}  // namespace sonamu::cli
