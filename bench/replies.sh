#!/bin/bash
# replies.sh - how fast the reply workers drain the spool.
#
#   bench/replies.sh [JOBS [WORKERS...]]     (default: 2000 jobs; 1 and 2)
#
# JOBS reply jobs are written into a fresh spool as the milter writes
# them (q.* files in the spool format, a 1 KB reply each); then the
# milter starts with reply.sendmail = /bin/true (an "instant" sendmail:
# no MTA cost, only ours), and the script times how long the workers
# take until no q.* or c.* file is left. Printed per WORKERS: seconds
# and replies/s (start-up of the daemon included: a few milliseconds).
# No Postfix, no network: the only sockets are unix sockets in a temp
# directory. A measurement, never an assertion; results go to
# bench/RESULTS.md with the command line.
set -u
. "$(dirname "$0")/common.sh"
JOBS=${1:-2000}
shift 2>/dev/null
WORKERS=${*:-1 2}
bench_tmp replies
PID=""
bench_cleanup_hook() { bench_stop "$PID"; }

# fill_spool DIR N - N due jobs, named and formatted like spool_write's
fill_spool() {
	mkdir -p "$1/failed"
	awk -v dir="$1" -v n="$2" -v now="$(date +%s)" 'BEGIN {
		body = "From: Abuse <abuse@example.org>\nTo: r@example.net\n" \
		    "Subject: Re: bench\n\n"
		while (length(body) < 1024)
			body = body "This line only makes the reply longer.\n"
		for (i = 0; i < n; i++) {
			f = sprintf("%s/q.%011d.%09d.1.%u", dir, now, i, i)
			printf "abuse-milter-job 1\nsender: \n" \
			    "rcpt: r%d@example.net\ncategory: bench\nqid: B%d\n" \
			    "case-id: \ncreated: %d\nattempts: 0\nnext-try: %d\n" \
			    "length: %d\n\n%s", i, i, now, now, length(body), \
			    body > f
			close(f)
		}
	}'
}

# left DIR - queued plus claimed jobs
left() {
	find "$1" -maxdepth 1 \( -name 'q.*' -o -name 'c.*' \) | wc -l
}

bench_machine
echo "jobs: $JOBS, reply.sendmail = /bin/true"
printf '  %-8s %10s %12s %8s\n' workers seconds "replies/s" failed
for w in $WORKERS; do
	d="$BT/w$w"
	bench_conf "$d.conf" "$d" "unix:$d/milter.sock" /bin/true
	sed -i "s|^\( *\)workers = .*|\1workers = $w|" "$d.conf"
	"$ABUSE_MILTER" -n -c "$d.conf" || exit 1
	fill_spool "$d/spool" "$JOBS"
	t0=$(date +%s.%N)
	"$ABUSE_MILTER" -f -c "$d.conf" -p "unix:$d/milter.sock" \
	    2> "$d.log" &
	PID=$!
	while [ "$(left "$d/spool")" -gt 0 ]; do
		kill -0 "$PID" 2>/dev/null || { tail "$d.log"; exit 1; }
		sleep 0.02
	done
	t1=$(date +%s.%N)
	bench_stop "$PID"
	PID=""
	failed=$(find "$d/spool/failed" -type f | wc -l)
	awk -v w="$w" -v a="$t0" -v b="$t1" -v n="$JOBS" -v f="$failed" \
	    'BEGIN { printf "  %-8s %10.2f %12.0f %8d\n", w, b - a, n / (b - a), f }'
done
