// sonamu_sql_migration FILE.sql OUTPUT.cpp: turns one SQL migration file into a C++ source that
// registers it; run at build time by sonamu_add_sql_migrations. Anything wrong with the file
// stops the build with `file:line: error: message`, as compilers write it (editors jump to it).
#include "core/sha256.hpp"
#include "grammar/sql_migration_file.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

using sonamu::grammar::SqlMigrationFile;

/// A raw string delimiter that `content` does not close early.
std::string delimiter_for(const std::string& content) {
  std::string delimiter = "sonamu_sql";
  for (int counter = 1; content.find(")" + delimiter + "\"") != std::string::npos; ++counter) {
    delimiter = "sonamu_sql" + std::to_string(counter);
  }
  return delimiter;
}

std::string raw_string(const std::string& text, const std::string& delimiter) {
  return "R\"" + delimiter + "(" + text + ")" + delimiter + "\"";
}

/// The body of a migration function that runs `statements`: a null-ended array of raw strings,
/// one per statement. An array of pointers rather than a std::initializer_list: a file of a
/// quarter of a million INSERTs compiles in seconds this way, and in minutes the other.
std::string statements_body(const std::vector<std::string>& statements, const std::string& delimiter) {
  std::string body = "  static const char* const statements[] = {\n";
  for (const auto& statement : statements) body += "      " + raw_string(statement, delimiter) + ",\n";
  return body + "      nullptr};\n  sonamu::run_sql_statements(knex, statements);\n";
}

std::string generated(const std::string& path, const std::string& content, const SqlMigrationFile& file) {
  const std::string name = path.substr(path.find_last_of('/') + 1);
  const std::string delimiter = delimiter_for(content);
  std::string down_body;
  if (!file.lossy_reason.empty()) down_body += "  sonamu::lossy(knex, " + raw_string(file.lossy_reason, delimiter) + ");\n";
  down_body += file.down ? statements_body(*file.down, delimiter)
                         : "  sonamu::irreversible(\"" + name + " has no '-- migrate:down' section\");\n";
  std::ostringstream out;
  out << "// Generated from " << name << " by sonamu_add_migrations: edit that file, not this one.\n"
      // The SHA-256 of the SQL file as compiled: the program compares it with the file on disk
      // (stale binary) and records it when the migration is applied (edited after applied).
      << "#define SONAMU_SOURCE_HASH \"" << sonamu::sha256_hex(content) << "\"\n"
      << "#include <sonamu/migration.hpp>\n#include <sonamu/sql_script.hpp>\n"
      << (file.lossy_reason.empty() ? "" : "#include <sonamu/lossy.hpp>\n") << "\nnamespace {\n\n"
      << "void up(sonamu::Knex& knex) {\n" << statements_body(file.up, delimiter) << "}\n\n"
      << "void down([[maybe_unused]] sonamu::Knex& knex) {\n" << down_body << "}\n\n}  // namespace\n\n"
      << "// The migration is named after the SQL file, as a C++ migration after its own source.\n"
      << "#line 1 \"" << path << "\"\n"
      << (file.transactional ? "SONAMU_MIGRATION" : "SONAMU_MIGRATION_WITHOUT_TRANSACTION") << "(up, down)\n";
  return out.str();
}

bool read(const std::string& path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: sonamu_sql_migration FILE.sql OUTPUT.cpp\n";
    return 2;
  }
  const std::string path = argv[1];
  const std::string output = argv[2];
  std::string content;
  if (!read(path, content)) {
    std::cerr << path << ": error: cannot read the file\n";
    return 1;
  }
  std::string text;
  try {
    text = generated(path, content, sonamu::grammar::read_sql_migration(content));
  } catch (const sonamu::grammar::SqlFileError& e) {
    std::cerr << path << ":" << e.line() << ": error: " << e.what() << "\n";
    return 1;
  }
  // Unchanged text leaves the file's time alone, so nothing recompiles for nothing.
  std::string previous;
  if (read(output, previous) && previous == text) return 0;
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << output << ": error: cannot write the generated source\n";
    std::remove(output.c_str());
    return 1;
  }
  return 0;
}
