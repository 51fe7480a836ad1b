/*
 * test_extract_ip.c - unit tests for milter/evidence/extract_ip.c and
 * extract_port.c (with the scanner, walker, CSV and context modules
 * below them, extract_ip*.c): which addresses of a complaint's
 * free text are the reported offenders, which ports it reports, and that
 * hostile input (huge lines, a megabyte of digits and dots, binary
 * garbage, invalid UTF-8) yields a clean answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"

struct row {
	const char *label;
	const char *text;
	const char *ips;	/* offenders in order, space separated */
	const char *ports;	/* ports in order, space separated */
};

static const struct row rows[] = {
	/* log lines */
	{ "sshd failed password",
	    "Jan  1 10:00:00 host sshd[123]: Failed password for root from "
	    "198.51.100.7 port 4242 ssh2", "198.51.100.7", "4242" },
	{ "sshd connection: from side and on side",
	    "sshd[1]: Connection from 198.51.100.7 port 4242 on 203.0.113.9 "
	    "port 22", "198.51.100.7", "22" },
	{ "iptables SRC/DST",
	    "kernel: IN=eth0 OUT= MAC=00:16:3e:00:00:01:00:16:3e:00:00:02:08:00 "
	    "SRC=198.51.100.7 DST=203.0.113.9 LEN=60 TOS=0x00 PREC=0x00 TTL=52 "
	    "ID=1 DF PROTO=TCP SPT=4242 DPT=22 WINDOW=29200 RES=0x00 SYN URGP=0",
	    "198.51.100.7", "22" },
	{ "apache common log",
	    "10.0.2.150 - - [31/Jan/2014:07:19:02 +0100] \"POST /profile.php "
	    "HTTP/1.0\" 200 790 \"-\" \"-\"", "10.0.2.150", "" },
	{ "apache log, proxy request to an IP",
	    "198.51.100.7 - - [01/Jan/2024:00:00:01 +0000] \"GET "
	    "http://203.0.113.9/ HTTP/1.1\" 404 0", "198.51.100.7", "" },
	{ "nginx error log",
	    "client: 198.51.100.7, server: example.com, request: \"GET / "
	    "HTTP/1.1\", host: \"203.0.113.9\"", "198.51.100.7", "" },
	{ "fail2ban",
	    "The IP 198.51.100.7 has just been banned by Fail2Ban after\n"
	    "5 attempts against sshd.", "198.51.100.7", "" },
	{ "tcpdump",
	    "12:11:01.123456 IP 198.51.100.7.4242 > 203.0.113.9.22: Flags [S]",
	    "198.51.100.7", "22" },
	{ "tcpdump ipv6",
	    "12:11:01.123456 IP6 2001:db8::7.4242 > 2001:db8:1::9.22: Flags "
	    "[S]", "2001:db8::7", "22" },
	{ "postfix relay log",
	    "postfix/smtp[9]: 1A2B: to=<a@b.example>, "
	    "relay=mx.b.example[192.0.2.25]:25, status=sent", "", "" },
	{ "postfix bounce",
	    "<x@b.example>: host mx.b.example[192.0.2.25] said: 550 5.1.1 "
	    "unknown user (in reply to RCPT TO command)", "", "" },
	{ "exim bounce",
	    "  complaints@isp.example.net\n"
	    "    host mx.isp.example.net [203.0.113.25]\n"
	    "    SMTP error from remote mail server after RCPT TO:<x@y>:\n",
	    "", "" },
	{ "postfix connect from",
	    "postfix/smtpd[9]: connect from unknown[198.51.100.7]",
	    "198.51.100.7", "" },
	/* prose: victims and offenders */
	{ "victim after our",
	    "Your server attacked our host 203.0.113.9 yesterday.", "", "" },
	{ "victim and offender",
	    "Your customer 198.51.100.7 is attacking our server 203.0.113.9 "
	    "on port 22.", "198.51.100.7", "22" },
	{ "destination label",
	    "Source IP: 198.51.100.7\nDestination IP: 203.0.113.9\n",
	    "198.51.100.7", "" },
	{ "target and victim words",
	    "Target: 203.0.113.1, victim 203.0.113.2, attacks against "
	    "203.0.113.3, dst 203.0.113.4", "", "" },
	{ "attacked by is the actor",
	    "203.0.113.9 was attacked by 198.51.100.7", "198.51.100.7", "" },
	{ "received by is a relay",
	    "The message was received by 192.0.2.25 and came from "
	    "198.51.100.7.", "198.51.100.7", "" },
	{ "arrow", "198.51.100.7:51234 -> 203.0.113.9:443",
	    "198.51.100.7", "443" },
	{ "list inherits the cue",
	    "Attacks from 198.51.100.1, 198.51.100.2 and 198.51.100.3 "
	    "against 203.0.113.1", "198.51.100.1 198.51.100.2 198.51.100.3",
	    "" },
	{ "heading over an address list",
	    "IPs engaged in harvesting on your network:\n\n10.0.2.1\n"
	    "10.0.2.2\n", "10.0.2.1 10.0.2.2", "" },
	{ "victim heading over an address list",
	    "Attacked hosts:\n203.0.113.1\n203.0.113.2\n"
	    "Attacking host: 198.51.100.7\n", "198.51.100.7", "" },
	{ "victim in parentheses", "198.51.100.7 hit 203.0.113.9 (our "
	    "webserver)", "198.51.100.7", "" },
	{ "tor relays are offenders",
	    "right now the attack comes from your relays 192.0.2.10 and "
	    "192.0.2.11.", "192.0.2.10 192.0.2.11", "" },
	{ "from A to host (B)",
	    "could you block connections from your exits to "
	    "forum.example.com (203.0.113.30) for a few days", "", "" },
	{ "relating to is no direction",
	    "all records relating to the IP address 192.0.2.61, including",
	    "192.0.2.61", "" },
	{ "connections to", "We saw connections to 203.0.113.9 and "
	    "traffic to our server 203.0.113.10.", "", "" },
	{ "A to B", "198.51.100.7 to 203.0.113.9", "198.51.100.7", "" },
	{ "host name words are no cues",
	    "attack from mx.evil.example [198.51.100.7] and from "
	    "mx1.evil.example [198.51.100.8]", "198.51.100.7 198.51.100.8",
	    "" },
	{ "relay in prose is no relay", "the relay at 198.51.100.7",
	    "198.51.100.7", "" },
	{ "dutch", "aanvallen vanaf 198.51.100.5 op onze server 203.0.113.8",
	    "198.51.100.5", "" },
	{ "a heading ends with its list",
	    "Destination:\n\n203.0.113.9\n\n198.51.100.7 attacked us\n",
	    "198.51.100.7", "" },
	{ "sentence heading is no label",
	    "The following IP addresses from your network hit our honeypots:"
	    "\n198.51.100.1\n198.51.100.2\n", "198.51.100.1 198.51.100.2",
	    "" },
	{ "whois network bounds",
	    "inetnum:        198.51.100.0 - 198.51.100.255\n"
	    "NetRange:       198.51.100.0 - 198.51.100.255\n"
	    "route:          198.51.100.0/24\n"
	    "The IP 198.51.100.7 has just been banned", "198.51.100.7", "" },
	{ "attack verb object and actor",
	    "Please block 198.51.100.8. It attacks 203.0.113.1 and is "
	    "scanning 203.0.113.2; attacking host 198.51.100.9",
	    "198.51.100.8 198.51.100.9", "" },
	{ "our website by URL", "Our website https://203.0.113.9/ is down "
	    "since the flood from 198.51.100.7", "198.51.100.7", "" },
	{ "no cue means offender", "Please check 198.51.100.7 and "
	    "2001:db8::7.", "198.51.100.7 2001:db8::7", "" },
	{ "reserved ranges are kept", "Offending IPs: 10.0.0.1, 127.0.0.1, "
	    "192.0.2.1, 0.0.0.0, 255.255.255.255",
	    "10.0.0.1 127.0.0.1 192.0.2.1 0.0.0.0 255.255.255.255", "" },
	{ "german", "Angriff von 198.51.100.7 auf unseren Server "
	    "203.0.113.9", "198.51.100.7", "" },
	{ "french", "Attaque depuis 198.51.100.7 contre notre serveur "
	    "203.0.113.9", "198.51.100.7", "" },
	{ "duplicates once", "from 198.51.100.7; again 198.51.100.7 and "
	    "198.51.100[.]7", "198.51.100.7", "" },
	/* quoted mail headers */
	{ "received header with continuation",
	    "Received: from mail.example (mail.example [192.0.2.1])\n"
	    "\tby mx.example (amavisd-new, port 10024) with ESMTP\n"
	    "The spam came from 198.51.100.7.", "198.51.100.7", "" },
	{ "pasted indented headers",
	    "  Received: from a ([192.0.2.1]) by b ([192.0.2.2])\n"
	    "  X-Originating-IP: [198.51.100.7]\n", "198.51.100.7", "" },
	{ "received-spf and message-id",
	    "Received-SPF: pass client-ip=192.0.2.1;\n"
	    "Message-ID: <123@192.0.2.2>\n", "", "" },
	{ "forwarded spam: origin from the Received: chain",
	    "Hi, I keep getting this spam.\n\n"
	    "Received: from mx.home.example.net (mx.home.example.net "
	    "[203.0.113.9])\n"
	    "\tby store.home.example.net with LMTP; Wed, 25 Nov 2026\n"
	    "Received: from bulk7.sender.example (unknown [192.0.2.199])\n"
	    "\tby mx.home.example.net with ESMTP; Wed, 25 Nov 2026\n"
	    "Received: from [10.9.9.9] by bulk7.sender.example; Wed\n",
	    "192.0.2.199", "" },
	{ "forwarded spam: the text's own address wins",
	    "The spam came from 198.51.100.7.\n"
	    "Received: from a.sender.example ([192.0.2.199]) by "
	    "mx.home.example.net; Wed\n", "198.51.100.7", "" },
	{ "received without by: nothing",
	    "Received: from a.example ([192.0.2.1])\n", "", "" },
	/* forms of addresses */
	{ "defanged", "hxxp://198[.]51[.]100[.]7/x.exe and 198.51.100(.)8 "
	    "and 198.51.100[dot]9", "198.51.100.7 198.51.100.8 198.51.100.9",
	    "" },
	{ "ipv6 forms",
	    "Source: 2001:DB8:0:0:0:0:0:1, 2001:0db8::0002, 2001:db8[:]3, "
	    "::ffff:192.0.2.1 and [2001:db8::5]:443",
	    "2001:db8::1 2001:db8::2 2001:db8::3 ::ffff:192.0.2.1 2001:db8::5",
	    "443" },
	{ "IPv6: prefix", "attack from IPv6:2001:db8::9", "2001:db8::9", "" },
	{ "label glued with colon", "IP:198.51.100.7 Port:8080",
	    "198.51.100.7", "8080" },
	{ "bold and quoted", "IP: *10.0.2.150* \"198.51.100.7\" "
	    "<198.51.100.8>", "10.0.2.150 198.51.100.7 198.51.100.8", "" },
	{ "glued port out of range", "from 198.51.100.7:0 and "
	    "198.51.100.8:65536", "198.51.100.7 198.51.100.8", "" },
	{ "URL with port", "Malware at http://198.51.100.7:8080/x.php",
	    "198.51.100.7", "8080" },
	{ "sentence end", "It was 198.51.100.7. Then 2001:db8::1.",
	    "198.51.100.7 2001:db8::1", "" },
	/* not addresses */
	{ "versions", "version 2.4.1.0, Version: 1.2.3.4, v1.2.3.4, "
	    "build 10.2.3.4, Apache/2.4.1.0, rev 5.6.7.8", "", "" },
	{ "longer dotted numbers", "1.2.3.4.5 and 1.3.6.1.4.1.311 and "
	    "OID 2.5.4.3 and 4.3.2.1.in-addr.arpa", "", "" },
	{ "octets over 255", "256.1.1.1 1.2.3.999 300.300.300.300", "", "" },
	{ "dates and times", "on 10.03.2015 at 17:03:11-07:00, 2015.05.06, "
	    "31.01.2014 07:19:02", "", "" },
	{ "section numbers", "See section 1.2.3.4 and paragraph 2.1.1.1",
	    "", "" },
	{ "inside words and names", "host1.2.3.4 x1.2.3.4 1.2.3.4x "
	    "1.2.3.4.example.com a_1.2.3.4", "", "" },
	{ "networks", "Targeted Range: 172.16.30.0/24, source 2001:db8::/32 "
	    "but 198.51.100.7/32", "198.51.100.7", "" },
	{ "code and times", "std::string Foo::bad 12:30:45 "
	    "00:1a:2b:3c:4d:5e", "", "" },
	/* ports */
	{ "port forms", "port 4242, Port: 22, port number 25, port #26",
	    "", "4242 22 25 26" },
	{ "port wrapped to the next line",
	    "l'adresse IP 192.0.2.201 (port\n49152) mettait", "192.0.2.201",
	    "49152" },
	{ "port label at the end of the text", "port", "", "" },
	{ "port list", "Ports: 22, 80 and 443 were scanned", "",
	    "22 80 443" },
	{ "tcp/udp", "Service tcp/22 and 53/udp", "", "22 53" },
	{ "source port only when no destination",
	    "source port 51234, destination port 22", "", "22" },
	{ "source port alone", "SPT=51234", "", "51234" },
	{ "key=value ports", "src_port=51234 dst_port=3389 proto=tcp", "",
	    "3389" },
	{ "destination port on another line wins",
	    "Source: 198.51.100.7:44321\nTarget: 203.0.113.9:443\n",
	    "198.51.100.7", "443" },
	{ "sshd log lines: every source port",
	    "sshd[1]: Failed password for root from 198.51.100.7 port 52344 "
	    "ssh2\nsshd[1]: Failed password for root from 198.51.100.7 port "
	    "52350 ssh2\n", "198.51.100.7", "52344 52350" },
	{ "qualifiers after the label",
	    "port source : 51234, port de destination : 22, puerto de "
	    "origen 4444", "", "22" },
	{ "port(s) list", "Port(s): 22, 2222", "", "22 2222" },
	{ "german labels",
	    "Quell-IP: 198.51.100.7 Ziel-IP: 203.0.113.9 Quellport: 5555 "
	    "Zielport: 22", "198.51.100.7", "22" },
	{ "singular port is no list", "port 22, 5 failed logins", "", "22" },
	{ "stated port beats log source ports",
	    "Port: 22\nsshd[1]: Failed password for root from 198.51.100.7 "
	    "port 52344 ssh2\n", "198.51.100.7", "22" },
	{ "bad ports", "port 0, port 65536, port 123456, report 2015, "
	    "support 24, airport 80, the year 2015, port 1.5", "", "" },
	{ "no port in words", "Port-scan seen on portal", "", "" },
	/* CSV tables: the header row decides */
	{ "csv src/dst columns",
	    "reliable_notifier,report_type,src_ip,src_port,dst_ip,dst_port\n"
	    "\"Shadowserver\",drone,198.51.100.7,2005,203.0.113.9,80\n",
	    "198.51.100.7", "80" },
	{ "csv ip and cc columns, quoted",
	    "\"timestamp\",\"ip\",\"port\",\"cc\",\"cc_port\"\n"
	    "\"2015-03-02 00:45:59\",\"198.51.100.7\",2005,\"203.0.113.9\","
	    "16465\n\"2015-03-02 00:46:00\",\"198.51.100.8\",2006,,\n",
	    "198.51.100.7 198.51.100.8", "2005 2006" },
	{ "csv two columns, tabs", "IP\tPort\n198.51.100.7\t22\n",
	    "198.51.100.7", "22" },
	{ "csv ends at a blank line",
	    "ts;dst_ip;src_ip\n1;203.0.113.1;198.51.100.1\n\n"
	    "198.51.100.2; 203.0.113.2\n",
	    "198.51.100.1 198.51.100.2 203.0.113.2", "" },
	{ "prose with commas is no table",
	    "Hello, world\n198.51.100.1, 203.0.113.2\n",
	    "198.51.100.1 203.0.113.2", "" },
	/* empty and odd */
	{ "empty", "", "", "" },
	{ "just punctuation", "....:::::[.][:]", "", "" },
	{ "invalid utf-8 around",
	    "\xff\xfe 198.51.100.7\xc3 port\xa0 22 \xe2\x82 10.0.0.1\x80",
	    "198.51.100.7 10.0.0.1", "" },
	{ "crlf lines", "From: x\r\nSource: 198.51.100.7\r\nDPT=443\r\n",
	    "198.51.100.7", "443" },
};

