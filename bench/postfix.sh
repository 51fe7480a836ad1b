#!/bin/bash
# postfix.sh - Postfix throughput with and without abuse-milter.
#
#   bench/postfix.sh [RUNS]        (default 3 runs per case)
#
# A private Postfix instance on 127.0.0.1 (bench/pf.sh) delivers
# everything to the discard transport. smtp-source sends 1,000 messages
# over 10 parallel sessions per run:
#   ordinary   -l 4096 to bob@example.net (not in mailboxes)
#   complaint  -F <a real complaint> to abuse@example.org: parsed,
#              classified, tagged, a reply job spooled (rate_limit "0";
#              the complaint has no case id, so nothing is suppressed)
# with smtpd_milters = nothing, abuse-milter on unix: and on inet:, and
# the do-nothing every-callback filter (nullfilter.c) on both, for a
# same-machine reference. reply.sendmail is a stand-in that reads stdin
# and exits 0, so Postfix's queue does not see the replies.
# Each case: one warm-up run of 200 messages, then RUNS timed runs;
# messages/s = 1000 / wall time of smtp-source. Also printed: CPU time of
# the filter process per message (threads + reaped sendmail stand-ins).
# BENCH_BASE=BINARY measures a second abuse-milter (an older build) in
# the same run, right after the first, for a before/after on one load.
# Printed at the end, from the medians of this one run:
#   ordinary ÷ no filter                  target >= 0.9 on unix:
#   complaint ÷ no filter (complaint content)
#   complaint ÷ do-nothing filter         target >= 1.0, unix: and inet:
set -u
. "$(dirname "$0")/common.sh"
RUNS=${1:-3}
MSGS=${BENCH_MSGS:-1000}
bench_tmp postfix
. "$bench_dir/pf.sh"
[ -f "$BENCH_COMPLAINT" ] || { echo "no complaint file $BENCH_COMPLAINT"; exit 1; }

pfb_stand_in fast-sendmail "cat > /dev/null; echo >> $BT/replies; exit 0"
bench_conf "$BT/bench.conf" "$BT/state" "unix:$PFB_SOCK" "$BT/fast-sendmail"
"$ABUSE_MILTER" -n -c "$BT/bench.conf" || exit 1
pfb_up || exit 1

declare -A RATE CPU
# bench_case NAME KIND - warm-up, then RUNS timed runs
bench_case() {
	local rates="" s c0 c1
	C_START=$(pfb_cpu)
	pfb_send "$2" 200 >/dev/null
	c0=$(pfb_cpu)
	for i in $(seq "$RUNS"); do
		s=$(pfb_send "$2" "$MSGS")
		rates="$rates $(printf '%.0f' "$(echo "$MSGS / $s" | bc -l)")"
	done
	c1=$(pfb_cpu)
	RATE[$1]=${rates# }
	CPU[$1]=$(echo "($c1 - $c0) * 1000 / $(getconf CLK_TCK) / ($MSGS * $RUNS)" | bc -l)
	printf '  %-26s %-20s filter CPU %.2f ms/message\n' "$1" "${RATE[$1]}" "${CPU[$1]}"
}

median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench_machine
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "complaint: $BENCH_COMPLAINT ($(stat -c %s "$BENCH_COMPLAINT") bytes)"
echo "smtp-source -s 10 -m $MSGS; messages/s of each run${BENCH_NODELAY:+ (BENCH_NODELAY=$BENCH_NODELAY: TCP_NODELAY shim on abuse-milter)}:"

pfb_milter ""
bench_case "none/ordinary" ordinary
bench_case "none/complaint" complaint

for sock in unix inet; do
	if [ $sock = unix ]; then
		spec="unix:$PFB_SOCK" pf_spec="$PFB_PF_UNIX"
	else
		spec="inet:$MILTER_PORT@127.0.0.1" pf_spec="inet:127.0.0.1:$MILTER_PORT"
	fi
	pfb_milter "$pf_spec"
	pfb_start null "$spec" || { echo "null filter did not start"; exit 1; }
	bench_case "null/$sock/ordinary" ordinary
	bench_case "null/$sock/complaint" complaint
	pfb_stop
	for kind in abuse ${BENCH_BASE:+base}; do
		bin=$ABUSE_MILTER
		[ $kind = base ] && bin=$BENCH_BASE
		: > "$BT/replies"
		ABUSE_MILTER=$bin pfb_start abuse "$spec" ||
		    { echo "$kind did not start"; tail "$BT/milter.log"; exit 1; }
		bench_case "$kind/$sock/ordinary" ordinary
		bench_case "$kind/$sock/complaint" complaint
		# the reply worker is asynchronous: how far behind is it?
		q=$(pfb_spooled) t0=$(date +%s)
		for i in $(seq 600); do
			[ "$(pfb_spooled)" = 0 ] && break
			sleep 0.5
		done
		# the workers send during the timed runs as far as the CPUs
		# let them: a faster spool sends more inside the window and
		# less after it, so compare CPU with every reply included
		c=$(echo "($(pfb_cpu) - $C_START) * 1000 / $(getconf CLK_TCK) / (200 + $MSGS * $RUNS)" | bc -l)
		echo "  ($kind/$sock: $q reply jobs still spooled when the last run ended;" \
		    "drained in $(( $(date +%s) - t0 )) s; $(wc -l < "$BT/replies") replies submitted in all;" \
		    "$(printf '%.2f' "$c") ms filter CPU per complaint with its reply)"
		pfb_stop
	done
done

[ -s "$BT/source.err" ] && { echo "smtp-source errors:"; sort "$BT/source.err" | uniq -c | head; }
grep 'milter' "$PF/maillog" | grep -i 'reject\|tempfail\|timeout\|error' | tail -n 5

med() { echo "${RATE[$1]}" | median; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
none_o=$(med none/ordinary) none_c=$(med none/complaint)
echo
[ -n "${BENCH_BASE:-}" ] && echo "base = $BENCH_BASE"
echo "medians (messages/s) and ratios, this run; targets: ordinary/none >= 0.9 on unix:, complaint/null >= 1.0"
printf '  %-13s %9s %9s %9s %9s %14s %14s %14s\n' filter "ordinary" "complaint" \
    "null ord" "null cmpl" "ord/none" "cmpl/none" "cmpl/null"
printf '  %-13s %9s %9s\n' "none" "$none_o" "$none_c"
for sock in unix inet; do
	n_o=$(med null/$sock/ordinary) n_c=$(med null/$sock/complaint)
	for kind in abuse ${BENCH_BASE:+base}; do
		a_o=$(med $kind/$sock/ordinary) a_c=$(med $kind/$sock/complaint)
		printf '  %-13s %9s %9s %9s %9s %14s %14s %14s\n' "$kind/$sock" \
		    "$a_o" "$a_c" "$n_o" "$n_c" "$(ratio "$a_o" "$none_o")" \
		    "$(ratio "$a_c" "$none_c")" "$(ratio "$a_c" "$n_c")"
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
