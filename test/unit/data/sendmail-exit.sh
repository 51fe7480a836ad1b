#!/bin/sh
# Fake sendmail for tests: reads the message, says something on stderr
# and exits with the status given as its first (fixed) argument.
cat > /dev/null
echo "fake sendmail: exiting with $1" >&2
exit "$1"
