#!/bin/bash
# learn-cv.sh - k-fold cross-validation of the learner (abuse-milter
# --learn) on the labelled corpora.
#
# The labelled files of the corpora (each a folder with LABELS.tsv: file,
# category, ...) are dealt into K folds, each category spread evenly
# (stratified, shuffled with a fixed seed). For each fold the learner is
# taught the other K-1 folds (--learn CATEGORY FILE...) in a scratch
# state_db, and the held-out fold is classified (--classify). The same
# files are classified once with no learned data: the shipped rules
# alone. Corpora:
#   test/corpus            our own labelled complaints (the rules were
#                          written on them: 100% without the learner)
#   test/corpus/holdout    held-out complaints the rules were not written on
#   ../shared/corpus/real  real third-party samples beside the repository
#                          (or $ABUSE_REAL_CORPUS), when present
#
# For each corpus and overall it prints the accuracy without and with the
# learner, per weight asked for, and how many files the learner fixed
# (wrong without it, right with it) and broke; -v lists them.
#
# Usage (from a built tree; writes only a temp directory under /tmp
# that it removes):
#   bench/learn-cv.sh                      5 folds, the shipped learn { }
#   bench/learn-cv.sh --folds 10 --seed 2
#   bench/learn-cv.sh --weight 1,3,10,1e6  one run per weight
#   bench/learn-cv.sh --min-messages 5
#   bench/learn-cv.sh --corpus DIR ...     only these folders (repeatable)
#   bench/learn-cv.sh -v                   list the files fixed and broken
# Environment: top_srcdir (default: the parent of bench/), ABUSE_MILTER
# (default: $top_srcdir/milter/abuse-milter).
# Exit status: 0, 2 on a usage or setup error.
# Needs bash and python3 (standard library only).

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(dirname "$bench_dir")}"
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 2
: "${ABUSE_MILTER:=$top_srcdir/milter/abuse-milter}"

case " $* " in
*" -h "*|*" --help "*)
	sed -n '2,/^# Needs/s/^# \{0,1\}//p' "$0"
	exit 0
	;;
