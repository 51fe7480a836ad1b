#!/bin/sh
# run.sh - the Redis tests against a real redis-server, started here on a
# unix socket in a private directory (no TCP port: --port 0), without
# persistence, and stopped at the end: the unit tests of the Redis state
# (test_redis_state, test_redis_learned, test_redis_report (the fleet's
# --report against the SQLite one), test_migrate_cli; Sentinel
# too, when redis-server can be one), the command line (cli.sh), --learn,
# --learn-stats and --report across two hosts (learn.sh), and two
# milters sharing the server, which is stopped and started again
# (fleet.sh). 77
# (skipped) when redis-server is not installed (Debian package
# redis-server).
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
REDIS_SERVER=$(command -v redis-server || echo /usr/bin/redis-server)
test -x "$REDIS_SERVER" || { echo "no redis-server: skipped"; exit 77; }
tmp=$(mktemp -d /tmp/abuse-redis.XXXXXX) || exit 1
pid=
cleanup() {
	test -n "$pid" && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	# fleet.sh restarts the server: the pid file has the latest
	test -f "$tmp/redis.pid" && kill "$(cat "$tmp/redis.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$REDIS_SERVER" --port 0 --unixsocket "$tmp/redis.sock" --save '' \
	--appendonly no --loglevel warning --dir "$tmp" >"$tmp/redis.log" 2>&1 &
pid=$!
echo "$pid" > "$tmp/redis.pid"
i=0
while ! test -S "$tmp/redis.sock"; do
	i=$((i + 1))
	test $i -gt 100 && { echo "redis-server did not start:";
		cat "$tmp/redis.log"; exit 1; }
	sleep 0.05
done
export REDIS_SERVER REDIS_SOCK="$tmp/redis.sock" REDIS_TMP="$tmp"

status=0
for t in ledger/test_redis_state ledger/test_redis_learned \
    ledger/test_redis_report cli/test_migrate_cli; do
	echo "== $t"
	"$top_builddir/test/unit/$t" || { echo "FAIL: $t"; status=1; }
done
echo "== command line"
sh "$here/cli.sh" || status=1
echo "== learning and reports across hosts"
sh "$here/learn.sh" || status=1
echo "== two milters on one Redis"
sh "$here/fleet.sh" || status=1
exit $status
