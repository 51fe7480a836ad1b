#!/bin/bash
# run.sh - the command line's fixed interface (abuse-milter(8)): -n exit codes and
# FILE:LINE messages, -V, -h, usage errors, --classify JSON lines for
# good, garbage, unreadable and stdin input; starting the daemon: one
# milter per socket, the ready handshake, log_file and timestamps, a
# stop and immediate restart; as root: refusal to run as root (which
# creates nothing), and a start that fails loudly when the milter's user
# cannot write its pid file, spool, ledger or log file; the reply
# letters, read as complaints, are none (letters.sh); the letter in the
# complainant's language, and answers to our replies (lang.sh).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
bin=$top_builddir/milter/abuse-milter
tmp=$top_builddir/test/cli/tmp
rm -rf "$tmp"; mkdir -p "$tmp"
cd "$top_srcdir"	# the shipped config's relative paths
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
# gone PID - the process has exited (a zombie not yet reaped counts)
gone() { s=$(ps -o stat= -p "$1" 2>/dev/null); [ -z "$s" ] || [ "${s#Z}" != "$s" ]; }

"$bin" -n -c etc/abuse-milter.conf; rc=$?
check "-n on the shipped config from the source root: exit 0" "[ $rc = 0 ]"
printf 'category other {\n}\nbogus_key = 1\n' > "$tmp/bad.conf"
"$bin" -n -c "$tmp/bad.conf" 2>"$tmp/err"; rc=$?
check "-n on a bad config: exit 78" "[ $rc = 78 ]"
check "-n on a bad config: FILE:LINE: message" \
    "grep -q '^$tmp/bad.conf:3: .*bogus_key' $tmp/err"
"$bin" -n -c "$tmp/missing.conf" 2>"$tmp/err"; rc=$?
check "-n on a missing file: exit 78 with its name" \
    "[ $rc = 78 ] && grep -q '^$tmp/missing.conf: ' $tmp/err"
sed 's/^socket = .*/socket = "tcp:x"/' etc/abuse-milter.conf > "$tmp/sock.conf"
"$bin" -n -c "$tmp/sock.conf" 2>"$tmp/err"; rc=$?
check "-n with a bad socket spec: exit 78" "[ $rc = 78 ] && grep -q ':[0-9]*: socket' $tmp/err"
# -n finds what would fail at start, at its FILE:LINE: a user or group
# that does not exist, an empty spool_dir, state_db or sendmail, a
# timeout of 0, a route that is no address
while IFS='|' read -r key sedexpr; do
	sed "$sedexpr" etc/abuse-milter.conf > "$tmp/start.conf"
	line=$(grep -n "^ *$key = " "$tmp/start.conf" | head -1 | cut -d: -f1)
	"$bin" -n -c "$tmp/start.conf" 2>"$tmp/err"; rc=$?
	check "-n: a bad $key at its line" \
	    "[ $rc = 78 ] && grep -q \"^$tmp/start.conf:$line: $key: \" $tmp/err"
done <<'ROWS'
user|s/^user = .*/user = "no-such-user-x"/
group|s/^group = .*/group = "no-such-group-x"/
spool_dir|s/^spool_dir = .*/spool_dir = ""/
state_db|s/^state_db = .*/state_db = ""/
sendmail|s/^\( *\)sendmail = .*/\1sendmail = " "/
timeout|s/^\( *\)timeout = .*/\1timeout = 0s/
exit_list_max_age|s/^exit_list_max_age = .*/exit_list_max_age = soon/
ROWS
{ sed -n '1,/^# @@ categories/p' etc/abuse-milter.conf |
    sed 's|^reporters = .*|reporters = ""|'
  printf 'category other {\n    route = "not an address"\n}\n'; } \
    > "$tmp/start.conf"
line=$(grep -n '^ *route = ' "$tmp/start.conf" | cut -d: -f1)
"$bin" -n -c "$tmp/start.conf" 2>"$tmp/err"; rc=$?
check "-n: a route that is no address at its line" \
    "[ $rc = 78 ] && grep -q \"^$tmp/start.conf:$line: route: \" $tmp/err"

# the exit list's age, from its file's mtime: said at load, a warning
# past exit_list_max_age (a refresh that stopped), none when it is 0
printf '# exits\n192.0.2.7\n198.51.100.9\n' > "$tmp/exits.txt"
sed "s|^exit_list = .*|exit_list = \"$tmp/exits.txt\"|" etc/abuse-milter.conf \
    > "$tmp/exits.conf"
