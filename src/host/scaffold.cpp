#include "host/scaffold.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <regex>
#include <unistd.h>

namespace sonamu::cli {

namespace {

constexpr const char* template_text = R"(// Migration: %NAME%
#include <sonamu/migration.hpp>

namespace {

void up([[maybe_unused]] sonamu::Knex& knex) {
  // knex.schema.createTable("table_name", [](auto& table) {
  //   table.increments("id");
  //   table.string("name", 255).notNullable();
  // });
}

void down([[maybe_unused]] sonamu::Knex& knex) {
  // Write down: the exact reverse of up. `sonamu migrate rollback` runs it, and a
  // migration without a working down cannot be rolled back.
  // knex.schema.dropTable("table_name");
}

}  // namespace

SONAMU_MIGRATION(up, down)
)";

constexpr const char* sql_template_text = R"(-- Migration: %NAME%
-- The up section runs when the migration is applied, the down section when it is rolled
-- back; each inside a transaction, unless the up line says `-- migrate:up transaction:false`.
-- Statements end with a semicolon.

-- migrate:up
-- CREATE TABLE "table_name" ("id" serial PRIMARY KEY, "name" varchar(255) NOT NULL);

-- migrate:down
-- Write down: the exact reverse of up. A file without this section cannot be rolled back.
-- DROP TABLE "table_name";
)";

std::string utc_timestamp(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%S", &parts);
  return buffer;
}

}  // namespace

std::string create_migration_file(const std::string& directory, const std::string& name,
                                  std::chrono::system_clock::time_point now,
                                  MigrationLanguage language) {
  const bool sql = language == MigrationLanguage::sql;
  static const std::regex identifier("^[A-Za-z_][A-Za-z0-9_]*$");
  if (!std::regex_match(name, identifier)) {
    throw Error(ExitCode::usage, "Invalid migration name '" + name +
                                     "': use letters, digits and '_', not starting with a digit");
  }
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw Error(ExitCode::usage, "Cannot create " + directory + ": " + ec.message());

  const std::string stem = utc_timestamp(now) + "_" + name;
  const std::string path = (std::filesystem::path(directory) / (stem + (sql ? ".sql" : ".cpp"))).string();
  // O_EXCL: the check and the creation are one step, so an existing file is never replaced.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    throw Error(ExitCode::usage, errno == EEXIST ? path + " already exists; nothing was written"
                                                 : "Cannot create " + path + ": " + std::strerror(errno));
  }
  std::string text = sql ? sql_template_text : template_text;
  text.replace(text.find("%NAME%"), 6, stem);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) throw Error(ExitCode::usage, "Cannot write " + path);
  return path;
}

}  // namespace sonamu::cli
