# learn.sh - sourced by test/cli/run.sh (its bin, tmp, check): the
# learner's command line. --learn exit 0 and its count, exit 64 on an
# unknown category or no PATH, the same message twice counted once,
# --forget, --learn-stats, Maildir, mbox and auto-dirs input; --classify
# the same as without the learner while nothing is learned, changed the
# expected way after learning, and never creating or writing state_db;
# --explain's learned section.

ldir=$tmp/learn
mkdir -p "$ldir"
# a learner strong enough to decide on its own (the mechanism is tested
# here, not the shipped weight)
sed -e "s|^state_db = .*|state_db = $ldir/db/state.db|" \
    -e "s|^    weight = [0-9.]*$|    weight = 6|" \
    etc/abuse-milter.conf > "$ldir/c.conf"
db=$ldir/db/state.db

# mail - a message whose words are $2, with a distinct Message-ID $1
mail() {
	printf 'From: someone@mail%s.example.net\nTo: abuse@example.org\n' "$1"
	printf 'Subject: note %s\nMessage-ID: <%s@learn.test>\n\n' "$1" "$1"
	printf '%s\nnumber %s of them.\n' "$2" "$1"
}
zorb="zorbix quantelle frobnicate wibbleton the zorbix matter again"
plim="plimsoll vortigern blathery cromulent embiggen the plimsoll case"
mkdir -p "$ldir/z" "$ldir/p"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	mail "z$i" "$zorb" > "$ldir/z/$i.eml"
	mail "p$i" "$plim" > "$ldir/p/$i.eml"
done
mail probe "A question: zorbix quantelle frobnicate wibbleton, again." \
    > "$ldir/probe.eml"

