#!/usr/bin/env bash
# The scan's floor: `coinsieve scan -j 1` with check() replaced by a constant verdict, the same
# with one automaton pass over each post, the real scan and the bare Aho-Corasick pass, on the
# benches/scan.sh dump.
#
#   benches/floor.sh [SIZE_MB] [RUNS]
#
# Builds the current commit twice in a git worktree (target/floor-src) with one edit each:
# Scanner::check_item answers Verdict::nothing_found() instead of calling the filter (built into
# target/floor), and the same after an overlapping search of the post's text with a DFA of the
# lexicon keys, built as the bare pass builds it (target/floor-walk). Everything else a scan does
# stays: reading, line splitting, JSON parsing, output records, account tally, the filter build
# and jieba's background load. What the real scan takes beyond the first is check()'s cost. The
# second is the least any design pays that reads and writes every record and walks the patterns
# over every post once: next to the bare pass it says how much of "scan >= 0.5x bare" is left for
# normalization, segmentation, detectors and rules. Prints the median of RUNS runs of each: wall
# seconds for the three scans (start-up included), the pass alone for the bare automaton (as
# benches/scan.sh times it).
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
# build_variant MODE TARGET_DIR: the worktree's scan with Scanner::check_item's check replaced
# (MODE constant: a constant verdict; MODE walk: the same, after one overlapping search of each
# post's text with an Aho-Corasick DFA of the lexicon keys, built as the bare pass builds it)
build_variant() {
    git -C "$SRC" checkout --quiet -- src/scan/mod.rs
    python3 - "$SRC/src/scan/mod.rs" "$1" <<'PY'
import sys
path, mode = sys.argv[1], sys.argv[2]
src = open(path).read()
check = """            if wait {
                Some(filter.check_borrowed(&post.text))
            } else {
                filter.check_ready(&post.text)
            }"""
if check not in src:
    sys.exit(f"{path}: the check in Scanner::check_item has changed; update benches/floor.sh")
walk = """            static WALK: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
            let automaton = WALK.get_or_init(|| {
                let mut keys: Vec<String> = (filter.lexicon().entries().iter())
                    .filter(|e| !e.pictograph && !e.key.key.is_empty())
                    .map(|e| e.key.key.clone())
                    .collect();
                keys.sort();
                keys.dedup();
                (aho_corasick::AhoCorasick::builder())
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .match_kind(aho_corasick::MatchKind::Standard)
                    .build(&keys)
                    .expect("the lexicon keys build an automaton")
            });
            std::hint::black_box(automaton.find_overlapping_iter(&*post.text).count());
""" if mode == "walk" else ""
src = src.replace(check, walk + """            let _ = (wait, filter, &post.text);
            Some(crate::verdict::Verdict::nothing_found())""")
open(path, "w").write(src)
PY
    # the edit leaves Filter::check_ready unused: allow that, nothing else changes in the build
    (cd "$SRC" && RUSTFLAGS="-A dead_code" cargo build --release --quiet --bin coinsieve --target-dir "../$2")
}
build_variant constant floor
build_variant walk floor-walk

BYTES=$(stat -c %s "$DUMP")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# median_of CMD...: the median of RUNS runs of CMD, which prints one number of seconds
median_of() { for _ in $(seq "$RUNS"); do "$@"; done | median; }
wall() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
# as in scan.sh, the bare pass is timed by the example itself (the pass, not its build)
bare_pass() { target/release/examples/bare_automaton "$DUMP" | awk '{print $3}'; }
FLOOR=$(median_of wall target/floor/release/coinsieve scan -q -j 1 -o /dev/null "$DUMP")
WALK=$(median_of wall target/floor-walk/release/coinsieve scan -q -j 1 -o /dev/null "$DUMP")
SCAN=$(median_of wall target/release/coinsieve scan -q -j 1 -o /dev/null "$DUMP")
BARE=$(median_of bare_pass)
python3 - "$BYTES" "$FLOOR" "$WALK" "$SCAN" "$BARE" <<'PY'
import sys
size, floor, walk, scan, bare = int(sys.argv[1]), *map(float, sys.argv[2:])
mb = size / 1e6
for name, secs in [
    ("scan -j 1, check() replaced by a constant", floor),
    ("the same, plus one automaton pass a post", walk),
    ("scan -j 1", scan),
    ("bare automaton pass", bare),
]:
    print(f"{name:44} {secs:6.2f} s {mb / secs:7.1f} MB/s")
print(f"floor / bare: {bare / floor:.2f}x   floor and walk / bare: {bare / walk:.2f}x   scan / bare: {bare / scan:.2f}x")
print(f"check() share of the scan: {(scan - floor) / scan:.0%}")
# 'scan >= 0.5x bare' means the scan takes at most 2 * bare
print(f"under 'scan >= 0.5x bare', all of check() but one walk may take {2 * bare - walk:+.2f} s; it takes {scan - walk:.2f} s")
PY
