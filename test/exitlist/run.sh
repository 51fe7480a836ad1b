#!/bin/sh
# run.sh - contrib/abuse-milter-exitlist, offline: a good list (plain or
# TorDNSEL, by path and by file:// URL) replaces the file, is accepted
# by the milter (-n) and sends SIGUSR1 to the pid in the pid file; an
# empty, garbage, too small or unreachable list is refused, the old
# file kept byte for byte and no signal sent; nothing is left beside the
# file. The "milter" is a shell of ours that counts its SIGUSR1s.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 77; }
script=$top_srcdir/contrib/abuse-milter-exitlist
bin=$top_builddir/milter/abuse-milter
tmp=$top_builddir/test/exitlist/tmp
rm -rf "$tmp"; mkdir -p "$tmp/lib"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

# the stand-in milter: writes a line per SIGUSR1 to its file
sh -c 'trap "echo usr1 >> $1" USR1; while :; do sleep 0.1; done' sh \
    "$tmp/signals" &
pid=$!
echo "$pid" > "$tmp/pid"
trap 'kill $pid 2>/dev/null' EXIT
sleep 0.3	# its trap is set
: > "$tmp/signals"
signals() { sleep 0.3; wc -l < "$tmp/signals" | tr -d ' '; }

out=$tmp/lib/tor-exit-list
run() {
	python3 "$script" --output "$out" --pidfile "$tmp/pid" --timeout 5 \
	    "$@" 2>"$tmp/err"
}

# a bulk list of 100 addresses, one a line
i=1; while [ $i -le 100 ]; do echo "198.51.100.$i"; i=$((i + 1)); done \
    > "$tmp/bulk.txt"
run --url "$tmp/bulk.txt"; rc=$?
check "a good bulk list replaces a missing file: exit 0" \
    "[ $rc = 0 ] && cmp -s $tmp/bulk.txt $out"
check "and SIGUSR1 reaches the pid in the pid file" "[ \$(signals) = 1 ]"
check "and says what it did" "grep -q '100 addresses (were 0)' $tmp/err"
check "the new file is readable by all (mode 0644)" \
    "[ \$(stat -c %a $out) = 644 ]"

# a TorDNSEL exit-addresses file, by file:// URL, 60 addresses
{ echo "@type tordnsel 1.0"; echo "Downloaded 2026-02-01 10:00:00"
  i=1; while [ $i -le 60 ]; do
	echo "ExitNode 0011223344556677889900112233445566778$(printf %03d $i)"
	echo "Published 2026-02-01 09:00:00"
	echo "LastStatus 2026-02-01 09:30:00"
	echo "ExitAddress 203.0.113.$i 2026-02-01 09:31:00"
	i=$((i + 1)); done
  echo "ExitAddress 2001:db8::7 2026-02-01 09:31:00"; } > "$tmp/tordnsel.txt"
run --url "file://$tmp/tordnsel.txt"; rc=$?
check "a TorDNSEL file by file:// URL, 61 of 100: replaces (over 0.5)" \
    "[ $rc = 0 ] && cmp -s $tmp/tordnsel.txt $out && [ \$(signals) = 2 ]"
check "the milter loads what was put in place" \
    "sed 's|^exit_list = .*|exit_list = \"$out\"|' '$top_srcdir/etc/abuse-milter.conf' > $tmp/m.conf &&
     (cd '$top_srcdir' && '$bin' -n -c $tmp/m.conf 2>$tmp/n.err) &&
     grep -q '61 entries' $tmp/n.err"

# refusals: the old file stays as it was, no signal
cp "$out" "$tmp/before"
refused() {
	check "$1: refused, exit 1" "[ $rc = 1 ]"
	check "$1: the old file kept" "cmp -s $tmp/before $out"
	check "$1: no reload" "[ \$(signals) = 2 ]"
	check "$1: says why" "grep -q 'refused.*$2' $tmp/err"
}
: > "$tmp/empty.txt"
run --url "$tmp/empty.txt"; rc=$?
refused "an empty list" "no address"
printf '# only comments\n\n' > "$tmp/comments.txt"
run --url "$tmp/comments.txt"; rc=$?
refused "a list of comments" "no address"
printf '<html><body>Service unavailable</body></html>\n' > "$tmp/garbage.txt"
run --url "$tmp/garbage.txt"; rc=$?
refused "an HTML error page" "line 1: "
{ head -n 20 "$tmp/bulk.txt"; echo "198.51.100.999"; } > "$tmp/badaddr.txt"
run --url "$tmp/badaddr.txt"; rc=$?
refused "a list with one bad address" "line 21: not an address"
printf 'ExitAddress 203.0.113.0/24 2026-02-01\n' > "$tmp/badexit.txt"
run --url "$tmp/badexit.txt"; rc=$?
refused "an ExitAddress with a network" "bad ExitAddress"
printf '\377\376\000binary\n' > "$tmp/binary.txt"
run --url "$tmp/binary.txt"; rc=$?
refused "binary bytes" "not UTF-8"
head -n 30 "$tmp/bulk.txt" > "$tmp/small.txt"
run --url "$tmp/small.txt"; rc=$?
refused "30 addresses where there were 61" "fewer than 0.5 of the 61"
run --url "file://$tmp/no-such-file"; rc=$?
refused "an unreachable URL" "No such file"
run --url "http://127.0.0.1:9/torbulkexitlist" --timeout 2; rc=$?
refused "nothing listens at the URL" "Connection refused"

# the fraction is configurable, also from the environment
ABUSE_EXITLIST_MIN_FRACTION=0.4 run --url "$tmp/small.txt"; rc=$?
check "the same 30 with ABUSE_EXITLIST_MIN_FRACTION=0.4: replaces" \
    "[ $rc = 0 ] && cmp -s $tmp/small.txt $out && [ \$(signals) = 3 ]"
run --url "$tmp/bulk.txt" --min-fraction 2 2>/dev/null; rc=$?
check "--min-fraction above 1: usage error" "[ $rc = 2 ]"

# no milter running: the list is still replaced
kill $pid; wait $pid 2>/dev/null
run --url "$tmp/bulk.txt"; rc=$?
check "with the milter stopped: replaced, exit 0, says none reloaded" \
    "[ $rc = 0 ] && cmp -s $tmp/bulk.txt $out && grep -q 'none reloaded' $tmp/err"
rm -f "$tmp/pid"
run --url "$tmp/bulk.txt"; rc=$?
check "without a pid file: replaced, exit 0" "[ $rc = 0 ]"
check "no temporary file left beside the list" \
    "[ \$(ls -A $tmp/lib | wc -l) = 1 ]"
chmod 0555 "$tmp/lib"
if [ "$(id -u)" != 0 ]; then
	run --url "$tmp/tordnsel.txt"; rc=$?
	check "a directory it cannot write: exit 1, old file kept" \
	    "[ $rc = 1 ] && cmp -s $tmp/bulk.txt $out"
fi
chmod 0755 "$tmp/lib"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
