/*
 * test_ipaddr.c - unit tests for milter/evidence/ipaddr.c: every textual form an
 * address takes in complaints, its canonical form, and what is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "evidence/ipaddr.h"

struct canon_row {
	const char *label;
	const char *in;
	const char *want;	/* NULL: not an address */
};

static const struct canon_row canon_rows[] = {
	{ "v4 plain", "198.51.100.7", "198.51.100.7" },
	{ "v4 zero padded", "192.168.001.010", "192.168.1.10" },
	{ "v4 zeros", "0.0.0.0", "0.0.0.0" },
	{ "v4 max", "255.255.255.255", "255.255.255.255" },
	{ "v4 defang last dot", "198.51.100[.]7", "198.51.100.7" },
	{ "v4 defang all dots", "198[.]51[.]100[.]7", "198.51.100.7" },
	{ "v4 defang parens", "198(.)51(.)100(.)7", "198.51.100.7" },
	{ "v4 defang braces", "198{.}51.100.7", "198.51.100.7" },
	{ "v4 defang [dot]", "198[dot]51[DOT]100(dot)7", "198.51.100.7" },
	{ "v6 compressed", "2001:db8::1", "2001:db8::1" },
	{ "v6 upper case", "2001:DB8::A", "2001:db8::a" },
	{ "v6 expanded", "2001:0db8:0000:0000:0000:0000:0000:0001",
	    "2001:db8::1" },
	{ "v6 uncompressed", "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
	{ "v6 longest zero run", "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
	{ "v6 single zero not compressed", "2001:db8:0:1:1:1:1:1",
	    "2001:db8:0:1:1:1:1:1" },
	{ "v6 loopback", "::1", "::1" },
	{ "v6 v4-mapped dotted", "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
	{ "v6 v4-mapped hex", "0:0:0:0:0:ffff:c000:0201",
	    "::ffff:192.0.2.1" },
	{ "v6 defang colon", "2001:db8[:]1", "2001:db8::1" },
	{ "v6 defang colons", "2001[:]db8[:][:]1", "2001:db8::1" },
	{ "v6 defang one of two", "2001:db8:[:]1", "2001:db8::1" },
	{ "v6 ula from blocklist.de", "fdf1:cb9d:f59e:19b0:0:0:33:4f",
	    "fdf1:cb9d:f59e:19b0::33:4f" },
	{ "bad: octet 256", "256.1.1.1", NULL },
	{ "bad: 4 digit octet", "0001.2.3.4", NULL },
	{ "bad: three parts", "1.2.3", NULL },
	{ "bad: five parts", "1.2.3.4.5", NULL },
	{ "bad: empty octet", "1..2.3", NULL },
	{ "bad: trailing dot", "1.2.3.4.", NULL },
	{ "bad: letters", "1.2.3.a", NULL },
	{ "bad: sign", "+1.2.3.4", NULL },
	{ "bad: blank inside", "1.2.3. 4", NULL },
	{ "bad: v6 two double colons", "2001::db8::1", NULL },
	{ "bad: v6 nine groups", "1:2:3:4:5:6:7:8:9", NULL },
	{ "bad: v6 group too long", "2001:db8::12345", NULL },
	{ "bad: time of day", "12:30:45", NULL },
	{ "bad: MAC address", "00:1a:2b:3c:4d:5e", NULL },
	{ "bad: zone id", "fe80::1%eth0", NULL },
	{ "bad: brackets", "[2001:db8::1]", NULL },
	{ "bad: empty", "", NULL },
	{ "bad: unknown defang", "198<.>51.100.7", NULL },
	{ "bad: half defang", "198[.51.100.7", NULL },
	{ "bad: utf-8", "198.51.100.\xc3\xa9", NULL },
};

/* test_canonical - every row through ip_canonical */
static void
test_canonical(void **state)
{
	char out[IP_CANON_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(canon_rows) / sizeof(canon_rows[0]); i++) {
		const struct canon_row *r = &canon_rows[i];
		bool ok = ip_canonical(r->in, strlen(r->in), out, sizeof(out));

		if (r->want == NULL) {
			if (ok)
				fail_msg("%s: accepted \"%s\" as %s", r->label,
				    r->in, out);
			continue;
		}
		if (!ok)
			fail_msg("%s: refused \"%s\"", r->label, r->in);
		if (strcmp(out, r->want) != 0)
			fail_msg("%s: got %s, want %s", r->label, out, r->want);
	}
}

/* test_length_bounds - len is honoured; overlong text is refused */
static void
test_length_bounds(void **state)
{
	char out[IP_CANON_MAX], big[4096];

	(void)state;
	assert_true(ip_canonical("198.51.100.7xyz", 12, out, sizeof(out)));
	assert_string_equal(out, "198.51.100.7");
	assert_false(ip_canonical("198.51.100.7", 11, out, sizeof(out)));
	memset(big, '1', sizeof(big));
	assert_false(ip_canonical(big, sizeof(big), out, sizeof(out)));
	memset(big, ':', sizeof(big));
	assert_false(ip_canonical(big, sizeof(big), out, sizeof(out)));
	/* out too small for the text: refused, not truncated */
	assert_false(ip_canonical("2001:db8::1", 11, out, 4));
}

/* test_strict - configuration form: no defangs, no zero padding */
static void
test_strict(void **state)
{
	struct ip_addr a;

	(void)state;
	assert_true(ip_parse_strict("10.0.0.1", 8, &a));
	assert_int_equal(a.family, AF_INET);
	assert_true(ip_parse_strict("0.0.0.0", 7, &a));
	assert_false(ip_parse_strict("10.0.0.01", 9, &a));
	assert_false(ip_parse_strict("10.0.0[.]1", 10, &a));
	assert_false(ip_parse_strict("2001:db8[:]1", 12, &a));
	assert_true(ip_parse_strict("2001:db8::1", 11, &a));
	assert_int_equal(a.family, AF_INET6);
}

/* test_key - v4 sorts inside the v4-mapped space, equal to its mapped
 * IPv6 spelling */
static void
test_key(void **state)
{
	struct ip_addr a, b;
	unsigned char ka[16], kb[16];
	static const unsigned char want[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1
	};

	(void)state;
	assert_true(ip_parse("192.0.2.1", 9, &a));
	assert_true(ip_parse("::ffff:192.0.2.1", 16, &b));
	ip_key(&a, ka);
	ip_key(&b, kb);
	assert_memory_equal(ka, want, 16);
	assert_memory_equal(kb, want, 16);
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_length_bounds),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
