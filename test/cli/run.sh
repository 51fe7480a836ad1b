#!/bin/bash
# run.sh - the command line's fixed interface (abuse-milter(8)): -n exit codes and
# FILE:LINE messages, -V, -h, usage errors, --classify JSON lines for
# good, garbage, unreadable and stdin input, refusal to run as root.
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
assert lines[0]["score"] > 0 and lines[0]["template"] == "abuse.txt", lines[0]
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
"$bin" -c etc/abuse-milter.conf --classify "$tmp/ok.eml" > /dev/null; rc=$?
check "--classify: exit 0 when every input was read" "[ $rc = 0 ]"

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

# in the background: the starting process exits when the daemon is
# ready, with the pid file written, or with an error if the start failed
sed -e "s|twice/|bg/|g" "$tmp/twice.conf" > "$tmp/bg.conf"
"$bin" -c "$tmp/bg.conf" 2>"$tmp/err"; rc=$?
check "daemon start: exit 0 with the pid file already there" \
    "[ $rc = 0 ] && [ -s $tmp/bg/m.pid ] && kill -0 \$(cat $tmp/bg/m.pid)"
[ -s "$tmp/bg/m.pid" ] && kill "$(cat "$tmp/bg/m.pid")"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/bg/s.sock" ] || break; sleep 0.5; done
rm -rf "$tmp/bg/spool"; mkdir -p "$tmp/bg/spool"; : > "$tmp/bg/spool/failed"
"$bin" -c "$tmp/bg.conf" 2>"$tmp/err"; rc=$?
check "daemon start that fails after detaching: not exit 0" "[ $rc != 0 ]"
sed 's/^user = .*/user = "no-such-user-here"/' "$tmp/bg.conf" > "$tmp/bad-user.conf"
"$bin" -c "$tmp/bad-user.conf" 2>"$tmp/err"; rc=$?
check "daemon start from a terminal: the reason it fails is on stderr" \
    "[ $rc = 78 ] && grep -q 'unknown user' $tmp/err"

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

# root: refused unless the config names a user
if [ "$(id -u)" = 0 ]; then
	sed -e 's/^user = .*/user = ""/' -e "s|^socket = .*|socket = unix:$tmp/s.sock|" \
	    etc/abuse-milter.conf > "$tmp/root.conf"
	timeout 10 "$bin" -f -c "$tmp/root.conf" 2>"$tmp/err"; rc=$?
	check "as root with no user: refuses to start" \
	    "[ $rc != 0 ] && [ $rc != 124 ] && grep -q 'refusing to run as root' $tmp/err"
	# an existing directory that holds the pid file and the socket (think
	# /run, Postfix's private/) keeps its owner; a new one is ours
	mkdir -p "$tmp/shared"; chown root:root "$tmp/shared"
	sed -e 's/^user = .*/user = "nobody"/' \
	    -e "s|^socket = .*|socket = unix:$tmp/shared/s.sock|" \
	    -e "s|^pidfile = .*|pidfile = $tmp/shared/m.pid|" \
	    -e "s|^spool_dir = .*|spool_dir = $tmp/own/spool|" \
	    -e "s|^state_db = .*|state_db = $tmp/own/db/state.db|" \
	    etc/abuse-milter.conf > "$tmp/nobody.conf"
	timeout 3 "$bin" -f -c "$tmp/nobody.conf" 2>"$tmp/err"
	check "an existing directory is not chowned to the milter's user" \
	    "[ \"\$(stat -c %U $tmp/shared)\" = root ]"
	check "a directory it creates belongs to the milter's user" \
	    "[ \"\$(stat -c %U $tmp/own/db)\" = nobody ]"
	# started as an ordinary user (no user =), group = still names the
	# socket's group, the one Postfix connects with
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
		[ -S "$tmp/grp/s.sock" ] && break; sleep 0.3
	done
	sgrp=$(stat -c %G "$tmp/grp/s.sock" 2>/dev/null)
	kill "$pid"; wait "$pid" 2>/dev/null
	check "no user, group = mail: the socket's group is mail" \
	    "[ \"$sgrp\" = mail ]"
fi
# the learner's options
. "$top_srcdir/test/cli/learn.sh"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
