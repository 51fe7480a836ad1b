#!/bin/sh
# fetch.sh CACHE - Sendmail's Debian packages for test/sendmail/run.sh,
# downloaded once into CACHE with apt-get download (never installed:
# sendmail-bin conflicts with Postfix): sendmail-bin, sendmail-cf, and
# the libraries sendmail-bin depends on (a host with Postfix lacks some,
# e.g. libwrap0; libc6 is always there). Exits 0 when CACHE has them.
cache=$1
mkdir -p "$cache" || exit 1
if ls "$cache"/sendmail-bin_*.deb "$cache"/sendmail-cf_*.deb >/dev/null 2>&1; then
	exit 0
fi
command -v apt-get >/dev/null 2>&1 || exit 1
libs=$(apt-cache depends sendmail-bin 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^lib/ && $2 != "libc6" { print $2 }')
# shellcheck disable=SC2086
(cd "$cache" && apt-get download sendmail-bin sendmail-cf $libs) > "$cache/apt.log" 2>&1