"$bin" -n -c "$tmp/exits.conf" 2>"$tmp/err"; rc=$?
check "-n with a fresh exit list: its age, no warning" \
    "[ $rc = 0 ] && grep -q 'exit_list $tmp/exits.txt: 2 entries, last written 0h0[0-9]m ago' $tmp/err && ! grep -q warning $tmp/err"
touch -d '3 days ago' "$tmp/exits.txt"
"$bin" -n -c "$tmp/exits.conf" 2>"$tmp/err"; rc=$?
check "-n with an exit list 3 days old: warns (exit_list_max_age 2d)" \
    "[ $rc = 0 ] && grep -q 'warning.*exit_list $tmp/exits.txt: 2 entries, last written 7[12]h[0-9]*m ago, older than exit_list_max_age (48h00m)' $tmp/err"
sed 's/^exit_list_max_age = .*/exit_list_max_age = 4d/' "$tmp/exits.conf" > "$tmp/exits4.conf"
"$bin" -n -c "$tmp/exits4.conf" 2>"$tmp/err"; rc=$?
check "-n with the same list and exit_list_max_age = 4d: no warning" \
    "[ $rc = 0 ] && grep -q 'last written 7[12]h' $tmp/err && ! grep -q warning $tmp/err"
sed 's/^exit_list_max_age = .*/exit_list_max_age = 0/' "$tmp/exits.conf" > "$tmp/exits0.conf"
"$bin" -n -c "$tmp/exits0.conf" 2>"$tmp/err"; rc=$?
check "-n with exit_list_max_age = 0: never warns" \
    "[ $rc = 0 ] && ! grep -q warning $tmp/err"

"$bin" -V > "$tmp/out"; rc=$?
check "-V prints the version" "[ $rc = 0 ] && grep -q '^abuse-milter [0-9]' $tmp/out"
"$bin" -h > "$tmp/out"; rc=$?
check "-h prints usage" "[ $rc = 0 ] && grep -q 'usage: abuse-milter' $tmp/out"
"$bin" -Z 2>/dev/null; rc=$?
check "unknown option: usage error 64" "[ $rc = 64 ]"
"$bin" -c etc/abuse-milter.conf -p "bogus" -f 2>"$tmp/err"; rc=$?
check "-p with a bad socket: refused" "[ $rc = 64 ] && grep -q 'socket' $tmp/err"

# --classify: one JSON line per input, whatever the input
printf 'garbage\0\377\376 no headers at all' > "$tmp/garbage.eml"
printf 'From: a@example.net\nSubject: SSH brute force\n\nFailed password for root from 198.51.100.9 port 4242 ssh2\n' > "$tmp/ok.eml"
"$bin" -c etc/abuse-milter.conf --classify "$tmp/ok.eml" "$tmp/garbage.eml" \
    "$tmp/nonexistent.eml" - < "$tmp/ok.eml" > "$tmp/out" 2>"$tmp/err"; rc=$?
check "--classify: exit 1 when an input cannot be read" "[ $rc = 1 ]"
check "--classify: one line per input, unreadable and stdin included" \
    "[ \$(wc -l < $tmp/out) = 4 ]"
if command -v python3 >/dev/null; then
	python3 - "$tmp/out" > "$tmp/py" 2>&1 <<'PY'
import json, sys
keys = ["file", "category", "rule", "ips", "ports", "case_id", "reporter",
        "timestamp", "ours", "tor_exit", "reply"]
lines = [json.loads(l) for l in open(sys.argv[1])]
for o in lines:
    missing = [k for k in keys if k not in o]
    assert not missing, (o["file"], missing)
    assert isinstance(o["ips"], list) and isinstance(o["ports"], list)
    assert o["reply"] == "send" or o["reply"].startswith("suppress: ")
assert lines[0]["category"] == "abuse", lines[0]
assert lines[0]["ips"] == ["198.51.100.9"], lines[0]
assert lines[0]["ours"] is True, lines[0]
assert lines[0]["tor_exit"] is None, lines[0]
# the deciding rule's own letter, not the category's
assert lines[0]["rule"] == "bruteforce", lines[0]
assert lines[0]["score"] > 0 and lines[0]["template"] == "abuse-ssh.txt", lines[0]
for o in lines:
    assert type(o["score"]) in (int, float), o
    assert o["template"] is None or "/" not in o["template"], o
    assert (o["template"] is None) == (o["reply"] != "send"), o