/* join_ips - the vector as one space separated string */
static char *
join_ips(const struct strvec *sv)
{
	struct buf b;
	char *s;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sv->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", sv->v[i]);
	s = buf_steal(&b);
	return s;
}

/* join_ports - the ports as one space separated string */
static char *
join_ports(const int *ports, size_t n)
{
	struct buf b;
	char *s;
	size_t i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%d", i ? " " : "", ports[i]);
	s = buf_steal(&b);
	buf_free(&b);
	return s;
}

/* test_rows - every row through extract_ips and extract_ports */
static void
test_rows(void **state)
{
	size_t i;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct strvec sv;
		int *ports = NULL;
		size_t nports = 0;
		char *got_ips, *got_ports;

		strvec_init(&sv);
		extract_ips(rows[i].text, &sv);
		extract_ports(rows[i].text, &ports, &nports);
		got_ips = join_ips(&sv);
		got_ports = join_ports(ports, nports);
		if (strcmp(got_ips, rows[i].ips) != 0) {
			print_error("%s: ips \"%s\", want \"%s\"\n",
			    rows[i].label, got_ips, rows[i].ips);
			failed++;
		}
		if (strcmp(got_ports, rows[i].ports) != 0) {
			print_error("%s: ports \"%s\", want \"%s\"\n",
			    rows[i].label, got_ports, rows[i].ports);
			failed++;
		}
		free(got_ips);
		free(got_ports);
		free(ports);
		strvec_free(&sv);
	}
	assert_int_equal(failed, 0);
}

