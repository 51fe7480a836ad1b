#!/bin/bash
# demo.sh - the main job, on a fresh Debian 12 machine as root: install
# the packages, build, start a private Postfix on loopback (smtpd on
# 127.0.0.1:10035 with abuse-milter as smtpd_milters, relaying to an
# smtp-sink that keeps every message), feed it the sample complaints and
# show what each one got: category, rule, reported IPs, case id, reply.
# Everything lives in ./demo/; nothing outside it is changed except the
# alternate_config_directories line of /etc/postfix/main.cf.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH=$PATH:/usr/sbin:/sbin
sh contrib/install-deps.sh >/dev/null
if [ ! -x milter/abuse-milter ]; then
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1
	[ -f Makefile ] || ./configure --quiet
	make -j2 >/dev/null
fi
top_srcdir=$top
. test/testconf.sh
demo=$top/demo
PF=$demo/postfix PF_SMTP_PORT=10035 PF_SINK_PORT=10036
MILTER_PORT=10037 PF_MILTER="inet:127.0.0.1:$MILTER_PORT"
. test/e2e/postfix.sh
rm -rf "$demo"; mkdir -p "$demo"
pf_setup
make_conf "$demo/abuse-milter.conf" "$demo/state" \
    "inet:$MILTER_PORT@127.0.0.1" "$(pf_sendmail)"
sed -i 's/^log_level = .*/log_level = info/' "$demo/abuse-milter.conf"
pf_start
milter/abuse-milter -f -c "$demo/abuse-milter.conf" >"$demo/milter.log" 2>&1 &
milter=$!
trap 'kill $milter 2>/dev/null; wait $milter 2>/dev/null; pf_stop' EXIT
pf_wait_port "$MILTER_PORT"

# the samples: ours, and the shared real ones when they are beside us
samples=$(ls test/corpus/*.eml 2>/dev/null || true)
for d in "${ABUSE_REAL_CORPUS:-$top/../shared/corpus/real}"; do
	[ -d "$d" ] && { samples="$samples $(ls "$d"/*.eml)"; break; }
done
n=0
for f in $samples; do
	from=$(sed -n 's/^Return-Path: *<\([^>]*\)>.*/\1/Ip' "$f" | head -n 1)
	swaks --silent 2 --server 127.0.0.1 --port "$PF_SMTP_PORT" \
	    --from "${from:-reporter@example.net}" --to abuse@example.org \
	    --data "@$f" --add-header "X-Demo-File: $(basename "$f")" \
	    --helo demo.example.net >/dev/null 2>&1 || echo "not accepted: $f"
	n=$((n + 1))
done
echo "fed $n complaints to Postfix on 127.0.0.1:$PF_SMTP_PORT; waiting for delivery and replies..."
pf_wait_sink "$n" 60 || true
sleep 5

printf '%-42s %-15s %-22s %-24s %-14s %s\n' FILE CATEGORY RULE SOURCE-IP CASE-ID REPLY
for m in "$PF"/sink/*; do
	file=$(sed -n 's/^X-Demo-File: //p' "$m" | head -n 1)
	[ -n "$file" ] || continue
	h() { sed -n "s/^X-Abuse-$1: //p" "$m" | head -n 1 | cut -c1-"$2"; }
	printf '%-42s %-15s %-22s %-24s %-14s %s\n' "$(echo "$file" | cut -c1-42)" \
	    "$(h Category 15)" "$(h Rule 22)" "$(h Source-IP 24)" "$(h Case-ID 14)" "$(h Reply 40)"
done | sort
replies=$(grep -l '^X-Loop: abuse@example.org' "$PF"/sink/* 2>/dev/null | grep -c . || true)
echo
echo "$replies autoreplies were submitted through Postfix's sendmail and reached the sink."
echo "Messages as received: $PF/sink/   milter log: $demo/milter.log   Postfix log: $PF/maillog"
echo "Ledger: milter/abuse-milter -c $demo/abuse-milter.conf --report"
milter/abuse-milter -c "$demo/abuse-milter.conf" --report 2>/dev/null | head -n 40 || true
