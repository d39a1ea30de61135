# Shared by benches/scan.sh and benches/real.sh (source it; needs OUT set to the output folder).

# time_run RESULTS LABEL CMD...: one run of CMD under /usr/bin/time -v (stdout discarded);
# appends "LABEL wall_secs peak_rss_kb cpu_secs" to RESULTS.
time_run() {
  local res=$1 label=$2; shift 2
  /usr/bin/time -v "$@" 2> "$OUT/time.txt" > /dev/null
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$OUT/time.txt")
  echo "$label $(python3 -c "
p='$wall'.split(':'); s=0.0
for x in p: s=s*60+float(x)
print(s)") $rss $cpu" >> "$res"
}

# baseline_python: the venv's python with jieba and pyahocorasick, created on first use under
# $OUT/venv (needs python3 with venv and pip reaching PyPI). Prints the interpreter's path.
baseline_python() {
  local venv="$OUT/venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import jieba, ahocorasick' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet jieba pyahocorasick >&2
  fi
  echo "$venv/bin/python"
}
