#pragma once
/// Text files the commands write and read whole: a file written atomically, or read at once,
/// with a one-line error naming the file.

#include <optional>
#include <string>

namespace sonamu::cli {

/// Writes `text` to `path` through a temporary file in the same folder, renamed over it once
/// complete and flushed: a reader sees the old file or the new one, never a part.
void write_file_atomically(const std::string& path, const std::string& text);

/// The whole of the file at `path`. Throws sonamu::Error (usage) naming `what` and the file
/// when it cannot be read ("Cannot read the schema file PATH: ...").
std::string read_text_file(const std::string& path, const std::string& what);

/// As read_text_file, but none when there is no file at `path` (a fleet's first state file).
std::optional<std::string> read_text_file_if_any(const std::string& path, const std::string& what);

}  // namespace sonamu::cli
