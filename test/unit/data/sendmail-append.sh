#!/bin/sh
# Fake sendmail for tests: appends the message to the file named by its
# first argument and succeeds. Safe for concurrent calls: each message is
# small and lands with one O_APPEND write.
cat >> "$1"
exit 0
