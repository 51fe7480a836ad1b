#!/bin/sh
# flaky-sendmail.sh STATEFILE FAILS HANG REAL-SENDMAIL [ARGS...] - a test
# stand-in that fails (exit 75, EX_TEMPFAIL) its first FAILS calls, hangs
# on its first call when HANG is "hang", then hands over to the real one.
state=$1 fails=$2 hang=$3; shift 3
n=$(cat "$state" 2>/dev/null || echo 0)
echo $((n + 1)) > "$state"
if [ "$hang" = hang ] && [ "$n" = 0 ]; then
	exec sleep 300
fi
if [ "$n" -lt "$fails" ]; then
	cat > /dev/null
	exit 75
fi
exec "$@"
