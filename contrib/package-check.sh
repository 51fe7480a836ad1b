#!/bin/bash
# package-check.sh - the Debian package from nothing to a complaint
# answered, on this machine (Debian 12, as root; contrib/check.sh runs it
# after the test suite):
#   1. build it from a copy of the tree (dpkg-buildpackage -us -uc -b),
#      lintian (no error allowed; warnings shown), systemd-analyze verify
#   2. install it with apt-get: the user and its groups, the conffiles,
#      the directories and their owners
#   3. start the unit's ExecStart line as systemd would when it is not
#      PID 1 here: as User=/Group= with the user's groups, no new
#      privileges, working directory /, the runtime directory made, and
#      NOTIFY_SOCKET on a socket this script listens on (READY=1 must
#      arrive)
#   4. one complaint through a private Postfix on 127.0.0.1:10225 (smtp)
#      and 10226 (smtp-sink; no chroot, so it sees the packaged socket
#      in /var/spool/postfix/abuse-milter/): it arrives tagged, and the
#      reply, submitted through that Postfix's sendmail and postdrop
#      without setgid, reaches the sink
#   5. abuse-milter-exitlist as the milter's user puts a list in place
#      and reloads the milter (RELOADING=1, READY=1), which logs it
#   6. stop (STOPPING=1), purge, and nothing of it left running or on disk
# Exits non-zero on the first failure, with what was seen. bash: the
# Postfix helpers (test/e2e/postfix.sh) use its /dev/tcp.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "package-check.sh: run as root"; exit 1; }
if dpkg-query -W -f='${Status}' abuse-milter 2>/dev/null | grep -q installed; then
	echo "package-check.sh: abuse-milter is installed here already: not touching it"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for p in debhelper lintian; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' ||
	    apt-get install -y -q --no-install-recommends "$p" >/dev/null
done

