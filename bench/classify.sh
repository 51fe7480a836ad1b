#!/bin/bash
# classify.sh - offline --classify throughput on one core.
#
#   bench/classify.sh [--profile]
#
# Three workloads, each in ONE invocation of abuse-milter --classify
# pinned to CPU 0 (taskset -c 0), run three times, best and median kept:
#   real   the real complaints (corpus/real) repeated to >= 5,000 inputs
#   test   test/corpus/*.eml repeated to >= 5,000 inputs (short, 0.5-2.4 KB)
#   big    5,000 distinct synthetic complaints of 4-30 KB (gen-complaints.py:
#          log excerpts, ARF with the spam, ACNS, X-ARF + base64, quoting)
# Startup (config load, PCRE2 JIT compile) is measured apart with one input
# and is included in the totals. Target: >= 5,000 complaints/s.
# --profile adds a perf profile of the real workload (self time by DSO and
# by symbol, and inclusive time of the project's functions).
set -u
. "$(dirname "$0")/common.sh"
bench_tmp classify
profile=0
[ "${1:-}" = --profile ] && profile=1

conf=$BT/bench.conf
bench_conf "$conf" "$BT/state" "unix:$BT/milter.sock" "/bin/true"
"$ABUSE_MILTER" -n -c "$conf" || { echo "config check failed"; exit 1; }

# inputs: a file with one path per line (argument lists of 5,000 are fine)
list_repeat() {	# list_repeat OUT MIN FILES...
	local out=$1 min=$2; shift 2
	: > "$out"
	while [ "$(wc -l < "$out")" -lt "$min" ]; do
		printf '%s\n' "$@" >> "$out"
	done
}
real_dir=$(bench_corpus_dirs | grep -v '/test/corpus$' | head -n 1)
[ -n "$real_dir" ] && list_repeat "$BT/real.list" 5000 "$real_dir"/*.eml
list_repeat "$BT/test.list" 5000 "$top_srcdir"/test/corpus/*.eml
mkdir -p "$BT/big"
python3 "$bench_dir/gen-complaints.py" "$BT/big" 5000 1 || exit 1
ls "$BT"/big/*.eml > "$BT/big.list"

now() { date +%s.%N; }

# run_once LIST - seconds for one pinned invocation over LIST
run_once() {
	local t0 t1
	mapfile -t files < "$1"
	t0=$(now)
	taskset -c 0 "$ABUSE_MILTER" -c "$conf" --classify "${files[@]}" \
	    > "$BT/out.jsonl" 2>"$BT/err" || { echo "classify failed" >&2; cat "$BT/err" >&2; }
	t1=$(now)
	[ "$(wc -l < "$BT/out.jsonl")" = "${#files[@]}" ] ||
	    echo "WARNING: $(wc -l < "$BT/out.jsonl") lines for ${#files[@]} inputs" >&2
	echo "$t1 - $t0" | bc -l
}

bench_machine
echo
head -n 1 "$BT/real.list" > "$BT/one.list"
start=$(for i in 1 2 3; do run_once "$BT/one.list"; done | sort -n | head -n 1)
printf 'startup (one input): %.0f ms\n\n' "$(echo "$start * 1000" | bc -l)"
printf '%-6s %7s %9s %11s %11s %11s %9s\n' workload inputs "avg KB" "best c/s" \
    "median c/s" "no-startup" "us/input"
for w in real test big; do
	[ -s "$BT/$w.list" ] || continue
	n=$(wc -l < "$BT/$w.list")
	kb=$(xargs -a "$BT/$w.list" -d '\n' stat -c %s | awk '{ s += $1 } END { printf "%.1f", s / NR / 1024 }')
	times=$(for i in 1 2 3; do run_once "$BT/$w.list"; done | sort -n)
	best=$(echo "$times" | head -n 1) med=$(echo "$times" | sed -n 2p)
	printf '%-6s %7d %9s %11.0f %11.0f %11.0f %9.0f\n' "$w" "$n" "$kb" \
	    "$(echo "$n / $best" | bc -l)" "$(echo "$n / $med" | bc -l)" \
	    "$(echo "$n / ($best - $start)" | bc -l)" \
	    "$(echo "($best - $start) * 1000000 / $n" | bc -l)"
	cp "$BT/out.jsonl" "$BT/$w.jsonl"
done
echo
echo "categories of the big workload:"
grep -o '"category":"[^"]*"' "$BT/big.jsonl" | sort | uniq -c | sed 's/^/  /'

if [ $profile = 1 ] && command -v perf >/dev/null; then
	echo; echo "== perf profile, real workload (self time by DSO)"
	mapfile -t files < "$BT/real.list"
	perf record -q -F 4000 --call-graph dwarf,16384 -o "$BT/perf.data" \
	    taskset -c 0 "$ABUSE_MILTER" -c "$conf" --classify "${files[@]:0:1500}" \
	    > /dev/null 2>&1
	perf report -i "$BT/perf.data" --no-children --sort dso --stdio 2>/dev/null |
	    grep -E '^ +[0-9]' | head -n 10
	echo; echo "== self time by symbol (top 25)"
	perf report -i "$BT/perf.data" --no-children --sort dso,symbol --stdio -g none \
	    2>/dev/null | grep -E '^ +[0-9]' | head -n 25
	echo; echo "== inclusive time of the pipeline's stages (dwarf unwinding; top 40)"
	perf report -i "$BT/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
	    grep -E '^ +[0-9]' | grep -E ' (main|cli_[a-z_]+|complaint_[a-z_]+|mime_[a-z_]+|evidence_[a-z_]+|extract_[a-z_]+|classify_[a-z_]+|reply_[a-z_]+|arf_[a-z_]+|xarf_[a-z_]+|acns_[a-z_]+|mtext_[a-z_0-9]+|g_object_unref|g_mime_parser_construct_message|json_object_to_json_string_ext)[ .]' |
	    head -n 40
	echo "(PCRE2 JIT code has no unwind tables: its samples appear under [JIT]"
	echo " with no caller; they are the rule regexes run by classify.c)"
fi
