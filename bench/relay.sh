#!/usr/bin/env bash
# Requests per second through `httpdump relay` against nginx's own reverse proxy
# (`proxy_pass` with keep-alive to the upstream), both in front of the same upstream (an
# nginx worker answering from memory), all on loopback, measured with wrk in one run.
#
#   bench/relay.sh                  # 3 rounds of 10 s per proxy, 50 connections
#   ROUNDS=5 DURATION=8 bench/relay.sh
#
# Each round measures every proxy once, one after the other, so a busy machine slows
# all of them alike; ratios are taken within a round and the median round is reported.
#
# Needs: cargo, wrk, nginx, python3, curl (apt-get install -y wrk nginx python3 curl).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
for tool in wrk nginx python3 curl; do
    command -v "$tool" >/dev/null || { echo "bench/relay.sh: needs $tool" >&2; exit 2; }
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

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_up() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.1
    done
    echo "bench/relay.sh: nothing answers on port $1" >&2
    exit 1
}

measure() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$1/" >"$WORK/wrk.txt"
    awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt"
}

stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# nginx config with one worker and the given server block.
nginx_conf() { # name server-block
    mkdir -p "$WORK/$1"
    cat >"$WORK/$1/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/$1/body;
    proxy_temp_path $WORK/$1/proxy;
    fastcgi_temp_path $WORK/$1/fastcgi;
    uwsgi_temp_path $WORK/$1/uwsgi;
    scgi_temp_path $WORK/$1/scgi;
    keepalive_requests 1000000;
    $2
}
CONF
}

# The upstream: one nginx worker, the article's body from memory; it runs all along.
UP=$(free_port)
nginx_conf upstream "server { listen 127.0.0.1:$UP; location / { default_type text/html; return 200 \"Hello, Destined Person.\r\n\"; } }"
nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" 2>/dev/null &
PIDS+=("$!")
wait_up "$UP"

# nginx as a reverse proxy to it: one worker, HTTP/1.1 keep-alive to the upstream.
PROXY=$(free_port)
nginx_conf proxy "upstream up { server 127.0.0.1:$UP; keepalive 128; }
    server { listen 127.0.0.1:$PROXY; location / { proxy_pass http://up;
        proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

declare -A RPS
run_proxy() { # name port command...
    local name=$1 port=$2
    shift 2
    "$@" &
    local pid=$!
    PIDS+=("$pid")
    wait_up "$port"
    RPS[$name]="${RPS[$name]:-} $(measure "$port")"
    stop "$pid"
}

TABLE_BYTES=0
for round in $(seq "$ROUNDS"); do
    run_proxy nginx "$PROXY" nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf"

    PORT=$(free_port)
    run_proxy quiet "$PORT" sh -c "exec '$BIN' relay '$PORT' --to http://127.0.0.1:$UP --quiet 2>/dev/null"

    PORT=$(free_port)
    run_proxy tables "$PORT" sh -c "exec '$BIN' relay '$PORT' --to http://127.0.0.1:$UP --width 100 >'$WORK/tables.txt' 2>/dev/null"
    TABLE_BYTES=$(wc -c <"$WORK/tables.txt")
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratios() {
    paste <(tr ' ' '\n' <<<"${RPS[$1]}" | grep .) <(tr ' ' '\n' <<<"${RPS[nginx]}" | grep .) |
        awk '{ printf "%.2f ", $1 / $2 }'
}
row() { # label name
    local r
    r=$(ratios "$2")
    printf '%-40s %10.0f %8s   %s\n' "$1" "$(median <<<"${RPS[$2]}")" "$(median <<<"$r")" "$r"
}
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
printf '%-40s %10s %8s   %s\n' proxy "req/s" "vs nginx" "(ratio in each round)"
row "nginx proxy_pass (1 worker, keep-alive)" nginx
row "httpdump relay --quiet" quiet
row "httpdump relay (tables to a file)" tables
echo "(medians; last tables file: $TABLE_BYTES bytes)"
