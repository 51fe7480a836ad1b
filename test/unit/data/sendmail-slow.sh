#!/bin/sh
# Fake sendmail for tests: reads the message, then takes as many seconds
# as its first (fixed) argument says before it exits 0, like Sendmail's
# sendmail sleeping on a host name without a domain.
cat > /dev/null
sleep "$1"
exit 0
