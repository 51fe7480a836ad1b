#!/bin/bash
# report.sh - how long --report takes on a large ledger.
#
#   bench/report.sh [COMPLAINTS] [DAYS]     (default 1000000 over 30 days)
#
# The milter makes an empty ledger (started in the foreground and
# stopped), then Python's sqlite3 fills it with COMPLAINTS rows spread
# over the last DAYS days (in time order, as the milter writes them):
# seven categories, 20,000 reporters, 50,000
# addresses with one to three per complaint, replies queued or
# suppressed for several reasons, like a busy desk's. Then each form of
# --report runs three times (best wall time kept), for --since 7d and
# for all complaints. Keeps the ledger in $BT when BENCH_KEEP=1; the
# page is left in $BT/report.html to look at.
set -u
. "$(dirname "$0")/common.sh"
N=${1:-1000000}
DAYS=${2:-30}
bench_tmp report
milter_pid=
bench_cleanup_hook() { bench_stop "$milter_pid"; }

bench_conf "$BT/bench.conf" "$BT/state" "unix:$BT/milter.sock" /bin/true
"$ABUSE_MILTER" -f -c "$BT/bench.conf" 2>"$BT/milter.err" &
milter_pid=$!
for _ in $(seq 100); do [ -S "$BT/milter.sock" ] && break; sleep 0.1; done
bench_stop "$milter_pid"; milter_pid=
[ -f "$BT/state/state.db" ] || { cat "$BT/milter.err"; exit 1; }

python3 - "$BT/state/state.db" "$N" "$DAYS" <<'EOF'
import random, sqlite3, sys, time
db, n, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
cats = ["abuse"] * 5 + ["spam"] * 3 + ["dmca"] * 2 + ["block-request",
        "other", "law-enforcement", "urgent"]
replies = ["queued"] * 6 + ["suppressed: rate limit"] * 3 + [
    "suppressed: not our address", "suppressed: bounce or auto-reply",
    "suppressed: needs a person", "deferred"]
now = int(time.time())
c = sqlite3.connect(db)
c.execute("PRAGMA synchronous = OFF")
rows, ips = [], []
# rows are written as complaints arrive: times rise with the id
times = sorted(now - random.randrange(days * 86400) for _ in range(n))
for i in range(1, n + 1):
    t = times[i - 1]
    rows.append((i, t, "Q%X" % i, "<%d@x.example>" % i, random.choice(cats),
                 "rule", "r%d@rep%d.example" % (random.randrange(20000),
                                                 random.randrange(500)),
                 None, random.choice(replies)))
    for _ in range(random.choice((1, 1, 2, 3))):
        ips.append((i, "198.51.%d.%d" % (random.randrange(200),
                                        random.randrange(250))))
    if len(rows) >= 100000:
        c.executemany("INSERT INTO complaints (id, time, qid, message_id, "
                      "category, rule, reporter, case_id, reply) VALUES "
                      "(?,?,?,?,?,?,?,?,?)", rows)
        c.executemany("INSERT INTO complaint_ips (complaint, ip) VALUES (?,?)",
                      ips)
        rows, ips = [], []
if rows:
    c.executemany("INSERT INTO complaints (id, time, qid, message_id, "
                  "category, rule, reporter, case_id, reply) VALUES "
                  "(?,?,?,?,?,?,?,?,?)", rows)
    c.executemany("INSERT INTO complaint_ips (complaint, ip) VALUES (?,?)", ips)
c.commit()
c.execute("ANALYZE")
c.close()
EOF
bench_machine
echo "ledger: $N complaints over $DAYS days, $(du -h "$BT/state/state.db" | cut -f1)"
echo
echo "| form | --since | best of 3, s |"
echo "| --- | --- | --- |"
for since in 7d 100000d; do
	for form in text html csv; do
		case $form in
		text) args=() ;;
		html) args=(--html "$BT/report.html") ;;
		csv) args=(--csv "$BT/report.csv") ;;
		esac
		best=
		for _ in 1 2 3; do
			s=$(date +%s.%N)
			"$ABUSE_MILTER" -c "$BT/bench.conf" --report --since "$since" \
			    "${args[@]}" > /dev/null || exit 1
			e=$(date +%s.%N)
			t=$(echo "$e - $s" | bc)
			[ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ] && best=$t
		done
		printf '| %s | %s | %.3f |\n' "$form" "$since" "$best"
	done
done
