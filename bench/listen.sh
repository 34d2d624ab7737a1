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
for tool in wrk nginx python3 curl; do
    command -v "$tool" >/dev/null || { echo "bench/listen.sh: needs $tool" >&2; exit 2; }
done

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/httpdump
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# A free loopback port: bind port 0 and let the kernel choose.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Wait (at most 10 s) until something answers HTTP on the port.
wait_up() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.1
    done
    echo "bench/listen.sh: nothing answers on port $1" >&2
    exit 1
}

# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Run wrk against a port served by process `cpu_pid`; print req/s and that process's CPU
# time per request in microseconds (steadier than req/s on a shared machine).
measure() { # port cpu_pid
    local before after
    before=$(ticks "$2")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$1/" >"$WORK/wrk.txt"
    after=$(ticks "$2")
    awk -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 }
        /Requests\/sec/ { rps = $2 }
        END { printf "%s %.2f\n", rps, cpu / hz * 1e6 / n }' "$WORK/wrk.txt"
}

stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# nginx: one worker, the article's body from memory, no logging.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            default_type text/html;
            return 200 "Hello, Destined Person.\r\n";
        }
    }
}
CONF

declare -A RPS CPU
run_server() { # name port command...
    local name=$1 port=$2 cpu_pid measured
    shift 2
    "$@" &
    local pid=$!
    PIDS+=("$pid")
    wait_up "$port"
    # nginx serves from its worker, a child of the master started here.
    cpu_pid=$(pgrep -P "$pid" | head -1 || true)
    cpu_pid=${cpu_pid:-$pid}
    measured=$(measure "$port" "$cpu_pid")
    RPS[$name]="${RPS[$name]:-} ${measured% *}"
    CPU[$name]="${CPU[$name]:-} ${measured#* }"
    stop "$pid"
}

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

# The median of a list of numbers.
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Ratios of one server to nginx, round by round.
ratios() {
    paste <(tr ' ' '\n' <<<"${RPS[$1]}" | grep .) <(tr ' ' '\n' <<<"${RPS[nginx]}" | grep .) |
        awk '{ printf "%.2f ", $1 / $2 }'
}
row() { # label name
    local r
    r=$(ratios "$2")
    printf '%-36s %10.0f %8s %10.2f   %s\n' "$1" "$(median <<<"${RPS[$2]}")" "$(median <<<"$r")" \
        "$(median <<<"${CPU[$2]}")" "$r"
}
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
printf '%-36s %10s %8s %10s   %s\n' server "req/s" "vs nginx" "CPU us/req" "(ratio in each round)"
row "nginx (1 worker, return 200)" nginx
row "httpdump listen --quiet" quiet
row "httpdump listen (tables to a file)" tables
row "article's Python server" article
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