work=$(mktemp -d /tmp/abuse-milter-pkg.XXXXXX)
chmod 0755 "$work"	# the milter's user reaches the notify socket here
milter_pid= notify_pid=
step() { printf '\n== %s\n' "$*"; }
die() { echo "FAILED: $*"; exit 1; }
cleanup() {
	set +e
	[ -n "$milter_pid" ] && kill "$milter_pid" 2>/dev/null
	[ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null
	[ -n "${PF:-}" ] && pf_stop
	if [ -n "${PF:-}" ]; then
		cur=$(postconf -h -c /etc/postfix alternate_config_directories 2>/dev/null)
		new=$(printf '%s\n' $cur | grep -vxF "$PF/etc" | tr '\n' ' ' | sed 's/ $//')
		[ "$new" = "$cur" ] || postconf -c /etc/postfix -e "alternate_config_directories = $new"
	fi
	if dpkg-query -W -f='${Status}' abuse-milter 2>/dev/null | grep -q installed; then
		apt-get purge -y -q abuse-milter >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT

step "1. build the package from a copy of the tree"
mkdir "$work/src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard -z |
	    xargs -0 tar -cf - --no-recursion) | tar -C "$work/src" -xf -
else
	tar -C "$top" --exclude=./build-san --exclude=./demo --exclude='./test/*/tmp' \
	    --exclude='*.o' --exclude='*.a' -cf - . | tar -C "$work/src" -xf -
fi
# the unit tests ran already (contrib/check.sh): PKG_CHECK=1 runs them
# in the package build too
opts="parallel=2"; [ "${PKG_CHECK:-0}" = 1 ] || opts="nocheck $opts"
(cd "$work/src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b) \
    > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; die "dpkg-buildpackage"; }
grep -E '^dpkg-deb: building' "$work/build.log"
deb=$(ls "$work"/abuse-milter_*_*.deb)

step "lintian $(basename "$deb")"
lintian --fail-on error "$deb" > "$work/lintian.log" 2>&1 || {
	cat "$work/lintian.log"; die "lintian reports an error"; }
cat "$work/lintian.log"
echo "lintian: no error"

step "2. apt-get install ./$(basename "$deb")"
(cd "$work" && apt-get install -y -q "./$(basename "$deb")") > "$work/apt.log" 2>&1 ||
    { tail -n 30 "$work/apt.log"; die "apt-get install"; }
grep -E '^(Setting up|Unpacking) abuse-milter' "$work/apt.log"
id abuse-milter
for g in postfix postdrop; do
	id -nG abuse-milter | tr ' ' '\n' | grep -qx "$g" || die "abuse-milter is not in group $g"
done
stat -c '%U:%G %a %n' /var/lib/abuse-milter /var/spool/abuse-milter \
    /var/spool/postfix/abuse-milter
[ "$(stat -c %U /var/lib/abuse-milter)" = abuse-milter ] &&
[ "$(stat -c %U /var/spool/abuse-milter)" = abuse-milter ] &&
[ "$(stat -c %U:%G /var/spool/postfix/abuse-milter)" = abuse-milter:postfix ] ||
    die "the directories do not belong to abuse-milter"
dpkg-query -W -f='${Conffiles}\n' abuse-milter | grep -q ' /etc/abuse-milter/abuse-milter.conf ' ||
    die "abuse-milter.conf is no conffile"
grep -q '"/etc/abuse-milter/abuse-milter.d/categories/' /etc/abuse-milter/abuse-milter.conf ||
    die "the installed config does not include /etc/abuse-milter/abuse-milter.d"
/usr/sbin/abuse-milter -n -c /etc/abuse-milter/abuse-milter.conf
echo "abuse-milter -n on the installed config: $?"

step "systemd-analyze verify"
systemd-analyze verify /lib/systemd/system/abuse-milter.service \
    /lib/systemd/system/abuse-milter-exitlist.service \
    /lib/systemd/system/abuse-milter-exitlist.timer || die "systemd-analyze verify"
echo "systemd-analyze verify: passed"

step "4a. a private Postfix on 127.0.0.1:10225, smtp-sink on 10226"
PF=$work/postfix PF_SMTP_PORT=10225 PF_SINK_PORT=10226
PF_MILTER=unix:/var/spool/postfix/abuse-milter/abuse-milter.sock
. "$top/test/e2e/postfix.sh"
pf_setup
# its smtpd unchrooted: it reaches the packaged socket by its full path
sed -i "s|^127.0.0.1:$PF_SMTP_PORT inet n - y|127.0.0.1:$PF_SMTP_PORT inet n - n|" "$PF/etc/master.cf"
pf_start || die "private Postfix"

step "3. the unit's ExecStart, as the unit would run it"
unit=/lib/systemd/system/abuse-milter.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
user=$(sed -n 's/^User=//p' "$unit") group=$(sed -n 's/^Group=//p' "$unit")
echo "ExecStart=$exec_start (User=$user Group=$group)"
grep -qx 'Type=notify' "$unit" || die "the unit is not Type=notify"
# the admin's edits: replies through the private Postfix; the exit list
# the refresh keeps (first fetched from a local file, offline)
conf=/etc/abuse-milter/abuse-milter.conf
sed -i -e "s|^\( *\)sendmail = .*|\1sendmail = \"/usr/sbin/sendmail -C $PF/etc\"|" \
    -e 's|^exit_list = .*|exit_list = "/var/lib/abuse-milter/tor-exit-list"|' "$conf"
printf '# exits\n192.0.2.7\n198.51.100.20\n' > "$work/exits.txt"
chmod 0644 "$work/exits.txt"
runuser -u abuse-milter -- /usr/sbin/abuse-milter-exitlist --url "$work/exits.txt" \
    --pidfile none || die "abuse-milter-exitlist (first list)"
# RuntimeDirectory=abuse-milter
install -d -o "$user" -g "$group" -m 0755 /run/abuse-milter
# the notify socket, listened on by us: each datagram a line of its file
python3 - "$work/notify.sock" "$work/notify.log" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a") as log:
    while True:
        msg = s.recv(4096).decode().replace("\n", " ")
        log.write(msg + "\n"); log.flush()
        if msg.startswith("STOPPING=1"):
            break
PY
notify_pid=$!
i=0; while [ ! -S "$work/notify.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
: > "$work/notify.log"; chmod 0644 "$work/notify.log"
# User=, Group= with the user's groups (initgroups), NoNewPrivileges=,
# WorkingDirectory=/ (systemd's default), a clean environment
# shellcheck disable=SC2086
(cd / && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 NOTIFY_SOCKET="$work/notify.sock" \
    setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs \
    $exec_start) > "$work/journal.log" 2>&1 &
milter_pid=$!
i=0; while ! grep -q '^READY=1' "$work/notify.log" && [ $i -lt 200 ]; do
	kill -0 "$milter_pid" 2>/dev/null || break
	sleep 0.1; i=$((i + 1)); done
grep -q '^READY=1' "$work/notify.log" || { cat "$work/journal.log"; die "no READY=1"; }
echo "notify socket received: $(head -n 1 "$work/notify.log")"
grep -q "^READY=1 MAINPID=$milter_pid\$" "$work/notify.log" || die "READY=1 without our MAINPID"
ps -o user=,group=,supgrp=,args= -p "$milter_pid"
[ "$(ps -o user= -p "$milter_pid")" = abuse-milter ] || die "the milter does not run as abuse-milter"
stat -c '%U:%G %A %n' /var/spool/postfix/abuse-milter/abuse-milter.sock /run/abuse-milter/abuse-milter.pid

step "4b. one complaint through the private Postfix"
cat > "$work/complaint.eml" <<MAIL
From: Reporter <reporter@example.net>
To: abuse@example.org
Subject: SSH brute force from 192.0.2.7
Date: $(date -R)
Message-ID: <pkg-check.$$@example.net>

Hello,

we see SSH brute force attacks from 192.0.2.7 against our server
203.0.113.5 since 2026-02-01 10:00 UTC, about 400 login attempts.

Regards, the reporter
MAIL
pf_send "$work/complaint.eml" abuse@example.org || die "swaks"
pf_wait_sink 2 30 || { tail -n 20 "$PF/maillog"; cat "$work/journal.log"; die "the complaint and the reply did not both reach the sink"; }
tagged=$(pf_sink_grep '^X-Abuse-Category: ') || die "no tagged complaint"
grep -h '^X-Abuse-' $tagged
reply=$(pf_sink_grep '^Auto-Submitted: auto-replied') || die "no reply"
grep -h '^\(Subject\|To\|Auto-Submitted\):' $reply

step "5. abuse-milter-exitlist replaces the list and reloads the milter"
i=1; while [ $i -le 10 ]; do echo "198.51.100.$i"; i=$((i + 1)); done > "$work/exits2.txt"
chmod 0644 "$work/exits2.txt"
runuser -u abuse-milter -- /usr/sbin/abuse-milter-exitlist --url "file://$work/exits2.txt" ||
    die "abuse-milter-exitlist"
i=0; while [ "$(grep -c '^READY=1' "$work/notify.log")" -lt 2 ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1)); done
grep -q '^RELOADING=1 MONOTONIC_USEC=' "$work/notify.log" || die "no RELOADING=1"
[ "$(grep -c '^READY=1' "$work/notify.log")" = 2 ] || die "no READY=1 after the reload"
grep 'exit_list\|reloaded' "$work/journal.log"
grep -q 'exit_list /var/lib/abuse-milter/tor-exit-list: 10 entries' "$work/journal.log" ||
    die "the reload did not log the new list"

step "6. stop, purge"
kill -TERM "$milter_pid"	# systemctl stop
wait "$milter_pid" || die "the milter stopped with status $?"
milter_pid=
rmdir /run/abuse-milter	# systemd removes the RuntimeDirectory at stop
wait "$notify_pid" 2>/dev/null || true
notify_pid=
cat "$work/notify.log"
grep -q '^STOPPING=1' "$work/notify.log" || die "no STOPPING=1"
apt-get purge -y -q abuse-milter > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; die "purge"; }
grep -E '^(Removing|Purging)' "$work/purge.log"
if pgrep -u abuse-milter >/dev/null; then
	ps -f -u abuse-milter; die "a process of abuse-milter is still running"
fi
for f in /usr/sbin/abuse-milter /etc/abuse-milter /var/lib/abuse-milter \
    /var/spool/abuse-milter /var/spool/postfix/abuse-milter /run/abuse-milter/abuse-milter.pid; do
	[ ! -e "$f" ] || die "$f is still there after purge"
done
echo "purged: no process of abuse-milter runs, nothing of it is left (the user stays, as Debian leaves system users)"
echo "package-check.sh: passed"
