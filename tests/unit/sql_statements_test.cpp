// SQL text cut into statements by PostgreSQL's own grammar (libpg_query's parser), alone and
// as the sections of a SQL migration file: semicolons inside SQL-standard function bodies,
// multi-action rules, strings, quoted names, dollar quotes and comments end nothing.
#include "grammar/sql_migration_file.hpp"
#include "grammar/sql_statements.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace sonamu::grammar;

namespace {

/// The statements of `sql`; the split must succeed.
std::vector<std::string> split(const std::string& sql) {
  const SplitOutcome outcome = split_statements(sql);
  INFO(outcome.error);
  REQUIRE(outcome.ok);
  return statement_texts(sql, outcome);
}

/// The line of a SqlFileError thrown by reading `content`, and its message.
std::pair<int, std::string> file_error(const std::string& content) {
  try {
    read_sql_migration(content);
  } catch (const SqlFileError& e) {
    return {e.line(), e.what()};
  }
  FAIL("read without an error: " << content);
  return {0, ""};
}

}  // namespace

TEST_CASE("statements end at the semicolons PostgreSQL's grammar ends them at, not inside quotes or comments") {
  CHECK(split(R"(-- a comment; not a statement
CREATE TABLE "a;b" (x text DEFAULT 'it''s; here', y text DEFAULT E'\'; still');
/* block; /* nested; */ still */
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
CREATE FUNCTION g() RETURNS int AS $body$ SELECT $1; $body$ LANGUAGE sql ;
  -- only a comment ;
;
INSERT INTO t VALUES ($1)
)") == std::vector<std::string>{
             R"(CREATE TABLE "a;b" (x text DEFAULT 'it''s; here', y text DEFAULT E'\'; still'))",
             "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
             "CREATE FUNCTION g() RETURNS int AS $body$ SELECT $1; $body$ LANGUAGE sql",
             "INSERT INTO t VALUES ($1)",
         });
  CHECK(split("  -- nothing\n/* at all */\n").empty());
  CHECK(split("DROP TABLE a; -- gone\nDROP TABLE b;") == std::vector<std::string>{"DROP TABLE a", "DROP TABLE b"});
  // A comment inside a statement is part of it; one after its last word, without a semicolon, too.
  CHECK(split("SELECT 1 /* ; */ + 1;;\nSELECT 2 -- end; of file\n") ==
        std::vector<std::string>{"SELECT 1 /* ; */ + 1", "SELECT 2 -- end; of file"});
}

TEST_CASE("a SQL-standard function body (BEGIN ATOMIC ... END) is one statement with its semicolons") {
  const std::string function = R"(CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1; -- not the result;
  SELECT a + b;
END)";
  CHECK(split("SELECT 0;\n" + function + ";\nSELECT add(1, 2);") ==
        std::vector<std::string>{"SELECT 0", function, "SELECT add(1, 2)"});
  const std::string procedure = "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END";
  CHECK(split(procedure + ";") == std::vector<std::string>{procedure});
}

TEST_CASE("a rule with several actions is one statement with its semicolons") {
  const std::string rule = R"(CREATE RULE r AS ON INSERT TO t DO ALSO (
  INSERT INTO l VALUES (NEW.a);
  UPDATE c SET n = n + 1;
))";
  CHECK(split(rule + ";\nINSERT INTO t VALUES (1);") == std::vector<std::string>{rule, "INSERT INTO t VALUES (1)"});
}

TEST_CASE("text the grammar cannot read is not split: the message and where it is") {
  const std::string sql = "SELECT 1;\nCREATE TABLE (id int);\nSELECT 2;";
  const SplitOutcome outcome = split_statements(sql);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.statements.empty());
  CHECK(outcome.error == "syntax error at or near \"(\"");
  CHECK(outcome.error_at == sql.find('('));
  // Positions count characters: a multi-byte one before the error moves the byte offset.
  const std::string wide = "SELECT 'é';\nSELEC 2;";
  const SplitOutcome after_wide = split_statements(wide);
  CHECK_FALSE(after_wide.ok);
  CHECK(after_wide.error_at == wide.find("SELEC "));
}

TEST_CASE("a SQL migration file's sections are split into their statements when it is read") {
  const SqlMigrationFile file = read_sql_migration(
      "-- migrate:up\n"
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
      "CREATE RULE r AS ON DELETE TO t DO INSTEAD (DELETE FROM a; DELETE FROM b);\n"
      "SELECT E'-- migrate:down\\'; here', $x$;$x$;\n"
      "-- migrate:down\n"
      "-- sonamu:lossy what f and r held\n"
      "DROP RULE r ON t; /* ; */ DROP FUNCTION f();\n");
  CHECK(file.up == std::vector<std::string>{
                       "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
                       "CREATE RULE r AS ON DELETE TO t DO INSTEAD (DELETE FROM a; DELETE FROM b)",
                       "SELECT E'-- migrate:down\\'; here', $x$;$x$",
                   });
  REQUIRE(file.down);
  CHECK(*file.down == std::vector<std::string>{"DROP RULE r ON t", "DROP FUNCTION f()"});
  CHECK(file.lossy_reason == "what f and r held");
  CHECK(file.transactional);

  const SqlMigrationFile own = read_sql_migration("-- migrate:up transaction:false\r\nBEGIN;\r\nCOMMIT;\r\n");
  CHECK(own.up == std::vector<std::string>{"BEGIN", "COMMIT"});
  CHECK_FALSE(own.down);
  CHECK_FALSE(own.transactional);
  CHECK(read_sql_migration("-- migrate:up\n-- migrate:down\n").down == std::vector<std::string>{});
}

TEST_CASE("a SQL migration file the grammar cannot read is refused at the line of the error") {
  CHECK(file_error("-- migrate:up\nSELECT 1;\n\nCREATE TABLE (id int);\n") ==
        std::pair<int, std::string>{4, "syntax error at or near \"(\" (read by the grammar of PostgreSQL 15)"});
  CHECK(file_error("-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE a;\nDROP TABLEE b;\n") ==
        std::pair<int, std::string>{5, "syntax error at or near \"TABLEE\" (read by the grammar of PostgreSQL 15)"});
  // An unfinished body: the grammar reaches the end of the section, on the line of its last word.
  CHECK(file_error("-- migrate:up\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT 1;\n\n"
                   "-- migrate:down\nDROP FUNCTION f();\n") ==
        std::pair<int, std::string>{3, "syntax error at end of input (read by the grammar of PostgreSQL 15)"});
  // What follows a NUL byte would be read by nothing.
  static const char with_nul[] = "-- migrate:up\nSELECT 1;\nSELECT '\0';\nDROP TABLE a;\n";
  CHECK(file_error(std::string(with_nul, sizeof with_nul - 1)) ==
        std::pair<int, std::string>{3, "a NUL byte: SQL text cannot hold one"});
}