/* test_appends - results are added to what the caller already has,
 * without duplicates */
static void
test_appends(void **state)
{
	struct strvec sv;
	int *ports = malloc(sizeof(int));
	size_t nports = 1;

	(void)state;
	strvec_init(&sv);
	strvec_push(&sv, "198.51.100.7");
	ports[0] = 22;
	extract_ips("from 198.51.100.8 and 198.51.100.7", &sv);
	extract_ports("port 22 and port 80", &ports, &nports);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[1], "198.51.100.8");
	assert_int_equal(nports, 2);
	assert_int_equal(ports[1], 80);
	extract_ips(NULL, &sv);
	extract_ports(NULL, &ports, &nports);
	assert_int_equal(sv.n, 2);
	assert_int_equal(nports, 2);
	free(ports);
	strvec_free(&sv);
}

/* run_both - extract from text, return the number of ips and ports */
static size_t
run_both(const char *text, struct strvec *sv, size_t *nports)
{
	int *ports = NULL;

	*nports = 0;
	extract_ips(text, sv);
	extract_ports(text, &ports, nports);
	free(ports);
	return sv->n;
}

/* test_megabyte_of_digits - 1 MB of digits and dots, one line */
static void
test_megabyte_of_digits(void **state)
{
	size_t len = 1 << 20, i, np;
	char *text = malloc(len + 1);
	struct strvec sv;

	(void)state;
	for (i = 0; i < len; i++)	/* "1.22.3.44.5..." */
		text[i] = i % 3 == 1 ? '.' : (char)('1' + i % 9);
	text[len] = '\0';
	strvec_init(&sv);
	assert_int_equal(run_both(text, &sv, &np), 0);
	assert_int_equal(np, 0);
	memset(text, '9', len);		/* one huge number */
	assert_int_equal(run_both(text, &sv, &np), 0);
	memset(text, ':', len);		/* one huge colon run */
	assert_int_equal(run_both(text, &sv, &np), 0);
	for (i = 0; i < len; i++)	/* "1.1.1.1.1.1..." */
		text[i] = i % 2 ? '.' : '1';
	text[len - 1] = '1';
	assert_int_equal(run_both(text, &sv, &np), 0);
	strvec_free(&sv);
	free(text);
}

