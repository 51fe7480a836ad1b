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
pf_send "$tmp/h2.eml" carol@example.org friend@example.net
check "mail flows while sendmail hangs" "wait_replies carol@example.org 1 10"
check "hung sendmail killed, reply retried and delivered" "wait_replies hang@example.net 1 40"

# 6. replies in the complainant's language, with our reference; an
# answer to our reply is not answered again
utf8=$'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit'
mail "$tmp/l-de.eml" "soc-de@example.net" "abuse@example.org" "Angriffe von 198.51.100.77" "$utf8" \
    "Sehr geehrte Damen und Herren, von Ihrer IP-Adresse 198.51.100.77 wurden am 25.11.2026 um 09:00 UTC Anmeldeversuche per SSH auf unseren Server durchgeführt. Bitte unterbinden Sie das. Mit freundlichen Grüßen"
mail "$tmp/l-fr.eml" "soc-fr@example.net" "abuse@example.org" "Attaques depuis 198.51.100.77" "$utf8" \
    "Bonjour, nous avons constaté des tentatives de connexion SSH par force brute depuis votre adresse 198.51.100.77 sur nos serveurs le 25/11/2026. Merci de faire le nécessaire. Cordialement"
mail "$tmp/l-es.eml" "soc-es@example.net" "abuse@example.org" "Ataques desde 198.51.100.77" "$utf8" \
    "Hola, hemos detectado ataques de fuerza bruta por SSH desde su dirección IP 198.51.100.77 contra nuestros servidores el 25/11/2026. Por favor, tomen medidas. Saludos"
for l in de fr es; do pf_send "$tmp/l-$l.eml" abuse@example.org "soc-$l@example.net"; done
while IFS='|' read -r l words; do
	check "$l complaint: reply delivered" "wait_replies soc-$l@example.net 1 20"
	r=$(grep -l "^X-Rcpt-Args: <soc-$l@example.net>" "$PF"/sink/* | head -n 1)
	c=$(pf_sink_grep "Message-ID: <l-$l.eml@example.net>" | grep -v "^$r\$" | head -n 1)
	check "$l complaint: tagged X-Abuse-Language: $l" "grep -q '^X-Abuse-Language: $l\$' $c"
	check "$l complaint: the reply is the $l letter ($words)" \
	    "grep -q '$words' $r && ! grep -q '^Dear ' $r"
	check "$l complaint: the reply's Message-ID carries our reference" \
	    "grep -q '^Message-ID: <AM-[0-9]\{8\}-[0-9A-Za-z]*_' $r"
	check "$l complaint: the reply's Subject carries [AM-...]" \
	    "sed -n '/^Subject:/,/^[^ ]/p' $r | tr -d '\n' | grep -q '\[AM-[0-9]\{8\}-[0-9A-Za-z]*\]'"
done <<'ROWS'
de|Ihr Zeichen: 
fr|Votre référence : 
es|Su referencia: 
ROWS
# the reference names the ledger row: queue id and day
r=$(grep -l '^X-Rcpt-Args: <soc-de@example.net>' "$PF"/sink/* | head -n 1)
ref=$(sed -n 's/^Message-ID: <\(AM-[0-9]*-[0-9A-Za-z]*\)_.*/\1/p' "$r")
# (sqlite3: Debian package sqlite3, in contrib/debian-packages.txt)
check "our reference $ref is the ledger row's queue id and day" \
    "[ -n '$ref' ] && sqlite3 $tmp/state/state.db \"SELECT 'AM-' || strftime('%Y%m%d', time, 'unixepoch') || '-' || qid FROM complaints\" | grep -qx '$ref'"
# the complainant answers our German reply: In-Reply-To our Message-ID
mid=$(sed -n 's/^Message-ID: //p' "$r")
mail "$tmp/l-answer.eml" "soc-de@example.net" "abuse@example.org" "AW: Ihre Antwort" \
    "In-Reply-To: $mid" \
    "Danke, aber bitte sperren Sie 198.51.100.77 trotzdem, die Anmeldeversuche per SSH gehen weiter."
pf_send "$tmp/l-answer.eml" abuse@example.org soc-de@example.net
check "answer to our reply: delivered to the desk" \
    "i=0; until [ -n \"\$(pf_sink_grep 'Message-ID: <l-answer.eml@example.net>')\" ] || [ \$i -ge 100 ]; do sleep 0.2; i=\$((i + 1)); done; [ \$i -lt 100 ]"
a=$(pf_sink_grep "Message-ID: <l-answer.eml@example.net>" | head -n 1)
check "answer to our reply: X-Abuse-Reply: suppressed: answer to our reply" \
    "grep -q '^X-Abuse-Reply: suppressed: answer to our reply' $a"
sleep 2
check "answer to our reply: not answered again" "[ \$(replies_to soc-de@example.net) = 1 ]"
