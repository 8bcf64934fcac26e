#!/usr/bin/env bash
# The CI recipes of examples/ci/: docs/ci-recipes.md shows each YAML file as it is; each script runs
# exactly its YAML's commands (same blocks, nothing more, nothing less); and the scripts run
# end to end in a copy of the project against the test server (PG* variables), through a pull
# request, a deployment that fails after its batch is applied (rolled back, with a backup), a
# good deployment, and a failing deployment that applied nothing (nothing rolled back).
# Usage: ci_recipes_test.sh SOURCE_DIR
set -euo pipefail

source=$(cd "$1" && pwd)
work=$(mktemp -d -t sonamu-ci.XXXXXX)
databases=()
cleanup() {
  for database in "${databases[@]}"; do
    psql -d postgres -qAtc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
export PGCONNECT_TIMEOUT=10
unset DATABASE_URL NODE_ENV

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$3', got '$2'"; fi; }

# The YAML in docs/ci-recipes.md, its commands in the scripts.
if python3 - "$source" <<'PY'
import re, sys, yaml

source = sys.argv[1]
page = open(f"{source}/docs/ci-recipes.md", encoding="utf-8").read()
failures = []


def heredocs(script):
    """The bodies of `step <<'STEP'` ... `STEP` in a script."""
    text = open(script, encoding="utf-8").read()
    return [body for body in re.findall(r"<<'STEP'[^\n]*\n(.*?)\nSTEP\n", text, re.S)]


def check(recipe, blocks):
    yaml_text = open(f"{source}/examples/ci/{recipe}.yml", encoding="utf-8").read()
    if f"```yaml\n{yaml_text}```\n" not in page:
        failures.append(f"docs/ci-recipes.md does not show examples/ci/{recipe}.yml as it is")
    steps = heredocs(f"{source}/examples/ci/{recipe}.sh")
    expected = blocks(yaml.safe_load(yaml_text))
    for block in expected:
        if block not in steps:
            failures.append(f"{recipe}.sh does not run the YAML's commands:\n{block}")
    for block in steps:
        if block not in expected:
            failures.append(f"{recipe}.sh runs commands the YAML does not have:\n{block}")
    if not expected:
        failures.append(f"{recipe}.yml has no commands")


def github_blocks(workflow):
    return [step["run"].rstrip("\n") for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def gitlab_blocks(pipeline):
    blocks = ["\n".join(pipeline["default"]["before_script"])]
    for name, job in pipeline.items():
        if isinstance(job, dict) and "script" in job:
            blocks.append("\n".join(job["script"]))
    return blocks


check("github-actions", github_blocks)
check("gitlab-ci", gitlab_blocks)
for failure in failures:
    print("FAILED:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
then ok; else bad "the recipes' YAML, docs/ci-recipes.md and scripts disagree"; fi

# A copy of the project, as a CI checkout has it.
mkdir "$work/checkout"
for item in CMakeLists.txt LICENSE README.md cmake docs include src tools migrations packaging schema scripts examples; do
  cp -R "$source/$item" "$work/checkout/"
done
cd "$work/checkout"
migrations=$(ls migrations/*.cpp | wc -l)

new_database() {
  local database="sonamu_ci_$$_$1"
  psql -d postgres -qAtc "CREATE DATABASE \"$database\"" >/dev/null
  databases+=("$database")
  export PGDATABASE=$database
}
recorded() { psql -qAtc "SELECT count(*) FROM knex_migrations"; }
deploy_succeeds() { printf '#!/bin/sh\necho "application deployed"\n' >deploy.sh && chmod +x deploy.sh; }
deploy_fails() { printf '#!/bin/sh\necho "application deployment failed" >&2\nexit 1\n' >deploy.sh && chmod +x deploy.sh; }
run_recipe() {  # run_recipe NAME ARGS...: the script's exit status; its output in $work/NAME.log
  local name=$1
  shift
  local status=0
  timeout 1500 "$@" >"$work/$name.log" 2>&1 || status=$?
  echo "$status"
}

for recipe in github-actions gitlab-ci; do
  if [ "$recipe" = github-actions ]; then review=pull_request; else review=merge_request_event; fi

  new_database "${recipe//-/_}_review"
  expect "$recipe $review: exit status" "$(run_recipe "$recipe-review" "examples/ci/$recipe.sh" "$review")" 0
  expect "$recipe $review: migrations applied" "$(recorded)" "$migrations"
  grep -q "No pending migrations" "$work/$recipe-review.log" && ok || bad "$recipe $review: no status in the log"

  new_database "${recipe//-/_}_production"
  rm -f before-rollback.sql
  deploy_fails
  expect "$recipe failed deployment: exit status" "$(run_recipe "$recipe-failed" "examples/ci/$recipe.sh" push)" 1
  expect "$recipe failed deployment: its batch rolled back" "$(recorded)" 0
  grep -q "rolled back" "$work/$recipe-failed.log" && ok || bad "$recipe failed deployment: no rollback in the log"
  grep -q "CREATE TABLE public.knex_migrations" before-rollback.sql 2>/dev/null && ok ||
    bad "$recipe failed deployment: no backup taken before the rollback"

  deploy_succeeds
  expect "$recipe deployment: exit status" "$(run_recipe "$recipe-deploy" "examples/ci/$recipe.sh" push)" 0
  expect "$recipe deployment: migrations applied" "$(recorded)" "$migrations"
  grep -q "application deployed" "$work/$recipe-deploy.log" && ok || bad "$recipe deployment: the application step did not run"

  rm -f before-rollback.sql
  deploy_fails
  expect "$recipe failed deployment applying nothing: exit status" \
    "$(run_recipe "$recipe-nothing" "examples/ci/$recipe.sh" push)" 1
  expect "$recipe failed deployment applying nothing: nothing rolled back" "$(recorded)" "$migrations"
  [ ! -e before-rollback.sql ] && ok || bad "$recipe failed deployment applying nothing: a rollback ran"

  if [ "$failed" -ne 0 ]; then
    for log in "$work/$recipe"-*.log; do echo "--- $(basename "$log")" >&2; tail -n 30 "$log" >&2; done
  fi
done

echo "ci recipes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
