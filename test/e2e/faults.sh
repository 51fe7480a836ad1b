# faults.sh - sourced by run.sh after replies.sh: the fault matrix
# (doc/FAULTS.md). Each row breaks one thing under a running milter and
# a real Postfix, then asserts what must hold: the complaint is
# delivered, tagged, and its reply is sent exactly once once the fault
# is gone, or the X-Abuse-Reply header says it was deferred. The rows
# "sendmail failing", "sendmail hanging" and "SIGKILL with jobs spooled"
# are scenarios 3-5 of replies.sh.

# delivered_reply SUBJECT - the X-Abuse-Reply value of the delivered
# complaint with that Subject (the reply itself has "Re: " before it)
delivered_reply() {
	f=$(grep -l "^Subject: $1\$" "$PF"/sink/* 2>/dev/null | head -n 1)
	[ -n "$f" ] && sed -n 's/^X-Abuse-Reply: //p' "$f"
}
wait_delivered() {	# wait_delivered SUBJECT SECONDS
	i=0
	while [ -z "$(delivered_reply "$1")" ] && [ $i -lt $(($2 * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -n "$(delivered_reply "$1")" ]
}
exactly_after() {	# exactly_after ADDR N SECONDS - N replies arrive, no more
	wait_replies "$1" "$2" "$3" && sleep 2 && [ "$(replies_to "$1")" = "$2" ]
}
once_after() {	# once_after ADDR SECONDS
	exactly_after "$1" 1 "$2"
}

# our sendmail, behind a wrapper the rows can take away and put back
sm=$tmp/run/sm
printf '#!/bin/sh\nexec %s "$@"\n' "$(pf_sendmail)" > "$sm"
chmod 755 "$sm"
restart_milter "$sm"

# F1. sendmail missing: the reply waits and goes once sendmail is back
mv "$sm" "$sm.off"
complaint "$tmp/x1.eml" "missing@example.net" "Brute force, no sendmail"
pf_send "$tmp/x1.eml" abuse@example.org missing@example.net
check "F1 sendmail missing: complaint delivered, reply queued" \
    "wait_delivered 'Brute force, no sendmail' 20 && [ \"\$(delivered_reply 'Brute force, no sendmail')\" = queued ]"
sleep 2
check "F1 sendmail missing: no reply yet, the failure logged" \
    "[ \$(replies_to missing@example.net) = 0 ] && grep -q 'missing@example.net.*deferred' $tmp/milter.log"
mv "$sm.off" "$sm"
check "F1 sendmail back: the reply sent exactly once" "once_after missing@example.net 40"

# F2. spool not writable (a full disk behaves the same): the complaint
# says deferred, the reply is retried from memory and sent once
spool=$tmp/state/spool
mode=$(stat -c %a "$spool")
chmod 0500 "$spool"
complaint "$tmp/x2.eml" "spoolfull@example.net" "Brute force, spool full"
pf_send "$tmp/x2.eml" abuse@example.org spoolfull@example.net
check "F2 spool unwritable: complaint delivered, X-Abuse-Reply: deferred" \
    "wait_delivered 'Brute force, spool full' 20 && [ \"\$(delivered_reply 'Brute force, spool full')\" = deferred ]"
check "F2 spool unwritable: no reply yet" "[ \$(replies_to spoolfull@example.net) = 0 ]"
chmod "$mode" "$spool"
check "F2 spool writable again: the reply sent exactly once" "once_after spoolfull@example.net 40"

# F3. ledger locked by another writer until the complaint is through
# (the lock is let go when the test says so, not after a fixed time a
# loaded machine might outlast): deferred, then sent once
runuser -u "$milter_user" -- python3 -c '
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.1)
db.execute("ROLLBACK")' "$tmp/state/state.db" "$tmp/run/locked" "$tmp/run/unlock" &
locker=$!
i=0; while [ ! -e "$tmp/run/locked" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
complaint "$tmp/x3.eml" "locked@example.net" "Brute force, ledger locked"
pf_send "$tmp/x3.eml" abuse@example.org locked@example.net
check "F3 ledger locked: complaint delivered, X-Abuse-Reply: deferred" \
    "wait_delivered 'Brute force, ledger locked' 20 && [ \"\$(delivered_reply 'Brute force, ledger locked')\" = deferred ]"
: > "$tmp/run/unlock"
wait "$locker"
check "F3 ledger free again: the reply sent exactly once" "once_after locked@example.net 40"

# F4. ledger corrupt at start: moved aside loudly, a new one made, and
# replies go out
milter_stop
head -c 65536 /dev/urandom > "$tmp/state/state.db"
rm -f "$tmp/state/state.db-wal" "$tmp/state/state.db-shm"
milter_start
complaint "$tmp/x4.eml" "corrupt@example.net" "Brute force, ledger corrupt"
pf_send "$tmp/x4.eml" abuse@example.org corrupt@example.net
check "F4 ledger corrupt: the reply sent exactly once" "once_after corrupt@example.net 40"
check "F4 ledger corrupt: the damaged file kept aside, and said so" \
    "ls $tmp/state/state.db.corrupt-* >/dev/null 2>&1 && grep -qi 'corrupt' $tmp/milter.log"

# F5. 200 concurrent SMTP sessions with a complaint each: every one
# delivered and tagged, replies as many as the rate limit allows (the
# shipped "5/1h"), the milter lives
complaint "$tmp/x5.eml" "flood@example.net" "Brute force, flood"
smtp-source -s 200 -m 200 -F "$tmp/x5.eml" -f flood@example.net \
    -t abuse@example.org "127.0.0.1:$PF_SMTP_PORT" 2>"$tmp/x5.err"
flood_count() {	# flood_count [HEADER] - the flood's complaints at the sink
	grep -l '^Subject: Brute force, flood$' "$PF"/sink/* 2>/dev/null |
	    xargs -r grep -l "^${1:-Subject}: " | wc -l
}
i=0	# the replies (Subject "Re: ...") reach the sink too: count by Subject
while [ "$(flood_count)" -lt 200 ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
check "F5 200 sessions: all 200 complaints delivered" "[ \$(flood_count) = 200 ]"
check "F5 200 sessions: every one tagged" "[ \$(flood_count X-Abuse-Category) = 200 ]"
limit=$(sed -n 's|^ *rate_limit = "\([0-9]*\)/.*|\1|p' "$conf")
check "F5 200 sessions: exactly $limit replies (rate_limit)" \
    "[ -n '$limit' ] && exactly_after flood@example.net $limit 30"
check "F5 200 sessions: the milter still runs" "kill -0 $milter_pid"
