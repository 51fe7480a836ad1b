#!/bin/sh
# install-deps.sh - install the Debian 12 packages abuse-milter needs to
# build and test (contrib/debian-packages.txt). Run as root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure itself: we set up our own instances.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
missing=$(for p in $(cat "$here/debian-packages.txt"); do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
if [ -n "$missing" ] || [ "${FORCE_APT:-}" = 1 ]; then
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $(cat "$here/debian-packages.txt")
fi
