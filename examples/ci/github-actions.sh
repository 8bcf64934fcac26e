#!/usr/bin/env bash
# github-actions.yml, run here: the commands of its `run:` steps, verbatim and in order (the
# test suite checks they are the YAML's), with the runner's part played around them: which
# jobs an event starts, the `applied` output of deploy, `if: failure()`, the artifact.
# Run it from the repository's root, the database named by DATABASE_URL or the PG* variables,
# with ./deploy.sh standing for the application's deployment.
# Usage: examples/ci/github-actions.sh pull_request|push
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runner.sh"

event=$1
runner=$(mktemp -d -t sonamu-github.XXXXXX)
trap 'rm -rf "$runner"' EXIT

build_steps() {
  step <<'STEP' || return
scripts/install-deps.sh --build jq
STEP
  step <<'STEP' || return
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSONAMU_BUILD_TESTS=OFF -DSONAMU_BUILD_BENCH=OFF
cmake --build build -j2 --target sonamu
STEP
}

check_job() {
  build_steps || return
  step <<'STEP' || return
build/sonamu migrate verify --all
STEP
  step <<'STEP' || return
build/sonamu migrate run
build/sonamu migrate status --check
STEP
}

deploy_job() {
  export NODE_ENV=production GITHUB_OUTPUT="$runner/deploy-outputs"
  build_steps || return
  cp build/sonamu "$runner/artifact-sonamu"  # actions/upload-artifact
  step <<'STEP' || return
build/sonamu migrate run --json >run.json
echo "applied=$(jq -r '.result == "done"' run.json)" >>"$GITHUB_OUTPUT"
jq -r '.batches[].migrations[] | "applied " + .name' run.json
build/sonamu migrate status --check
STEP
  step <<'STEP' || return
./deploy.sh
STEP
}

rollback_job() {
  export NODE_ENV=production
  step <<'STEP' || return
scripts/install-deps.sh --build jq
STEP
  cp "$runner/artifact-sonamu" build/sonamu  # actions/download-artifact (without the x bit)
  chmod -x build/sonamu
  step <<'STEP' || return
chmod +x build/sonamu
build/sonamu migrate rollback --backup before-rollback.sql --yes
STEP
}

case "$event" in
  pull_request)
    (check_job)
    ;;
  push)
    touch "$runner/deploy-outputs"
    deploy=success
    (deploy_job) || deploy=failure
    applied=$(sed -n 's/^applied=//p' "$runner/deploy-outputs")
    echo "deploy: $deploy, applied: ${applied:-}"
    # rollback: needs deploy, if: failure() && needs.deploy.outputs.applied == 'true'
    if [ "$deploy" = failure ] && [ "$applied" = true ]; then
      (rollback_job)
    fi
    [ "$deploy" = success ]
    ;;
  *)
    echo "usage: $0 pull_request|push" >&2
    exit 2
    ;;
esac
