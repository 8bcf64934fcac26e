#!/usr/bin/env bash
# The build step of SQL migrations (sonamu_sql_migration): markers are comment lines as
# PostgreSQL's scanner reads them (not inside strings, dollar-quoted bodies or /* */ comments),
# each section is cut into its statements by PostgreSQL's grammar (BEGIN ATOMIC bodies and
# multi-action rules whole), a UTF-8 byte-order mark is accepted, a repeated declaration, text
# the grammar cannot read or a statement that would end the migration's transaction stops the
# build naming file and line, and a 20 MB file is read in one pass (the test's ctest TIMEOUT
# bounds it).
# Usage: sql_migration_build_test.sh GENERATOR
set -euo pipefail
generator=$1
work=$(mktemp -d -t sonamu-sqlbuild.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }

# generates NAME CONTENT: writes NAME.sql, generates NAME.cpp; must succeed.
generates() {
  printf -- "$2" >"$work/$1.sql"
  "$generator" "$work/$1.sql" "$work/$1.cpp" 2>"$work/$1.err" || fail "$1 refused: $(cat "$work/$1.err")"
}
# refuses NAME CONTENT MESSAGE: the error is exactly MESSAGE, with file and line.
refuses() {
  printf -- "$2" >"$work/$1.sql"
  if "$generator" "$work/$1.sql" "$work/$1.cpp" 2>"$work/$1.err"; then fail "$1 generated"; return; fi
  [ "$(cat "$work/$1.err")" = "$work/$1.sql:$3" ] || fail "$1: expected '$work/$1.sql:$3', got '$(cat "$work/$1.err")'"
}
# section NAME up|down: the function the section is generated as.
section() {
  sed -n "/^void $2(/,/^}/p" "$work/$1.cpp"
}
# statements up|down STATEMENT...: the function that runs these statements, as generated.
statements() {
  local function=$1
  shift
  [ "$function" = up ] && echo 'void up(sonamu::Knex& knex) {' || echo 'void down([[maybe_unused]] sonamu::Knex& knex) {'
  echo '  static const char* const statements[] = {'
  for statement in "$@"; do printf '      R"sonamu_sql(%s)sonamu_sql",\n' "$statement"; done
  printf '      nullptr};\n  sonamu::run_sql_statements(knex, statements);\n}\n'
}

# A byte-order mark (as some Windows editors write) is not SQL before the up line.
generates bom '\xEF\xBB\xBF-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n'
section bom up | grep -qxF '      R"sonamu_sql(CREATE TABLE a (id int))sonamu_sql",' || fail "bom: up section: $(section bom up)"
if grep -q $'\xEF\xBB\xBF' "$work/bom.cpp"; then fail "bom: the mark is in the generated source"; fi

# A marker line inside a dollar-quoted body, a string or a /* */ comment is SQL: the first two
# stay in their statements; the comment after the last statement is sent with none, and the
# down section is the one statement after the real marker.
generates dollar '-- migrate:up\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$\n-- migrate:down\nSELECT 1::text\n$body$;\nSELECT '"'"'\n-- migrate:down\n'"'"';\n/*\n-- migrate:down\n*/\n-- migrate:down\nDROP FUNCTION f();\n'
[ "$(section dollar up | grep -c -- '-- migrate:down')" = 2 ] || fail "dollar: up section: $(section dollar up)"
[ "$(section dollar down)" = "$(statements down 'DROP FUNCTION f()')" ] ||
  fail "dollar: down section: $(section dollar down)"

# One lossy declaration per migration.
refuses lossy '-- migrate:up\nSELECT 1;\n-- migrate:down\n-- sonamu:lossy ages lose zeros\nSELECT 2;\n-- sonamu:lossy names lose case\n' \
  "6: error: a second '-- sonamu:lossy' line (the first is on line 4): one reason per migration"

# Statements that would end the migration's transaction: refused where they are written.
own=" a migration that runs in a transaction may not begin, commit or roll back one (a migration that controls its own transactions runs without one: \`-- migrate:up transaction:false\`, SONAMU_MIGRATION_WITHOUT_TRANSACTION)"
refuses commit '-- migrate:up\nCREATE TABLE a (id int);\n\nCOMMIT;\n-- migrate:down\nDROP TABLE a;\n' \
  "4: error: \`COMMIT\` would end the migration's transaction;$own"
