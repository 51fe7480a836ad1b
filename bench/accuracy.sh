#!/bin/bash
# accuracy.sh - how well the shipped rules classify the labelled corpora.
#
# Runs `milter/abuse-milter -c etc/abuse-milter.conf --classify` over every
# *.eml of each corpus and compares the JSON "category" with the second
# column of the corpus's LABELS.tsv. The corpora, each a folder with
# LABELS.tsv:
#   test/corpus            our own labelled complaints (make check pins them)
#   test/corpus/holdout    held-out complaints the rules were not written on
#   ../shared/corpus/real  real third-party samples beside the repository
#                          (or $ABUSE_REAL_CORPUS), when present
#
# For each corpus and for all of them together it prints: accuracy, per
# category precision and recall with their counts, a confusion matrix
# (rows = labelled, columns = got), the misclassified files (file, want,
# got, rule) and the forbidden replies: files whose JSON "reply" is "send"
# although the label forbids one, i.e. the label's reply column starts
# with "suppress" or its category is law-enforcement, auto or other (the
# real corpus has no reply column; there only the category counts).
#
# Usage (from a built tree; reads nothing but the corpora, writes only a
# temp directory under /tmp that it removes):
#   bench/accuracy.sh                     all corpora
#   bench/accuracy.sh --corpus DIR ...    only these folders (repeatable)
#   bench/accuracy.sh --min 0.95          exit 1 when any category of any
#                                         corpus has a precision or recall
#                                         below 0.95, or any reply is
#                                         forbidden
# Environment: top_srcdir (default: the parent of bench/), ABUSE_MILTER
# (default: $top_srcdir/milter/abuse-milter).
# Exit status: 0, 1 when --min fails, 2 on a usage or setup error.
# Needs bash and python3 (standard library only).

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(dirname "$bench_dir")}"
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 2
: "${ABUSE_MILTER:=$top_srcdir/milter/abuse-milter}"
conf=etc/abuse-milter.conf

usage() {
	echo "usage: $0 [--corpus DIR]... [--min FRACTION]" >&2
	exit 2
}

dirs=()
min=
while [ $# -gt 0 ]; do
	case $1 in
	--corpus)
		[ $# -ge 2 ] || usage
		d=$(cd "$2" 2>/dev/null && pwd) || { echo "no folder $2" >&2; exit 2; }
		dirs+=("$d")
		shift 2
		;;
	--corpus=*)
		d=$(cd "${1#--corpus=}" 2>/dev/null && pwd) ||
		    { echo "no folder ${1#--corpus=}" >&2; exit 2; }
		dirs+=("$d")
		shift
		;;
	--min)
		[ $# -ge 2 ] || usage
		min=$2
		shift 2
		;;
	--min=*)
		min=${1#--min=}
		shift
		;;
	-h|--help)
		sed -n '2,/^# Needs/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		usage
		;;
	esac
done
if [ -n "$min" ] && ! [[ $min =~ ^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$ ]]; then
	echo "--min wants a fraction between 0 and 1, not $min" >&2
	exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 2; }
[ -x "$ABUSE_MILTER" ] || {
	echo "no binary at $ABUSE_MILTER (build first, or set ABUSE_MILTER)" >&2
	exit 2
}

