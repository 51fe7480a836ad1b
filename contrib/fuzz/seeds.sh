#!/bin/sh
# contrib/fuzz/seeds.sh [DIR] - gather the seed corpus into DIR (default
# contrib/fuzz/corpus/seeds): the project's test corpus (test/corpus/*.eml),
# the real samples of the shared corpus when they are there
# (../shared/corpus/real/*.eml beside the work tree, or $ABUSE_REAL_CORPUS),
# the unit-test MIME fixtures, and the findings in contrib/fuzz/crashes/.
# The same seeds serve every harness: the parsers skip what is not theirs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dir=${1:-"$here/corpus/seeds"}
real=${ABUSE_REAL_CORPUS:-"$top/../shared/corpus/real"}
mkdir -p "$dir"
for f in "$top"/test/corpus/*.eml "$real"/*.eml \
    "$top"/test/unit/data/mime/*.eml "$here"/crashes/*.eml; do
	[ -f "$f" ] && cp "$f" "$dir/"
done
echo "seeds.sh: $(ls "$dir" | wc -l) seeds in $dir"
