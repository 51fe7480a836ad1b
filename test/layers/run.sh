#!/bin/sh
# run.sh - make check's wrapper of check.py: the modules of milter/ form
# a pipeline with no circles and no upward reaches (doc/ARCHITECTURE.md,
# "Data flows downward only"), and that page's folder map names every
# module. Reads the object files, so it runs after the build; 77
# (skipped) without python3 or nm.
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "no nm: skipped"; exit 77; }
status=0
python3 "$here/check.py" "$top_srcdir" "$top_builddir" || status=1
# the folder map of doc/ARCHITECTURE.md names every module
for f in "$top_srcdir"/milter/*/*.[ch]; do
	name=$(basename "$f")
	grep -q "\`$name\`" "$top_srcdir/doc/ARCHITECTURE.md" || {
		echo "doc/ARCHITECTURE.md does not name ${f#$top_srcdir/}"
		status=1
	}
done
# ... and names no module that is gone: a "- `x.c`, `x.h`" entry of the
# map whose file does not exist
for name in $(sed -n 's/^- `\([a-z0-9_]*\.c\)`.*/\1/p' "$top_srcdir/doc/ARCHITECTURE.md"); do
	ls "$top_srcdir"/milter/*/"$name" >/dev/null 2>&1 || {
		echo "doc/ARCHITECTURE.md names $name, which is not in milter/"
		status=1
	}
done
exit $status
