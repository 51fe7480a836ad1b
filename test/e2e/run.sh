#!/bin/bash
# run.sh - end-to-end tests, set up the way README.md tells a Debian
# user to: a private Postfix on loopback whose smtpd is chrooted into its
# queue directory as Debian's is, abuse-milter started as a daemon under
# its own user (nobody here) with group postfix and its socket inside the
# jail (smtpd_milters = unix:abuse-milter/abuse-milter.sock), logging to
# log_file; complaints go through smtpd and the milter to smtp-sink,
# replies through that Postfix's sendmail -C.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
. "$top_srcdir/test/testconf.sh"
cd "$top_srcdir" || exit 1	# the shipped rules' relative paths (etc/abuse-milter.d)

if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null 2>&1 && \
    ! [ -x /usr/sbin/postfix ]; then
	echo "SKIP: needs root and postfix"; exit 77
fi
export PATH=$PATH:/usr/sbin:/sbin
tmp=$top_builddir/test/e2e/tmp
rm -rf "$tmp"; mkdir -p "$tmp"
PF=$tmp/postfix PF_SMTP_PORT=10025 PF_SINK_PORT=10026
PF_MILTER="unix:abuse-milter/abuse-milter.sock"
. "$top_srcdir/test/e2e/postfix.sh"
bin=$top_builddir/milter/abuse-milter
conf=$tmp/test.conf
sock=$PF/queue/abuse-milter/abuse-milter.sock
pidfile=$tmp/state/abuse-milter.pid
milter_user=nobody
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

# e2e_conf SENDMAIL - the test configuration: the shipped one with the
# socket in the jail, our user, Postfix's group and a log file
e2e_conf() {
	make_conf "$conf" "$tmp/state" "unix:$sock" "$1"
	sed -i -e "s|^user = .*|user = \"$milter_user\"|" \
	    -e 's|^group = .*|group = "postfix"|' \
	    -e "s|^log_file = .*|log_file = $tmp/milter.log|" "$conf"
}
# milter_start - as README.md says: the daemon, which returns when ready
milter_start() {
	"$bin" -c "$conf" 2>>"$tmp/milter.err" || return 1
	milter_pid=$(cat "$pidfile")
}
# milter_stop - SIGTERM, and wait until it has exited
milter_stop() {
	kill -TERM "$milter_pid" 2>/dev/null
	i=0
	while [ $i -lt 100 ] && [ -n "$(ps -o stat= -p "$milter_pid" | grep -v Z)" ]; do
		sleep 0.1; i=$((i + 1))
	done
}
cleanup() {
	[ -n "${milter_pid:-}" ] && kill -KILL "$milter_pid" 2>/dev/null
	pf_stop
}
trap cleanup EXIT

pf_setup || exit 1
# the layout README.md has the admin make: directories owned by the
# milter's user (its state, and here the sendmail stand-ins' counters)
pf_milter_dir "$milter_user"
mkdir -p "$tmp/state" "$tmp/run"
chown "$milter_user" "$tmp/state" "$tmp/run"
e2e_conf "$(pf_sendmail)"
pf_start || exit 1
milter_start || { cat "$tmp/milter.err"; exit 1; }

mail() {	# mail FILE FROM SUBJECT [extra header line] BODY
	{ printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s@example.net>\nDate: %s\n' \
	    "$2" "$3" "$4" "$(basename "$1")" "$(date -R)"
	  [ -n "$5" ] && printf '%s\n' "$5"
	  printf '\n%s\n' "$6"; } > "$1"
}

# 1. mail that is not for abuse@ passes untouched
mail "$tmp/plain.eml" "friend@example.net" "bob@example.org" "lunch" "" "See you."
pf_send "$tmp/plain.eml" bob@example.org friend@example.net
# 2. a complaint: tagged, the forged header removed
mail "$tmp/scan.eml" "soc@example.net" "abuse@example.org" \
    "Port scan from 198.51.100.23" "X-Abuse-Category: forged-by-sender" \
    "Our IDS saw a port scan from 198.51.100.23 against our network at 2026-11-25 10:00:00 UTC."
pf_send "$tmp/scan.eml" abuse@example.org soc@example.net
check "both messages delivered to the sink" "pf_wait_sink 2 20"
plain=$(pf_sink_grep "Subject: lunch")
scan=$(pf_sink_grep "Subject: Port scan")
check "plain mail carries no X-Abuse header" "[ -n '$plain' ] && ! grep -qi '^X-Abuse-' $plain"
check "complaint tagged X-Abuse-Category" "grep -q '^X-Abuse-Category: ' $scan"
check "forged X-Abuse-Category removed" "! grep -q 'forged-by-sender' $scan"
check "complaint tagged X-Abuse-Source-IP 198.51.100.23" \
    "grep -q '^X-Abuse-Source-IP: 198.51.100.23' $scan"
check "X-Abuse-Ours: yes (198.51.100.0/24 is ours)" "grep -q '^X-Abuse-Ours: yes' $scan"
check "milter logged the queue id (log_file)" \
    "grep -q ' abuse-milter\[[0-9]*\]: info: [0-9A-F]\{6,\}: category=' $tmp/milter.log"
master=$(head -n 1 "$PF/queue/pid/master.pid" 2>/dev/null | tr -d ' ')
smtpd=$(pgrep -P "${master:-0}" -x smtpd | head -n 1)
check "the smtpd that called the milter runs chrooted in the queue directory" \
    "[ -n '$smtpd' ] && [ \"\$(readlink /proc/$smtpd/root)\" = '$PF/queue' ]"
check "the milter runs as $milter_user, the socket is in the jail" \
    "[ \"\$(ps -o user= -p $milter_pid)\" = $milter_user ] && [ -S $sock ]"
check "the pid file is the milter user's, mode 0644" \
    "[ \"\$(stat -c '%U %a' $pidfile)\" = '$milter_user 644' ]"

# 3. the milter stops: milter_default_action = accept delivers untagged
milter_stop
n=$(ls "$PF/sink" | wc -l)
mail "$tmp/down.eml" "soc@example.net" "abuse@example.org" "while down" "" "text"
pf_send "$tmp/down.eml" abuse@example.org soc@example.net
check "milter down: mail still delivered (milter_default_action = accept)" \
    "pf_wait_sink $((n + 1)) 20"
down=$(pf_sink_grep "Subject: while down")
check "milter down: delivered untagged" "[ -n '$down' ] && ! grep -q '^X-Abuse-' $down"
milter_start

. "$top_srcdir/test/e2e/replies.sh"
. "$top_srcdir/test/e2e/faults.sh"

milter_stop
if [ "$fail" != 0 ]; then
	echo "--- milter log"; tail -n 40 "$tmp/milter.log"; cat "$tmp/milter.err"
	echo "--- postfix log"; tail -n 40 "$PF/maillog"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
