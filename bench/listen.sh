#!/usr/bin/env bash
# Requests per second of `httpdump listen` against nginx (one worker, the same body from
# memory) and the article's Python server, all on loopback, measured with wrk in one run.
#
#   bench/listen.sh                 # 3 rounds of 10 s per server, 50 connections
#   ROUNDS=5 DURATION=20 bench/listen.sh
#
# Each round measures every server once, one after the other, so a busy machine slows
# all of them alike; ratios are taken within a round and the median round is reported.
# Beside req/s: the serving process's CPU time per request (user + system, from
# /proc/PID/stat), which a shared machine disturbs less than the rate.
#   MEMORY=1 bench/listen.sh        # also: RSS of `listen --quiet` sampled over 60 s
#
# Needs: cargo, wrk, nginx, python3 (apt-get install -y wrk nginx python3).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
source bench/lib.sh
bench_setup wrk nginx python3 curl

# nginx: one worker, the article's body from memory, no logging.
NGINX_PORT=$(free_port)
nginx_conf nginx "server { listen 127.0.0.1:$NGINX_PORT; location / { default_type text/html;
        return 200 \"Hello, Destined Person.\r\n\"; } }"

TABLE_BYTES=0
for round in $(seq "$ROUNDS"); do
    run_server nginx "$NGINX_PORT" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>/dev/null

    PORT=$(free_port)
    run_server quiet "$PORT" "$BIN" listen "$PORT" --quiet 2>/dev/null

    PORT=$(free_port)
    run_server tables "$PORT" sh -c "exec '$BIN' listen '$PORT' --width 100 >'$WORK/tables.txt' 2>/dev/null"
    TABLE_BYTES=$(wc -c <"$WORK/tables.txt")

    PORT=$(free_port)
    run_server article "$PORT" sh -c "exec python3 bench/article_server.py '$PORT' >/dev/null 2>&1"
done

header server
row "nginx (1 worker, return 200)" nginx nginx
row "httpdump listen --quiet" quiet nginx
row "httpdump listen (tables to a file)" tables nginx
row "article's Python server" article nginx
echo "(medians; last tables file: $TABLE_BYTES bytes)"

# Memory under a 60 s load: RSS sampled every 5 s, with nothing printed and with tables.
memory_run() { # label, then the command's arguments after the port
    local label=$1 port pid wrk_pid
    shift
    port=$(free_port)
    sh -c "exec '$BIN' listen '$port' $* >'$WORK/mem-out.txt' 2>/dev/null" &
    pid=$!
    PIDS+=("$pid")
    wait_up "$port"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d60s "http://127.0.0.1:$port/" >"$WORK/wrk-mem.txt" &
    wrk_pid=$!
    local samples=()
    for _ in $(seq 12); do
        sleep 5
        samples+=("$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")")
    done
    wait "$wrk_pid"
    echo "RSS of $label under load (KiB), every 5 s for 60 s:"
    echo "  ${samples[*]}"
    awk '/Requests\/sec/ {print "  (" $2 " req/s during this run)"}' "$WORK/wrk-mem.txt"
    stop "$pid"
}

if [[ "${MEMORY:-0}" == 1 ]]; then
    memory_run "listen --quiet" --quiet
    memory_run "listen (tables to a file)" --width 100
fi
