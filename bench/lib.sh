# What bench/listen.sh, relay.sh and live.sh share: source it, then `bench_setup TOOL...`.
# It checks for the tools, builds the release binary (BIN), makes a temporary folder
# (WORK) and kills every pid in PIDS and removes WORK on exit. The caller sets DURATION,
# ROUNDS, CONNECTIONS and THREADS first.

NAME="bench/$(basename "$0")"

bench_setup() { # tool...
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$NAME: needs $tool" >&2; exit 2; }
    done
    cargo build --release --quiet
    BIN=${CARGO_TARGET_DIR:-target}/release/httpdump
    WORK=$(mktemp -d)
    PIDS=()
    trap cleanup EXIT
}

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}

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
    echo "$NAME: nothing answers on port $1" >&2
    exit 1
}

stop() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# CPU time (user + system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Run wrk against a port served by process `pid`; print req/s and that process's CPU time
# per request in microseconds (steadier than req/s on a shared machine).
measure() { # port pid
    local before after
    before=$(cpu_ticks "$2")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$1/" >"$WORK/wrk.txt"
    after=$(cpu_ticks "$2")
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        / requests in / { n = $1 }
        /Requests\/sec/ { rps = $2 }
        END { printf "%s %.2f\n", rps, ticks / hz * 1e6 / n }' "$WORK/wrk.txt"
}

# An nginx configuration in $WORK/NAME/nginx.conf: one worker, no logging, the given
# server block(s).
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

# Start a server, measure it once, stop it; its req/s go to RPS[name], its CPU per request
# to CPU[name] (space-separated, one per round).
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
    measured=$(measure "$port" "${cpu_pid:-$pid}")
    RPS[$name]="${RPS[$name]:-} ${measured% *}"
    CPU[$name]="${CPU[$name]:-} ${measured#* }"
    stop "$pid"
}

# The median of numbers given on standard input, separated by spaces or lines.
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The ratio of server `name` to server `base` in each round.
ratios() { # name base
    paste <(tr ' ' '\n' <<<"${RPS[$1]}" | grep .) <(tr ' ' '\n' <<<"${RPS[$2]}" | grep .) |
        awk '{ printf "%.2f ", $1 / $2 }'
}

# One line of the table: median req/s, median ratio to `base`, median CPU per request, and
# the ratio in each round.
row() { # label name base
    local r
    r=$(ratios "$2" "$3")
    printf '%-40s %10.0f %8s %10.2f   %s\n' "$1" "$(median <<<"${RPS[$2]}")" "$(median <<<"$r")" \
        "$(median <<<"${CPU[$2]}")" "$r"
}

header() { # first-column title
    echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
    printf '%-40s %10s %8s %10s   %s\n' "$1" "req/s" "vs nginx" "CPU us/req" "(ratio in each round)"
}
