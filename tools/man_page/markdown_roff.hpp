#pragma once
/// The few pieces of Markdown the documentation uses (paragraphs, lists, tables, code blocks, `code`
/// and **bold**), turned into man(7) roff, so the manual page can quote its sections.

#include <string>

namespace sonamu::cli {

/// `text` escaped for roff: backslashes, hyphen-minus (so options copy as typed),
/// `code` / **bold** spans in bold, and a [link](target) as its text.
std::string roff_inline(const std::string& text);

/// The body of the section titled `heading` ("## Exit codes" or "### ..."), up to the next
/// heading of the same or a higher level. Empty when there is no such section.
std::string markdown_section(const std::string& markdown, const std::string& heading);

/// A block of Markdown as roff: paragraphs (.PP), list items (.IP), table rows (.TP, the first
/// cell as tag, the header row left out), indented or fenced code (.nf, verbatim).
std::string markdown_to_roff(const std::string& markdown);

}  // namespace sonamu::cli
