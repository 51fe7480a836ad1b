# replies.sh - sourced by run.sh: replies through the real Postfix.
# Each scenario uses its own complainant address, so replies are counted
# by the recipient smtp-sink saw (X-Rcpt-Args).

replies_to() {	# replies_to ADDR - how many messages the sink got for ADDR
	grep -l "^X-Rcpt-Args: <$1>" "$PF"/sink/* 2>/dev/null | wc -l
}
wait_replies() {	# wait_replies ADDR N SECONDS
	i=0
	while [ "$(replies_to "$1")" -lt "$2" ] && [ $i -lt $(($3 * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ "$(replies_to "$1")" -ge "$2" ]
}
complaint() {	# complaint FILE FROM SUBJECT [extra header]
	mail "$1" "$2" "abuse@example.org" "$3" "${4:-}" \
	    "Our server was hit by SSH brute force login attempts from 198.51.100.77 port 22 at 2026-11-25 09:00:00 UTC. Please stop this."
}
restart_milter() {	# restart_milter SENDMAIL [sed expression]
	milter_stop
	e2e_conf "$1"
	[ -n "${2:-}" ] && sed -i "$2" "$conf"
	milter_start
}

# 1. a complaint gets one reply with RFC 3834 headers
complaint "$tmp/r1.eml" "soc1@example.net" "SSH brute force from 198.51.100.77"
pf_send "$tmp/r1.eml" abuse@example.org soc1@example.net
check "reply delivered to the complainant" "wait_replies soc1@example.net 1 20"
r=$(grep -l '^X-Rcpt-Args: <soc1@example.net>' "$PF"/sink/* | head -n 1)
check "reply: one recipient only" "[ \$(grep -c '^X-Rcpt-Args:' $r) = 1 ]"
check "reply: null envelope sender" "grep -q '^X-Mail-Args: <>' $r"
check "reply: Auto-Submitted: auto-replied" "grep -qi '^Auto-Submitted: auto-replied' $r"
check "reply: In-Reply-To the complaint" "grep -q '^In-Reply-To: <r1.eml@example.net>' $r"
check "reply: References the complaint" "grep -q '^References: <r1.eml@example.net>' $r"
check "reply: X-Loop is ours" "grep -qi '^X-Loop: abuse@example.org' $r"
check "reply: Subject Re: original" "grep -q '^Subject: Re: SSH brute force from 198.51.100.77' $r"
check "reply: To the complainant" "grep -q '^To: .*soc1@example.net' $r"
check "reply: no X-Authentication-Warning" "! grep -qi '^X-Authentication-Warning:' $r"
check "complaint: X-Abuse-Reply: queued" \
    "grep -q '^X-Abuse-Reply: queued' \$(pf_sink_grep 'Subject: SSH brute force from 198.51.100.77' | grep -v \"^$r\$\" | head -n 1)"

# 2. no reply: bounce, out-of-office, newsletter, our own loop, auto-replied
mail "$tmp/n1.eml" "MAILER-DAEMON@example.net" "abuse@example.org" \
    "Undelivered Mail Returned to Sender" "" "This is the mail system. Your message could not be delivered."
mail "$tmp/n2.eml" "ooo@example.net" "abuse@example.org" "Automatic reply: complaint" \
    "X-Auto-Response-Suppress: All" "I am out of the office until Monday."
mail "$tmp/n3.eml" "news@example.net" "abuse@example.org" "Our November newsletter" \
    "List-Unsubscribe: <mailto:unsub@example.net>" "News about attacks and brute force."
complaint "$tmp/n4.eml" "loop@example.net" "Brute force again" "X-Loop: abuse@example.org"
complaint "$tmp/n5.eml" "auto@example.net" "Brute force report" "Auto-Submitted: auto-replied"
complaint "$tmp/n6.eml" "other-loop@example.net" "Brute force from elsewhere" "X-Loop: helpdesk@example.com"
for f in n1 n2 n3 n4 n5 n6; do pf_send "$tmp/$f.eml" abuse@example.org "$(sed -n 's/^From: //p' "$tmp/$f.eml")"; done
check "someone else's X-Loop still gets a reply" "wait_replies other-loop@example.net 1 20"
sleep 2
for a in MAILER-DAEMON@example.net ooo@example.net news@example.net loop@example.net auto@example.net; do
	check "no reply to $a" "[ \$(replies_to $a) = 0 ]"
done

# 3. sendmail fails three times (exit 75), then works: exactly one reply
restart_milter "$top_srcdir/test/e2e/flaky-sendmail.sh $tmp/run/flaky.state 3 no $(pf_sendmail)"
complaint "$tmp/f1.eml" "flaky@example.net" "Brute force, flaky sendmail"
pf_send "$tmp/f1.eml" abuse@example.org flaky@example.net
check "flaky sendmail: reply delivered after retries" "wait_replies flaky@example.net 1 40"
sleep 3
check "flaky sendmail: exactly one reply" "[ \$(replies_to flaky@example.net) = 1 ]"
check "flaky sendmail: retried after three failures (calls: $(cat $tmp/run/flaky.state 2>/dev/null))" "[ \$(cat $tmp/run/flaky.state) -ge 4 ]"

# 4. SIGKILL with jobs in the spool: delivered after restart, each once
restart_milter "$top_srcdir/test/e2e/flaky-sendmail.sh $tmp/run/down.state 1000 no $(pf_sendmail)"
complaint "$tmp/k1.eml" "kill1@example.net" "Brute force, before the crash"
complaint "$tmp/k2.eml" "kill2@example.net" "Brute force, before the crash too"
pf_send "$tmp/k1.eml" abuse@example.org kill1@example.net
pf_send "$tmp/k2.eml" abuse@example.org kill2@example.net
sleep 2
check "jobs wait in the spool" "[ \$(ls $tmp/state/spool | grep -c '^[qc]\.') = 2 ]"
kill -KILL "$milter_pid"; milter_stop
restart_milter "$(pf_sendmail)"
check "after SIGKILL and restart: reply 1 delivered" "wait_replies kill1@example.net 1 30"
check "after SIGKILL and restart: reply 2 delivered" "wait_replies kill2@example.net 1 30"
sleep 3
check "after restart: each once" "[ \$(replies_to kill1@example.net) = 1 ] && [ \$(replies_to kill2@example.net) = 1 ]"

# 5. a hanging sendmail is killed and retried while mail keeps flowing
restart_milter "$top_srcdir/test/e2e/flaky-sendmail.sh $tmp/run/hang.state 0 hang $(pf_sendmail)" \
    's/^\( *\)timeout = .*/\1timeout = 3s/'
complaint "$tmp/h1.eml" "hang@example.net" "Brute force, hanging sendmail"
pf_send "$tmp/h1.eml" abuse@example.org hang@example.net
sleep 1
mail "$tmp/h2.eml" "friend@example.net" "carol@example.org" "during the hang" "" "hello"
start=$(date +%s)
pf_send "$tmp/h2.eml" carol@example.org friend@example.net
check "mail flows while sendmail hangs" "wait_replies carol@example.org 1 10"
check "hung sendmail killed, reply retried and delivered" "wait_replies hang@example.net 1 40"
