#!/bin/bash
# fsyncs.sh - durable writes and end-of-message time per complaint.
#
#   bench/fsyncs.sh [N [CONC]]     (default 300 complaints, 1 connection)
#
# The milter runs in the foreground under `strace -f -c -e
# trace=fsync,fdatasync` with the shipped rules (bench_conf: no rate
# limit, not_ours = send, so every complaint queues a reply) and a
# sendmail stand-in that exits 0; miltertest sends N copies of a real
# complaint over CONC connections at once; the workers drain the spool,
# the milter stops, and the counts of fsync and fdatasync (the milter's
# threads, SQLite's checkpoints, the spool) are divided by N. strace
# slows every system call, so the ms per complaint printed with it are
# only comparable to each other; BENCH_STRACE=0 measures them without.
# BENCH_BASE=BINARY runs an older build the same way right after.
set -u
. "$(dirname "$0")/common.sh"
N=${1:-300}
CONC=${2:-1}
bench_tmp fsyncs
command -v miltertest >/dev/null || { echo "SKIP: needs miltertest"; exit 77; }
[ "${BENCH_STRACE:-1}" = 0 ] || command -v strace >/dev/null ||
    { echo "SKIP: needs strace"; exit 77; }
: "${BENCH_COMPLAINT:=$(bench_corpus_dirs | head -n 1)/abuseio-abusehub-1.eml}"
cp "$bench_dir/seq.lua" "$BT/seq.lua"
printf '#!/bin/sh\ncat > /dev/null; exit 0\n' > "$BT/sendmail"
chmod 755 "$BT/sendmail"
pid=
bench_cleanup_hook() { bench_stop "$pid"; }

# one BINARY - the run; prints one line
one() {
	local bin=$1 st=$BT/state.$RANDOM mts="" t0 t1 f d
	bench_conf "$BT/c.conf" "$st" "unix:$BT/m.sock" "$BT/sendmail"
	rm -f "$BT/m.sock" "$BT/strace.out"
	if [ "${BENCH_STRACE:-1}" = 0 ]; then
		"$bin" -f -c "$BT/c.conf" > "$BT/log" 2>&1 &
	else
		strace -f -c -o "$BT/strace.out" -e trace=fsync,fdatasync \
		    "$bin" -f -c "$BT/c.conf" > "$BT/log" 2>&1 &
	fi
	pid=$!
	for _ in $(seq 100); do [ -S "$BT/m.sock" ] && break; sleep 0.1; done
	t0=$(date +%s.%N)
	for _ in $(seq "$CONC"); do
		ABUSE_LIBDIR=$top_srcdir/test/milter SEQ_SOCK=unix:$BT/m.sock \
		    SEQ_EML=$BENCH_COMPLAINT SEQ_N=$((N / CONC)) \
		    miltertest -s "$BT/seq.lua" >> "$BT/mt.out" 2>&1 &
		mts="$mts $!"
	done
	wait $mts
	t1=$(date +%s.%N)
	for _ in $(seq 300); do
		ls "$st/spool" | grep -q '^[qc]\.' || break
		sleep 0.1
	done
	kill -TERM "$(cat "$st/abuse-milter.pid")"
	wait "$pid" 2>/dev/null; pid=
	printf '  %-28s %6.2f ms/complaint, %d replies sent' "$(basename "$bin")" \
	    "$(echo "($t1 - $t0) * 1000 / $N" | bc -l)" \
	    "$(grep -c 'reply to .* sent' "$BT/log")"
	if [ -f "$BT/strace.out" ]; then
		f=$(awk '$NF == "fsync" { print $4 }' "$BT/strace.out")
		d=$(awk '$NF == "fdatasync" { print $4 }' "$BT/strace.out")
		printf ', fsync %d + fdatasync %d = %.2f per complaint' \
		    "${f:-0}" "${d:-0}" "$(echo "(${f:-0} + ${d:-0}) / $N" | bc -l)"
	fi
	echo
}

bench_machine
echo "complaint: ${BENCH_COMPLAINT##*/}; $N complaints over $CONC connection(s)"
one "$ABUSE_MILTER"
[ -n "${BENCH_BASE:-}" ] && one "$BENCH_BASE"
exit 0
