#!/usr/bin/env bash
# Scan throughput on real posts, next to the Python baseline on the same bytes.
#
#   benches/real.sh [RUNS]
#
# benches/scan.sh measures a generated dump whose clean posts are filler chat from a 110-word
# vocabulary: few of them hold a lexicon word, so most end on the fast path. Real timelines are
# harder: news, questions and warnings are lexicon context words, so many clean posts take the
# full pipeline. This script times `coinsieve scan` (1 thread and all threads, median of RUNS,
# default 3) and the Python baseline (jieba + pyahocorasick, one run) on the labeled third-party
# corpora in ../shared/corpora (beside the checkout): the two background timelines (Weibo,
# tweets) and the two largest dev sets, each decompressed once into target/bench/real-*.jsonl.
# It prints one table row per file with the ratios, and one for the four files in one dump ("all").
# The scan's wall time includes process start, the filter build and jieba's dictionary load
# (~0.1 s); the baseline's time starts after its imports and jieba's load. On a small file that
# start-up is a large share of the scan, so the "all" row is the fairer ratio. Skips cleanly (exit 0) when
# ../shared/corpora is absent, as on a fresh clone.
# Needs: cargo, python3 (with venv + pip reaching PyPI, as benches/scan.sh), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SHARED=../shared/corpora
if [ ! -d "$SHARED" ]; then
  echo "real.sh: no $SHARED beside the checkout; nothing to measure" >&2
  exit 0
fi
OUT=target/bench
mkdir -p "$OUT"
. benches/lib.sh

cargo build --release --quiet --bin coinsieve --example bare_automaton
BIN=target/release/coinsieve
target/release/examples/bare_automaton --terms > "$OUT/terms.txt"
PYTHON=$(baseline_python)

# measure NAME FILE: RUNS timed scans of FILE on 1 thread and on all, and one Python baseline run
measure() {
  local name=$1 file=$2
  for _ in $(seq "$RUNS"); do
    time_run "$RES" "$name:scan_1t" "$BIN" scan -q -j 1 -o /dev/null "$file"
    time_run "$RES" "$name:scan_all" "$BIN" scan -q -o /dev/null "$file"
  done
  read -r base_bytes _ _ base_secs < <("$PYTHON" benches/baseline/baseline.py "$OUT/terms.txt" "$file")
  echo "$name:python $base_secs 0 0 $base_bytes" >> "$RES"
  echo "$name:file $(stat -c %s "$file") $(wc -l < "$file") 0" >> "$RES"
}

RES="$OUT/real-results.txt"
: > "$RES"
files=()
for name in background_zh background_en en_reddit_dev zh_blog_dev; do
  src=""
  for candidate in "$SHARED/$name.jsonl" "$SHARED/$name.jsonl.gz"; do
    [ -f "$candidate" ] && src=$candidate && break
  done
  [ -n "$src" ] || { echo "real.sh: no $SHARED/$name.jsonl[.gz], skipped" >&2; continue; }
  file="$OUT/real-$name.jsonl"
  [ -s "$file" ] || { case "$src" in *.gz) zcat "$src" ;; *) cat "$src" ;; esac > "$file"; }
  files+=("$file")
  measure "$name" "$file"
done
[ ${#files[@]} -gt 0 ] || { echo "real.sh: no corpus found in $SHARED" >&2; exit 0; }
cat "${files[@]}" > "$OUT/real-all.jsonl"
measure all "$OUT/real-all.jsonl"

python3 - "$RES" "$(nproc)" <<'PY'
import sys, statistics
res, cores = sys.argv[1], sys.argv[2]
runs = {}
for line in open(res):
    label, *values = line.split()
    name, what = label.split(":")
    runs.setdefault(name, {}).setdefault(what, []).append([float(v) for v in values])
print(f"\nmedian of {len(next(iter(runs.values()))['scan_1t'])} scan runs; {cores} cores; "
      "MB/s of file bytes (JSONL)\n")
print(f"| file | MB | posts | scan 1 thread | scan {cores} threads | Python | "
      "scan/Python 1 thread | all threads | 1→all |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, r in runs.items():
    nbytes, posts = r["file"][0][0], int(r["file"][0][1])
    one = statistics.median(x[0] for x in r["scan_1t"])
    every = statistics.median(x[0] for x in r["scan_all"])
    base_secs, base_bytes = r["python"][0][0], r["python"][0][3]
    mbps = lambda secs, b=nbytes: b / 1e6 / secs
    base = mbps(base_secs, base_bytes)
    print(f"| {name} | {nbytes/1e6:.1f} | {posts:,} | {mbps(one):.1f} MB/s | {mbps(every):.1f} MB/s "
          f"| {base:.2f} MB/s | {mbps(one)/base:.0f}× | {mbps(every)/base:.0f}× | {one/every:.2f}× |")
PY
