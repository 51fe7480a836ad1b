#!/bin/sh
# Fake sendmail for tests: the first argument is a file prefix; the first
# three calls fail with EX_TEMPFAIL, later ones append the message to
# PREFIX.delivered and succeed. PREFIX.count counts the calls.
n=$(cat "$1.count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$1.count"
if [ "$n" -le 3 ]; then
	cat > /dev/null
	echo "fake sendmail: try again later ($n)" >&2
	exit 75
fi
cat >> "$1.delivered"
exit 0
