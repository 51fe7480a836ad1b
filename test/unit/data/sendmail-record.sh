#!/bin/sh
# Fake sendmail for tests: the first argument (a fixed argument in the
# config) is a file prefix; the rest of argv, the message on stdin, the
# open descriptors and the signal state are written next to it.
out=$1
shift
printf '%s\n' "$@" > "$out.argv"
cat > "$out.msg"
ls /proc/self/fd > "$out.fds"
grep -E '^Sig(Blk|Ign):' /proc/$$/status > "$out.sig"
exit 0
