#!/usr/bin/env bash
# Runs every fuzz target under fuzz/fuzz_targets for SECONDS each (default 60) with cargo-fuzz (libFuzzer),
# one after the other, and prints a table: target, executions, new corpus units, crashes.
#
#   bash scripts/fuzz.sh            # 60 s per target
#   bash scripts/fuzz.sh 600        # 10 minutes per target
#   FUZZ_TARGETS="bts_csv scenario_toml" bash scripts/fuzz.sh 120
#   FUZZ_JOBS=2 bash scripts/fuzz.sh 600     # two targets at a time (one per core)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and the nightly toolchain (without one, the stable
# toolchain is used with RUSTC_BOOTSTRAP=1). Seeds come from
# fuzz/harness's fuzz-seeds (the embedded default, the library scenarios, the roadef tests' instance) plus,
# when ../shared/benchmarks is there, GMCM 2021 F Data A and ROADEF 2009 A01 (copied into the ignored
# fuzz/corpus only, never into the repository). A crash leaves its input in fuzz/artifacts/<target>/; fix it,
# then keep the input in fuzz/regressions/<target>/ so that `cargo test -p ucodts-fuzz-harness` runs it.
# The exit status is 1 when any target crashed, timed out or ran out of memory.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
targets="${FUZZ_TARGETS:-$(ls fuzz/fuzz_targets | sed 's/\.rs$//' | sort)}"
logs=fuzz/logs
mkdir -p fuzz/corpus "$logs"

cargo run -q -p ucodts-fuzz-harness --bin fuzz-seeds -- fuzz/corpus
shared=../shared/benchmarks
if [ -d "$shared/gmcm2021f" ]; then
  { cat "$shared/gmcm2021f/DataA_Flight.csv"; printf '\377'; cat "$shared/gmcm2021f/DataA_Crew.csv"; } \
    > fuzz/corpus/gmcm2021f/shared-data-a
fi
if [ -d "$shared/roadef2009/instances/A01" ]; then
  a01="$shared/roadef2009/instances/A01"
  files=(config.csv airports.csv dist.csv flights.csv aircraft.csv rotations.csv itineraries.csv position.csv
         alt_flights.csv alt_aircraft.csv alt_airports.csv)
  out=fuzz/corpus/roadef2009_instance/shared-a01
  : > "$out"
  for i in "${!files[@]}"; do
    [ "$i" -gt 0 ] && printf '\377' >> "$out"
    cat "$a01/${files[$i]}" >> "$out" 2>/dev/null || true
  done
fi

cd fuzz
toolchain=+nightly
if ! cargo +nightly --version >/dev/null 2>&1; then
  # No nightly toolchain: the stable one accepts cargo-fuzz's -Z flags under RUSTC_BOOTSTRAP.
  toolchain=""
  export RUSTC_BOOTSTRAP=1
fi
for t in $targets; do cargo $toolchain fuzz build -O "$t" >/dev/null; done

# run_target T: fuzzes T for SECONDS and writes its table row to logs/T.row.
run_target() {
  local t="$1" log="logs/$1.log" code before after execs units result
  mkdir -p "artifacts/$t"
  before=$(ls "artifacts/$t" | wc -l)
  set +e
  cargo $toolchain fuzz run -O "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 -max_len=262144 \
    >"$log" 2>&1
  code=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  units=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  after=$(ls "artifacts/$t" | wc -l)
  if [ "$code" -ne 0 ] || [ "$after" -gt "$before" ]; then
    result="FAILED (exit $code; see fuzz/$log and fuzz/artifacts/$t)"
  else
    result=ok
  fi
  printf '%-22s %12s %8s %s\n' "$t" "${execs:-?}" "${units:-?}" "$result" >"logs/$t.row"
}

# FUZZ_JOBS targets run side by side (default 1), each for SECONDS of wall time.
jobs="${FUZZ_JOBS:-1}"
case "$jobs" in
  ''|*[!0-9]*|0) echo "FUZZ_JOBS must be a positive whole number" >&2; exit 2 ;;
esac
lane=0
pids=()
lanes=()
for t in $targets; do lanes[$lane]="${lanes[$lane]:-} $t"; lane=$(((lane + 1) % jobs)); done
for l in "${lanes[@]}"; do
  ( for t in $l; do run_target "$t"; done ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

status=0
printf '%-22s %12s %8s %s\n' target executions units result
for t in $targets; do
  cat "logs/$t.row"
  grep -q ' ok$' "logs/$t.row" || status=1
done
exit $status
