#!/bin/bash
# redis.sh - the cost of a complaint with state { backend = "redis" }
# against the SQLite ledger alone, in the same run.
#
#   bench/redis.sh [N [CONC [RUNS]]]   (default 500 complaints, 1
#                                      connection, 2 runs per backend)
#
# A private redis-server on a unix socket (no TCP port, no persistence)
# and the milter with the shipped rules (bench_conf: no rate limit,
# not_ours = send, so every complaint is decided and queues a reply) and
# a sendmail stand-in that exits 0. test/milter-flood.py speaks the MTA
# side of the milter protocol and sends N copies of a real complaint
# over CONC connections (N / CONC each, one after another), timing each
# from MAIL FROM to the end-of-message answer. Per backend and run:
# the median and 95th percentile of that time, the milter's CPU (its
# own threads, utime + stime from /proc, the worker's spooling included:
# read once the spool is drained) per complaint, and redis-server's CPU
# per complaint, which is the work moved off the host. The backends
# alternate (sqlite, redis, sqlite, redis ...) so that a machine busy
# for a moment hurts both alike.
set -u
. "$(dirname "$0")/common.sh"
N=${1:-500}
CONC=${2:-1}
RUNS=${3:-2}
bench_tmp redis
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
[ -x "$REDIS_SERVER" ] || { echo "SKIP: needs redis-server"; exit 77; }
: "${BENCH_COMPLAINT:=$(bench_corpus_dirs | head -n 1)/abuseio-abusehub-1.eml}"
printf '#!/bin/sh\ncat > /dev/null; exit 0\n' > "$BT/sendmail"
chmod 755 "$BT/sendmail"
pid= rpid=
bench_cleanup_hook() { bench_stop "$pid"; bench_stop "$rpid"; }

"$REDIS_SERVER" --port 0 --unixsocket "$BT/redis.sock" --save '' \
    --appendonly no --loglevel warning --dir "$BT" > "$BT/redis.log" 2>&1 &
rpid=$!
for _ in $(seq 100); do [ -S "$BT/redis.sock" ] && break; sleep 0.05; done
[ -S "$BT/redis.sock" ] || { cat "$BT/redis.log"; exit 1; }

# cpu_ticks PID - utime + stime of the process (all its threads)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# one BACKEND RUN - one measurement; prints one table row
one() {
	local be=$1 run=$2 st=$BT/$1.$2 c0 r0 c1 r1 hz
	bench_conf "$BT/c.conf" "$st" "unix:$BT/m.sock" "$BT/sendmail"
	[ "$be" = redis ] && printf 'state {\n  backend = "redis"\n  url = "unix:%s"\n  prefix = "bench%s:"\n}\n' \
	    "$BT/redis.sock" "$run" >> "$BT/c.conf"
	rm -f "$BT/m.sock"
	"$ABUSE_MILTER" -f -c "$BT/c.conf" > "$BT/log.$be.$run" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -S "$BT/m.sock" ] && break; sleep 0.1; done
	# warm up: the first complaints open the ledger, load the scripts
	python3 "$top_srcdir/test/milter-flood.py" "unix:$BT/m.sock" \
	    "$BENCH_COMPLAINT" 1 20 > /dev/null
	drain "$st"
	c0=$(cpu_ticks "$pid"); r0=$(cpu_ticks "$rpid")
	python3 "$top_srcdir/test/milter-flood.py" "unix:$BT/m.sock" \
	    "$BENCH_COMPLAINT" "$CONC" $((N / CONC)) > "$BT/flood.$be.$run"
	drain "$st"
	c1=$(cpu_ticks "$pid"); r1=$(cpu_ticks "$rpid")
	bench_stop "$pid"; pid=
	hz=$(getconf CLK_TCK)
	awk '$1 == "conn" { print $3 * 1000 }' "$BT/flood.$be.$run" | sort -n |
	    awk -v be="$be" -v run="$run" -v n="$N" \
		-v cpu="$(echo "($c1 - $c0) * 1000 / $hz / $N" | bc -l)" \
		-v rcpu="$(echo "($r1 - $r0) * 1000 / $hz / $N" | bc -l)" \
		-v tagged="$(grep -c 'X-Abuse-Category' "$BT/flood.$be.$run")" '
	    { v[NR] = $1 }
	    END {
		printf "  %-7s %3d %6d %9.2f %9.2f %11.2f %11.2f %7d\n", be,
		    run, NR, v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.999)],
		    cpu, rcpu, tagged
	    }'
}

# drain DIR - until the workers have sent every reply of DIR's spool
drain() {
	for _ in $(seq 600); do
		ls "$1/spool" 2>/dev/null | grep -q '^[qc]\.' || return 0
		sleep 0.1
	done
}

bench_machine
echo "redis: $("$REDIS_SERVER" --version | cut -d' ' -f3) on a unix socket"
echo "complaint: ${BENCH_COMPLAINT##*/}; $N complaints over $CONC connection(s), $RUNS runs per backend"
printf '  %-7s %3s %6s %9s %9s %11s %11s %7s\n' backend run msgs "median ms" \
    "p95 ms" "milter CPU" "redis CPU" tagged
printf '  %-7s %3s %6s %9s %9s %11s %11s %7s\n' "" "" "" "" "" \
    "ms/complnt" "ms/complnt" ""
for r in $(seq "$RUNS"); do
	one sqlite "$r"
	one redis "$r"
done
exit 0
