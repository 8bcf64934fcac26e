#!/usr/bin/env bash
# Small files with one job: no function in src/ longer than 60 lines and no file longer than
# 600. Functions are found by Universal Ctags (their first and last line, lambdas inside
# them included), not by a parser of our own. Every offender is listed, then the test fails.
# Usage: source_size_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"

max_function_lines=60
max_file_lines=600

command -v ctags >/dev/null || { echo "FAILED: ctags (Universal Ctags) is not installed" >&2; exit 1; }
ctags --version | grep -q "Universal Ctags" || { echo "FAILED: ctags is not Universal Ctags" >&2; exit 1; }

mapfile -t files < <(find src -name '*.cpp' -o -name '*.hpp' | sort)
[ "${#files[@]}" -gt 0 ] || { echo "FAILED: no sources under src/" >&2; exit 1; }

ctags --sort=no --output-format=json --fields=+ne --kinds-C++=f --languages=C++ --language-force=C++ -f - "${files[@]}" |
  python3 -c '
import json, sys
limit = int(sys.argv[1])
functions = 0
offenders = []
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    tag = json.loads(line)
    if tag.get("_type") != "tag" or "end" not in tag:
        continue
    functions += 1
    length = tag["end"] - tag["line"] + 1
    if length > limit:
        offenders.append((length, tag["path"], tag["line"], tag.get("scope", ""), tag["name"]))
for length, path, first, scope, name in sorted(offenders, reverse=True):
    # An anonymous namespace is named __anon<hash> by ctags: left out of the name shown.
    scope = "::".join(part for part in scope.split("::") if not part.startswith("__anon"))
    qualified = scope + "::" + name if scope else name
    print("FAILED: %s:%d: %s is %d lines (at most %d)" % (path, first, qualified, length, limit), file=sys.stderr)
if functions < 100:
    print(f"FAILED: only {functions} functions found: ctags did not read the sources", file=sys.stderr)
    sys.exit(1)
print(f"{functions} functions measured, {len(offenders)} over {limit} lines")
sys.exit(1 if offenders else 0)
' "$max_function_lines" && functions_ok=true || functions_ok=false

files_ok=true
for file in "${files[@]}"; do
  lines=$(wc -l <"$file")
  if [ "$lines" -gt "$max_file_lines" ]; then
    echo "FAILED: $file is $lines lines (at most $max_file_lines)" >&2
    files_ok=false
  fi
done
echo "${#files[@]} files measured"
"$functions_ok" && "$files_ok"