refuses begin_commit '-- migrate:up\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n' \
  "2: error: \`BEGIN\` would start a transaction inside the migration's own;$own"
refuses down_rollback '-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE a; rollback\n' \
  "4: error: \`rollback\` would end the migration's transaction;$own"
refuses chain '-- migrate:up\nSELECT 1; /* comment */ COMMIT AND CHAIN;\n' \
  "2: error: \`COMMIT AND CHAIN\` would end the migration's transaction;$own"
refuses prepared '-- migrate:up\nPREPARE TRANSACTION '"'"'x'"'"';\n' \
  "2: error: \`PREPARE TRANSACTION 'x'\` would end the migration's transaction;$own"
# Inside a string or a body it is not a statement; without a transaction the migration runs its own.
generates in_body '-- migrate:up\nSELECT '"'"'COMMIT;'"'"';\nCREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $$ BEGIN END $$;\n'
generates own_transaction '-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n'
grep -q "^SONAMU_MIGRATION_WITHOUT_TRANSACTION(up, down)" "$work/own_transaction.cpp" || fail "own_transaction: not without a transaction"

# Text the scanner cannot read: one line, where it starts.
refuses unterminated '-- migrate:up\nSELECT 1;\nSELECT $$never closed;\n' "3: error: unterminated dollar-quoted string"

# Statements as PostgreSQL's grammar ends them: a SQL-standard body (BEGIN ATOMIC ... END) and a
# rule with two actions are one statement each, semicolons inside; so are strings, E'' strings
# with an escaped quote, dollar-quoted bodies and comments holding semicolons.
generates grammar '-- migrate:up\nCREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1; -- not the result;\n  SELECT a + b;\nEND;\n/* a rule; two actions */ CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO l VALUES (NEW.a); UPDATE c SET n = n + 1);\nSELECT E'"'"'\\'"'"'; x'"'"', $f$ ; $f$;;\n-- migrate:down\nDROP RULE r ON t;\nDROP FUNCTION add(int, int);\n'
[ "$(section grammar up)" = "$(statements up $'CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1; -- not the result;\n  SELECT a + b;\nEND' \
  'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO l VALUES (NEW.a); UPDATE c SET n = n + 1)' \
  "SELECT E'\\'; x', \$f\$ ; \$f\$")" ] || fail "grammar: up section: $(section grammar up)"
[ "$(section grammar down)" = "$(statements down 'DROP RULE r ON t' 'DROP FUNCTION add(int, int)')" ] ||
  fail "grammar: down section: $(section grammar down)"
# Text the grammar cannot read stops the build at its line, rather than the run halfway through.
refuses syntax '-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE a;\nDROP TABLEE b;\n' \
  '5: error: syntax error at or near "TABLEE" (read by the grammar of PostgreSQL 15)'
refuses unfinished_body '-- migrate:up transaction:false\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\n' \
  '2: error: syntax error at end of input (read by the grammar of PostgreSQL 15)'
# PostgreSQL reads text up to a NUL byte: what follows would be left out.
refuses nul '-- migrate:up\nSELECT 1;\nSELECT 2;\x00\nDROP TABLE a;\n' "3: error: a NUL byte: SQL text cannot hold one"

# 20 MB in one pass: the quadratic reader took hours at this size.
{
  echo '-- migrate:up'
  row="INSERT INTO t (a, b) VALUES (1, 'text; -- migrate:down is not a marker here');"
  for _ in $(seq 1 1024); do echo "$row"; done >"$work/block"
  for _ in $(seq 1 $((20 * 1024 * 1024 / $(wc -c <"$work/block")))); do cat "$work/block"; done
  echo '-- migrate:down'
  echo 'DELETE FROM t;'
} >"$work/big.sql"
"$generator" "$work/big.sql" "$work/big.cpp" 2>"$work/big.err" || fail "big: $(cat "$work/big.err")"
[ "$(grep -c "INSERT INTO t" "$work/big.cpp")" = "$(grep -c "INSERT INTO t" "$work/big.sql")" ] || fail "big: rows lost"
[ "$(section big down)" = "$(statements down 'DELETE FROM t')" ] ||
  fail "big: down section"

echo "sql migration build: $failures failed"
[ "$failures" -eq 0 ]
