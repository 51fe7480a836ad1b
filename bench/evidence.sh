#!/bin/bash
# evidence.sh - how well the evidence extraction matches the labels of
# the labelled corpora (bench/accuracy.sh measures the categories).
#
# Runs `milter/abuse-milter -c etc/abuse-milter.conf --classify` over the
# *.eml of each corpus (default: test/corpus/holdout and test/corpus) and
# compares the JSON with LABELS.tsv, per corpus:
#   offender found  complaints whose labels name an offender and whose
#                   ips hold at least one of them
#   ips exact       ips equal to the labelled set (no victim, no relay)
#   ports, case_id, timestamp   exact (ports as a set)
# and, with -v, every miss (file, column, want, got).
#
# Usage (from a built tree): bench/evidence.sh [-v] [DIR...]
# Environment: top_srcdir (default: the parent of bench/), ABUSE_MILTER.
# Exit status 0, 2 on a setup error. Needs python3 (standard library).
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(dirname "$bench_dir")}"
: "${ABUSE_MILTER:=$top_srcdir/milter/abuse-milter}"
verbose=
if [ "${1:-}" = -v ]; then
	verbose=-v
	shift
fi
[ $# -gt 0 ] || set -- "$top_srcdir/test/corpus/holdout" "$top_srcdir/test/corpus"
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 2; }
[ -x "$ABUSE_MILTER" ] || { echo "no binary at $ABUSE_MILTER" >&2; exit 2; }
tmp=$(mktemp /tmp/evidence.XXXXXX) || exit 2
trap 'rm -f "$tmp"' EXIT
cd "$top_srcdir" || exit 2
for d in "$@"; do
	[ -f "$d/LABELS.tsv" ] || { echo "no LABELS.tsv in $d" >&2; exit 2; }
	"$ABUSE_MILTER" -c etc/abuse-milter.conf --classify "$d"/*.eml > "$tmp"
	python3 - "$d" "$tmp" "$verbose" <<'PY'
import json, os, sys

corpus, out, verbose = sys.argv[1], sys.argv[2], sys.argv[3] == "-v"
labels = {}
with open(os.path.join(corpus, "LABELS.tsv"), encoding="utf-8") as f:
    head = f.readline().rstrip("\n").split("\t")
    for line in f:
        if line.strip():
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            labels[row["file"]] = row
got = {}
with open(out, encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        got[os.path.basename(o["file"])] = o


def items(s):
    return [] if s == "-" else s.split(",")


n = found = named = 0
ok = {"ips": 0, "ports": 0, "case_id": 0, "timestamp": 0}
misses = []
for name, row in sorted(labels.items()):
    o = got.get(name)
    if o is None:
        continue
    n += 1
    want_ips = items(row["ips"])
    if want_ips:
        named += 1
        found += bool(set(want_ips) & set(o["ips"]))
    same = {
        "ips": set(want_ips) == set(o["ips"]),
        "ports": {int(p) for p in items(row["ports"])} == set(o["ports"]),
        "case_id": (None if row["case_id"] == "-" else row["case_id"])
        == o["case_id"],
        "timestamp": (None if row["timestamp"] == "-" else row["timestamp"])
        == o["timestamp"],
    }
    for k, v in same.items():
        ok[k] += v
        if not v:
            misses.append("  %-48s %-9s want %s got %s"
                          % (name, k, row[k], o[k]))
print("%s: %d complaints; offender found %.2f (%d/%d), ips exact %.2f, "
      "ports %.2f, case_id %.2f, timestamp %.2f"
      % (corpus, n, found / max(named, 1), found, named, ok["ips"] / max(n, 1),
         ok["ports"] / max(n, 1), ok["case_id"] / max(n, 1),
         ok["timestamp"] / max(n, 1)))
if verbose:
    print("\n".join(misses))
PY
done
