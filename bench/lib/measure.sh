# shellcheck shell=bash
# Measures a scenario and its floor: wall time with hyperfine, peak memory with GNU time.
# Sourced, not run.
#
# Set before calling measure:
#   bench_results    folder for hyperfine's files and results.tsv
#   bench_runs       timed runs per command; bench_rss_runs: runs under GNU time
#   NAME_command     array: the command of scenario NAME
#   NAME_prepare     array: the prepare.sh arguments run (untimed) before each of its runs, or
#                    empty for a read-only command, which gets warm-up runs instead
#
#   measure NAME...
# times the scenarios in turns (one run of each, then the next round), so a change in the
# machine's load during the measurement weighs on all of them alike, and appends
# "NAME<TAB>median seconds<TAB>peak RSS in KiB" to $bench_results/results.tsv for each.
# (The caller's variables above are unseen by shellcheck:)
# shellcheck disable=SC2154

bench_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The words of a command as one string hyperfine splits back into the same words (-N: no shell,
# so no shell start-up is timed).
quoted() { printf '%q ' "$@"; }

# One timed run of scenario $1 with hyperfine; appends its time in seconds to $1.times.
time_once() {
  local -n cmd="$1_command" prep="$1_prepare"
  local args=(-N --runs 1 --export-csv "$bench_results/$1.csv")
  if [ "${#prep[@]}" -gt 0 ]; then
    args+=(--prepare "$(quoted "$bench_lib/prepare.sh" "${prep[@]}")")
  fi
  hyperfine "${args[@]}" "$(quoted "${cmd[@]}")" >"$bench_results/$1.log" 2>&1 \
    || { cat "$bench_results/$1.log" >&2; return 1; }
  # CSV columns: command,mean,stddev,median,user,system,min,max; counted from the end, as the
  # command itself may hold commas.
  awk -F, 'NR == 2 { print $(NF - 4) }' "$bench_results/$1.csv" >>"$bench_results/$1.times"
}

# The highest peak RSS (KiB) of scenario $1 over bench_rss_runs runs.
peak_rss() {
  local -n cmd="$1_command" prep="$1_prepare"
  local peak=0 rss i
  for ((i = 0; i < bench_rss_runs; i++)); do
    if [ "${#prep[@]}" -gt 0 ]; then "$bench_lib/prepare.sh" "${prep[@]}"; fi
    /usr/bin/time -f '%M' -o "$bench_results/$1.rss" "${cmd[@]}" >/dev/null 2>"$bench_results/$1.err" \
      || { cat "$bench_results/$1.err" >&2; return 1; }
    rss=$(tail -n 1 "$bench_results/$1.rss")
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  echo "$peak"
}

measure() {
  local name round i
  for name in "$@"; do
    local -n cmd="${name}_command" prep="${name}_prepare"
    rm -f "$bench_results/$name.times"
    if [ "${#prep[@]}" -eq 0 ]; then
      for i in 1 2 3; do "${cmd[@]}" >/dev/null 2>&1; done
    fi
    unset -n cmd prep
  done
  for ((round = 0; round < bench_runs; round++)); do
    for name in "$@"; do time_once "$name"; done
  done
  for name in "$@"; do
    local median peak
    median=$(sort -g "$bench_results/$name.times" \
      | awk '{ t[NR] = $1 } END { print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
    peak=$(peak_rss "$name")
    printf '  %-22s median %8.1f ms   peak RSS %6.1f MiB\n' "$name" \
      "$(awk -v s="$median" 'BEGIN { print s * 1000 }')" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" >&2
    printf '%s\t%s\t%s\n' "$name" "$median" "$peak" >>"$bench_results/results.tsv"
  done
}
