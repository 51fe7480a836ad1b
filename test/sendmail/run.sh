#!/bin/sh
# run.sh - the Sendmail setup of README.md, checked against Sendmail's
# own programs and m4 files:
#  1. a reply submitted through Sendmail's submission program the way
#     milter/reply/submit.c runs it (sendmail -i -f <> -- RECIPIENT), by
#     a user made trusted with the line of contrib/submit.mc in Debian's
#     submit.mc, reaches the MTA without X-Authentication-Warning;
#  2. the control: without that line the same reply carries "USER set
#     sender to <> using -f" (so 1 can fail);
#  3. the lines of contrib/sendmail.mc in Debian's sendmail.mc make a
#     sendmail.cf with the filter, no F= flag, the macro list and the
#     trusted user.
#
# Sendmail cannot be installed beside Postfix (the packages conflict),
# so its Debian packages are fetched with apt-get download into a cache
# (fetch.sh; $ABUSE_DEB_CACHE, by default test/sendmail/debs in the
# build tree)
# and unpacked into a scratch directory. The submission program relays
# to smtp-sink (Postfix's) on a free loopback port, which keeps what it
# gets. Skips (77) only when the packages cannot be had.
#
# Test plumbing, none of it part of the documented setup:
#  - the submission runs as a user who is not root (root is always
#    trusted): the caller, or nobody when the caller is root;
#  - sendmail reads the test's submit.cf through -C, which makes it add
#    "X-Authentication-Warning: HOST: USER with -C FILE" for any user
#    but root, trusted or not; that one line is discounted (the
#    installed sendmail reads /etc/mail/submit.cf without -C);
#  - a private queue, pid and status file, the relay's port, RunAsUser
#    and TrustedUser set to the test's user (TrustedUser is not the
#    class of trusted users: the control shows it does not silence the
#    warning);
#  - Sendmail looks up its host name before it reads any configuration
#    and sleeps 60 s when the name has no domain: a small preloaded
#    library gives it a qualified one (gethostname).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
cache=${ABUSE_DEB_CACHE:-$top_builddir/test/sendmail/debs}
rcpt=reporter@example.net
tmp= sink_pid=

