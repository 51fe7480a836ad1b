#!/bin/sh
# learn.sh - what one MX host is taught or asked, the others see: run
# by run.sh with a server on $REDIS_SOCK. Hosts a and b share the Redis
# (prefix "fleet:") but not their state_db: --learn on a, --learn-stats
# and --classify (the classifier's snapshot) on b see it; the same
# message twice counts once; --forget on b takes it back for a; a's own
# state_db kept in step (the fallback); Redis away: --learn refuses (69),
# --learn-stats and --report fall back to the host's own data with a
# note; --report on b shows a's migrated ledger.
name=learn
. "$(dirname "$0")/lib.sh"
# conf HOST URL - the shipped config for HOST (its own state_db), a
# learner strong enough to decide alone, the shared Redis at URL
conf() {
	sed -e "s|^state_db = .*|state_db = $tmp/$1/state.db|" \
	    -e "s|^    weight = [0-9.]*$|    weight = 6|" \
	    etc/abuse-milter.conf > "$tmp/$1.conf"
	printf 'state {\n  backend = "redis"\n  url = "%s"\n  prefix = "fleet:"\n}\n' \
	    "$2" >> "$tmp/$1.conf"
}
conf a "unix:$REDIS_SOCK"
conf b "unix:$REDIS_SOCK"
conf away "unix:$tmp/nothing-here.sock"
sed -i "s|^state_db = .*|state_db = $tmp/a/state.db|" "$tmp/away.conf"

# mail - a message whose words are $2, with a distinct Message-ID $1
mail() {
	printf 'From: someone@mail%s.example.net\nTo: abuse@example.org\n' "$1"
	printf 'Subject: note %s\nMessage-ID: <%s@learn.test>\n\n' "$1" "$1"
	printf '%s\nnumber %s of them.\n' "$2" "$1"
}
zorb="zorbix quantelle frobnicate wibbleton the zorbix matter again"
plim="plimsoll vortigern blathery cromulent embiggen the plimsoll case"
mkdir -p "$tmp/z" "$tmp/p"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
	mail "z$i" "$zorb" > "$tmp/z/$i.eml"
	mail "p$i" "$plim" > "$tmp/p/$i.eml"
done
mail probe "A question: zorbix quantelle frobnicate wibbleton, again." \
    > "$tmp/probe.eml"

"$bin" -c "$tmp/b.conf" --classify "$tmp/probe.eml" > "$tmp/out" 2>/dev/null
check "before: host b does not know the probe's words" \
    "! grep -q '\"rule\":\"learned\"' $tmp/out"
"$bin" -c "$tmp/a.conf" --learn dmca "$tmp/z" > "$tmp/out" 2>"$tmp/err"
check "--learn on host a: exit 0, 12 learned" \
    "[ $? = 0 ] && grep -q '^learned 12 messages$' $tmp/out"
"$bin" -c "$tmp/a.conf" --learn spam "$tmp/p" > "$tmp/out" 2>"$tmp/err"
check "--learn on host a, a second category" \
    "[ $? = 0 ] && grep -q '^learned 12 messages$' $tmp/out"
"$bin" -c "$tmp/b.conf" --learn dmca "$tmp/z" > "$tmp/out" 2>"$tmp/err"
check "the same messages on host b: already learned (the fleet's digest)" \
    "[ $? = 0 ] && grep -q '^learned 0 messages, 12 already learned' $tmp/out"
"$bin" -c "$tmp/b.conf" --learn-stats > "$tmp/out" 2>"$tmp/err"
check "--learn-stats on host b: what a learned, from Redis" \
    "grep -q '^learned data: Redis' $tmp/out &&
     grep -Eq '^dmca +12 +[1-9][0-9]* +yes' $tmp/out &&
     grep -Eq '^spam +12 +[1-9][0-9]* +yes' $tmp/out"
check "host b's own state_db: only what b was taught (kept in step)" \
    "[ \"\$(sqlite3 $tmp/b/state.db 'SELECT name, messages FROM learn_categories')\" = 'dmca|12' ]"
