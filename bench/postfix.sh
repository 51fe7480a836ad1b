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
# Targets (bench/RESULTS.md):
#   ordinary, unix:  >= 0.8 x no filter
#   ordinary, inet:  >= the every-callback do-nothing filter (710-760/s)
#   complaint, both: >= the every-callback do-nothing filter (770/s)
set -u
. "$(dirname "$0")/common.sh"
RUNS=${1:-3}
MSGS=${BENCH_MSGS:-1000}
bench_tmp postfix
. "$bench_dir/pf.sh"
[ -f "$BENCH_COMPLAINT" ] || { echo "no complaint file $BENCH_COMPLAINT"; exit 1; }

pfb_stand_in fast-sendmail "cat > /dev/null; echo >> $BT/replies; exit 0"
bench_conf "$BT/bench.conf" "$BT/state" "unix:$BT/milter.sock" "$BT/fast-sendmail"
"$ABUSE_MILTER" -n -c "$BT/bench.conf" || exit 1
pfb_up || exit 1

declare -A RATE CPU
# bench_case NAME KIND - warm-up, then RUNS timed runs
bench_case() {
	local rates="" s c0 c1
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
		spec="unix:$BT/milter.sock" pf_spec="unix:$BT/milter.sock"
	else
		spec="inet:$MILTER_PORT@127.0.0.1" pf_spec="inet:127.0.0.1:$MILTER_PORT"
	fi
	pfb_milter "$pf_spec"
	pfb_start null "$spec" || { echo "null filter did not start"; exit 1; }
	bench_case "null/$sock/ordinary" ordinary
	bench_case "null/$sock/complaint" complaint
	pfb_stop
	: > "$BT/replies"
	pfb_start abuse "$spec" || { echo "abuse-milter did not start"; tail "$BT/milter.log"; exit 1; }
	bench_case "abuse/$sock/ordinary" ordinary
	bench_case "abuse/$sock/complaint" complaint
	# the reply worker is asynchronous: how far behind is it?
	q=$(pfb_spooled) t0=$(date +%s)
	for i in $(seq 600); do
		[ "$(pfb_spooled)" = 0 ] && break
		sleep 0.5
	done
	echo "  (abuse/$sock: $q reply jobs still spooled when the last run ended;" \
	    "drained in $(( $(date +%s) - t0 )) s; $(wc -l < "$BT/replies") replies submitted in all)"
	pfb_stop
done

[ -s "$BT/source.err" ] && { echo "smtp-source errors:"; sort "$BT/source.err" | uniq -c | head; }
grep 'milter' "$PF/maillog" | grep -i 'reject\|tempfail\|timeout\|error' | tail -n 5

none=$(echo "${RATE[none/ordinary]}" | median)
echo
echo "median messages/s (target)"
printf '  %-24s %6s\n' "no filter, ordinary" "$none"
for sock in unix inet; do
	n_o=$(echo "${RATE[null/$sock/ordinary]}" | median)
	n_c=$(echo "${RATE[null/$sock/complaint]}" | median)
	a_o=$(echo "${RATE[abuse/$sock/ordinary]}" | median)
	a_c=$(echo "${RATE[abuse/$sock/complaint]}" | median)
	if [ $sock = unix ]; then
		tgt="$(echo "$none * 0.8" | bc | cut -d. -f1) (0.8 x none)"
	else
		tgt="710-760 (do-nothing filter); null filter here $n_o"
	fi
	printf '  %-24s %6s  target >= %s; ratio to none %.2f\n' "$sock ordinary" "$a_o" "$tgt" \
	    "$(echo "$a_o / $none" | bc -l)"
	printf '  %-24s %6s  target >= 770 (do-nothing filter); null filter here %s\n' "$sock complaint" "$a_c" "$n_c"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
