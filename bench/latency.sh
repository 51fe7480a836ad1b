#!/bin/bash
# latency.sh - end-of-message must not wait for sendmail.
#
#   bench/latency.sh [RUNS]       (default 2 runs per case)
#
# Complaint traffic (smtp-source -s 10 -m 1000 -F <a real complaint> to
# abuse@example.org, rate_limit "0" so every complaint queues a reply)
# through a private Postfix to abuse-milter on a unix: socket, with three
# reply.sendmail stand-ins:
#   fast   reads stdin, exits 0
#   slow   sleeps 5 s, reads stdin, exits 0  (a hung MTA, below timeout)
#   fail   reads stdin, exits 75 (EX_TEMPFAIL: retried later)
# The milter's eom writes the job to the spool and returns; the worker
# runs sendmail later. So slow and fail must reach the throughput of
# fast (within noise, +-10%). The worker competes with Postfix for the
# same CPUs, so the filter's CPU time per message is printed too: a
# throughput loss with a matching CPU rise is work, not waiting. The
# shipped retry (1m) is kept. Also reported: how long SIGTERM takes
# with a slow submission in progress (the target: within 10 s).
# Second measurement, without Postfix and its noise: miltertest drives
# the milter directly, one connection, MT_MSGS complaints (default 300)
# one after another (envelope, headers, body, eom); the wall time per
# message is the end-of-message latency plus the protocol round trips.
set -u
. "$(dirname "$0")/common.sh"
RUNS=${1:-2}
MSGS=${BENCH_MSGS:-1000}
bench_tmp latency
. "$bench_dir/pf.sh"

pfb_stand_in fast "cat > /dev/null; exit 0"
pfb_stand_in slow "sleep 5; cat > /dev/null; exit 0"
pfb_stand_in fail "cat > /dev/null; exit 75"
for s in fast slow fail; do
	bench_conf "$BT/$s.conf" "$BT/state" "unix:$PFB_SOCK" "$BT/$s"
	sed -i 's|^\( *\)retry = .*|\1retry = 1m|' "$BT/$s.conf"
	"$ABUSE_MILTER" -n -c "$BT/$s.conf" || exit 1
done
pfb_up || exit 1
pfb_milter "$PFB_PF_UNIX"

bench_machine
echo "complaint: $BENCH_COMPLAINT; smtp-source -s 10 -m $MSGS, unix: socket"
printf '  %-6s %-18s %9s %9s %9s %11s\n' sendmail "messages/s" "CPU ms" spooled tried "SIGTERM s"
declare -A MED
for s in fast slow fail; do
	pfb_start abuse "unix:$PFB_SOCK" "$BT/$s.conf" ||
	    { tail "$BT/milter.log"; exit 1; }
	pfb_send complaint 200 >/dev/null
	rates=""
	c0=$(pfb_cpu)
	for i in $(seq "$RUNS"); do
		t=$(pfb_send complaint "$MSGS")
		rates="$rates $(printf '%.0f' "$(echo "$MSGS / $t" | bc -l)")"
	done
	c1=$(pfb_cpu)
	cpu=$(echo "($c1 - $c0) * 1000 / $(getconf CLK_TCK) / ($MSGS * $RUNS)" | bc -l)
	q=$(pfb_spooled)
	tried=$(grep -c 'reply to ' "$BT/milter.log")
	t0=$(date +%s.%N)
	pfb_stop
	t1=$(date +%s.%N)
	: > "$BT/milter.log"
	MED[$s]=$(echo $rates | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	printf '  %-6s %-18s %9.2f %9d %9d %11.1f\n' "$s" "${rates# }" "$cpu" "$q" "$tried" \
	    "$(echo "$t1 - $t0" | bc -l)"
done
[ -s "$BT/source.err" ] && { echo "smtp-source errors:"; sort "$BT/source.err" | uniq -c | head; }
echo
echo "miltertest, one connection, ${MT_MSGS:=300} complaints in sequence (ms per message):"
cp "$bench_dir/seq.lua" "$BT/seq.lua"
declare -A SEQ
for s in fast slow fail; do
	pfb_start abuse "unix:$PFB_SOCK" "$BT/$s.conf" || exit 1
	ms=""
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		ABUSE_LIBDIR=$top_srcdir/test/milter SEQ_SOCK=unix:$PFB_SOCK \
		    SEQ_EML=$BENCH_COMPLAINT SEQ_N=$MT_MSGS \
		    miltertest -s "$BT/seq.lua" > "$BT/seq.out" 2>&1 ||
		    { echo "miltertest failed:"; tail -n 5 "$BT/seq.out"; }
		t1=$(date +%s.%N)
		ms="$ms $(printf '%.2f' "$(echo "($t1 - $t0) * 1000 / $MT_MSGS" | bc -l)")"
	done
	pfb_stop
	SEQ[$s]=$(echo $ms | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	printf '  %-6s %s  (median %s)\n' "$s" "${ms# }" "${SEQ[$s]}"
done
for s in slow fail; do
	printf 'miltertest latency, %s / fast = %.2f: %s\n' "$s" \
	    "$(echo "${SEQ[$s]} / ${SEQ[fast]}" | bc -l)" \
	    "$(echo "${SEQ[$s]} <= 1.15 * ${SEQ[fast]}" | bc -l | sed 's/^1$/independent (within 15%)/; s/^0$/SLOWER with this sendmail/')"
done
for s in slow fail; do
	printf 'Postfix throughput, %s / fast = %.2f: %s\n' "$s" \
	    "$(echo "${MED[$s]} / ${MED[fast]}" | bc -l)" \
	    "$(echo "${MED[$s]} >= 0.85 * ${MED[fast]}" | bc -l | sed 's/^1$/same within noise (15%)/; s/^0$/LOWER with this sendmail/')"
done