/* test_long_line - an offender at the end of a 2 MB line is found, and
 * 100,000 addresses on one line come out in order */
static void
test_long_line(void **state)
{
	const char *tail = " attack from 198.51.100.7 port 2222";
	size_t len = 2 << 20, i, np;
	char *text = malloc(len + strlen(tail) + 1);
	struct strvec sv;
	struct buf b;

	(void)state;
	memset(text, 'x', len);
	strcpy(text + len, tail);
	strvec_init(&sv);
	assert_int_equal(run_both(text, &sv, &np), 1);
	assert_string_equal(sv.v[0], "198.51.100.7");
	assert_int_equal(np, 1);
	strvec_free(&sv);
	free(text);

	buf_init(&b);
	buf_puts(&b, "Attacking hosts:");
	for (i = 0; i < 100000; i++)
		buf_printf(&b, " 10.%zu.%zu.%zu,", i >> 16, i >> 8 & 255,
		    i & 255);
	strvec_init(&sv);
	assert_int_equal(run_both(b.s, &sv, &np), 100000);
	assert_string_equal(sv.v[99999], "10.1.134.159");
	strvec_free(&sv);

	/* one named offender, then 50,000 unnamed addresses in the same
	 * sentence: all of them the other side */
	buf_reset(&b);
	buf_puts(&b, "attack from 198.51.100.1 port 22");
	for (i = 0; i < 50000; i++)
		buf_printf(&b, " seen 10.%zu.%zu.%zu port %zu", i >> 16,
		    i >> 8 & 255, i & 255, 1 + i % 65535);
	strvec_init(&sv);
	assert_int_equal(run_both(b.s, &sv, &np), 1);
	assert_int_equal(np, 50000);	/* 22 and 1..50000 */
	strvec_free(&sv);
	buf_free(&b);
}

/* test_garbage - a megabyte of every byte value but NUL */
static void
test_garbage(void **state)
{
	size_t len = 1 << 20, i, np;
	char *text = malloc(len + 1);
	struct strvec sv;
	unsigned seed = 12345;

	(void)state;
	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		text[i] = (char)(1 + (seed >> 16) % 255);
	}
	text[len] = '\0';
	strvec_init(&sv);
	run_both(text, &sv, &np);	/* any answer, no crash, no leak */
	for (i = 0; i < sv.n; i++)
		assert_true(strlen(sv.v[i]) > 0);
	strvec_free(&sv);
	free(text);
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_megabyte_of_digits),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