assert lines[1]["score"] == 0 and lines[1]["template"] is None, lines[1]
assert lines[1]["category"] == "other", lines[1]
assert lines[2]["file"].endswith("nonexistent.eml") and lines[2]["category"] == "other"
assert lines[3]["file"] == "-" and lines[3]["category"] == "abuse"
print("fine")
PY
	check "--classify: every fixed field, right values" "grep -q fine $tmp/py || { cat $tmp/py; false; }"
fi
"$bin" -c etc/abuse-milter.conf --explain "$tmp/ok.eml" > "$tmp/out"; rc=$?
check "--explain: the decision first, then the categories" \
    "[ $rc = 0 ] && sed -n 2p $tmp/out | grep -q '^decision: abuse, total ' &&
    grep -q '^reply: send, template abuse-ssh.txt$' $tmp/out &&
    grep -q '^abuse, total ' $tmp/out && grep -q '^no match: ' $tmp/out"
"$bin" -c etc/abuse-milter.conf --classify "$tmp/ok.eml" > /dev/null; rc=$?
check "--classify: exit 0 when every input was read" "[ $rc = 0 ]"
"$bin" -c etc/abuse-milter.conf --explain --brief "$tmp/ok.eml" > "$tmp/out"
rc=$?
check "--explain --brief: the decision and one line per rule" \
    "[ $rc = 0 ] && grep -q '^decision: abuse' $tmp/out &&
     grep -q '^  +[0-9].* ([a-z-]*\.conf:[0-9]*)$' $tmp/out &&
     ! grep -q '^        ' $tmp/out"
"$bin" -c etc/abuse-milter.conf --brief --classify "$tmp/ok.eml" \
    > /dev/null 2>&1
check "--brief without --explain: usage error" "[ $? = 64 ]"

# max_scan: a 400 KB pasted log is read to its first 256 KB; --explain
# says so; with max_scan = 1M the address at the end is found too
{ printf 'From: soc@example.net\nTo: abuse@example.org\nSubject: SSH brute force\n\n'
  printf 'Brute force from 198.51.100.77, our log:\n'
  awk 'BEGIN { for (i = 0; i < 8000; i++) printf "sshd[%d]: Failed password for root port %d ssh2\n", i, 40000 + i }'
  printf 'and at the end 198.51.100.99\n'; } > "$tmp/long.eml"
"$bin" -c etc/abuse-milter.conf --explain "$tmp/long.eml" > "$tmp/out"
check "max_scan: --explain says the text was cut" \
    "grep -q '^cut: a text part of [0-9]* bytes was scanned to its first 262144 (max_scan)$' $tmp/out"
"$bin" -c etc/abuse-milter.conf --classify "$tmp/long.eml" > "$tmp/out"
check "max_scan: what lies past the cut is not read" \
    "grep -q '198.51.100.77' $tmp/out && ! grep -q '198.51.100.99' $tmp/out"
sed 's|^max_scan = .*|max_scan = 1M|' etc/abuse-milter.conf > "$tmp/scan.conf"
"$bin" -c "$tmp/scan.conf" --classify "$tmp/long.eml" > "$tmp/out"
check "max_scan = 1M: the whole text is read" "grep -q '198.51.100.99' $tmp/out"

# a complaint about an address that is not ours gets no reply, unless
# reply.not_ours = send; a bad value is a config error at its line
"$bin" -c etc/abuse-milter.conf --classify test/corpus/abuse-fail2ban.eml \
    > "$tmp/out"
check "--classify: no reply about an address that is not ours" \
    "grep -q '\"ours\":false' $tmp/out &&
     grep -q '\"reply\":\"suppress: not our address\"' $tmp/out"
sed 's|^\( *\)not_ours = .*|\1not_ours = send|' etc/abuse-milter.conf \
    > "$tmp/notours.conf"
"$bin" -c "$tmp/notours.conf" --classify test/corpus/abuse-fail2ban.eml \
    > "$tmp/out"
check "--classify: reply.not_ours = send answers it" \
    "grep -q '\"reply\":\"send\"' $tmp/out"
sed 's|^\( *\)not_ours = .*|\1not_ours = maybe|' etc/abuse-milter.conf \
    > "$tmp/notours.conf"
