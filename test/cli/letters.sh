# letters.sh - sourced by run.sh: our reply letters, quoted back to us,
# are no complaint. People answer our replies, and a mail client does
# not always mark the quote; a letter that used the words of a phrase
# list would make its own answer look like a new complaint. So each
# template, its variables filled with "X", is classified as a message
# of its own: it must fall to the default category with total 0.
for t in "$top_srcdir"/templates/*.txt; do
	name=$(basename "$t" .txt)
	{
		printf 'From: Someone <someone@example.net>\nTo: abuse@example.org\n'
		printf 'Subject: your letter\nMessage-ID: <%s@example.net>\n\n' "$name"
		sed '1,/^$/d' "$t" | sed 's/\${[^}]*}/X/g'
	} > "$tmp/letter-$name.eml"
	"$bin" -c etc/abuse-milter.conf --classify "$tmp/letter-$name.eml" \
	    > "$tmp/letter.json" 2>/dev/null
	check "letter $name.txt read as a complaint: no category" \
	    "python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(not (o[\"category\"] == \"other\" and o[\"score\"] == 0))' $tmp/letter.json"
done
