#include "e2e.hpp"

#include <cstdlib>

namespace sonamu::test {

std::string empty_directory() {
  // One for the whole run, removed when the program ends.
  static const ScratchDirectory directory("sonamu-e2e");
  return directory.string();
}

ProcessSpec migrate_spec(const TestDatabase& db, std::vector<std::string> args,
                         const std::string& binary,
                         const std::map<std::string, std::optional<std::string>>& env) {
  ProcessSpec spec;
  spec.argv = {binary, "migrate"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.argv.push_back("-c");
  spec.argv.push_back(db.conninfo());
  spec.cwd = empty_directory();
  spec.env = env;
  spec.env["DATABASE_URL"] = std::nullopt;
  return spec;
}

MigrateResult split_banner(ProcessResult result) {
  MigrateResult split;
  static_cast<ProcessResult&>(split) = std::move(result);
  const std::string prefix = "Environment: ";
  if (split.err.compare(0, prefix.size(), prefix) == 0) {
    const auto end = split.err.find('\n');
    split.banner = split.err.substr(0, end);
    split.err = end == std::string::npos ? std::string() : split.err.substr(end + 1);
  }
  return split;
}

MigrateResult run_migrate(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  return split_banner(run_process(spec, timeout));
}

MigrateResult migrate(const TestDatabase& db, std::vector<std::string> args,
                      const std::string& binary, std::string cwd) {
  ProcessSpec spec = migrate_spec(db, std::move(args), binary);
  if (!cwd.empty()) spec.cwd = cwd;
  return run_migrate(spec);
}

std::string server_description(const std::string& database) {
  const char* host = std::getenv("PGHOST");
  const char* port = std::getenv("PGPORT");
  return std::string(host != nullptr && *host != '\0' ? host : "/var/run/postgresql") + ":" +
         (port != nullptr && *port != '\0' ? port : "5432") + "/" + database;
}

std::string recorded(const TestDatabase& db) {
  if (!db.has_table("knex_migrations")) return "<no table>";
  return db.scalar(
      "SELECT COALESCE(string_agg(name || ':' || batch, ' ' ORDER BY id), '') FROM knex_migrations");
}

std::vector<std::string> bundled(const std::string& extension) {
  std::vector<std::string> names = {
      "20251220143022_create__users",   "20251220143100_create__posts",
      "20251220143200_alter_users_add1", "20251220143300_alter_posts_add1",
      "20251220150000_alter_users_add2", "20251220150100_alter_posts_add2"};
  for (auto& name : names) name += extension;
  return names;
}

std::string lines(const std::string& prefix, const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += prefix + name + "\n";
  return text;
}

}  // namespace sonamu::test
