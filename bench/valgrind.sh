#!/bin/bash
# valgrind.sh - the miltertest suite with the filter under valgrind.
#
#   bench/valgrind.sh
#
# test/milter/run.sh starts $top_builddir/milter/abuse-milter; here
# top_builddir is a scratch directory whose milter/abuse-milter is a
# wrapper that execs
#   valgrind --leak-check=full --errors-for-leak-kinds=definite
#            --error-exitcode=1 abuse-milter ...
# with G_SLICE=always-malloc G_DEBUG=gc-friendly (so GLib's slice
# allocator does not hide or fake leaks). miltertest stops each filter
# with SIGTERM; valgrind then writes one log per process. Reported: the
# suite's result (a test FAILs when valgrind's exit status 1 reaches
# miltertest, so the ok/not ok lines are counted too), and per process
# the "definitely lost" bytes and the memory errors, split into errors
# whose innermost frame is PCRE2 JIT code (valgrind shows it as "???":
# the JIT's 16-byte vector reads past the end of a subject and its
# flag tests are known false positives) and all others; then the stacks
# of definite leaks and of the other errors. GLib, GMime and libxml2
# keep global allocations: "still reachable" is expected.
# Second part: --classify over the real and test corpora under the same
# valgrind options (the offline path shares the pipeline, not the
# callbacks).
set -u
. "$(dirname "$0")/common.sh"
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed"; exit 77; }
command -v miltertest >/dev/null || { echo "SKIP: miltertest not installed"; exit 77; }
bench_tmp valgrind

mkdir -p "$BT/build/milter" "$BT/build/test/milter" "$BT/vg"
# exec, so that miltertest's SIGTERM reaches valgrind and the filter;
# valgrind's closing "ERROR SUMMARY" line marks a finished process
cat > "$BT/build/milter/abuse-milter" <<EOF
#!/bin/sh
G_SLICE=always-malloc G_DEBUG=gc-friendly
export G_SLICE G_DEBUG
exec valgrind --leak-check=full --errors-for-leak-kinds=definite \\
    --show-leak-kinds=definite --error-exitcode=1 --num-callers=30 \\
    --log-file=$BT/vg/vg.%p.log "$ABUSE_MILTER" "\$@"
EOF
chmod 755 "$BT/build/milter/abuse-milter"

bench_machine
echo "valgrind: $(valgrind --version)"
echo
t0=$(date +%s)
top_srcdir=$top_srcdir top_builddir=$BT/build sh "$top_srcdir/test/milter/run.sh" \
    > "$BT/suite.out" 2>&1
suite=$?
grep -E '^(PASS|FAIL|SKIP)|passed' "$BT/suite.out"
echo "suite exit status $suite, $(( $(date +%s) - t0 )) s;" \
    "checks: $(cat "$BT"/build/test/milter/tmp/*.out | grep -c '^ok -') ok," \
    "$(cat "$BT"/build/test/milter/tmp/*.out | grep -c '^not ok -') not ok"

# wait (bounded) for every filter process to write its summary
for i in $(seq 120); do
	pending=0
	for f in "$BT"/vg/vg.*.log; do
		[ -f "$f" ] && ! grep -q 'ERROR SUMMARY' "$f" && pending=$((pending + 1))
	done
	[ $pending = 0 ] && break
	sleep 0.5
done

# vg_errors LOG - "JIT OTHER": memory errors by innermost frame
vg_errors() {
	awk '/^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and dest)/ { e = 1; next }
	    e && / at 0x/ { if ($0 ~ /: \?\?\?$/) j++; else o++; e = 0 }
	    END { print j + 0, o + 0 }' "$1"
}

echo
printf '%-14s %12s %12s %10s %10s\n' process "definitely" "indirectly" "JIT errs" "other errs"
total_def=0 bad=0 n=0
for f in "$BT"/vg/vg.*.log; do
	# children forked for sendmail leave a log without a summary
	grep -q 'ERROR SUMMARY' "$f" 2>/dev/null || continue
	n=$((n + 1))
	def=$(awk '/definitely lost:/ { gsub(",", "", $4); print $4 }' "$f" | tail -n 1)
	ind=$(awk '/indirectly lost:/ { gsub(",", "", $4); print $4 }' "$f" | tail -n 1)
	read -r jit other < <(vg_errors "$f")
	conf=$(grep -m1 'Command:' "$f" | grep -o -- '-c [^ ]*' | sed 's|.*/||')
	printf '%-14s %12s %12s %10s %10s  %s\n' "$(basename "$f" .log)" \
	    "${def:-0}" "${ind:-0}" "$jit" "$other" "$conf"
	total_def=$((total_def + ${def:-0}))
	bad=$((bad + other))
done
echo
echo "filter processes: $n; definitely lost in all: $total_def bytes;" \
    "memory errors outside JIT code: $bad"
if [ "$total_def" != 0 ] || [ "$bad" != 0 ]; then
	echo
	echo "== definite leaks and errors outside JIT code (distinct stacks)"
	for f in "$BT"/vg/vg.*.log; do
		awk '/definitely lost in|Invalid (read|write)|uninitialised|Mismatched free|Invalid free|Syscall param/ { p = 1; blk = "" }
		    p { sub(/^==[0-9]+== /, ""); blk = blk $0 "\n" }
		    p && /^==[0-9]+== $/ || p && $0 == "" { p = 0; if (blk !~ /\n   at 0x[0-9A-F]+: \?\?\?\n/) print blk }' "$f"
	done | sed 's/ in loss record [0-9]* of [0-9]*//; s/^[0-9,]* bytes in [0-9,]* blocks/N bytes in M blocks/' |
	    awk 'BEGIN { RS = ""; ORS = "\n\n" } !seen[$0]++' | head -n 150
fi
echo
echo "== --classify over the corpora under valgrind"
bench_conf "$BT/classify.conf" "$BT/cstate" "unix:$BT/unused.sock" /bin/true
inputs=()
for d in $(bench_corpus_dirs); do inputs+=("$d"/*.eml); done
G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --num-callers=30 --log-file="$BT/vg/classify.log" \
    "$ABUSE_MILTER" -c "$BT/classify.conf" --classify "${inputs[@]}" > "$BT/classify.jsonl"
def=$(awk '/definitely lost:/ { gsub(",", "", $4); print $4 }' "$BT/vg/classify.log" | tail -n 1)
read -r jit other < <(vg_errors "$BT/vg/classify.log")
echo "inputs: ${#inputs[@]}, output lines: $(wc -l < "$BT/classify.jsonl");" \
    "definitely lost: ${def:-0} bytes; errors in JIT code: $jit, elsewhere: $other"
[ "${def:-0}" != 0 ] || [ "$other" != 0 ] &&
    grep -A20 'definitely lost in\|Invalid write' "$BT/vg/classify.log" | head -n 60
total_def=$((total_def + ${def:-0})) bad=$((bad + other))

[ "$total_def" = 0 ] && [ "$bad" = 0 ]
