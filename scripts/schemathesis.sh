#!/usr/bin/env bash
# schemathesis (pip install schemathesis) against the operations service's own /api/openapi.json: a fresh
# server on a temporary SQLite database, one user per role, then one pass per role and one anonymous pass.
# Checks: no 5xx (not_a_server_error), every status documented (status_code_conformance), every body of the
# documented content type and schema (content_type_conformance, response_schema_conformance). Not in CI:
# it takes several minutes.
#
#   bash scripts/schemathesis.sh                 # 40 examples per operation and pass
#   EXAMPLES=200 bash scripts/schemathesis.sh    # more
#   UCODTS_BIN=target/debug/ucodts bash scripts/schemathesis.sh
#
# Runs that the planner and researcher passes start are cancelled after each pass (they would only take the
# CPU). DELETE /api/tokens/{id} is left out of the admin pass (it would revoke the pass's own token);
# server/tests/api.rs covers it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${UCODTS_BIN:-target/release/ucodts}
[ -x "$bin" ] || { echo "no $bin: cargo build --release -p ucodts (or set UCODTS_BIN)" >&2; exit 2; }
command -v schemathesis >/dev/null || { echo "schemathesis missing: pip install schemathesis" >&2; exit 2; }
examples=${EXAMPLES:-40}
port=${PORT:-18931}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
db="sqlite://$work/ops.db"
password='schemathesis password 1'
roles="viewer planner scheduler researcher feed admin"
for role in $roles; do
  echo "$password" | "$bin" user add --db "$db" --name "$role" --role "$role" --password-stdin >/dev/null
done
"$bin" serve --addr "127.0.0.1:$port" --db "$db" --max-queued 100000 >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# An API token per role, made by the admin (a session with its CSRF token).
csrf=$(curl -s -c "$work/admin.cookies" -H 'Content-Type: application/json' \
  -d "{\"name\": \"admin\", \"password\": \"$password\"}" "$base/api/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')
token() {
  curl -s -b "$work/admin.cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"user\": \"$1\", \"label\": \"schemathesis\"}" "$base/api/tokens" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
# Cancels every queued or running run (as the planner and the researcher).
cancel_runs() {
  for who in planner researcher; do
    t=$(token "$who")
    curl -s -H "Authorization: Bearer $t" "$base/api/runs?limit=500" |
      python3 -c 'import json, sys; [print(r["id"]) for r in json.load(sys.stdin) if r["status"] in ("queued", "running")]' |
      while read -r id; do curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $t" "$base/api/runs/$id"; done
  done
}

checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
failed=0
pass() {
  local name=$1; shift
  echo "== schemathesis as $name"
  if ! schemathesis run "$base/api/openapi.json" --checks "$checks" --max-examples "$examples" \
      --phases examples,coverage,fuzzing --request-timeout 30 --seed 1 --no-color \
      --generation-database none "$@" 2>&1 | tee "$work/$name.txt" | tail -n 25; then
    failed=1
  fi
  cancel_runs
}
pass anonymous
for role in viewer scheduler feed researcher planner; do
  pass "$role" -H "Authorization: Bearer $(token "$role")"
done
pass admin -H "Authorization: Bearer $(token admin)" --exclude-path '/api/tokens/{id}'
# actix-http logs a request it cannot parse (schemathesis sends header bytes HTTP forbids) at ERROR and
# answers 400; those lines are not the service's errors.
if grep '"level":"ERROR"' "$work/server.log" | grep -v 'request parse error' | grep -q .; then
  echo "the server logged errors:"
  grep '"level":"ERROR"' "$work/server.log" | grep -v 'request parse error' | head -20; failed=1
fi
echo "reports and the server's log: $work"
exit $failed
