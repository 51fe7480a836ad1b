# lang.sh - sourced by run.sh: replies in the complainant's language and
# answers to our own replies. A German, a French and a Spanish complaint
# of the corpus get the translation of their scenario's letter in
# --classify ("template") and --explain (the reply and language lines);
# an English one keeps the English letter. The same German complaint,
# once its Subject carries our reference or its In-Reply-To one of our
# Message-IDs, is an answer to us: not answered, whatever it says.
while IFS='|' read -r file want lang; do
	"$bin" -c etc/abuse-milter.conf --classify "test/corpus/$file" \
	    > "$tmp/lang.json" 2>/dev/null
	check "$file: --classify template $want" \
	    "python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(not (o[\"template\"] == sys.argv[2] and o[\"reply\"] == \"send\"))' $tmp/lang.json $want"
	"$bin" -c etc/abuse-milter.conf --explain "test/corpus/$file" \
	    > "$tmp/lang.out" 2>/dev/null
	check "$file: --explain names $want and language $lang" \
	    "grep -q '^reply: send, template $want\$' $tmp/lang.out &&
	     grep -q '^language: $lang\$' $tmp/lang.out"
done <<'ROWS'
abuse-per-ssh-anmelden-de.eml|abuse-ssh.de.txt|de
abuse-connexions-non-desirees-fr.eml|abuse-scan.fr.txt|fr
abuse-inicio-sesion-es.eml|abuse-weblogin.es.txt|es
abuse-scen-account-compromesso-it.eml|abuse-takeover.it.txt|it
abuse-sshd-politely-nl.eml|abuse-ssh.nl.txt|nl
abuse-scen-credential-stuffing-en.eml|abuse-weblogin.txt|en
ROWS
# an answer to our reply: our reference in the Subject ...
sed 's/^Subject: .*/Subject: AW: Re: Hinweis [AM-20261208-4Xb2kq1zQZz9]/' \
    test/corpus/abuse-per-ssh-anmelden-de.eml > "$tmp/answer-subject.eml"
# ... or our Message-ID in In-Reply-To, the Subject rewritten
sed 's/^Subject: .*/Subject: Antwort\nIn-Reply-To: <AM-20261208-4Xb2kq1zQZz9_00ff.1@example.org>/' \
    test/corpus/abuse-per-ssh-anmelden-de.eml > "$tmp/answer-irt.eml"
for f in answer-subject answer-irt; do
	"$bin" -c etc/abuse-milter.conf --classify "$tmp/$f.eml" \
	    > "$tmp/lang.json" 2>/dev/null
	check "$f: an answer to our reply is not answered" \
	    "python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(not (o[\"reply\"] == \"suppress: answer to our reply\" and o[\"template\"] is None))' $tmp/lang.json"
done
# a reference of another domain in In-Reply-To is someone else's
sed 's/^Subject: .*/Subject: Antwort\nIn-Reply-To: <AM-20261208-4Xb2kq1zQZz9_00ff.1@other.example>/' \
    test/corpus/abuse-per-ssh-anmelden-de.eml > "$tmp/answer-other.eml"
"$bin" -c etc/abuse-milter.conf --classify "$tmp/answer-other.eml" \
    > "$tmp/lang.json" 2>/dev/null
check "another domain's reference: answered as before" \
    "python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(not (o[\"reply\"] == \"send\"))' $tmp/lang.json"
