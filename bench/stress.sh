#!/usr/bin/env bash
# Reliability under attack and awkward clients: `httpdump listen` (release build) and,
# where the comparison means something, nginx (one worker), on loopback only.
#
#   bench/stress.sh            # the full run: a few minutes at most
#   bench/stress.sh --quick    # a tenth of the counts, as a smoke test
#   bench/stress.sh --no-nginx # httpdump only
#
# Scenarios (each with a count and a time limit; see bench/stress.py):
#   idle flood            1000 connections that send nothing, then 10 real requests
#   slowloris             600 clients trickling a head a byte per 0.2 s for 12 s, real
#                         requests every 0.5 s meanwhile
#   never-reading client  50 clients pipelining 20 GETs of a 1 MiB reply, never reading;
#                         then one real request
#   stalled stdout        100 POSTs of 1 MiB (64-byte lines) while nobody reads listen's
#                         stdout (40 s at most); then stdout is drained and counted
#   split pipelines       10,000 pipelined requests on 10 connections, written in random
#                         pieces of 1-300 bytes; replies and printed tables counted
#
# Prints one table: scenario, server, peak RSS (VmHWM of the serving process), requests
# sent, answered, lost (sent minus answered; for httpdump, minus the fewer of answered
# and tables shown), and a note.
#
# Needs: cargo, python3; nginx for the comparison rows.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "bench/stress.sh: needs python3" >&2; exit 2; }
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/httpdump
# Descriptors for the idle flood and slowloris: both sides on this machine.
ulimit -n 8192 2>/dev/null || true
# The whole run is bounded; a hang beyond this is a finding, not a wait.
exec timeout --kill-after=10 600 python3 bench/stress.py "$BIN" "$@"
