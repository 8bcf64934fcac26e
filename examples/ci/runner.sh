# Sourced by the recipes' scripts: runs a step's commands the way a CI runner does.

# step: the commands on stdin, in a fresh `bash -e` (GitHub's `run:` shell; GitLab's script
# lines stop at the first failure too), echoed first, with nothing on stdin (no terminal, as
# in CI). Returns their exit status.
step() {
  local commands
  commands=$(cat)
  printf '+ %s\n' "${commands//$'\n'/$'\n'+ }"
  bash -eo pipefail -c "$commands" </dev/null
}