line=$(grep -n '^ *not_ours = ' "$tmp/notours.conf" | cut -d: -f1)
"$bin" -n -c "$tmp/notours.conf" 2>"$tmp/err"; rc=$?
check "-n: a bad reply.not_ours is FILE:LINE" \
    "[ $rc = 78 ] && grep -q \"^$tmp/notours.conf:$line: \" $tmp/err"

"$bin" -c etc/abuse-milter.conf --report --since soon 2>"$tmp/err"; rc=$?
check "--report with a bad --since: usage error" "[ $rc = 64 ] && grep -q 'since' $tmp/err"

# a second start on the socket of a running milter is refused; the
# running one keeps its socket
me='""'; [ "$(id -u)" = 0 ] && me='"root"'
sed -e "s/^user = .*/user = $me/" \
    -e "s|^socket = .*|socket = unix:$tmp/twice/s.sock|" \
    -e "s|^pidfile = .*|pidfile = $tmp/twice/m.pid|" \
    -e "s|^spool_dir = .*|spool_dir = $tmp/twice/spool|" \
    -e "s|^state_db = .*|state_db = $tmp/twice/state.db|" \
    etc/abuse-milter.conf > "$tmp/twice.conf"
"$bin" -f -c "$tmp/twice.conf" 2>"$tmp/err1" &
first=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -S "$tmp/twice/s.sock" ] && break; sleep 0.3
done
ino=$(stat -c %i "$tmp/twice/s.sock" 2>/dev/null)
timeout 5 "$bin" -f -c "$tmp/twice.conf" 2>"$tmp/err"; rc=$?
check "a second instance on the same socket: refused" \
    "[ $rc != 0 ] && [ $rc != 124 ] && grep -q 'already running' $tmp/err"
check "the first instance keeps its socket" \
    "kill -0 $first && [ \"\$(stat -c %i $tmp/twice/s.sock)\" = '$ino' ]"
kill -9 "$first"; wait "$first" 2>/dev/null
timeout 3 "$bin" -f -c "$tmp/twice.conf" 2>"$tmp/err"
check "a stale socket (its milter killed) is replaced" \
    "grep -q 'listening on' $tmp/err"

stamp='^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}[+-][0-9][0-9]:[0-9][0-9] abuse-milter\[[0-9]*\]: '
check "-f: stderr lines carry a timestamp and the pid" \
    "grep -q '$stamp'\"notice: abuse-milter .* listening on\" $tmp/err1"

# in the background: the starting process exits when the daemon is
# ready, with the pid file written, or with an error if the start failed
sed -e "s|twice/|bg/|g" -e "s|^log_file = .*|log_file = $tmp/bg-milter.log|" \
    "$tmp/twice.conf" > "$tmp/bg.conf"
"$bin" -c "$tmp/bg.conf" 2>"$tmp/err"; rc=$?
check "daemon start: exit 0 with the pid file already there" \
    "[ $rc = 0 ] && [ -s $tmp/bg/m.pid ] && kill -0 \$(cat $tmp/bg/m.pid)"
check "log_file: the daemon's lines go there, with a timestamp" \
    "grep -q '$stamp'\"notice: abuse-milter .* listening on\" $tmp/bg-milter.log"
mv "$tmp/bg-milter.log" "$tmp/bg-milter.log.1"
kill -USR1 "$(cat "$tmp/bg/m.pid")"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -q 'configuration reloaded' "$tmp/bg-milter.log" 2>/dev/null && break
	sleep 0.3
done
check "log_file: reopened on SIGUSR1 (log rotation)" \
    "grep -q 'configuration reloaded' $tmp/bg-milter.log"
# a stop and an immediate start (a restart): the new start waits for the
# old milter to let go of the socket and the pid file, and succeeds
old=$(cat "$tmp/bg/m.pid")
kill "$old"; "$bin" -c "$tmp/bg.conf" 2>"$tmp/err"; rc=$?
check "stop and immediate restart: the new start succeeds" \
    "[ $rc = 0 ] && [ -s $tmp/bg/m.pid ] && [ \"\$(cat $tmp/bg/m.pid)\" != $old ] && kill -0 \$(cat $tmp/bg/m.pid)"
check "stop and immediate restart: the old milter is gone" "gone $old"
check "stop and immediate restart: the new milter listens" \
    "[ -S $tmp/bg/s.sock ] && tail -n 3 $tmp/bg-milter.log | grep -q 'listening on'"