"$bin" -c "$tmp/b.conf" --classify "$tmp/probe.eml" > "$tmp/out" 2>/dev/null
check "--classify on host b: the probe is dmca by the learner" \
    "grep -q '\"category\":\"dmca\",\"rule\":\"learned\"' $tmp/out"

# Redis away: --learn refuses, --learn-stats is host a's own (in step)
"$bin" -c "$tmp/away.conf" --learn dmca "$tmp/z/01.eml" >"$tmp/out" 2>"$tmp/err"
check "Redis away: --learn refuses (69), says so" \
    "[ $? = 69 ] && grep -q 'redis unreachable: nothing learned' $tmp/err"
"$bin" -c "$tmp/away.conf" --learn-stats > "$tmp/out" 2>"$tmp/err"
check "Redis away: --learn-stats from host a's state_db, with a note" \
    "[ $? = 0 ] && grep -q \"this host's learned data only\" $tmp/err &&
     grep -Eq '^dmca +12 ' $tmp/out && grep -Eq '^spam +12 ' $tmp/out"
"$bin" -c "$tmp/away.conf" --classify "$tmp/probe.eml" > "$tmp/out" 2>"$tmp/err"
check "Redis away: host a's classifier falls back to what it learned" \
    "grep -q '\"rule\":\"learned\"' $tmp/out && grep -q 'not read' $tmp/err"

"$bin" -c "$tmp/b.conf" --forget dmca "$tmp/z"/0*.eml > "$tmp/out" 2>"$tmp/err"
check "--forget on host b: 9 forgotten in the fleet" \
    "[ $? = 0 ] && grep -q '^forgot 9 messages$' $tmp/out"
"$bin" -c "$tmp/a.conf" --learn-stats > "$tmp/out" 2>"$tmp/err"
check "--learn-stats on host a: 3 dmca left, 12 spam" \
    "grep -Eq '^dmca +3 ' $tmp/out && grep -Eq '^spam +12 ' $tmp/out"
"$bin" -c "$tmp/a.conf" --forget dmca "$tmp/z"/0*.eml > "$tmp/out" 2>"$tmp/err"
check "--forget them again on host a: not learned" \
    "grep -q '^forgot 0 messages, 9 not learned' $tmp/out"

# --report: host a's ledger migrated, read by host b
now=$(date +%s)
ledger_v2 "$tmp/a/state.db" "
    INSERT INTO complaints VALUES (1, $now, 'Q', '<m@x>', 'spam', 'r',
     'rep@example.net', 'C7', 'queued');
    INSERT INTO complaint_ips VALUES (1, '192.0.2.9');
    INSERT INTO complaints VALUES (2, $now - 40 * 86400, 'Q2', '<o@x>',
     'dmca', 'r', 'old@example.net', NULL, 'queued');"
"$bin" -c "$tmp/a.conf" --migrate-state >/dev/null 2>&1
"$bin" -c "$tmp/b.conf" --report --since 7d > "$tmp/out" 2>"$tmp/err"
check "--report on host b: host a's complaint, from Redis" \
    "[ $? = 0 ] && grep -q 'report: redis unix:.*(every MX host)' $tmp/out &&
     grep -Eq '^ +1  spam' $tmp/out && grep -q '192.0.2.9' $tmp/out &&
     grep -q 'rep@example.net' $tmp/out && ! grep -q 'dmca' $tmp/out"
"$bin" -c "$tmp/b.conf" --report --since 60d --csv - > "$tmp/out" \
    2>"$tmp/err"
check "--report --since 60d --csv on host b: both complaints" \
    "[ $? = 0 ] && grep -q 'dmca' $tmp/out && grep -q '192.0.2.9' $tmp/out"
"$bin" -c "$tmp/away.conf" --report > "$tmp/out" 2>"$tmp/err"
check "Redis away: --report is host a's ledger, with the note" \
    "[ $? = 0 ] && grep -q \"redis unreachable: this host's ledger only\" $tmp/err &&
     grep -q 'report: $tmp/a/state.db' $tmp/out && grep -q spam $tmp/out"

summary