esac
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 2; }
[ -x "$ABUSE_MILTER" ] || {
	echo "no binary at $ABUSE_MILTER (build first, or set ABUSE_MILTER)" >&2
	exit 2
}
real=${ABUSE_REAL_CORPUS:-$top_srcdir/../shared/corpus/real}
tmp=$(mktemp -d /tmp/learn-cv.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
# the classifier runs from top_srcdir: the shipped config has relative paths
cd "$top_srcdir" || exit 2
exec python3 - "$ABUSE_MILTER" "$tmp" "$real" "$@" <<'PY'
import json, os, random, re, subprocess, sys

binary, tmp, real = sys.argv[1:4]
args = sys.argv[4:]
folds, seed, weights, min_messages, dirs, verbose = 5, 1, [None], None, [], False
try:
    while args:
        a = args.pop(0)
        if a in ("--folds", "--seed", "--weight", "--min-messages", "--corpus"):
            v = args.pop(0)
        elif "=" in a and a.startswith("--"):
            a, v = a.split("=", 1)
        if a == "--folds":
            folds = int(v)
        elif a == "--seed":
            seed = int(v)
        elif a == "--weight":
            weights = [float(w) for w in v.split(",")]
        elif a == "--min-messages":
            min_messages = int(v)
        elif a == "--corpus":
            dirs.append(v)
        elif a == "-v":
            verbose = True
        else:
            raise ValueError(a)
    if folds < 2:
        raise ValueError("--folds")
except (IndexError, ValueError) as e:
    print("usage: learn-cv.sh [--folds K] [--seed N] [--weight W,...] "
          "[--min-messages M] [--corpus DIR]... [-v] (%s)" % e,
          file=sys.stderr)
    sys.exit(2)
if not dirs:
    dirs = ["test/corpus", "test/corpus/holdout"]
    if os.path.isfile(os.path.join(real, "LABELS.tsv")):
        dirs.append(real)

# every labelled file that is there: (corpus, path, category)
items = []
for d in dirs:
    labels = os.path.join(d, "LABELS.tsv")
    if not os.path.isfile(labels):
        print("no LABELS.tsv in %s" % d, file=sys.stderr)
        sys.exit(2)
    with open(labels, encoding="utf-8") as f:
        for n, line in enumerate(f):
            p = line.rstrip("\n").split("\t")
            if n == 0 or len(p) < 2 or not p[0].endswith(".eml"):
                continue
            path = os.path.join(d, p[0])
            if os.path.isfile(path):
                name = d if not d.startswith(real) else "../shared/corpus/real"
                items.append((name, path, p[1]))

# stratified folds: each category shuffled, then dealt round-robin
rng = random.Random(seed)
fold_of = {}
k = 0
for cat in sorted({c for _, _, c in items}):
    paths = [p for _, p, c in items if c == cat]
    rng.shuffle(paths)
    for p in paths:
        fold_of[p] = k % folds
        k += 1

shipped = open("etc/abuse-milter.conf", encoding="utf-8").read()


def config(dirname, weight):
    """a copy of the shipped config with its own state_db (and learn { })"""
    os.makedirs(dirname, exist_ok=True)
    text = re.sub(r"(?m)^state_db = .*$",
                  "state_db = " + os.path.join(dirname, "state.db"), shipped)
    if weight is not None:
        text = re.sub(r"(?m)^(\s*)weight = .*$", r"\g<1>weight = %r" % weight,
                      text)
    if min_messages is not None:
        text = re.sub(r"(?m)^(\s*)min_messages = .*$",
                      r"\g<1>min_messages = %d" % min_messages, text)
    path = os.path.join(dirname, "abuse-milter.conf")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode not in (0, 1):
        print("failed (%d): %s\n%s" % (r.returncode, " ".join(cmd[:4]),
                                       r.stderr[:500]), file=sys.stderr)
        sys.exit(2)
    return r.stdout


def classify(conf, paths):
    got = {}
    for line in run([binary, "-c", conf, "--classify"] + paths).splitlines():
        o = json.loads(line)
        got[o["file"]] = o
    return got


base = classify(config(os.path.join(tmp, "none"), None),
                [p for _, p, _ in items])
results = []
for w in weights:
    got = {}
    for f in range(folds):
        conf = config(os.path.join(tmp, "w%s-f%d" % (w, f)), w)
        train = {}
        for _, p, c in items:
            if fold_of[p] != f:
                train.setdefault(c, []).append(p)
        for c, paths in sorted(train.items()):
            run([binary, "-c", conf, "--learn", c] + paths)
        got.update(classify(conf, [p for _, p, _ in items
                                   if fold_of[p] == f]))
    results.append((w, got))


def acc(rows, got):
    right = sum(1 for _, p, c in rows if got[p]["category"] == c)
    return "%.3f (%d/%d)" % (right / len(rows), right, len(rows)) if rows \
        else "-"


print("%d-fold cross-validation, seed %d, %d files; learn { %s }" % (
    folds, seed, len(items), "min_messages = %s" % (
        min_messages if min_messages is not None else "shipped")))
groups = [(d, [i for i in items if i[0] == d])
          for d in dict.fromkeys(i[0] for i in items)]
if len(groups) > 1:
    groups.append(("overall", items))
for w, got in results:
    print()
    print("weight %s" % ("shipped" if w is None else "%g" % w))
    print("  %-24s %-18s %-18s %5s %5s" % ("corpus", "rules alone",
                                          "with the learner", "fixed",
                                          "broke"))
    for name, rows in groups:
        fixed = [p for _, p, c in rows
                 if base[p]["category"] != c and got[p]["category"] == c]
        broke = [p for _, p, c in rows
                 if base[p]["category"] == c and got[p]["category"] != c]
        print("  %-24s %-18s %-18s %5d %5d" % (name, acc(rows, base),
                                             acc(rows, got), len(fixed),
                                             len(broke)))
    if verbose:
        want = {p: c for _, p, c in items}
        for p in sorted(p for p in got if got[p]["category"] != base[p]["category"]):
            print("    %-60s want %-15s rules %-15s learner %-15s rule %s" % (
                p, want[p], base[p]["category"], got[p]["category"],
                got[p]["rule"]))
PY
