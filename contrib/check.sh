#!/bin/sh
# check.sh - the whole test suite from a fresh checkout: install the
# Debian packages, build from scratch, run the unit and miltertest suites
# under ASan/UBSan (build-san/), a short run of every fuzzing harness
# (contrib/fuzz/smoke.sh), then `make check` (unit tests, miltertest
# protocol tests, end-to-end tests against a private Postfix, the
# Sendmail submission test, corpus tests, the layer check), then the
# Debian package from build to purge (contrib/package-check.sh). Run as root
# from anywhere; exits non-zero on failure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh contrib/install-deps.sh
# Sendmail's packages for test/sendmail (downloaded, never installed: they
# would remove Postfix); stale package lists are renewed once
sh test/sendmail/fetch.sh test/sendmail/debs ||
    { apt-get update -q && sh test/sendmail/fetch.sh test/sendmail/debs; } ||
    echo "check.sh: cannot download Sendmail's packages: test/sendmail will skip"
autoreconf -fi
# a tree configured in place would refuse the out-of-tree build below
if [ -f Makefile ]; then make distclean >/dev/null 2>&1 || true; fi

# 1. the unit, miltertest and Redis suites built with AddressSanitizer and
# UndefinedBehaviorSanitizer, out of tree in build-san/
status=0
rm -rf build-san && mkdir build-san
# (the programs that need a redis-server run inside test/redis/run.sh)
(cd build-san && ../configure --quiet --enable-sanitizers CFLAGS="-g -O1" &&
    make -j2 && make -j2 check TESTS="$(make -s print-unit-checks) \
    test/milter/run.sh test/redis/run.sh") || status=1
if [ $status != 0 ]; then
	for f in $(grep -l '^:test-result: FAIL\|^:test-result: ERROR' \
	    $(find build-san -name '*.trs') 2>/dev/null); do
		echo "===== sanitizers: ${f%.trs}.log"; tail -n 60 "${f%.trs}.log"
	done
fi
san=$(grep -l '^:test-result: PASS' $(find build-san -name '*.trs') | wc -l)
echo "sanitizer build: $san suites passed"

# 2. every libFuzzer harness built (clang, ASan+UBSan) and run for a few
# seconds over the seed corpus (contrib/fuzz/smoke.sh)
sh contrib/fuzz/smoke.sh 5 || status=1

# 3. everything, built in place as a user would
./configure --quiet
make -j2
make -j2 check || status=1
if [ $status != 0 ]; then
	# show why: the logs of the failing tests
	for f in $(grep -l '^:test-result: FAIL\|^:test-result: ERROR' \
	    $(find . -path ./build-san -prune -o -name '*.trs' -print) 2>/dev/null); do
		echo "===== ${f%.trs}.log"; tail -n 60 "${f%.trs}.log"
	done
fi
# 4. the Debian package: built, linted, installed, started as its unit
# would, a complaint through it, purged (contrib/package-check.sh)
bash contrib/package-check.sh > package-check.log 2>&1 || {
	status=1; echo "===== package-check.log"; tail -n 60 package-check.log; }
grep -q '^package-check.sh: passed' package-check.log && echo "package check: passed"

# one closing line over the whole suite: test programs and scripts
pass=$(grep -l '^:test-result: PASS' $(find . -path ./build-san -prune -o -name '*.trs' -print) | wc -l)
fail=$(grep -l '^:test-result: \(FAIL\|ERROR\|XPASS\)' $(find . -path ./build-san -prune -o -name '*.trs' -print) | wc -l)
skip=$(grep -l '^:test-result: SKIP' $(find . -path ./build-san -prune -o -name '*.trs' -print) | wc -l)
echo "$pass passed, $fail failed, $skip skipped (and $san under the sanitizers)"
exit $status
