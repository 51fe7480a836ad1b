#!/bin/sh
# check.sh - the whole test suite from a fresh checkout: install the
# Debian packages, build from scratch, run `make check` (unit tests,
# miltertest protocol tests, end-to-end tests against a private Postfix,
# corpus tests). Run as root from anywhere; exits non-zero on failure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh contrib/install-deps.sh
autoreconf -fi
./configure --quiet
make -j2
status=0
make -j2 check || status=1
if [ $status != 0 ]; then
	# show why: the logs of the failing tests
	for f in $(grep -l '^:test-result: FAIL\|^:test-result: ERROR' \
	    $(find . -name '*.trs') 2>/dev/null); do
		echo "===== ${f%.trs}.log"; tail -n 60 "${f%.trs}.log"
	done
fi
# one closing line over the whole suite: test programs and scripts
pass=$(grep -l '^:test-result: PASS' $(find . -name '*.trs') | wc -l)
fail=$(grep -l '^:test-result: \(FAIL\|ERROR\|XPASS\)' $(find . -name '*.trs') | wc -l)
skip=$(grep -l '^:test-result: SKIP' $(find . -name '*.trs') | wc -l)
echo "$pass passed, $fail failed, $skip skipped"
exit $status
