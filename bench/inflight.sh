#!/bin/bash
# inflight.sh - memory and end-of-message latency with many large
# complaints in flight at once (max_inflight).
#
#   bench/inflight.sh [CONNECTIONS] [MB] [MAX_INFLIGHT...]
#
# Defaults: 200 connections, a 4.7 MB complaint (a short text naming the
# reported address, then a base64 attachment of random bytes), and two
# runs: max_inflight = 256M (the default) and 100G (in effect no cap,
# as before max_inflight existed). Each run starts the milter in the
# foreground on a unix socket with the shipped rules (max_body 2M) and a
# sendmail stand-in that takes the mail and exits 0, then
# test/milter-flood.py opens all connections at once, each sends the
# complaint, and we sample VmRSS every 0.1 s. Prints per run: peak RSS
# (VmHWM), RSS after the flood, messages answered and tagged, end-of-
# message latency (median, max) and wall time.
set -u
. "$(dirname "$0")/common.sh"
CONNS=${1:-200}
MB=${2:-4.7}
shift 2 2>/dev/null
CAPS=("$@")
[ ${#CAPS[@]} -gt 0 ] || CAPS=(256M 100G)
bench_tmp inflight

# the complaint: headers, a text part with the evidence, a big attachment
python3 - "$BT/big.eml" "$MB" <<'EOF'
import base64, os, sys
path, mb = sys.argv[1], float(sys.argv[2])
raw = base64.encodebytes(os.urandom(int(mb * 1024 * 1024 * 3 / 4))).decode()
with open(path, "w") as f:
    f.write("From: SOC <soc@example.net>\nTo: abuse@example.org\n"
            "Subject: SSH brute force from 198.51.100.77\n"
            "Message-ID: <flood@example.net>\nDate: Tue, 08 Dec 2026 00:00:00 +0000\n"
            "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b1\n\n"
            "--b1\nContent-Type: text/plain\n\n"
            "Our sshd saw 4000 failed logins from 198.51.100.77 port 22 at "
            "2026-12-07 23:00:00 UTC. Full capture attached.\n\n"
            "--b1\nContent-Type: application/octet-stream; name=capture.pcap\n"
            "Content-Transfer-Encoding: base64\n\n" + raw + "--b1--\n")
EOF
size=$(stat -c %s "$BT/big.eml")
cat > "$BT/sendmail" <<'EOF'
#!/bin/sh
cat > /dev/null
exit 0
EOF
chmod +x "$BT/sendmail"

milter_pid=
bench_cleanup_hook() { bench_stop "$milter_pid"; }

bench_machine
echo "complaint: $size bytes, connections: $CONNS"
echo
echo "| max_inflight | peak RSS (VmHWM) MB | RSS after MB | answered | tagged | eom median s | eom max s | wall s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for cap in "${CAPS[@]}"; do
	rm -rf "$BT/state"
	bench_conf "$BT/bench.conf" "$BT/state" "unix:$BT/milter.sock" "$BT/sendmail"
	sed -i -e "s|^max_inflight = .*|max_inflight = $cap|" \
	    -e "s|^log_file = .*|log_file = $BT/milter-$cap.log|" "$BT/bench.conf"
	grep -q "^max_inflight = $cap" "$BT/bench.conf" || { echo "no max_inflight line"; exit 1; }
	"$ABUSE_MILTER" -f -c "$BT/bench.conf" 2>>"$BT/milter.err" &
	milter_pid=$!
	for _ in $(seq 100); do [ -S "$BT/milter.sock" ] && break; sleep 0.1; done
	peak=0
	( while kill -0 "$milter_pid" 2>/dev/null; do
		r=$(bench_rss "$milter_pid"); [ -n "$r" ] && echo "$r"; sleep 0.1
	  done ) > "$BT/rss-$cap.txt" &
	sampler=$!
	python3 "$top_srcdir/test/milter-flood.py" "unix:$BT/milter.sock" "$BT/big.eml" \
	    "$CONNS" > "$BT/flood-$cap.txt" 2>&1
	sleep 2
	after=$(bench_rss "$milter_pid")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$milter_pid/status")
	bench_stop "$milter_pid"; milter_pid=
	wait "$sampler" 2>/dev/null
	sum=$(grep '^summary:' "$BT/flood-$cap.txt")
	[ -n "$sum" ] || { cat "$BT/flood-$cap.txt" "$BT/milter.err"; exit 1; }
	msgs=$(sed -n 's/.*messages \([0-9]*\).*/\1/p' <<<"$sum")
	tagged=$(sed -n 's/.*tagged \([0-9]*\).*/\1/p' <<<"$sum")
	med=$(sed -n 's/.*median \([0-9.]*\) s.*/\1/p' <<<"$sum")
	max=$(sed -n 's/.*eom_latency_max \([0-9.]*\) s.*/\1/p' <<<"$sum")
	wall=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' <<<"$sum")
	cuts=$(grep -c 'max_inflight (' "$BT/milter-$cap.log")
	printf '| %s | %d | %d | %s | %s | %s | %s | %s |\n' "$cap" \
	    $((hwm / 1024)) $((after / 1024)) "$msgs" "$tagged" "$med" "$max" "$wall"
	echo "  ($cap: $cuts messages cut by max_inflight; $sum)" >&2
done
