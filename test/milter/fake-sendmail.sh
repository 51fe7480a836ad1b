#!/bin/sh
# fake-sendmail.sh DIR [sendmail args...] - test stand-in for sendmail:
# saves its arguments and the message to DIR/N.args and DIR/N.msg.
dir=$1; shift
mkdir -p "$dir"
n=$(ls "$dir" | grep -c '\.msg$')
printf '%s\n' "$@" > "$dir/$n.args"
cat > "$dir/$n.msg"
