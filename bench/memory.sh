#!/bin/bash
# memory.sh - resident memory of abuse-milter over many complaints.
#
#   bench/memory.sh [TOTAL]       (default 100000 messages)
#
# Complaints go through a private Postfix (bench/pf.sh) to the milter on
# a unix: socket, in batches of 10,000 (smtp-source -s 10, cycling over
# five real complaints of different kinds). VmRSS and VmHWM from
# /proc/PID/status are sampled after a warm-up of 1,000 and after every
# batch. The configuration keeps the shipped rate_limit (5/1h), so every
# path runs: parse, classify, tag, ledger, the reply decision, and the
# first replies per recipient and category go to a sendmail stand-in;
# the rest are suppressed by the rate limit, which keeps the spool (and
# the worker's backlog) from growing with the run.
# Verdict: flat when the last sample is within 10% (and 4 MB) of the
# sample after the first batch, given only when 50,000 messages or more
# were sent (a shorter run cannot tell a slow leak from noise).
set -u
. "$(dirname "$0")/common.sh"
TOTAL=${1:-100000}
BATCH=10000
bench_tmp memory
. "$bench_dir/pf.sh"

pfb_stand_in fast-sendmail "cat > /dev/null; exit 0"
bench_conf "$BT/bench.conf" "$BT/state" "unix:$PFB_SOCK" "$BT/fast-sendmail"
sed -i 's|^\( *\)rate_limit = .*|\1rate_limit = "5/1h"|' "$BT/bench.conf"
"$ABUSE_MILTER" -n -c "$BT/bench.conf" || exit 1

dir=$(bench_corpus_dirs | head -n 1)
files=()
for f in abuseio-abusehub-1 abuseio-fbl-yahoo-1-es abuseio-ipechelon-1 \
    abuseio-blocklistde-1 abuseio-webiron-1; do
	[ -f "$dir/$f.eml" ] && files+=("$dir/$f.eml")
done
[ ${#files[@]} -gt 0 ] || files=("$BENCH_COMPLAINT")

pfb_up || exit 1
pfb_milter "$PFB_PF_UNIX"
pfb_start abuse "unix:$PFB_SOCK" || { tail "$BT/milter.log"; exit 1; }

sample() {	# sample SENT
	local rss hwm thr
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$milter_pid/status")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$milter_pid/status")
	thr=$(awk '/^Threads/ { print $2 }' "/proc/$milter_pid/status")
	printf '  %8d %9d %9d %8d %8d %6.0f\n' "$1" "$rss" "$hwm" "$thr" \
	    "$(pfb_spooled)" "$(echo "$1 / ($(date +%s) - $t_start + 0.001)" | bc -l)"
	echo "$1 $rss" >> "$BT/samples"
}

bench_machine
echo "complaints cycled: ${files[*]##*/}"
echo "  messages  VmRSS kB  VmHWM kB  threads  spooled  msgs/s"
for f in "${files[@]}"; do pfb_send complaint $(( 1000 / ${#files[@]} )) "$f" >/dev/null; done
t_start=$(date +%s)
sample 0
sent=0
per=$(( BATCH / ${#files[@]} ))
while [ $sent -lt "$TOTAL" ]; do
	for f in "${files[@]}"; do
		pfb_send complaint "$per" "$f" >/dev/null
		sent=$((sent + per))
	done
	kill -0 "$milter_pid" 2>/dev/null || { echo "the milter died"; tail "$BT/milter.log"; exit 1; }
	sample "$sent"
done

[ -s "$BT/source.err" ] && { echo "smtp-source errors:"; sort "$BT/source.err" | uniq -c | head; }
echo "complaints logged by the milter: $(grep -c ' category=' "$BT/milter.log")," \
    "replies: $(grep -c 'reply to .* sent' "$BT/milter.log")"
awk -v sent="$sent" 'NR == 2 { first = $2 } { last = $2 }
    END {
	growth = last - first
	printf "growth after the first batch: %+d kB (%.1f%%): %s\n", growth,
	    100 * growth / first, sent < 50000 ? "no verdict (fewer than " \
	    "50,000 messages)" : (growth < 4096 || growth < first / 10) ? \
	    "FLAT" : "GROWING"
    }' "$BT/samples"
