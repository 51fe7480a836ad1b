#!/bin/sh
# contrib/fuzz/build.sh - build the libFuzzer harnesses (clang,
# -fsanitize=fuzzer,address,undefined) into contrib/fuzz/bin/, linking the
# project's pure module sources directly (milter/*/*.c but main.c, callbacks.c and daemon.c; no autotools, no libmilter). Run from anywhere;
# needs clang and libclang-rt-*-dev (the fuzzer runtime) and the -dev
# packages of contrib/install-deps.sh.
#
#   contrib/fuzz/build.sh                 # all harnesses
#   contrib/fuzz/build.sh fuzz_acns       # one
#   CC=clang-15 EXTRA_CFLAGS=-O2 contrib/fuzz/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
CC=${CC:-clang}
out="$here/bin"
mkdir -p "$out/obj"

pkgs="libconfuse libpcre2-8 gmime-3.0 libxml-2.0 json-c yaml-0.1 sqlite3 libarchive hiredis"
deps_cflags=$(pkg-config --cflags $pkgs)
deps_libs="$(pkg-config --libs $pkgs) -lpthread -lm"
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE \
 -DSYSCONFDIR=\"/etc\" -DDATADIR=\"/usr/share\" -DLOCALSTATEDIR=\"/var\" \
 -I$top/milter $deps_cflags ${EXTRA_CFLAGS:-}"

# module objects: instrumented for coverage and the sanitizers
objs=
for src in "$top"/milter/*/*.c; do
	case $src in */protocol/main.c|*/protocol/callbacks.c|*/protocol/daemon.c) continue ;; esac
	base=$(basename "$(dirname "$src")")_$(basename "$src" .c)
	obj="$out/obj/$base.o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || \
	    [ -n "$(find "$top/milter" -name '*.h' -newer "$obj")" ]; then
		# shellcheck disable=SC2086
		$CC $cflags $san -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
	fi
	objs="$objs $obj"
done

harnesses=${*:-"fuzz_complaint fuzz_reply fuzz_mime fuzz_acns fuzz_xarf fuzz_extract fuzz_archive"}
for h in $harnesses; do
	h=${h%.c}
	echo "build.sh: $out/$h"
	# shellcheck disable=SC2086
	$CC $cflags $san -fsanitize=fuzzer "$here/$h.c" $objs $deps_libs \
	    -o "$out/$h"
done
