#!/bin/sh
# fleet.sh - two milters, one Redis (run by run.sh with a server on
# $REDIS_SOCK): the same complainant writing to both MX hosts gets one
# reply, not two; with Redis stopped mail still flows and each host
# still answers at most once; with Redis back the hosts share their
# decisions again. Mail goes in through test/milter-flood.py (the MTA
# side of the milter protocol); replies go to a sendmail stand-in per
# host, counted by recipient.
name=fleet
. "$(dirname "$0")/lib.sh"
me='""'; [ "$(id -u)" = 0 ] && me='"root"'
pids=
stop_all() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap stop_all EXIT

# host NAME - a milter of its own (socket, spool, local ledger, log,
# sendmail stand-in) on the shared Redis; one reply per complainant and
# hour, so a second reply anywhere would be the fleet's mistake
host() {
	mkdir -p "$tmp/$1"
	sed -e "s/^user = .*/user = $me/" \
	    -e "s|^socket = .*|socket = unix:$tmp/$1/s.sock|" \
	    -e "s|^pidfile = .*|pidfile = $tmp/$1/m.pid|" \
	    -e "s|^spool_dir = .*|spool_dir = $tmp/$1/spool|" \
	    -e "s|^state_db = .*|state_db = $tmp/$1/state.db|" \
	    -e "s|^log_file = .*|log_file = $tmp/$1/milter.log|" \
	    -e "s|^\( *\)sendmail = .*|\1sendmail = \"$top_srcdir/test/milter/fake-sendmail.sh $tmp/$1/sent\"|" \
	    -e "s|^\( *\)rate_limit = .*|\1rate_limit = \"1/1h\"|" \
	    -e "s|^\( *\)retry = .*|\1retry = 1s|" \
	    etc/abuse-milter.conf > "$tmp/$1.conf"
	printf 'state {\n  backend = "redis"\n  url = "unix:%s"\n}\n' \
	    "$REDIS_SOCK" >> "$tmp/$1.conf"
	"$bin" -f -c "$tmp/$1.conf" 2>>"$tmp/$1/err" &
	pids="$pids $!"
	i=0; while [ ! -S "$tmp/$1/s.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
# complaint ADDR - an SSH brute force report from ADDR
complaint() {
	printf 'From: SOC <%s>\nTo: abuse@example.org\nSubject: SSH brute force from 198.51.100.77\nMessage-ID: <fleet.%s.%s@example.net>\nDate: %s\n\nOur sshd saw 4000 failed logins from 198.51.100.77 port 22 at 2026-12-07 23:00:00 UTC.\n' \
	    "$1" "${1%%@*}" "$(date +%s%N)" "$(date -R)" > "$tmp/c.eml"
}
# send HOST ADDR - the complaint through that host's milter; true when
# it was answered and tagged
send() {
	complaint "$2"
	python3 "$top_srcdir/test/milter-flood.py" "unix:$tmp/$1/s.sock" \
	    "$tmp/c.eml" 1 > "$tmp/out" 2>&1
	grep -q "^summary: messages 1 tagged 1 " "$tmp/out"
}
# sent HOST ADDR - replies that host submitted to ADDR
sent() {
	grep -l -- "^$2\$" "$tmp/$1/sent"/*.args 2>/dev/null | wc -l
}
total() { echo $(( $(sent a "$1") + $(sent b "$1") )); }
settle() {	# settle ADDR N - until N replies to ADDR, then 2 s more
	i=0; while [ "$(total "$1")" -lt "$2" ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
	sleep 2
}

host a
host b
check "two milters started on one Redis" "[ -S $tmp/a/s.sock ] && [ -S $tmp/b/s.sock ]"

# 1. one complainant, both hosts: one reply in all
check "complaint through host a: tagged" "send a one@example.net"
check "the same complainant through host b: tagged" "send b one@example.net"
settle one@example.net 1
check "one reply in all, not one per host (a $(sent a one@example.net), b $(sent b one@example.net))" \
    "[ \$(total one@example.net) = 1 ]"
check "host b's refusal came from the shared state (rate limit)" \
    "grep 'reporter=one@example.net ' $tmp/b/milter.log | grep -q 'reply=suppressed: rate limit'"

# 2. Redis stopped: mail flows, each host answers at most once
kill "$(cat "$REDIS_TMP/redis.pid")"
i=0; while [ -S "$REDIS_SOCK" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "Redis away: host a still tags" "send a two@example.net"
check "Redis away: host a again" "send a two@example.net"
check "Redis away: host b still tags" "send b two@example.net"
settle two@example.net 1
check "Redis away: host a answered once ($(sent a two@example.net))" "[ \$(sent a two@example.net) = 1 ]"
check "Redis away: host b at most once ($(sent b two@example.net))" "[ \$(sent b two@example.net) -le 1 ]"
check "Redis away: said in the log" "grep -q 'redis' $tmp/a/milter.log"

# 3. Redis back (empty: no persistence here): shared again once each
# host has reconnected (its backoff); probes from other complainants
"$REDIS_SERVER" --port 0 --unixsocket "$REDIS_SOCK" --save '' \
	--appendonly no --loglevel warning --dir "$REDIS_TMP" \
	>>"$REDIS_TMP/redis.log" 2>&1 &
echo $! > "$REDIS_TMP/redis.pid"
for h in a b; do
	n=0
	while ! grep -q 'redis: connected to .* again' "$tmp/$h/milter.log" &&
	    [ $n -lt 45 ]; do
		send "$h" "probe$n-$h@example.net"; sleep 1; n=$((n + 1))
	done
	check "Redis back: host $h reconnected" \
	    "grep -q 'redis: connected to .* again' $tmp/$h/milter.log"
done
check "Redis back: complaint through host a" "send a three@example.net"
check "Redis back: the same through host b" "send b three@example.net"
settle three@example.net 1
check "Redis back: one reply in all ($(total three@example.net))" \
    "[ \$(total three@example.net) = 1 ]"

stop_all; pids=; [ "$fail" = 0 ] || { tail -20 $tmp/a/milter.log; ls -la $tmp/a/sent; }
summary
