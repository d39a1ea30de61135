#!/usr/bin/env bash
# End-to-end scan benchmark: coinsieve scan vs a bare Aho-Corasick pass vs a Python baseline.
#
#   benches/scan.sh [SIZE_MB] [BASELINE_MB] [RUNS]
#
# SIZE_MB (default 200): size of the generated JSONL dump (~95% clean, 5% flagged, zh/en mixed,
# built from corpora/*.jsonl plus generated filler; cached under target/bench/).
# BASELINE_MB (default 4): the Python baseline (jieba + pyahocorasick, in a venv under
# target/bench/venv) is timed on the first BASELINE_MB of the dump only, it is ~1 MB/s;
# its throughput is what is compared. RUNS (default 3): runs per scan timing, median reported.
# Needs: cargo, python3 (with venv + pip reaching PyPI), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-200}
BASE_MB=${2:-4}
RUNS=${3:-3}
OUT=target/bench
mkdir -p "$OUT"

cargo build --release --quiet --bin coinsieve --example bare_automaton
BIN=target/release/coinsieve
BARE=target/release/examples/bare_automaton

DUMP="$OUT/dump-${SIZE_MB}mb.jsonl"
if [ ! -s "$DUMP" ]; then
  echo "generating $DUMP ..." >&2
  python3 benches/gen_dump.py "$DUMP.tmp" "$SIZE_MB" && mv "$DUMP.tmp" "$DUMP"
fi
BYTES=$(stat -c %s "$DUMP")
POSTS=$(wc -l < "$DUMP")

RES="$OUT/scan-results.txt"
: > "$RES"
. benches/lib.sh

for _ in $(seq "$RUNS"); do
  time_run "$RES" scan_1t "$BIN" scan -q -j 1 -o /dev/null "$DUMP"
  time_run "$RES" scan_all "$BIN" scan -q -o /dev/null "$DUMP"
done

# startup to first record: one clean post, no segmentation needed
printf '{"id":"1","text":"hello, nice weather today"}\n' > "$OUT/one.jsonl"
for _ in 1 2 3 4 5; do time_run "$RES" startup "$BIN" scan -q -j 1 -o /dev/null "$OUT/one.jsonl"; done

read -r _ BARE_MATCHES BARE_SECS < <("$BARE" "$DUMP")

PYTHON=$(baseline_python)
"$BARE" --terms > "$OUT/terms.txt"
read -r BASE_BYTES BASE_POSTS _ BASE_SECS < <("$PYTHON" benches/baseline/baseline.py \
  "$OUT/terms.txt" "$DUMP" $((BASE_MB * 1000000)))

python3 - "$RES" "$BYTES" "$POSTS" "$BARE_SECS" "$BARE_MATCHES" "$BASE_BYTES" "$BASE_POSTS" "$BASE_SECS" "$(nproc)" <<'PY'
import sys, statistics
res, nbytes, posts, bare_secs, bare_matches, base_bytes, base_posts, base_secs, cores = sys.argv[1:]
nbytes, posts = int(nbytes), int(posts)
rows = {}
cpu = {}
for line in open(res):
    label, secs, rss, cpus = line.split()
    rows.setdefault(label, []).append((float(secs), int(rss)))
    cpu.setdefault(label, []).append(float(cpus))
med = lambda label: statistics.median(s for s, _ in rows[label])
medcpu = lambda label: statistics.median(cpu[label])
peak = lambda label: max(r for _, r in rows[label]) / 1024
mbps = lambda secs, b=nbytes: b / 1e6 / secs
bare = mbps(float(bare_secs))
base = mbps(float(base_secs), int(base_bytes))
s1, sa = med("scan_1t"), med("scan_all")
print(f"\ndump: {nbytes/1e6:.1f} MB, {posts} posts; {cores} cores; median of {len(rows['scan_1t'])} runs\n")
print("| run | wall (s) | MB/s | posts/s | CPU s (user+sys) | MB per CPU-s | peak RSS (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label, name in (("scan_1t", "coinsieve scan, 1 thread"), ("scan_all", f"coinsieve scan, {cores} threads")):
    w, c = med(label), medcpu(label)
    print(f"| {name} | {w:.2f} | {mbps(w):.1f} | {posts/w:,.0f} | {c:.2f} | {mbps(c):.1f} | {peak(label):.0f} |")
print(f"| bare aho-corasick DFA pass, 1 thread | {float(bare_secs):.2f} | {bare:.1f} | - | - | - | - |")
print(f"| Python jieba + pyahocorasick (first {int(base_bytes)/1e6:.0f} MB) | {float(base_secs):.2f} | {base:.2f} | {int(base_posts)/float(base_secs):,.0f} | - | - | - |")
print(f"| startup to first record (1 clean post) | {med('startup')*1000:.0f} ms | | | | | {peak('startup'):.0f} |")
print()
print(f"scan/bare automaton (1 thread):   {mbps(s1)/bare:.2f}x")
print(f"scan/Python baseline (1 thread):  {mbps(s1)/base:.0f}x")
print(f"scan/Python baseline (all):       {mbps(sa)/base:.0f}x")
print(f"scaling 1 -> {cores} threads:          {s1/sa:.2f}x")
PY
