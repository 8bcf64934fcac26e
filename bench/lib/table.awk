# Turns results.tsv (name, median seconds, peak RSS KiB) into the benchmark's Markdown table:
# each scenario against its floor, the ratio, the target and whether it is met.
#   awk -f table.awk results.tsv

function ms(s) { return sprintf("%.1f ms", s * 1000) }
function mib(k) { return sprintf("%.1f MiB", k / 1024) }

# One row: a scenario, the measurement it is compared with, and the limits it must meet
# (max_ratio 0: shown for information, no target; max_mib 0: no memory target).
function row(label, name, floor_label, floor, max_ratio, max_mib,    ratio, target, met) {
  if (!(name in median) || !(floor in median)) return
  ratio = median[name] / median[floor]
  target = max_ratio > 0 ? sprintf("≤ %g×", max_ratio) : "(information)"
  met = max_ratio > 0 ? (ratio <= max_ratio ? "yes" : "no") : ""
  if (max_mib > 0) {
    target = target sprintf("; ≤ %d MiB", max_mib)
    if (rss[name] / 1024 > max_mib) met = "no"
  }
  printf "| %s | %s | %s | %s | %s | %s | %.2f× | %s | %s |\n", label, ms(median[name]),
         mib(rss[name]), floor_label, ms(median[floor]), mib(rss[floor]), ratio, target, met
}

{ median[$1] = $2; rss[$1] = $3 }

END {
  print "| scenario | median | peak RSS | compared with | its median | its peak RSS | ratio | target | met |"
  print "|---|---|---|---|---|---|---|---|---|"
  row("`migrate status`, 1,000 applied", "status_1000", "`psql -c` of the same rows", "floor_status_1000", 1.2, 15)
  row("`migrate run`, 1,000 pending", "run_1000", "`psql -q -1 -f` of the same DDL", "floor_run_1000", 1.15, 0)
  row("`migrate rollback --all`, 1,000 in one batch", "rollback_1000", "`psql -q -1 -f` of the same DDL", "floor_rollback_1000", 1.15, 0)
  row("`migrate status`, 10,000 applied", "status_10000", "`migrate status`, 1,000 applied", "status_1000", 5, 0)
  row("`migrate status`, 10,000 applied", "status_10000", "`psql -c` of the same rows", "floor_status_10000", 0, 0)
}
