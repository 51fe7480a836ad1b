#!/bin/sh
# cli.sh - the command line with state { backend = "redis" }, run by
# run.sh with a server on $REDIS_SOCK: -n checks the section (FILE:LINE)
# but not the network; --migrate-state copies a ledger once and refuses
# a second time; a daemon with a wrong password refuses to start with
# "redis: AUTH failed" on stderr, one whose Redis is away starts.
name=cli
. "$(dirname "$0")/lib.sh"
# conf NAME STATE-LINES - the shipped config run from $tmp/NAME, with a
# state section
me='""'; [ "$(id -u)" = 0 ] && me='"root"'
conf() {
	sed -e "s/^user = .*/user = $me/" \
	    -e "s|^socket = .*|socket = unix:$tmp/$1/s.sock|" \
	    -e "s|^pidfile = .*|pidfile = $tmp/$1/m.pid|" \
	    -e "s|^spool_dir = .*|spool_dir = $tmp/$1/spool|" \
	    -e "s|^state_db = .*|state_db = $tmp/$1/state.db|" \
	    etc/abuse-milter.conf > "$tmp/$1.conf"
	printf 'state {\n%s\n}\n' "$2" >> "$tmp/$1.conf"
}

conf away "  backend = \"redis\"
  url = \"unix:$tmp/nothing-here.sock\""
"$bin" -n -c "$tmp/away.conf"; rc=$?
check "-n: a Redis that is away is no config error" "[ $rc = 0 ]"
conf bad "  backend = \"redis\"
  url = \"redis://127.0.0.1:99999/0\""
line=$(grep -n 'url = ' "$tmp/bad.conf" | tail -1 | cut -d: -f1)
"$bin" -n -c "$tmp/bad.conf" 2>"$tmp/err"; rc=$?
check "-n: a bad url is 78 at FILE:LINE" \
    "[ $rc = 78 ] && grep -q \"^$tmp/bad.conf:$line: url: bad port\" $tmp/err"

# --migrate-state: a ledger of one complaint and one reply (schema 2)
conf mig "  backend = \"redis\"
  url = \"unix:$REDIS_SOCK\"
  prefix = \"cli:\""
mkdir -p "$tmp/mig"
"$bin" -c "$tmp/mig.conf" --migrate-state 2>"$tmp/err"; rc=$?
check "--migrate-state without a state_db: 66, nothing marked" \
    "[ $rc = 66 ] && grep -q 'state_db' $tmp/err"
now=$(date +%s)
ledger_v2 "$tmp/mig/state.db" "
    INSERT INTO complaints VALUES (1, $now, 'Q', '<m@x>', 'spam', 'r',
     'rep', 'C7', 'queued');
    INSERT INTO complaint_ips VALUES (1, '192.0.2.9');
    INSERT INTO replies VALUES (1, $now, 'a@x', 'spam', 'rep', 'C7',
     'x');"
"$bin" -c "$tmp/mig.conf" --migrate-state >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--migrate-state: exit 0 and what was copied" \
    "[ $rc = 0 ] && grep -q 'copied 1 complaints, 1 replies' $tmp/out"
"$bin" -c "$tmp/mig.conf" --migrate-state 2>"$tmp/err"; rc=$?
check "--migrate-state twice: refused (73)" \
    "[ $rc = 73 ] && grep -q 'already done' $tmp/err"

# the start check: a wrong password refuses the start, on stderr
"$REDIS_SERVER" --port 0 --unixsocket "$tmp/pw.sock" --save '' \
	--appendonly no --requirepass right --dir "$tmp" >/dev/null 2>&1 &
pw=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/pw.sock" ] && break; sleep 0.2; done
conf wrong "  backend = \"redis\"
  url = \"unix:$tmp/pw.sock\"
  password = \"wrong\""
timeout 10 "$bin" -f -c "$tmp/wrong.conf" 2>"$tmp/err"; rc=$?
check "start with a wrong password: refused (78), no pid file" \
    "[ $rc = 78 ] && [ ! -e $tmp/wrong/m.pid ]"
check "start with a wrong password: 'redis: AUTH failed' on stderr" \
    "grep -q 'redis: AUTH failed: WRONGPASS' $tmp/err"
kill "$pw"; wait "$pw" 2>/dev/null

# a Redis that is away: the milter starts (replies fall back)
"$bin" -f -c "$tmp/away.conf" 2>"$tmp/err" &
m=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -q 'listening on' "$tmp/err" && break; sleep 0.3
done
check "start with Redis away: a warning, and it listens" \
    "grep -q 'starting anyway' $tmp/err && grep -q 'listening on' $tmp/err"
kill "$m"; wait "$m" 2>/dev/null

summary