[ -s "$tmp/bg/m.pid" ] && kill "$(cat "$tmp/bg/m.pid")"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/bg/s.sock" ] || break; sleep 0.5; done
rm -rf "$tmp/bg/spool"; mkdir -p "$tmp/bg/spool"; : > "$tmp/bg/spool/failed"
"$bin" -c "$tmp/bg.conf" 2>"$tmp/err"; rc=$?
check "daemon start that fails after detaching: not exit 0" "[ $rc != 0 ]"
sed 's/^user = .*/user = "no-such-user-here"/' "$tmp/bg.conf" > "$tmp/bad-user.conf"
"$bin" -c "$tmp/bad-user.conf" 2>"$tmp/err"; rc=$?
check "daemon start from a terminal: the reason it fails is on stderr" \
    "[ $rc = 78 ] && grep -q ': user: no such user' $tmp/err"

# hostile 1.9 MB bodies (inside max_body): every rule and extractor must
# finish. A bound against hangs (F4 in contrib/fuzz took hours), not a
# speed test: the benchmarks measure speed.
for shape in "1." "1," "a " "1.2.3.4 " "> x" "ticket # 1 " "=?"; do
	awk -v s="$shape" 'BEGIN { printf "From: r@example.net\nSubject: x\n\n"
	    for (i = 0; i < 1900000 / length(s); i++) {
	        printf "%s", s; if (i % 40 == 39) printf "\n" } }' > "$tmp/big.eml"
	timeout 120 "$bin" -c etc/abuse-milter.conf --classify "$tmp/big.eml" \
	    > "$tmp/out"; rc=$?
	check "1.9 MB of '$shape': classified, no hang" \
	    "[ $rc = 0 ] && grep -q '\"category\"' $tmp/out"
done

