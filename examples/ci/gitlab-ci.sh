#!/usr/bin/env bash
# gitlab-ci.yml, run here: the commands of its jobs' `script:` (after `before_script:`),
# verbatim and in order (the test suite checks they are the YAML's), with the runner's part
# played around them: the jobs a pipeline source starts, stages in order, the dotenv report
# of deploy, `when: on_failure`. Run it from the repository's root, the database named by
# DATABASE_URL or the PG* variables, with ./deploy.sh standing for the application's deployment.
# Usage: examples/ci/gitlab-ci.sh merge_request_event|push
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runner.sh"

source_event=$1
runner=$(mktemp -d -t sonamu-gitlab.XXXXXX)
trap 'rm -rf "$runner"' EXIT

before_script() {
  step <<'STEP'
scripts/install-deps.sh --build jq
STEP
}

build_job() {
  before_script || return
  step <<'STEP'
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSONAMU_BUILD_TESTS=OFF -DSONAMU_BUILD_BENCH=OFF
cmake --build build -j2 --target sonamu
STEP
}

check_job() {
  before_script || return
  step <<'STEP'
build/sonamu migrate verify --all
build/sonamu migrate run
build/sonamu migrate status --check
STEP
}

deploy_job() {
  export NODE_ENV=production
  before_script || return
  step <<'STEP'
build/sonamu migrate run --json >run.json
echo "MIGRATIONS_APPLIED=$(jq -r '.result == "done"' run.json)" >>deploy.env
jq -r '.batches[].migrations[] | "applied " + .name' run.json
build/sonamu migrate status --check
./deploy.sh
STEP
}

rollback_job() {
  export NODE_ENV=production
  # The dotenv report of deploy (artifacts when: always) becomes variables of this job.
  if [ -f deploy.env ]; then
    set -a
    source deploy.env
    set +a
  fi
  before_script || return
  step <<'STEP'
if [ "${MIGRATIONS_APPLIED:-false}" != true ]; then echo "No batch applied by this pipeline"; exit 0; fi
build/sonamu migrate rollback --backup before-rollback.sql --yes
STEP
}

rm -f deploy.env
(build_job)
case "$source_event" in
  merge_request_event)
    (check_job)
    ;;
  push)
    deploy=success
    (deploy_job) || deploy=failure
    echo "deploy: $deploy"
    # rollback: when: on_failure
    if [ "$deploy" = failure ]; then
      (rollback_job)
    fi
    [ "$deploy" = success ]
    ;;
  *)
    echo "usage: $0 merge_request_event|push" >&2
    exit 2
    ;;
esac