# nothing learned: the same lines as the shipped config, no file made
"$bin" -c etc/abuse-milter.conf --classify test/corpus/*.eml \
    "$ldir/probe.eml" 2>/dev/null | sed 's/"file":"[^"]*"//' > "$ldir/plain"
"$bin" -c "$ldir/c.conf" --classify test/corpus/*.eml "$ldir/probe.eml" \
    2>/dev/null | sed 's/"file":"[^"]*"//' > "$ldir/nolearn"
check "--classify with nothing learned: the shipped rules' lines" \
    "cmp -s $ldir/plain $ldir/nolearn"
check "--classify with nothing learned: state_db not created" \
    "[ ! -e $ldir/db ]"
check "the probe is other by default" \
    "tail -1 $ldir/nolearn | grep -q '\"category\":\"other\",\"rule\":null'"

"$bin" -c "$ldir/c.conf" --learn no-such-category "$ldir/z" 2>"$tmp/err"
check "--learn an unknown category: exit 64, nothing created" \
    "[ $? = 64 ] && grep -q 'no-such-category' $tmp/err && [ ! -e $ldir/db ]"
"$bin" -c "$ldir/c.conf" --learn dmca 2>"$tmp/err"
check "--learn without PATH: exit 64" "[ $? = 64 ]"

"$bin" -c "$ldir/c.conf" --learn dmca "$ldir/z" > "$tmp/out" 2>"$tmp/err"
check "--learn a folder: exit 0, prints the count" \
    "[ $? = 0 ] && grep -q '^learned 12 messages$' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn dmca "$ldir"/z/*.eml > "$tmp/out"
check "--learn the same messages again: counted once" \
    "[ $? = 0 ] && grep -q '^learned 0 messages, 12 already learned' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn spam "$ldir"/p/0*.eml "$ldir/p/10.eml" \
    > "$tmp/out"
check "--learn files: exit 0, prints the count" \
    "[ $? = 0 ] && grep -q '^learned 10 messages$' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn-stats > "$tmp/out"
check "--learn-stats: messages and tokens per category" \
    "grep -Eq '^dmca +12 +[1-9][0-9]* +yes' $tmp/out &&
     grep -Eq '^spam +10 +[1-9][0-9]* +yes' $tmp/out &&
     grep -Eq '^abuse +0 +0 +no' $tmp/out && grep -q 'learner: used' $tmp/out"

# learned: the probe now goes the learned way; at rest the database is
# not touched by --classify
sum_before=$(sha256sum "$db" | cut -d' ' -f1)
ls "$ldir/db" > "$ldir/files_before"
"$bin" -c "$ldir/c.conf" --classify "$ldir/probe.eml" > "$tmp/out"
check "--classify after learning: the probe is dmca by the learner" \
    "grep -q '\"category\":\"dmca\",\"rule\":\"learned\"' $tmp/out"
"$bin" -c "$ldir/c.conf" --classify test/corpus/*.eml 2>/dev/null |
    sed 's/"file":"[^"]*"//' > "$ldir/learned"
head -n -1 "$ldir/nolearn" > "$ldir/nolearn.corpus"
check "--classify after learning: mail unlike what was learned unchanged" \
    "cmp -s $ldir/nolearn.corpus $ldir/learned"
ls "$ldir/db" > "$ldir/files_after"
check "--classify never writes state_db (no change, no -wal, -shm)" \
    "[ \"\$(sha256sum $db | cut -d' ' -f1)\" = $sum_before ] &&
     cmp -s $ldir/files_before $ldir/files_after"
"$bin" -c "$ldir/c.conf" --explain "$ldir/probe.eml" > "$tmp/out"
check "--explain: the learned posterior and tokens per category" \
    "grep -q '^learned: ' $tmp/out &&
     grep -Eq '^   dmca +posterior (0.9[0-9]*|1.000)  adds [56]' $tmp/out &&
     grep -q 'zorbix' $tmp/out"

"$bin" -c "$ldir/c.conf" --forget dmca "$ldir"/z/0*.eml > "$tmp/out"
check "--forget: exit 0, prints the count" \
    "[ $? = 0 ] && grep -q '^forgot 9 messages$' $tmp/out"
"$bin" -c "$ldir/c.conf" --forget dmca "$ldir/z/01.eml" > "$tmp/out"
check "--forget a message not learned: counted as such" \
    "grep -q '^forgot 0 messages, 1 not learned' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn-stats > "$tmp/out"
check "--learn-stats after --forget: 3 left, below min_messages" \
    "grep -Eq '^dmca +3 +[1-9][0-9]* +no: fewer' $tmp/out &&
     grep -q 'learner: not used' $tmp/out"
"$bin" -c "$ldir/c.conf" --classify "$ldir/probe.eml" > "$tmp/out"
check "--classify after --forget: back to the rules" \
    "grep -q '\"category\":\"other\",\"rule\":null' $tmp/out"

# Maildir, mbox (with a >From line) and a directory of category folders
mkdir -p "$ldir/md/cur" "$ldir/md/new" "$ldir/md/tmp" "$ldir/dirs/.abuse/cur"
mail m1 "maildir one" > "$ldir/md/cur/1.host:2,S"
mail m2 "maildir two" > "$ldir/md/new/2.host"
mail m3 "maildir three, still being delivered" > "$ldir/md/tmp/3.host"
{
	printf 'From a@example.net Mon Dec  7 10:00:00 2026\n'; mail b1 "box one"
	printf '>From the start\n\n'
	printf 'From b@example.net Mon Dec  7 10:01:00 2026\n'; mail b2 "box two"
	printf '\nFrom c@example.net Mon Dec  7 10:02:00 2026\n'; mail b3 "box 3"
} > "$ldir/box.mbox"
"$bin" -c "$ldir/c.conf" --learn abuse "$ldir/md" "$ldir/box.mbox" \
    > "$tmp/out"
check "--learn a Maildir (cur, new) and an mbox: 2 + 3 messages" \
    "grep -q '^learned 5 messages$' $tmp/out"
cp "$ldir/md/cur/1.host:2,S" "$ldir/dirs/.abuse/cur/"
mkdir -p "$ldir/dirs/Spam" "$ldir/dirs/junk"
cp "$ldir"/p/1[12].eml "$ldir/dirs/Spam/"
cp "$ldir/box.mbox" "$ldir/dirs/law-enforcement.mbox"
mail j1 "nobody" > "$ldir/dirs/junk/1.eml"
"$bin" -c "$ldir/c.conf" --learn auto-dirs "$ldir/dirs" > "$tmp/out" \
    2>"$tmp/err"
check "--learn auto-dirs: each folder as the category it names" \
    "[ $? = 0 ] && grep -q '^learned 5 messages (3 moved from another category), 1 already learned$' $tmp/out &&
     grep -q '^  spam: 2$' $tmp/out &&
     grep -q '^  law-enforcement: 3$' $tmp/out &&
     grep -q 'junk: no category of that name' $tmp/err"
"$bin" -c "$ldir/c.conf" --forget abuse - < "$ldir/box.mbox" > "$tmp/out" 2>/dev/null
check "--forget an mbox on standard input" "grep -q '^forgot 3 messages$' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn abuse - < "$ldir/box.mbox" > "$tmp/out"
check "--learn an mbox on standard input" "grep -q '^learned 3 messages$' $tmp/out"
mkdir -p "$ldir/mixed"
mail x1 "a message without the .eml" > "$ldir/mixed/note.txt"
printf 'file\tcategory\nx.eml\tspam\n' > "$ldir/mixed/LABELS.tsv"
printf '# what this is\n' > "$ldir/mixed/README"
"$bin" -c "$ldir/c.conf" --learn abuse "$ldir/mixed" > "$tmp/out"
check "--learn a folder: files that start like mail, not README or LABELS" \
    "grep -q '^learned 1 message$' $tmp/out"
"$bin" -c "$ldir/c.conf" --learn abuse "$ldir/missing" "$ldir/md" \
    > "$tmp/out" 2>"$tmp/err"
check "--learn a PATH that is not there: exit 66, the others learned" \
    "[ $? = 66 ] && grep -q 'missing' $tmp/err &&
     grep -q '2 already learned' $tmp/out"

# as root, a state_db --learn creates (and its directory) goes to user
if [ "$(id -u)" = 0 ]; then
	sed -e 's/^user = .*/user = "nobody"/' \
	    -e "s|^state_db = .*|state_db = $ldir/own/db/state.db|" \
	    "$ldir/c.conf" > "$ldir/own.conf"
	mkdir -p "$ldir/own"
	"$bin" -c "$ldir/own.conf" --learn spam "$ldir/p/01.eml" > /dev/null
	check "--learn as root: a state_db it creates belongs to user" \
	    "[ \"\$(stat -c %U $ldir/own/db)\" = nobody ] &&
	     [ \"\$(stat -c %U $ldir/own/db/state.db)\" = nobody ] &&
	     [ \"\$(stat -c %U $ldir/own)\" = root ]"
fi
