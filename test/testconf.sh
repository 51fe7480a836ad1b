# testconf.sh - sourced by the test scripts: write a test configuration
# derived from the shipped etc/abuse-milter.conf, so the tests exercise
# the shipped rules and layout. Needs top_srcdir.
#
# The caps reply.max_per_hour and reply.max_per_domain are turned off
# (0): the suites send hundreds of complaints from a few domains within
# a minute, and a suite that runs earlier would use up the cap of the
# next one; the caps have their own unit tests (test_ledger,
# test_reply_queue).
#
# make_conf OUT DIR SOCKET SENDMAIL
#   OUT       config file to write
#   DIR       private directory for spool, state, pid file
#   SOCKET    milter socket spec
#   SENDMAIL  reply.sendmail value (program and arguments)
make_conf() {
	_out=$1 _dir=$2 _sock=$3 _sendmail=$4
	_user='""'
	[ "$(id -u)" = 0 ] && _user='"root"'
	mkdir -p "$_dir"
	sed -e "s|^socket = .*|socket = $_sock|" \
	    -e "s|^user = .*|user = $_user|" \
	    -e "s|^pidfile = .*|pidfile = $_dir/abuse-milter.pid|" \
	    -e "s|^spool_dir = .*|spool_dir = $_dir/spool|" \
	    -e "s|^state_db = .*|state_db = $_dir/state.db|" \
	    -e "s|^log_level = .*|log_level = debug|" \
	    -e "s|^\( *\)sendmail = .*|\1sendmail = \"$_sendmail\"|" \
	    -e "s|^\( *\)retry = .*|\1retry = 1s|" \
	    -e "s|^\( *\)#max_per_hour = .*|\1max_per_hour = 0|" \
	    -e "s|^\( *\)#max_per_domain = .*|\1max_per_domain = 0|" \
	    -e "s|\"templates/|\"$top_srcdir/templates/|" \
	    "$top_srcdir/etc/abuse-milter.conf" > "$_out"
}

# conf_top OUT - only the part above the shipped categories, for a test
# that brings categories of its own (so without the reporter map, whose
# lines name the shipped categories)
conf_top() {
	sed -n '1,/^# @@ categories/p' "$1" | sed 's|^reporters = .*|reporters = ""|'
}
