#!/usr/bin/env bash
# CPU time the server spends per request: steadier than requests/second on a
# shared two-core machine. Usage: bench/cpu-per-request.sh PID URL [wrk args…]
set -euo pipefail
pid=$1; url=$2; shift 2
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
out=$(wrk "$@" "$url")
after=$(ticks)
reqs=$(echo "$out" | awk '/requests in/ {print $1}')
echo "$out" | grep -E "Requests/sec"
awk -v t=$((after - before)) -v hz="$hz" -v n="$reqs" 'BEGIN { printf "server CPU: %.1f us per request (%d requests)\n", t / hz * 1e6 / n, n }'
