# pf.sh - sourced after common.sh by the benchmarks that go through
# Postfix: a private instance on 127.0.0.1 (test/e2e/postfix.sh) that
# discards everything it accepts, the filter under test, smtp-source.
#
#   pfb_up                  set up and start Postfix (needs $BT)
#   pfb_milter SOCKET       point smtpd_milters at SOCKET ("" = none);
#                           a unix: filter listens on unix:$PFB_SOCK,
#                           which Postfix calls $PFB_PF_UNIX
#   pfb_start KIND SOCKET [CONF]  start abuse-milter (KIND abuse, fresh
#                           state dir) or the null filter (KIND null)
#   pfb_stop                stop it
#   pfb_send KIND N [FILE]  smtp-source -s 10 -m N; prints seconds
#   pfb_cpu                 CPU ticks of the running filter and its
#                           reaped children (the sendmail stand-ins)
# The instance is private (config_directory $PF/etc under $BT); the one
# line Postfix needs in the system's /etc/postfix/main.cf, our directory
# in alternate_config_directories (pf_register), is taken out again at
# exit (pfb_unregister), and nothing else there is touched.
# BENCH_NODELAY=1 runs abuse-milter with the LD_PRELOAD shim nodelay.c
# (TCP_NODELAY on accepted sockets): an experiment, not the product.
# Ports: $BENCH_SMTP_PORT (default 10125) and the two above it.

if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null || ! command -v smtp-source >/dev/null; then
	echo "SKIP: needs root, postfix and smtp-source"; exit 77
fi
PF=$BT/postfix
PF_SMTP_PORT=${BENCH_SMTP_PORT:-10125} PF_SINK_PORT=$((PF_SMTP_PORT + 1))
MILTER_PORT=$((PF_SMTP_PORT + 2))
PF_MILTER=
# a filter Postfix cannot reach must show as errors, not as mail that
# went through unfiltered at full speed
PF_MILTER_DEFAULT=tempfail
. "$top_srcdir/test/e2e/postfix.sh"
# smtpd is chrooted into $PF/queue (test/e2e/postfix.sh): a unix: socket
# must be inside the jail, and Postfix names it relative to the jail
PFB_SOCK=$PF/queue/abuse-milter/milter.sock
PFB_PF_UNIX=unix:abuse-milter/milter.sock
: "${BENCH_COMPLAINT:=$(bench_corpus_dirs | head -n 1)/abuseio-abusehub-1.eml}"
milter_pid=
bench_cleanup_hook() {
	pfb_stop
	pf_stop
	pfb_unregister
}

# pfb_unregister - take $PF/etc out of alternate_config_directories of
# the system's main.cf again (only our entry: others are other runs')
pfb_unregister() {
	local cur new
	cur=$(postconf -h -c /etc/postfix alternate_config_directories 2>/dev/null) || return 0
	new=$(echo "$cur" | tr ', ' '\n\n' | grep -v -x -F "$PF/etc" | grep -v '^$' | paste -sd' ')
	[ "$new" = "$(echo "$cur" | tr ', ' '\n\n' | grep -v '^$' | paste -sd' ')" ] && return 0
	if [ -n "$new" ]; then
		postconf -c /etc/postfix -e "alternate_config_directories = $new"
	else
		postconf -c /etc/postfix -X alternate_config_directories
	fi
}

pfb_up() {
	pf_setup || return 1
	pf_milter_dir "$(id -un)"
	postconf -c "$PF/etc" -e "default_transport = discard" \
	    "relay_transport = discard" "relayhost =" "smtpd_milters =" \
	    "alias_maps =" "alias_database =" "local_recipient_maps ="
	pf_start
}

pfb_milter() {
	postconf -c "$PF/etc" -e "smtpd_milters = $1"
	postfix -c "$PF/etc" reload >/dev/null 2>&1
	sleep 1
}

pfb_start() {
	local kind=$1 spec=$2 conf=${3:-$BT/bench.conf} i=0
	if [ "$kind" = abuse ]; then
		rm -rf "$BT/state"
		local pre=
		if [ "${BENCH_NODELAY:-0}" = 1 ]; then
			pre=$BT/nodelay.so
			[ -f "$pre" ] || cc -O2 -shared -fPIC -o "$pre" \
			    "$bench_dir/nodelay.c" -ldl || return 1
		fi
		LD_PRELOAD=$pre "$ABUSE_MILTER" -f -c "$conf" -p "$spec" \
		    >>"$BT/milter.log" 2>&1 &
	else
		[ -x "$BT/nullfilter" ] || cc -O2 -o "$BT/nullfilter" \
		    "$bench_dir/nullfilter.c" -lmilter -lpthread || return 1
		(umask 000; exec "$BT/nullfilter" "$spec") >>"$BT/null.log" 2>&1 &
	fi
	milter_pid=$!
	case $spec in
	unix:*)	while [ ! -S "${spec#unix:}" ] && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done ;;
	inet:*)	pf_wait_port "$MILTER_PORT" >/dev/null ;;
	esac
	sleep 0.2
	kill -0 "$milter_pid" 2>/dev/null
}

pfb_stop() {
	bench_stop "$milter_pid"; milter_pid=
	rm -f "$PFB_SOCK"
}

pfb_send() {
	local t0 t1 args
	if [ "$1" = complaint ]; then
		args=(-F "${3:-$BENCH_COMPLAINT}" -f reporter@example.net -t abuse@example.org)
	else
		args=(-l 4096 -f friend@example.net -t bob@example.net)
	fi
	t0=$(date +%s.%N)
	smtp-source -s 10 -m "$2" "${args[@]}" "127.0.0.1:$PF_SMTP_PORT" 2>>"$BT/source.err"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

pfb_cpu() {
	[ -n "$milter_pid" ] || { echo 0; return; }
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$milter_pid/stat"
}

# pfb_spooled - reply jobs waiting in the spool
pfb_spooled() {
	ls "$BT/state/spool" 2>/dev/null | grep -c '^q\.'
}

# pfb_stand_in NAME BODY - a sendmail stand-in script $BT/NAME
pfb_stand_in() {
	printf '#!/bin/sh\n%s\n' "$2" > "$BT/$1"
	chmod 755 "$BT/$1"
}
