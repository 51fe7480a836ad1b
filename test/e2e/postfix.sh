# postfix.sh - sourced: a private Postfix instance on loopback for the
# end-to-end tests and the demo, run the way Debian runs Postfix: smtpd
# and the other services Debian chroots are chrooted into the queue
# directory. Everything lives under one directory:
#   $PF/etc     config_directory (main.cf, master.cf)
#   $PF/queue   queue_directory, smtpd's chroot jail (with the etc/ and
#               lib/ files Debian copies into it)
#   $PF/data    data_directory
#   $PF/maillog Postfix's log (no syslog on these machines)
#   $PF/sink/   what smtp-sink received, one file per message
# smtpd listens on 127.0.0.1:$PF_SMTP_PORT with smtpd_milters = $PF_MILTER
# and relays everything to smtp-sink on 127.0.0.1:$PF_SINK_PORT. A unix
# milter socket is seen by the chrooted smtpd relative to the jail:
# smtpd_milters = unix:abuse-milter/abuse-milter.sock is the socket
# $PF/queue/abuse-milter/abuse-milter.sock (pf_milter_dir makes its
# directory).
# Facts this relies on (seen on Debian 12 with Postfix 3.7): a non-default
# config_directory must be listed in alternate_config_directories of
# /etc/postfix/main.cf; maillog_file must match maillog_file_prefixes;
# a chrooted service needs the files Debian's
# /usr/lib/postfix/configure-instance.sh copies into the jail (it honours
# MAIL_CONFIG, so it prepares our instance as it prepares the system's).

: "${PF_SMTP_PORT:=10025}"
: "${PF_SINK_PORT:=10026}"

# pf_register - let postfix/sendmail accept -c/-C $PF/etc
pf_register() {
	main=/etc/postfix/main.cf
	[ -f $main ] || printf '%s\n' "compatibility_level = 3.6" \
	    "maillog_file = /var/log/postfix.log" > $main
	cur=$(postconf -h -c /etc/postfix alternate_config_directories 2>/dev/null)
	case " $cur " in
	*" $PF/etc "*|*" $PF/etc,"*|*",$PF/etc "*) ;;
	*) postconf -c /etc/postfix -e \
	    "alternate_config_directories = ${cur:+$cur }$PF/etc" ;;
	esac
}

# pf_setup - write the instance's configuration
pf_setup() {
	rm -rf "$PF"
	mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$PF/sink"
	chown postfix "$PF/data"
	chmod 777 "$PF/sink"
	pf_register
	cat > "$PF/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
myhostname = mx.abuse-test.invalid
mydomain = abuse-test.invalid
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$PF_SINK_PORT
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtputf8_enable = no
biff = no
smtpd_milters = $PF_MILTER
milter_default_action = ${PF_MILTER_DEFAULT:-accept}
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 30s
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
MAIN
	# our smtpd on the private port, chrooted as Debian's; every other
	# service as Debian ships it
	awk -v port="$PF_SMTP_PORT" '
	    /^smtp[ \t]+inet/ { print "127.0.0.1:" port " inet n - y - - smtpd"; next }
	    { print }' /etc/postfix/master.cf > "$PF/etc/master.cf"
	pf_chroot
	postfix -c "$PF/etc" check >/dev/null 2>&1 || true
}

# pf_chroot - the files a chrooted service needs in the jail, as
# Debian's init script puts them there
pf_chroot() {
	if [ -x /usr/lib/postfix/configure-instance.sh ]; then
		MAIL_CONFIG=$PF/etc /usr/lib/postfix/configure-instance.sh - \
		    >/dev/null 2>&1 && return 0
	fi
	# elsewhere: the etc/ files that matter on loopback
	mkdir -p "$PF/queue/etc"
	for f in localtime services resolv.conf hosts host.conf nsswitch.conf; do
		[ -f "/etc/$f" ] && cp "/etc/$f" "$PF/queue/etc/$f"
	done
	return 0
}

# pf_milter_dir USER - the milter socket's directory inside the jail,
# made as README.md says: the milter's user owns it, Postfix's group
# may enter it
pf_milter_dir() {
	install -d -o "$1" -g postfix -m 0750 "$PF/queue/abuse-milter"
}

# pf_start / pf_stop - the instance and its smtp-sink
pf_start() {
	smtp-sink -u nobody -d "$PF/sink/%H%M%S." -c "127.0.0.1:$PF_SINK_PORT" 100 \
	    >"$PF/sink.log" 2>&1 &
	echo $! > "$PF/sink.pid"
	postfix -c "$PF/etc" start >/dev/null 2>&1 || {
		echo "postfix -c $PF/etc start failed:"; tail -n 20 "$PF/maillog" 2>/dev/null
		return 1
	}
	pf_wait_port "$PF_SMTP_PORT" && pf_wait_port "$PF_SINK_PORT"
}

pf_stop() {
	postfix -c "$PF/etc" stop >/dev/null 2>&1 || true
	[ -f "$PF/sink.pid" ] && kill "$(cat "$PF/sink.pid")" 2>/dev/null
	rm -f "$PF/sink.pid"
}

# pf_wait_port PORT - until something listens on 127.0.0.1:PORT (10 s)
pf_wait_port() {
	i=0
	while [ $i -lt 100 ]; do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "nothing listens on port $1"; return 1
}

# pf_sendmail - the instance's sendmail, for reply.sendmail
pf_sendmail() {
	echo "/usr/sbin/sendmail -C $PF/etc"
}

# pf_send FILE RCPT [FROM] - feed a message file to smtpd with swaks
pf_send() {
	swaks --silent 2 --server 127.0.0.1 --port "$PF_SMTP_PORT" \
	    --from "${3:-reporter@example.net}" --to "$2" --data "@$1" \
	    --helo client.example.net >/dev/null
}

# pf_wait_sink N [SECONDS] - until smtp-sink saved N messages
pf_wait_sink() {
	i=0 max=$(( ${2:-20} * 10 ))
	while [ "$(ls "$PF/sink" | wc -l)" -lt "$1" ]; do
		[ $i -ge $max ] && return 1
		sleep 0.1; i=$((i + 1))
	done
	return 0
}

# pf_sink_grep PATTERN - saved messages containing PATTERN
pf_sink_grep() {
	grep -l -- "$1" "$PF"/sink/* 2>/dev/null
}
