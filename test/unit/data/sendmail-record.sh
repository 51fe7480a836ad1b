#!/bin/sh
# Fake sendmail for tests: the first argument (a fixed argument in the
# config) is a file prefix; the rest of argv, the message on stdin, the
# open descriptors and the signal state are written next to it.
# The signal state is read first and with shell builtins only: while
# the shell forks a command it blocks every signal for a moment.
out=$1
shift
while read -r key value; do
	case $key in
	SigBlk:|SigIgn:) printf '%s\t%s\n' "$key" "$value" ;;
	esac
done < /proc/$$/status > "$out.sig"
printf '%s\n' "$@" > "$out.argv"
cat > "$out.msg"
ls /proc/self/fd > "$out.fds"
exit 0
