# lib.sh - sourced by the Redis scripts that run.sh runs with a server
# on $REDIS_SOCK (cli.sh, fleet.sh, learn.sh), after setting `name`:
# where things are ($bin, $tmp = $REDIS_TMP/$name, the source tree as
# working directory for the shipped config's relative paths), check and
# its summary, and a ledger as an abuse-milter that kept its own left it.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
bin=$top_builddir/milter/abuse-milter
tmp=$REDIS_TMP/$name
mkdir -p "$tmp"
cd "$top_srcdir" || exit 1
# the ledger fixtures are written with sqlite3 (Debian package sqlite3,
# in contrib/debian-packages.txt): without it the test fails, it does
# not quietly leave them out
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 missing"; exit 1; }
pass=0 fail=0
check() {
	if eval "$2"; then pass=$((pass + 1)); echo "ok - $1"
	else fail=$((fail + 1)); echo "not ok - $1"; fi
}
summary() { echo "$name: $pass passed, $fail failed"; [ "$fail" = 0 ]; }

# ledger_v2 DB SQL - the ledger tables of schema version 2 in DB, with
# the rows SQL inserts: what --migrate-state finds on a host that kept
# its own ledger so far
ledger_v2() {
	sqlite3 "$1" "
	    CREATE TABLE complaints (id INTEGER PRIMARY KEY, time INTEGER NOT
	     NULL, qid TEXT, message_id TEXT, category TEXT NOT NULL, rule
	     TEXT, reporter TEXT, case_id TEXT, reply TEXT);
	    CREATE TABLE complaint_ips (complaint INTEGER NOT NULL, ip TEXT NOT
	     NULL);
	    CREATE TABLE replies (id INTEGER PRIMARY KEY, time INTEGER NOT
	     NULL, rcpt TEXT NOT NULL, category TEXT NOT NULL, reporter TEXT NOT
	     NULL, case_id TEXT, domain TEXT);
	    $2
	    PRAGMA user_version = 2;"
}
