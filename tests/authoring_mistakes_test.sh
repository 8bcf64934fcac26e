#!/usr/bin/env bash
# The table of compiler messages in docs/authoring.md: each "You wrote" cell is compiled in a migration's
# `up` against the public headers, as sonamu_add_migrations compiles it (C++20), and the
# compiler's output must contain the "The compiler says" cell.
# Usage: authoring_mistakes_test.sh SOURCE_DIR
set -euo pipefail
source=$1
work=$(mktemp -d -t sonamu-mistakes.XXXXXX)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C  # ASCII quotes in the compiler's messages, as docs/authoring.md writes them

passed=0
failed=0
in_table=0
while IFS= read -r line; do
  if [[ "$line" == "| You wrote | The compiler says | Write instead |" ]]; then in_table=1; continue; fi
  [ "$in_table" = 1 ] || continue
  [[ "$line" == "|---"* ]] && continue
  [[ "$line" == "| \`"* ]] || break
  # | `code` | `message` | fix |
  rest=${line#"| \`"}
  code=${rest%%"\` | \`"*}
  rest=${rest#*"\` | \`"}
  message=${rest%%"\` |"*}
  {
    echo '#include <sonamu/migration.hpp>'
    echo '#include <string>'
    echo 'namespace {'
    echo 'void up(sonamu::Knex& knex) {'
    echo "$code"
    echo '}'
    echo 'void down(sonamu::Knex&) {}'
    echo '}  // namespace'
    echo 'SONAMU_MIGRATION(up, down)'
  } >"$work/m.cpp"
  if g++ -std=c++20 -Wall -Wextra -fsyntax-only -I "$source/include" "$work/m.cpp" >"$work/out" 2>&1; then
    echo "FAILED: compiles: $code" >&2
    failed=$((failed + 1))
  elif ! grep -qF -- "$message" "$work/out"; then
    echo "FAILED: $code" >&2
    echo "  expected: $message" >&2
    sed 's/^/  got: /' "$work/out" | grep error | head -3 >&2
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
done <"$source/docs/authoring.md"
echo "authoring mistakes: $passed passed, $failed failed"
[ "$passed" -ge 10 ] && [ "$failed" -eq 0 ]
