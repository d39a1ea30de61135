#!/usr/bin/env bash
# The scan's floor: `coinsieve scan -j 1` with check() replaced by a constant verdict, next to the
# real scan and the bare Aho-Corasick pass, on the benches/scan.sh dump.
#
#   benches/floor.sh [SIZE_MB] [RUNS]
#
# Builds the current commit in a git worktree (target/floor-src, built into target/floor) with one
# edit: Scanner::check_item answers Verdict::allow() instead of calling the filter. Everything
# else a scan does stays: reading, line splitting, JSON parsing, output records, account tally,
# the filter build and jieba's background load. What the real scan takes beyond this one is
# check()'s cost; this floor next to the bare pass says whether the scaffolding alone could ever
# meet "scan >= 0.5x bare". Prints the median of RUNS runs of each: wall seconds for the two scans
# (start-up included), the pass alone for the bare automaton (as benches/scan.sh times it).
# Needs: git, cargo, python3, and the dump from `benches/scan.sh SIZE_MB`.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-200}
RUNS=${2:-3}
OUT=target/bench
DUMP="$OUT/dump-${SIZE_MB}mb.jsonl"
[ -s "$DUMP" ] || { echo "no $DUMP: run benches/scan.sh $SIZE_MB first" >&2; exit 1; }
cargo build --release --quiet --bin coinsieve --example bare_automaton

SRC=target/floor-src
git worktree remove --force "$SRC" 2>/dev/null || rm -rf "$SRC"
git worktree prune
git worktree add --quiet --detach "$SRC" HEAD
trap 'git worktree remove --force "$SRC"' EXIT
python3 - "$SRC/src/scan/mod.rs" <<'PY'
import sys
path = sys.argv[1]
src = open(path).read()
check = """            if wait {
                Some(filter.check_borrowed(&post.text))
            } else {
                filter.check_ready(&post.text)
            }"""
if check not in src:
    sys.exit(f"{path}: the check in Scanner::check_item has changed; update benches/floor.sh")
src = src.replace(check, """            let _ = (wait, filter, &post.text);
            Some(crate::verdict::Verdict::nothing_found())""")
open(path, "w").write(src)
PY
# the edit leaves Filter::check_ready unused: allow that, nothing else changes in the build
(cd "$SRC" && RUSTFLAGS="-A dead_code" cargo build --release --quiet --bin coinsieve --target-dir ../floor)

BYTES=$(stat -c %s "$DUMP")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# median_of CMD...: the median of RUNS runs of CMD, which prints one number of seconds
median_of() { for _ in $(seq "$RUNS"); do "$@"; done | median; }
wall() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
# as in scan.sh, the bare pass is timed by the example itself (the pass, not its build)
bare_pass() { target/release/examples/bare_automaton "$DUMP" | awk '{print $3}'; }
FLOOR=$(median_of wall target/floor/release/coinsieve scan -q -j 1 -o /dev/null "$DUMP")
SCAN=$(median_of wall target/release/coinsieve scan -q -j 1 -o /dev/null "$DUMP")
BARE=$(median_of bare_pass)
python3 - "$BYTES" "$FLOOR" "$SCAN" "$BARE" <<'PY'
import sys
size, floor, scan, bare = int(sys.argv[1]), *map(float, sys.argv[2:])
mb = size / 1e6
for name, secs in [("scan -j 1, check() replaced by a constant", floor), ("scan -j 1", scan), ("bare automaton pass", bare)]:
    print(f"{name:44} {secs:6.2f} s {mb / secs:7.1f} MB/s")
print(f"floor / bare: {bare / floor:.2f}x   scan / bare: {bare / scan:.2f}x   check() share of the scan: {(scan - floor) / scan:.0%}")
PY
