#!/bin/sh
# contrib/fuzz/smoke.sh [SECONDS] - build every libFuzzer harness and run
# each for a few seconds (default 5) over the seed corpus, with a fixed
# seed so that a run is repeatable. A smoke test for CI: it catches a
# harness that no longer builds and a crash the seeds reach quickly; the
# long runs that find new bugs are described in README.md. Exit status 1
# when a harness fails to build or finds a crash (its input is left in
# contrib/fuzz/bin/smoke/).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${1:-5}
cd "$top"	# fuzz_reply and fuzz_complaint read etc/abuse-milter.conf
sh "$here/build.sh"
seeds="$here/bin/smoke/seeds"
rm -rf "$here/bin/smoke"
mkdir -p "$seeds"
sh "$here/seeds.sh" "$seeds" >/dev/null
status=0
for h in "$here"/bin/fuzz_*; do
	name=$(basename "$h")
	work="$here/bin/smoke/$name"
	mkdir -p "$work"
	if "$h" -seed=1 -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix="$work/" "$work" "$seeds" \
	    > "$work.log" 2>&1; then
		echo "fuzz smoke: $name: $(grep -o 'Done [0-9]* runs' "$work.log")"
	else
		echo "fuzz smoke: $name FAILED"; tail -n 20 "$work.log"
		status=1
	fi
done
exit $status