# root: refused unless the config names a user; a start that cannot work
# fails on stderr with a non-zero status, as the milter's user
if [ "$(id -u)" = 0 ]; then
	# conf_as USER SOCK PID SPOOL DB - a config running as USER
	conf_as() {
		sed -e "s/^user = .*/user = \"$1\"/" \
		    -e "s|^socket = .*|socket = unix:$2|" \
		    -e "s|^pidfile = .*|pidfile = $3|" \
		    -e "s|^spool_dir = .*|spool_dir = $4|" \
		    -e "s|^state_db = .*|state_db = $5|" etc/abuse-milter.conf
	}
	# refused as root: nothing is created, so the next start as the
	# right user finds no root-owned directory in its way
	mkdir -p "$tmp/home"; chown nobody "$tmp/home"
	h=$tmp/home
	conf_as "" "$tmp/run1/s.sock" "$tmp/run1/m.pid" "$h/spool" \
	    "$h/db/state.db" > "$tmp/root.conf"
	timeout 10 "$bin" -c "$tmp/root.conf" 2>"$tmp/err"; rc=$?
	check "as root with no user: refuses to start" \
	    "[ $rc = 77 ] && grep -q 'refusing to run as root' $tmp/err"
	check "a refused start creates nothing" \
	    "[ ! -e $tmp/run1 ] && [ -z \"\$(ls -A $h)\" ]"
	sed 's/^user = .*/user = "nobody"/' "$tmp/root.conf" > "$tmp/nobody.conf"
	timeout 10 "$bin" -c "$tmp/nobody.conf" 2>"$tmp/err"; rc=$?
	check "then started as user nobody: exit 0" "[ $rc = 0 ] || { cat $tmp/err; false; }"
	check "the spool and the ledger are made by the milter's user" \
	    "[ \"\$(stat -c %U $h/spool $h/db $h/db/state.db | sort -u)\" = nobody ]"
	check "a missing pid-file directory is made for the milter's user" \
	    "[ \"\$(stat -c %U $tmp/run1)\" = nobody ]"
	[ -s "$tmp/run1/m.pid" ] && kill "$(cat "$tmp/run1/m.pid")"
	# the report of that (empty) ledger as a page and as CSV, each
	# renamed into place
	"$bin" -c "$tmp/nobody.conf" --report --html "$tmp/r.html" \
	    --csv "$tmp/r.csv"; rc=$?
	check "--report --html --csv: both written, no temporary file left" \
	    "[ $rc = 0 ] && head -c 15 $tmp/r.html | grep -q '<!DOCTYPE html>' &&
	     head -n 1 $tmp/r.csv | grep -q '^section,key,subkey,count,ours,tor_exit,detail' &&
	     ! ls $tmp/r.*.tmp.* >/dev/null 2>&1"
	"$bin" -c "$tmp/nobody.conf" --html "$tmp/r2.html" >/dev/null 2>&1; rc=$?
	check "--html without --report: usage error" "[ $rc = 64 ] && [ ! -e $tmp/r2.html ]"

	# what the milter's user cannot write stops the start, on stderr,
	# before the starting process reports ready
	mkdir -p "$tmp/rootdir/spool"; chmod 755 "$tmp/rootdir" "$tmp/rootdir/spool"
	cant() {	# cant WHAT CONF PATTERN
		timeout 20 "$bin" -c "$2" 2>"$tmp/err"; rc=$?
		check "$1: start fails (status $rc) with a message on stderr" \
		    "[ $rc != 0 ] && [ $rc != 124 ] && grep -q '$3' $tmp/err"
	}
	conf_as nobody "$h/p/s.sock" "$tmp/rootdir/m.pid" "$h/p/spool" \
	    "$h/p/state.db" > "$tmp/c1.conf"
	cant "pid file not writable" "$tmp/c1.conf" "pid file $tmp/rootdir/m.pid: .*nobody"
	conf_as nobody "$h/q/s.sock" "$h/q/m.pid" "$tmp/rootdir/spool" \
	    "$h/q/state.db" > "$tmp/c2.conf"
	cant "spool not writable" "$tmp/c2.conf" "spool_dir $tmp/rootdir/spool.*nobody"
	conf_as nobody "$h/r/s.sock" "$h/r/m.pid" "$h/r/spool" \
	    "$tmp/rootdir/state.db" > "$tmp/c3.conf"
	cant "ledger cannot be opened" "$tmp/c3.conf" "state_db $tmp/rootdir/state.db"
	sed "s|^log_file = .*|log_file = $tmp/nodir/milter.log|" "$tmp/c3.conf" \
	    > "$tmp/c4.conf"
	cant "log_file cannot be opened" "$tmp/c4.conf" "log_file $tmp/nodir/milter.log"
	check "none of them left a milter running" \
	    "! pgrep -f -- '-c $tmp/c[1-4].conf' >/dev/null"

	# an existing directory that holds the socket (think Postfix's
	# private/) keeps its owner
	mkdir -p "$tmp/shared"; chown root:root "$tmp/shared"
	conf_as nobody "$tmp/shared/s.sock" "$h/own/m.pid" "$h/own/spool" \
	    "$h/own/state.db" > "$tmp/shared.conf"
	timeout 3 "$bin" -f -c "$tmp/shared.conf" 2>"$tmp/err"
	check "an existing directory is not chowned to the milter's user" \
	    "[ \"\$(stat -c %U $tmp/shared)\" = root ]"
	# started as an ordinary user (no user =), group = still names the
	# socket's group, the one Postfix connects with; the pid file stays
	# the user's and not group-writable, whatever the umask
	mkdir -p "$tmp/grp"; chown nobody "$tmp/grp"
	sed -e 's/^user = .*/user = ""/' -e 's/^group = .*/group = "mail"/' \
	    -e "s|^socket = .*|socket = unix:$tmp/grp/s.sock|" \
	    -e "s|^pidfile = .*|pidfile = $tmp/grp/m.pid|" \
	    -e "s|^spool_dir = .*|spool_dir = $tmp/grp/spool|" \
	    -e "s|^state_db = .*|state_db = $tmp/grp/state.db|" \
	    etc/abuse-milter.conf > "$tmp/grp.conf"
	setpriv --reuid=nobody --regid=nogroup --groups=mail -- "$bin" -f \
	    -c "$tmp/grp.conf" 2>"$tmp/err" &
	pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -S "$tmp/grp/s.sock" ] && [ -s "$tmp/grp/m.pid" ] && break
		sleep 0.3
	done
	sgrp=$(stat -c %G "$tmp/grp/s.sock" 2>/dev/null)
	pmode=$(stat -c '%U %a' "$tmp/grp/m.pid" 2>/dev/null)
	kill "$pid"; wait "$pid" 2>/dev/null
	check "no user, group = mail: the socket's group is mail" \
	    "[ \"$sgrp\" = mail ]"
	check "umask 007: the pid file is still the user's, mode 0644" \
	    "[ \"$pmode\" = 'nobody 644' ]"
fi
# the learner's options
. "$top_srcdir/test/cli/learn.sh"
# the reply letters are no complaints
. "$top_srcdir/test/cli/letters.sh"
# replies in the complainant's language; answers to our replies
. "$top_srcdir/test/cli/lang.sh"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
