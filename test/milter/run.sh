#!/bin/sh
# run.sh - the miltertest protocol tests: each *.lua script starts the
# built filter on a private unix socket and drives the milter protocol.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${MILTERTEST:=miltertest}"
. "$top_srcdir/test/testconf.sh"
cd "$top_srcdir" || exit 1	# the shipped rules' relative paths (etc/abuse-milter.d)

if ! command -v "$MILTERTEST" >/dev/null 2>&1; then
	echo "miltertest not installed (Debian package miltertest)"; exit 77
fi
tmp=$top_builddir/test/milter/tmp
rm -rf "$tmp"; mkdir -p "$tmp"
export ABUSE_MILTER="$top_builddir/milter/abuse-milter"
export ABUSE_TMP="$tmp"
export ABUSE_SOCK="unix:$tmp/milter.sock"
export ABUSE_LIBDIR="$top_srcdir/test/milter"
export ABUSE_CONF="$tmp/test.conf"
export ABUSE_ROUTE_CONF="$tmp/route.conf"
make_conf "$ABUSE_CONF" "$tmp/state" "$ABUSE_SOCK" \
    "$top_srcdir/test/milter/fake-sendmail.sh $tmp/sent"
# route.conf: the shipped top half plus categories that route, copy, hold
conf_top "$ABUSE_CONF" > "$ABUSE_ROUTE_CONF"
cat "$top_srcdir/test/milter/route-categories.conf" >> "$ABUSE_ROUTE_CONF"
export TOP_SRCDIR="$top_srcdir"
export ABUSE_RELOAD_CONF="$tmp/reload.conf"
cp "$ABUSE_ROUTE_CONF" "$ABUSE_RELOAD_CONF"
# route.lua reads what the milter logged about each reroute
sed -i "s|^log_file = .*|log_file = $tmp/route.log|" "$ABUSE_ROUTE_CONF"
# inflight*.lua: a 64 KB budget for all messages in flight
export ABUSE_INFLIGHT_CONF="$tmp/inflight.conf" ABUSE_INFLIGHT_TF_CONF="$tmp/inflight-tf.conf"
sed -e 's|^max_inflight = .*|max_inflight = 64K|' \
    -e "s|^log_file = .*|log_file = $tmp/inflight.log|" "$ABUSE_CONF" > "$ABUSE_INFLIGHT_CONF"
sed -e 's|^on_error = .*|on_error = tempfail|' "$ABUSE_INFLIGHT_CONF" > "$ABUSE_INFLIGHT_TF_CONF"
grep -q '^max_inflight = 64K' "$ABUSE_INFLIGHT_CONF" || { echo "no max_inflight line"; exit 1; }
# noqid.lua: the same categories, a log of its own
export ABUSE_NOQID_CONF="$tmp/noqid.conf"
sed "s|^log_file = .*|log_file = $tmp/noqid.log|" "$ABUSE_ROUTE_CONF" > "$ABUSE_NOQID_CONF"
# the labelled corpora: ours, and the shared real samples when present
export ABUSE_CORPUS_LIST="$tmp/corpus.list"
: > "$ABUSE_CORPUS_LIST"
for dir in "$top_srcdir/test/corpus" \
    "${ABUSE_REAL_CORPUS:-$top_srcdir/../shared/corpus/real}"; do
	[ -f "$dir/LABELS.tsv" ] || continue
	# path, category, and the reply column where there is one
	awk -F '\t' -v d="$dir" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "reply") r = i }
	    NR > 1 && $1 ~ /\.eml$/ { print d "/" $1 "\t" $2 "\t" (r ? $r : "") }' \
	    "$dir/LABELS.tsv" >> "$ABUSE_CORPUS_LIST"
	[ "$dir" = "$top_srcdir/../shared/corpus/real" ] && break
done

pass=0 fail=0
for t in "$top_srcdir"/test/milter/*.lua; do
	name=$(basename "$t" .lua)
	[ "$name" = lib ] && continue
	if "$MILTERTEST" -s "$t" > "$tmp/$name.out" 2>&1; then
		pass=$((pass + 1)); echo "PASS: milter/$name"
	else
		fail=$((fail + 1)); echo "FAIL: milter/$name"; cat "$tmp/$name.out"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
