#!/usr/bin/env bash
# Issue 13's goal, measured: over the library scenarios and a few held-back scenarios of the same kinds
# (written below into a temporary folder, not into the library), at --reps 20 and --time-limit 20 on the
# release build, how often the recommended plan is significantly better than doing nothing, how often
# doing nothing is recommended, and whether a recommended plan is ever significantly worse; the
# optimisation seconds against the limit; each plan's action count and the optimizer/twin ranking
# agreement. Prints a Markdown table (the one in docs/benchmarks.md).
#
#   bash scripts/recovery_goal.sh [REPS] [TIME_LIMIT]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-20}"
limit="${2:-20}"
cargo build --release -q -p ucodts
bin=target/release/ucodts
extra="$(mktemp -d)"
trap 'rm -rf "$extra"' EXIT
# Held-back scenarios of the library's kinds: another airport, another hour, another day (inside the
# embedded default's July week: it holds 4-10 February and 1-7 July 2013).
cat > "$extra/lga-two-hour-closure.toml" <<'TOML'
name = "lga-two-hour-closure"
description = "LGA closed for two hours in the afternoon (runway incident), 15:00-17:00 local"
from = "2013-07-03"
to = "2013-07-03"

[[disruption]]
kind = "airport_closure"
airport = "LGA"
from = "2013-07-03T15:00"
to = "2013-07-03T17:00"
TOML
cat > "$extra/ewr-one-hour-closure.toml" <<'TOML'
name = "ewr-one-hour-closure"
description = "EWR closed for an hour in the morning bank, 07:00-08:00 local"
from = "2013-07-05"
to = "2013-07-05"

[[disruption]]
kind = "airport_closure"
airport = "EWR"
from = "2013-07-05T07:00"
to = "2013-07-05T08:00"
TOML
cat > "$extra/jfk-evening-closure.toml" <<'TOML'
name = "jfk-evening-closure"
description = "JFK closed for ninety minutes in the evening bank, 18:00-19:30 local"
from = "2013-07-06"
to = "2013-07-06"

[[disruption]]
kind = "airport_closure"
airport = "JFK"
from = "2013-07-06T18:00"
to = "2013-07-06T19:30"
TOML
echo "| scenario | recommended | vs doing nothing (EUR, 95 % CI) | verdict | actions (recommended / largest plan) | Kendall tau | same first | optimising s / limit |"
echo "|---|---|---|---|---|---|---|---|"
better=0; nothing=0; worse=0; total=0; over=0
for s in $(ls scenarios/library | sed 's/\.toml$//') "$extra"/*.toml; do
  out="$extra/out.json"
  "$bin" recover --scenario "$s" --reps "$reps" --time-limit "$limit" --json > "$out"
  line=$(python3 - "$out" "$limit" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); limit = float(sys.argv[2])
r = d["recommended"]; plans = d["plans"]
rec = next((p for p in plans if p["recommended"]), None)
if rec:
    c = rec["vs_baseline"]["cost"]; ci = f'{c["mean"]:,.0f} ({c["lower"]:,.0f}..{c["upper"]:,.0f})'
    verdict = "better" if c["upper"] < 0 else ("worse" if c["lower"] > 0 else "not significant")
else:
    best = min(plans, key=lambda p: p["vs_baseline"]["cost"]["mean"])
    c = best["vs_baseline"]["cost"]; ci = f'best plan {c["mean"]:,.0f} ({c["lower"]:,.0f}..{c["upper"]:,.0f})'
    verdict = "do-nothing"
a = d["ranking_agreement"]; tau = "n/a" if a["kendall_tau"] is None else f'{a["kendall_tau"]:.2f}'
acts = f'{rec["action_count"] if rec else 0} / {max(p["action_count"] for p in plans)}'
over = d["seconds_optimising"] > 1.1 * limit
print(f'{d["scenario"]}|{r["policy"]}|{ci}|{verdict}|{acts}|{tau}|{"yes" if a["top1_agree"] else "no"}|{d["seconds_optimising"]:.1f} / {limit:g}|{int(over)}')
PY
)
  IFS='|' read -r name pol ci verdict acts tau top secs o <<<"$line"
  echo "| $name | $pol | $ci | $verdict | $acts | $tau | $top | $secs |"
  total=$((total+1)); over=$((over+o))
  case "$verdict" in better) better=$((better+1));; do-nothing) nothing=$((nothing+1));; worse) worse=$((worse+1));; esac
done
echo
echo "Significantly better than doing nothing: $better of $total; doing nothing recommended: $nothing; recommended and significantly worse: $worse; optimisation over the limit by more than 10 %: $over."