if [ ${#dirs[@]} -eq 0 ]; then
	dirs=("$top_srcdir/test/corpus" "$top_srcdir/test/corpus/holdout")
	for d in "${ABUSE_REAL_CORPUS:-$top_srcdir/../shared/corpus/real}"; do
		if [ -f "$d/LABELS.tsv" ]; then
			dirs+=("$(cd "$d" && pwd)")
			break
		fi
	done
fi

tmp=$(mktemp -d /tmp/accuracy.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT

# the classifier runs from top_srcdir: the shipped config has relative paths
cd "$top_srcdir" || exit 2
args=()
i=0
for d in "${dirs[@]}"; do
	i=$((i + 1))
	if [ ! -f "$d/LABELS.tsv" ]; then
		echo "no LABELS.tsv in $d" >&2
		exit 2
	fi
	files=("$d"/*.eml)
	if [ ! -e "${files[0]}" ]; then
		echo "no .eml files in $d" >&2
		exit 2
	fi
	# exit status 1 means an unreadable file; it still has its line
	"$ABUSE_MILTER" -c "$conf" --classify "${files[@]}" \
	    > "$tmp/$i.jsonl" 2> "$tmp/$i.err"
	if [ $? -gt 1 ]; then
		echo "abuse-milter failed on $d: $(head -c 300 "$tmp/$i.err")" >&2
		exit 2
	fi
	parent=$(dirname "$top_srcdir")
	case $d in
	"$top_srcdir") name=. ;;
	"$top_srcdir"/*) name=${d#"$top_srcdir"/} ;;
	"$parent"/*) name=../${d#"$parent"/} ;;
	*) name=$d ;;
	esac
	args+=("$name" "$d" "$tmp/$i.jsonl")
done

python3 - "${min:--}" "${args[@]}" <<'PY'
import json, os, sys

NO_REPLY = {"law-enforcement", "auto", "other"}
SHORT = {"block-request": "block", "law-enforcement": "le"}

min_ = None if sys.argv[1] == "-" else float(sys.argv[1])
rest = sys.argv[2:]
corpora = [rest[i:i + 3] for i in range(0, len(rest), 3)]


def read_labels(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            row = dict(zip(head, p))
            row.setdefault("category", p[1] if len(p) > 1 else "")
            rows[p[0]] = row
    return rows


def read_json(path):
    got = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                o = json.loads(line)
            except ValueError:
                continue
            got[os.path.basename(str(o.get("file", "")))] = o
    return got


def forbidden(row, o):
    """a reply is sent although the label forbids one"""
    if o.get("reply") != "send":
        return False
    return (row["category"] in NO_REPLY or
            row.get("reply", "").startswith("suppress"))


def ratio(a, b):
    return "%.3f" % (a / b) if b else "-"


failures = []


def report(name, items):
    """items: list of (file, row, json) with both sides present"""
    n = len(items)
    right = sum(1 for _, r, o in items if r["category"] == o.get("category"))
    print("accuracy: %s (%d/%d)" % (ratio(right, n), right, n))
    cats = sorted({r["category"] for _, r, _ in items} |
                  {str(o.get("category")) for _, _, o in items})
    print()
    print("%-16s %8s %5s %6s %10s %7s" % ("category", "labelled", "got",
                                           "right", "precision", "recall"))
    for c in cats:
        lab = sum(1 for _, r, _ in items if r["category"] == c)
        got = sum(1 for _, _, o in items if o.get("category") == c)
        ok = sum(1 for _, r, o in items
                 if r["category"] == c and o.get("category") == c)
        print("%-16s %8d %5d %6d %10s %7s" % (c, lab, got, ok,
                                               ratio(ok, got), ratio(ok, lab)))
        if min_ is not None:
            if got and ok / got < min_:
                failures.append("%s: %s precision %s" % (name, c, ratio(ok, got)))
            if lab and ok / lab < min_:
                failures.append("%s: %s recall %s" % (name, c, ratio(ok, lab)))
    print()
    print("confusion (rows = labelled, columns = got):")
    short = [SHORT.get(c, c) for c in cats]
    w = max(6, max(len(s) for s in short) + 1)
    print("%-16s" % "" + "".join("%*s" % (w, s) for s in short))
    for c in cats:
        if not any(r["category"] == c for _, r, _ in items):
            continue
        cells = []
        for g in cats:
            k = sum(1 for _, r, o in items
                    if r["category"] == c and o.get("category") == g)
            cells.append("%*s" % (w, k if k else "."))
        print("%-16s" % c + "".join(cells))
    bad = [(f, r, o) for f, r, o in items if r["category"] != o.get("category")]
    print()
    print("misclassified: %d" % len(bad))
    w = max([len(f) for f, _, _ in bad] + [4])
    for f, r, o in sorted(bad):
        print("  %-*s  want %-15s got %-15s rule %s" % (
            w, f, r["category"], o.get("category"), o.get("rule") or "-"))
    fb = [(f, r, o) for f, r, o in items if forbidden(r, o)]
    print()
    print("forbidden replies: %d" % len(fb))
    w = max([len(f) for f, _, _ in fb] + [4])
    for f, r, o in sorted(fb):
        why = ("category " + r["category"] if r["category"] in NO_REPLY
               else "label " + r.get("reply", ""))
        print("  %-*s  got %-15s reply send, %s" % (w, f, o.get("category"), why))
    if min_ is not None and fb:
        failures.append("%s: %d forbidden replies" % (name, len(fb)))


everything = []
for name, folder, out in corpora:
    labels = read_labels(os.path.join(folder, "LABELS.tsv"))
    got = read_json(out)
    emls = sorted(f for f in os.listdir(folder) if f.endswith(".eml"))
    items = []
    print("=" * 72)
    print("%s (%d files)" % (name, len(emls)))
    print("=" * 72)
    for f in emls:
        if f not in labels:
            print("warning: %s has no row in LABELS.tsv, not counted" % f)
        elif f not in got:
            print("warning: %s got no JSON line, not counted" % f)
        else:
            items.append((f, labels[f], got[f]))
    for f in sorted(set(labels) - set(emls)):
        print("warning: LABELS.tsv names %s, which is not there" % f)
    report(name, items)
    everything += [("%s/%s" % (name, f), r, o) for f, r, o in items]
    print()

if len(corpora) > 1:
    print("=" * 72)
    print("overall (%d files in %d corpora)" % (len(everything), len(corpora)))
    print("=" * 72)
    saved, min_ = min_, None      # --min judges each corpus, not the sum
    report("overall", everything)
    min_ = saved
    print()

if min_ is not None:
    if failures:
        print("below --min %g:" % min_)
        for f in failures:
            print("  " + f)
        sys.exit(1)
    print("every category of every corpus at or above --min %g, "
          "no forbidden reply" % min_)
PY
