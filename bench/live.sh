#!/usr/bin/env bash
# Requests per second of `httpdump listen --quiet` on loopback, measured with wrk:
# without --live, with --live and no viewer, and with --live and one stalled viewer (a
# socket that asks for /events and never reads). A stalled viewer must not slow the
# server: the last two should be within 10% of each other.
#
#   bench/live.sh                   # 5 rounds of 5 s per case, 50 connections
#   ROUNDS=9 DURATION=5 bench/live.sh
#
# Each round measures every case once, one after the other, against the same two servers
# (so start-up does not count), and the stalled viewer stays stalled through its whole
# measurement; the ratio is taken within a round and the median round is reported,
# because the machine is shared and its load changes from second to second.
#
# Needs: cargo, wrk, python3, curl (apt-get install -y wrk python3 curl).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
source bench/lib.sh
bench_setup wrk python3 curl

# Two servers for the whole run, both idle between measurements: one without --live, one
# with it. A stalled viewer is attached to the second for every third measurement.
PLAIN_PORT=$(free_port)
"$BIN" listen "$PLAIN_PORT" --quiet 2>"$WORK/plain.err" &
PLAIN_PID=$!
PIDS+=("$PLAIN_PID")
LIVE_PORT=$(free_port)
PAGE_PORT=$(free_port)
"$BIN" listen "$LIVE_PORT" --quiet --live "127.0.0.1:$PAGE_PORT" 2>"$WORK/live.err" &
LIVE_PID=$!
PIDS+=("$LIVE_PID")
wait_up "$PLAIN_PORT"
wait_up "$LIVE_PORT"

# A viewer that asks for the event stream and never reads; prints its pid.
stalled_viewer() {
    python3 - "$PAGE_PORT" >/dev/null <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(10**6)  # never read
PY
    echo $!
}

echo "req/s (server CPU per request, us); ratio = +stalled / --live, in req/s and in CPU"
printf '%-6s %18s %18s %18s %7s %7s\n' round "no --live" "--live" "+stalled" "req/s" "CPU"
RATIOS=()
CPU_RATIOS=()
for round in $(seq "$ROUNDS"); do
    read -r plain plain_cpu <<<"$(measure "$PLAIN_PORT" "$PLAIN_PID")"
    read -r live live_cpu <<<"$(measure "$LIVE_PORT" "$LIVE_PID")"
    viewer=$(stalled_viewer)
    PIDS+=("$viewer")
    sleep 0.5
    read -r stalled stalled_cpu <<<"$(measure "$LIVE_PORT" "$LIVE_PID")"
    stop "$viewer"
    ratio=$(python3 -c "print(f'{$stalled / $live:.3f}')")
    cpu_ratio=$(python3 -c "print(f'{$stalled_cpu / $live_cpu:.3f}')")
    RATIOS+=("$ratio")
    CPU_RATIOS+=("$cpu_ratio")
    printf '%-6s %10s (%5s) %10s (%5s) %10s (%5s) %7s %7s\n' "$round" "$plain" "$plain_cpu" \
        "$live" "$live_cpu" "$stalled" "$stalled_cpu" "$ratio" "$cpu_ratio"
done
echo "median ratio, with a stalled viewer / without: req/s $(median <<<"${RATIOS[*]}"), CPU per request $(median <<<"${CPU_RATIOS[*]}")"
