#!/usr/bin/env bash
# Benchmark `httpdump parse` on a generated stream of realistic HTTP messages.
# Prints MB/s for JSON and for tables into /dev/null, peak RSS, and the same figures for
# a peer measured in the same run (bench/article_dump.py: the article's numbered line dump
# in Python), so the ratio stays meaningful on a noisy shared machine.
#
# usage: bench/parse.sh [SIZE_MB] [RUNS]     (defaults: 200 MB, best of 3)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
runs=${2:-3}
out=bench/out
mkdir -p "$out"
input="$out/stream-${size}mb.http"
[ -f "$input" ] || python3 bench/gen_stream.py "$size" > "$input"
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/httpdump
bytes=$(stat -c %s "$input")

# best wall time (s) and the largest peak RSS (KiB) over $runs runs of a command
measure() {
  local best="" rss=0 line t m
  for _ in $(seq "$runs"); do
    line=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -n 1)
    t=${line% *}; m=${line#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  echo "$best $rss"
}

row() {
  local name=$1; shift
  read -r t rss < <(measure "$@")
  local mbs
  mbs=$(awk "BEGIN{printf \"%.1f\", $bytes / 1048576 / ($t > 0 ? $t : 0.001)}")
  printf '| %s | %s s | %s MB/s | %s MiB |\n' "$name" "$t" "$mbs" "$((rss / 1024))"
  echo "$mbs" > "$out/last-$name.mbs"
}

echo "input: $input ($((bytes / 1048576)) MiB, $(grep -c '^HTTP/1.1 \|^GET \|^POST ' "$input") messages), best of $runs"
echo
echo '| command | time | throughput | peak RSS |'
echo '|---|---|---|---|'
row "article-dump" python3 bench/article_dump.py "$input"
row "json" "$bin" parse --format json "$input"
row "table" "$bin" parse --color never --width 100 "$input"
echo
peer=$(cat "$out/last-article-dump.mbs")
for f in json table; do
  awk -v n="$f" -v a="$(cat "$out/last-$f.mbs")" -v b="$peer" 'BEGIN{printf "%s: %.2fx the speed of the article-style dump\n", n, a / b}'
done
