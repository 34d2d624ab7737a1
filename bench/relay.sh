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
source bench/lib.sh
bench_setup wrk nginx python3 curl

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

TABLE_BYTES=0
for round in $(seq "$ROUNDS"); do
    run_server nginx "$PROXY" nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf"

    PORT=$(free_port)
    run_server quiet "$PORT" sh -c "exec '$BIN' relay '$PORT' --to http://127.0.0.1:$UP --quiet 2>/dev/null"

    PORT=$(free_port)
    run_server tables "$PORT" sh -c "exec '$BIN' relay '$PORT' --to http://127.0.0.1:$UP --width 100 >'$WORK/tables.txt' 2>/dev/null"
    TABLE_BYTES=$(wc -c <"$WORK/tables.txt")
done

header proxy
row "nginx proxy_pass (1 worker, keep-alive)" nginx nginx
row "httpdump relay --quiet" quiet nginx
row "httpdump relay (tables to a file)" tables nginx
echo "(medians; last tables file: $TABLE_BYTES bytes)"
