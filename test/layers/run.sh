#!/bin/sh
# run.sh - make check's wrapper of check.py: the modules of milter/ form
# a pipeline with no circles and no upward reaches (doc/ARCHITECTURE.md,
# "Data flows downward only"). Reads the object files, so it runs after
# the build; 77 (skipped) without python3 or nm.
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "no nm: skipped"; exit 77; }
exec python3 "$here/check.py" "$top_srcdir" "$top_builddir"
