#!/usr/bin/env bash
# Contacts recorded per second over HTTP, with the audit append durable before
# each 201 (group commit), on SQLite or PostgreSQL.
#
#   bench/records.sh sqlite [wrk args…]
#   bench/records.sh postgres [wrk args…]     # a fresh database on 127.0.0.1:5432
#
# Builds the release binary, makes a fresh store, an administrator (password on
# stdin), signs in with a TOTP code, makes an API token with the
# `contacts:record` scope, runs wrk with bench/record.lua (default:
# -t1 -c32 -d10s), then checks the audit log with `trustgate audit verify`.
# Set RATE=n to run oha at a fixed rate instead (open loop, latency corrected
# for coordinated omission): the p99 at a given rate.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:?sqlite or postgres}; shift
cargo build --release --locked -q -p trustgate
bin=$PWD/target/release/trustgate
work=$(mktemp -d)
port=18081
case $backend in
  sqlite) db=$work/bench.db ;;
  postgres)
    name=trustgate_bench_$$
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $name"
    db=postgres://postgres@127.0.0.1:5432/$name ;;
  *) echo "sqlite or postgres"; exit 2 ;;
esac
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE $name WITH (FORCE)"
  rm -rf "$work"
}
trap cleanup EXIT
password="bench password, long enough"
key=$(echo "$password" | "$bin" user add bench --role admin --password-stdin --database "$db" | sed -n 's/^  key: //p')
"$bin" serve --place cambridge --listen 127.0.0.1:$port --database "$db" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.1; done
code=$(python3 - "$key" <<'PY'
import base64, hashlib, hmac, struct, sys, time
k = sys.argv[1]; k = base64.b32decode(k + "=" * (-len(k) % 8))
h = hmac.new(k, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
)
json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
session=$(curl -sf -X POST http://127.0.0.1:$port/api/v1/sessions -H 'content-type: application/json' \
  -d "{\"username\": \"bench\", \"password\": \"$password\", \"code\": \"$code\"}" | json token)
export TOKEN=$(curl -sf -X POST http://127.0.0.1:$port/api/v1/tokens -H "authorization: Bearer $session" \
  -H 'content-type: application/json' -d '{"name": "bench", "scopes": ["contacts:record"]}' | json token)
url=http://127.0.0.1:$port/api/v1/contacts
if [ -n "${RATE:-}" ]; then
  oha --no-tui -q "$RATE" -z "${DURATION:-10s}" -c "${CONNECTIONS:-32}" --latency-correction \
    -m POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "$(sed -n '/^wrk.body = \[\[/,/\]\]$/p' bench/record.lua | sed 's/^wrk.body = \[\[//; s/\]\]$//')" "$url" \
    | grep -E "Success rate|Requests/sec|Slowest|Fastest|Average|50.00%|99.00%|99.90%|\[2|\[4|\[5"
else
  [ $# -gt 0 ] || set -- -t1 -c32 -d10s
  wrk "$@" -s bench/record.lua "$url"
fi
"$bin" audit verify --database "$db" | head -1
