#!/usr/bin/env bash
# A bounded load test of the operations service's reads on the loopback, with wrk (Debian: apt-get install
# wrk): a fresh server on a temporary SQLite database holding one finished recovery run with its plans and
# an accepted plan, then 100 concurrent connections for 60 s, each request a viewer's (Bearer token) read
# of one of: the run, the run list, the run's plans, the current plan, the scenarios, the audit log, the
# health check. Prints p50/p90/p99 latency, requests per second, and the errors (socket errors and
# non-2xx answers), which must be zero. Goal: p99 under 20 ms on a 2-core machine (release build).
#
#   bash scripts/loadtest.sh                       # 100 connections, 60 s
#   CONNECTIONS=50 SECONDS_=30 bash scripts/loadtest.sh
#   UCODTS_BIN=target/debug/ucodts bash scripts/loadtest.sh
#   KEEP_METRICS=/tmp/metrics.txt bash scripts/loadtest.sh   # and keep the server's /metrics (latency by route)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${UCODTS_BIN:-target/release/ucodts}
[ -x "$bin" ] || { echo "no $bin: cargo build --release -p ucodts (or set UCODTS_BIN)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 2; }
connections=${CONNECTIONS:-100}
duration=${SECONDS_:-60}
port=${PORT:-18932}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
db="sqlite://$work/ops.db"
password='load test password 1'
for who in admin:admin ana:planner sam:scheduler vic:viewer; do
  echo "$password" | "$bin" user add --db "$db" --name "${who%%:*}" --role "${who##*:}" --password-stdin >/dev/null
done
UCODTS_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --db "$db" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
[ -n "${KEEP_METRICS:-}" ] && trap 'curl -s "$base/metrics" > "$KEEP_METRICS"; kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

login() { # name cookie-file -> csrf token
  curl -s -c "$2" -H 'Content-Type: application/json' -d "{\"name\": \"$1\", \"password\": \"$password\"}" \
    "$base/api/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])'
}
acsrf=$(login admin "$work/admin.cookies")
token=$(curl -s -b "$work/admin.cookies" -H "X-CSRF-Token: $acsrf" -H 'Content-Type: application/json' \
  -d '{"user": "vic", "label": "load test"}' "$base/api/tokens" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
pcsrf=$(login ana "$work/ana.cookies")
run=$(curl -s -b "$work/ana.cookies" -H "X-CSRF-Token: $pcsrf" -H 'Content-Type: application/json' \
  -d '{"kind": "recover", "scenario": "captain-no-show", "seed": 7, "reps": 4, "time_limit_s": 5, "policy": "constructive", "crew_policy": "greedy"}' \
  "$base/api/runs" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
curl -s -N -b "$work/ana.cookies" "$base/api/runs/$run/events" >/dev/null
scsrf=$(login sam "$work/sam.cookies")
plan=$(curl -s -b "$work/sam.cookies" "$base/api/plans?run=$run" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
curl -s -o /dev/null -b "$work/sam.cookies" -H "X-CSRF-Token: $scsrf" -H 'Content-Type: application/json' \
  -d '{"decision": "accept", "reason": "load test"}' "$base/api/plans/$plan/decision"

cat >"$work/reads.lua" <<EOF
local paths = {"/api/runs/$run", "/api/runs?limit=20", "/api/plans?run=$run", "/api/plans/current",
  "/api/scenarios", "/api/audit?limit=50", "/healthz"}
local headers = {["Authorization"] = "Bearer $token"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("%d requests in %.1f s = %.0f per second\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("errors: connect %d, read %d, write %d, timeout %d, non-2xx %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
end
EOF
echo "wrk: $connections connections, ${duration} s, 2 threads, against $bin"
wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s -s "$work/reads.lua" "$base" | tee "$work/wrk.txt"
grep -q "errors: connect 0, read 0, write 0, timeout 0, non-2xx 0" "$work/wrk.txt" ||
  { echo "errors: see $work" >&2; exit 1; }