cleanup() {
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
skip() { echo "SKIP: $*"; exit 77; }
fail=0
check() {	# check CONDITION-STATUS WHAT
	if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi
}

for p in m4 dpkg-deb smtp-sink "${CC:-cc}"; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
sh "$top_srcdir/test/sendmail/fetch.sh" "$cache" || skip "cannot download sendmail-bin and sendmail-cf (apt-get download; $cache/apt.log)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abuse-sendmail.XXXXXX") || exit 1
chmod 755 "$tmp"
for d in "$cache"/*.deb; do
	dpkg-deb -x "$d" "$tmp/root" || skip "cannot unpack $d"
done
sm=$(find "$tmp/root" -type f -name sendmail \
    \( -path '*/libexec/sendmail/*' -o -path '*/sm.bin/*' \) | head -n 1)
[ -n "$sm" ] || skip "no sendmail binary in the packages"
chmod g-s "$sm"		# no set-group-id: our queue, our libraries
libdirs=$(find "$tmp/root" -name '*.so.*' -exec dirname {} \; | sort -u |
    tr '\n' ':')
export LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:-}"
missing=$(ldd "$sm" 2>/dev/null | grep 'not found')
[ -z "$missing" ] || skip "libraries missing for sendmail: $missing"

# the m4 files, with their absolute paths pointed into the scratch tree
cf=$tmp/cf
cp -r "$tmp/root/usr/share/sendmail/cf" "$cf"
grep -rl /usr/share/sendmail/cf/ "$cf" | xargs sed -i "s|/usr/share/sendmail/cf/|$cf/|g"

# the submitting user: not root
if [ "$(id -u)" = 0 ]; then
	user=nobody group=$(id -gn nobody)
	as_user() { setpriv --reuid="$user" --regid="$group" --clear-groups "$@"; }
else
	user=$(id -un) group=$(id -gn)
	as_user() { "$@"; }
fi

# the host name shim
cat > "$tmp/hostname.c" <<'EOF'
#include <string.h>
int
gethostname(char *name, size_t len)
{
	static const char h[] = "sendmail-test.example.org";

	if (len < sizeof(h))
		return -1;
	memcpy(name, h, sizeof(h));
	return 0;
}
EOF
"${CC:-cc}" -shared -fPIC -o "$tmp/hostname.so" "$tmp/hostname.c" ||
    { echo "cannot build the host name shim"; exit 1; }

# smtp-sink on a free port: one that binds and stays up
mkdir -p "$tmp/sink" "$tmp/queue"
[ "$(id -u)" = 0 ] && chown "$user:$group" "$tmp/sink" "$tmp/queue"
chmod 700 "$tmp/queue"
sink_user=
[ "$(id -u)" = 0 ] && sink_user="-u $user"
for port in 10541 10542 10543 10544 10545 10546 10547 10548 10549; do
	smtp-sink $sink_user -d "$tmp/sink/%H%M%S." "127.0.0.1:$port" 10 \
	    > "$tmp/sink.log" 2>&1 &
	sink_pid=$!
	sleep 0.3
	kill -0 "$sink_pid" 2>/dev/null && break
	sink_pid=
done
[ -n "$sink_pid" ] || { echo "smtp-sink would not start"; cat "$tmp/sink.log"; exit 1; }

# submit_cf NAME WITH_DOC - Debian's submit.mc with the test plumbing,
# and the lines of contrib/submit.mc (for $user) when WITH_DOC is yes,
# before FEATURE(`msp', ...), to $tmp/NAME.cf
submit_cf() {
	{
		sed -n "1,/^FEATURE(\`msp'/{/^FEATURE(\`msp'/!p}" \
		    "$cf/debian/submit.mc"
		cat <<EOF
dnl test plumbing
define(\`MSP_QUEUE_DIR', \`$tmp/queue')dnl
define(\`STATUS_FILE', \`$tmp/queue/sm-client.st')dnl
define(\`confPID_FILE', \`$tmp/queue/sm-client.pid')dnl
define(\`confRUN_AS_USER', \`$user:$group')dnl
define(\`confTRUSTED_USER', \`$user')dnl
define(\`RELAY_MAILER_ARGS', \`TCP \$h $port')dnl
EOF
		[ "$2" = yes ] && grep -v '^dnl' \
		    "$top_srcdir/contrib/submit.mc" | sed "s/abuse-milter/$user/"
		sed -n "/^FEATURE(\`msp'/,\$p" "$cf/debian/submit.mc"
	} > "$tmp/$1.mc"
	m4 "$tmp/$1.mc" > "$tmp/$1.cf" 2> "$tmp/$1.m4err" ||
	    { echo "m4 failed on $1.mc:"; cat "$tmp/$1.m4err"; exit 1; }
}

# submit NAME - one reply through sendmail as submit.c runs it; prints
# the message smtp-sink got
submit() {
	rm -f "$tmp"/sink/*
	printf 'From: Abuse Desk <abuse@example.org>\nTo: %s\nSubject: Re: complaint\nAuto-Submitted: auto-replied\n\nThank you.\n' \
	    "$rcpt" > "$tmp/reply.txt"
	chmod 644 "$tmp/reply.txt" "$tmp/$1.cf"
	as_user env LD_PRELOAD="$tmp/hostname.so" \
	    "$sm" -C "$tmp/$1.cf" -i -f '<>' -- "$rcpt" \
	    < "$tmp/reply.txt" > "$tmp/$1.out" 2>&1
	echo "sendmail exit $?" >> "$tmp/$1.out"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ls "$tmp"/sink/* >/dev/null 2>&1 && break
		sleep 0.5
	done
	cat "$tmp"/sink/* 2>/dev/null > "$tmp/$1.got"
}

# warnings FILE - X-Authentication-Warning lines but the one -C causes
warnings() {
	grep '^X-Authentication-Warning:' "$1" |
	    grep -v ": Processed by $user with -C $tmp/.*\.cf\$"
}

submit_cf documented yes
submit documented
grep -q "^T$user\$" "$tmp/documented.cf"
check $? "submit.cf: $user in the class of trusted users"
grep -q '^sendmail exit 0$' "$tmp/documented.out"
check $? "documented setup: sendmail took the reply ($(tail -n 1 "$tmp/documented.out"))"
grep -q '^X-Mail-Args: <>' "$tmp/documented.got"
check $? "documented setup: the reply has the null envelope sender"
grep -q '^Subject: Re: complaint' "$tmp/documented.got"
check $? "documented setup: the reply arrived"
[ -z "$(warnings "$tmp/documented.got")" ]
check $? "documented setup: no X-Authentication-Warning"
warnings "$tmp/documented.got"

submit_cf control no
submit control
grep -q '^Subject: Re: complaint' "$tmp/control.got"
check $? "without the trusted user: the reply arrived"
warnings "$tmp/control.got" | grep -q ": $user set sender to <> using -f\$"
check $? "without the trusted user: X-Authentication-Warning ... set sender to <> using -f"

# 3. the MTA side: Debian's sendmail.mc with contrib/sendmail.mc before
# MAILER_DEFINITIONS (its includes of /etc/mail/m4 files dropped)
{
	sed -n '1,/^MAILER_DEFINITIONS/{/^MAILER_DEFINITIONS/!p}' \
	    "$cf/debian/sendmail.mc" | grep -v "^include(\`/etc/mail/m4/"
	cat "$top_srcdir/contrib/sendmail.mc"
	sed -n '/^MAILER_DEFINITIONS/,$p' "$cf/debian/sendmail.mc"
} > "$tmp/sendmail.mc"
m4 "$tmp/sendmail.mc" > "$tmp/sendmail.cf" 2> "$tmp/sendmail.m4err"
check $? "sendmail.mc with contrib/sendmail.mc: m4 builds sendmail.cf"
grep -q '^Xabuse-milter, S=local:/run/abuse-milter/abuse-milter.sock, T=C:30s;S:30s;R:60s;E:5m$' "$tmp/sendmail.cf"
check $? "sendmail.cf: the filter, without F="
grep -q '^O InputMailFilters=abuse-milter$' "$tmp/sendmail.cf"
check $? "sendmail.cf: the filter is used"
grep -q '^O Milter.macros.envfrom=i, {auth_type}, {auth_authen}, {auth_ssf}, {auth_author}, {mail_mailer}, {mail_host}, {mail_addr}$' "$tmp/sendmail.cf"
check $? "sendmail.cf: macro i with MAIL FROM"
grep -q '^Tabuse-milter$' "$tmp/sendmail.cf"
check $? "sendmail.cf: abuse-milter a trusted user"

if [ "$fail" != 0 ]; then
	for f in documented control; do
		echo "===== $f: sendmail said"; cat "$tmp/$f.out"
		echo "===== $f: smtp-sink got"; cat "$tmp/$f.got"
	done
	grep '^X\|^O Milter\|^O Input' "$tmp/sendmail.cf"; cat "$tmp/sendmail.m4err"
fi
exit $fail
