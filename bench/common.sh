# common.sh - sourced by the bench/*.sh scripts: where things are, the
# machine description for RESULTS.md, a benchmark configuration derived
# from the shipped etc/abuse-milter.conf, and a private temp directory
# removed on exit.
#
# Environment (all optional):
#   top_srcdir    source tree (default: the parent of bench/)
#   ABUSE_MILTER  the binary to measure (default: $top_srcdir/milter/abuse-milter)
#   BENCH_KEEP=1  keep the temp directory for a post-mortem

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(dirname "$bench_dir")}"
: "${ABUSE_MILTER:=$top_srcdir/milter/abuse-milter}"
export PATH=$PATH:/usr/sbin:/sbin
. "$top_srcdir/test/testconf.sh"

[ -x "$ABUSE_MILTER" ] || {
	echo "no binary at $ABUSE_MILTER (build first, or set ABUSE_MILTER)" >&2
	exit 1
}

# the real complaints shipped beside the project, and our own test corpus
bench_corpus_dirs() {
	for d in "${ABUSE_REAL_CORPUS:-$top_srcdir/../shared/corpus/real}" \
	    "$top_srcdir/test/corpus"; do
		ls "$d"/*.eml >/dev/null 2>&1 && echo "$d"
	done | awk '!seen[$0]++'
}

# bench_tmp NAME - make $BT, a private directory readable by postfix
# (it must reach a unix socket inside), removed at exit
bench_tmp() {
	BT=$(mktemp -d "/tmp/bench-$1.XXXXXX")
	chmod 755 "$BT"
	trap bench_exit EXIT
	trap 'exit 130' INT TERM
}

# bench_cleanup_hook - scripts redefine this to stop what they started
bench_cleanup_hook() { :; }

bench_exit() {
	bench_cleanup_hook
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $BT"; else rm -rf "$BT"; fi
}

# bench_machine - one line per fact, for RESULTS.md
bench_machine() {
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "nproc: $(nproc)"
	echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "ram: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "debian: $(cat /etc/debian_version 2>/dev/null)"
	echo "postfix: $(postconf -d -h mail_version 2>/dev/null || echo none)"
	echo "binary: $(basename "$ABUSE_MILTER") ($(stat -c %s "$ABUSE_MILTER") bytes, built $(date -u -r "$ABUSE_MILTER" '+%H:%M UTC'))"
	# a copied tree may carry .bench-commit: the commit it was copied from
	if [ -f "$top_srcdir/.bench-commit" ]; then
		echo "commit: $(cut -c1-72 "$top_srcdir/.bench-commit")"
	else
		echo "commit: $(git -C "$top_srcdir" log -1 --format='%h %s' 2>/dev/null | cut -c1-72)"
	fi
}

# bench_conf OUT DIR SOCKET SENDMAIL - the shipped configuration with
# private paths, log_level info, no rate limit, a world-writable socket,
# and not_ours = send: the real complaints report addresses outside the
# shipped our_networks, and without it every one would be suppressed
# ("not our address") and no reply job written
bench_conf() {
	make_conf "$1" "$2" "$3" "$4"
	sed -i -e 's|^log_level = .*|log_level = info|' \
	    -e 's|^umask = .*|umask = 000|' \
	    -e 's|^\( *\)not_ours = .*|\1not_ours = send|' \
	    -e 's|^\( *\)rate_limit = .*|\1rate_limit = "0"|' "$1"
}

# bench_rss PID - VmRSS in kB
bench_rss() {
	awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# bench_wait_gone PID SECONDS - until PID has exited (0) or time is up (1)
bench_wait_gone() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		[ $i -ge $(( $2 * 10 )) ] && return 1
		sleep 0.1; i=$((i + 1))
	done
	return 0
}

# bench_stop PID - SIGTERM, then SIGKILL after 15 s
bench_stop() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	bench_wait_gone "$1" 15 || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}
