# Measures one command: wall time with hyperfine, peak memory with GNU time. Sourced, not run.
#
# Before calling measure, set:
#   bench_prepare   array: the prepare.sh arguments run before every measured run, or empty for
#                   a read-only command that needs no reset
#   bench_results   folder for hyperfine's CSV and log files, and results.tsv
#   bench_runs      timed runs per command; bench_rss_runs: runs under GNU time
#
#   measure NAME COMMAND [ARGS...]
# appends "NAME<TAB>median seconds<TAB>peak RSS in KiB" to $bench_results/results.tsv.

bench_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The words of a command as one string hyperfine splits back into the same words (-N: no shell,
# so no shell start-up is timed).
quoted() { printf '%q ' "$@"; }

measure() {
  local name=$1
  shift
  local hyperfine_args=(-N --runs "$bench_runs" --export-csv "$bench_results/$name.csv")
  if [ "${#bench_prepare[@]}" -gt 0 ]; then
    hyperfine_args+=(--prepare "$(quoted "$bench_lib/prepare.sh" "${bench_prepare[@]}")")
  else
    hyperfine_args+=(--warmup 3)
  fi
  printf '  %-22s' "$name" >&2
  hyperfine "${hyperfine_args[@]}" "$(quoted "$@")" >"$bench_results/$name.log" 2>&1 \
    || { echo >&2; cat "$bench_results/$name.log" >&2; return 1; }
  # CSV columns: command,mean,stddev,median,user,system,min,max; counted from the end, as the
  # command itself may hold commas.
  local median
  median=$(awk -F, 'NR == 2 { print $(NF - 4) }' "$bench_results/$name.csv")

  local peak=0 rss i
  for ((i = 0; i < bench_rss_runs; i++)); do
    if [ "${#bench_prepare[@]}" -gt 0 ]; then "$bench_lib/prepare.sh" "${bench_prepare[@]}"; fi
    /usr/bin/time -f '%M' -o "$bench_results/$name.rss" "$@" >/dev/null 2>"$bench_results/$name.err" \
      || { cat "$bench_results/$name.err" >&2; return 1; }
    rss=$(tail -n 1 "$bench_results/$name.rss")
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  printf 'median %8.1f ms   peak RSS %6.1f MiB\n' "$(awk -v s="$median" 'BEGIN { print s * 1000 }')" \
    "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" >&2
  printf '%s\t%s\t%s\n' "$name" "$median" "$peak" >>"$bench_results/results.tsv"
}
