#!/bin/sh
# Fake sendmail for tests: writes the pid of a child that sleeps to the
# file named by its first argument, then waits for it: only a kill of
# the whole process group ends both.
sleep 300 &
echo $! > "$1"
wait
