/*
 * test_netset.c - unit tests for milter/evidence/netset.c: CIDR validation,
 * lookups in both families, Tor exit lists in TorDNSEL and plain form
 * (written to a mkdtemp directory), their error messages, and a large
 * list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/netset.h"

struct cidr_row {
	const char *label;
	const char *cidr;
	int want;
};

static const struct cidr_row cidr_rows[] = {
	{ "v4 net", "198.51.100.0/24", 0 },
	{ "v4 host bits set", "198.51.100.7/24", 0 },
	{ "v4 address alone", "192.0.2.1", 0 },
	{ "v4 /0", "0.0.0.0/0", 0 },
	{ "v4 /32", "192.0.2.1/32", 0 },
	{ "blanks around", "  10.0.0.0/8 ", 0 },
	{ "v6 net", "2001:db8::/32", 0 },
	{ "v6 /128", "2001:db8::1/128", 0 },
	{ "v6 v4-mapped", "::ffff:203.0.113.0/120", 0 },
	{ "bad: v4 /33", "198.51.100.0/33", -1 },
	{ "bad: v6 /129", "2001:db8::/129", -1 },
	{ "bad: negative", "10.0.0.0/-1", -1 },
	{ "bad: empty prefix", "10.0.0.0/", -1 },
	{ "bad: long prefix", "10.0.0.0/0008", -1 },
	{ "bad: garbage prefix", "10.0.0.0/8x", -1 },
	{ "bad: two slashes", "10.0.0.0/8/8", -1 },
	{ "bad: octet", "10.0.0.256/8", -1 },
	{ "bad: three parts", "10.0.0/8", -1 },
	{ "bad: word", "localhost", -1 },
	{ "bad: empty", "", -1 },
	{ "bad: defanged", "10.0.0[.]0/8", -1 },
	{ "bad: blank inside", "10.0.0.0 /8", -1 },
};

/* test_add_cidr - validation of every row */
static void
test_add_cidr(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cidr_rows) / sizeof(cidr_rows[0]); i++) {
		struct netset *ns = netset_new();
		int got = netset_add_cidr(ns, cidr_rows[i].cidr);

		if (got != cidr_rows[i].want)
			fail_msg("%s: \"%s\" gave %d", cidr_rows[i].label,
			    cidr_rows[i].cidr, got);
		netset_free(ns);
	}
}

struct lookup_row {
	const char *label;
	const char *addr;
	bool want;
};

static const char *const our_nets[] = {
	"198.51.100.0/24", "203.0.113.128/25", "192.0.2.7",
	"2001:db8:1::/48", "10.0.0.0/8", "10.1.0.0/16", NULL
};

static const struct lookup_row lookup_rows[] = {
	{ "first of /24", "198.51.100.0", true },
	{ "last of /24", "198.51.100.255", true },
	{ "below /24", "198.51.99.255", false },
	{ "above /24", "198.51.101.0", false },
	{ "upper half /25", "203.0.113.200", true },
	{ "lower half /25", "203.0.113.127", false },
	{ "single address", "192.0.2.7", true },
	{ "next to single", "192.0.2.8", false },
	{ "nested nets", "10.1.2.3", true },
	{ "v6 inside", "2001:db8:1:ffff::1", true },
	{ "v6 outside", "2001:db8:2::1", false },
	{ "v6 expanded form", "2001:0db8:0001:0000:0000:0000:0000:0001",
	    true },
	{ "v4-mapped spelling", "::ffff:198.51.100.9", true },
	{ "defanged", "198.51.100[.]9", true },
	{ "bad text", "not an address", false },
	{ "empty", "", false },
	{ "v4 zero", "0.0.0.0", false },
	{ "v6 all ones", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false },
};

/* run_lookups - every lookup row against a set of our_nets */
static void
run_lookups(const struct netset *ns)
{
	size_t i;

	for (i = 0; i < sizeof(lookup_rows) / sizeof(lookup_rows[0]); i++)
		if (netset_contains(ns, lookup_rows[i].addr)
		    != lookup_rows[i].want)
			fail_msg("%s: %s", lookup_rows[i].label,
			    lookup_rows[i].addr);
}

/* test_lookup - the same answers before (linear) and after finish */
static void
test_lookup(void **state)
{
	struct netset *ns = netset_new();
	size_t i;

	(void)state;
	for (i = 0; our_nets[i] != NULL; i++)
		assert_int_equal(netset_add_cidr(ns, our_nets[i]), 0);
	run_lookups(ns);
	netset_finish(ns);
	run_lookups(ns);
	/* 10.1.0.0/16 folded into 10.0.0.0/8 */
	assert_int_equal(netset_count(ns), 5);
	assert_false(netset_contains(ns, NULL));
	netset_free(ns);
	netset_free(NULL);
}

/* test_empty - an empty set holds nothing */
static void
test_empty(void **state)
{
	struct netset *ns = netset_new();

	(void)state;
	netset_finish(ns);
	assert_false(netset_contains(ns, "192.0.2.1"));
	assert_int_equal(netset_count(ns), 0);
	netset_free(ns);
}

/* write_file - create dir/name with the given content; malloc'd path */
static char *
write_file(const char *dir, const char *name, const char *content)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);
	FILE *fp;

	snprintf(path, len, "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
	return path;
}

struct exit_row {
	const char *label;
	const char *content;
	const char *err;	/* NULL: loads; else expected text after path */
	const char *in;		/* an address that must be listed */
	const char *out;	/* one that must not */
	size_t count;
};

static const struct exit_row exit_rows[] = {
	{ "tordnsel",
	    "@type tordnsel 1.0\n"
	    "Downloaded 2016-09-01 09:02:02\n"
	    "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
	    "Published 2016-08-31 23:28:19\n"
	    "LastStatus 2016-09-01 00:03:15\n"
	    "ExitAddress 162.247.72.201 2016-09-01 00:13:43\n"
	    "ExitNode 0111BA9B604669E636FFD5B503F382A4B7AD6E80\n"
	    "Published 2016-08-31 13:13:44\n"
	    "LastStatus 2016-09-01 01:02:24\n"
	    "ExitAddress 176.10.104.240 2016-09-01 01:04:45\n"
	    "ExitAddress 176.10.104.243 2016-09-01 01:04:45\n",
	    NULL, "176.10.104.243", "176.10.104.241", 3 },
	{ "plain list with comments and CRLF",
	    "# exits\r\n\r\n192.0.2.1\r\n  192.0.2.2  # inline comment\r\n"
	    "2001:db8::7\r\n192.0.2.1\n",
	    NULL, "2001:db8:0:0::7", "192.0.2.3", 3 },
	{ "plain list, last line without newline", "192.0.2.9",
	    NULL, "192.0.2.9", "192.0.2.8", 1 },
	{ "empty file", "", NULL, NULL, "192.0.2.1", 0 },
	{ "bad: garbage line", "192.0.2.1\nhello world\n",
	    ":2: not an address", NULL, NULL, 0 },
	{ "bad: ExitAddress without address", "ExitNode X\nExitAddress\n",
	    ":2: ExitAddress without an address", NULL, NULL, 0 },
	{ "bad: ExitAddress garbage", "ExitAddress 300.1.1.1 2016-09-01\n",
	    ":1: bad ExitAddress", NULL, NULL, 0 },
	{ "bad: two addresses", "192.0.2.1 192.0.2.2\n",
	    ":1: more than one address on the line", NULL, NULL, 0 },
};

/* test_exit_list - each row written to a temp file and loaded */
static void
test_exit_list(void **state)
{
	char dir[] = "/tmp/test_netset.XXXXXX";
	char err[512];
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(exit_rows) / sizeof(exit_rows[0]); i++) {
		const struct exit_row *r = &exit_rows[i];
		char *path = write_file(dir, "exits", r->content);
		struct netset *ns = netset_new();
		int rc = netset_load_exit_list(ns, path, err, sizeof(err));

		if (r->err != NULL) {
			size_t pl = strlen(path);

			if (rc != -1 || strncmp(err, path, pl) != 0
			    || strcmp(err + pl, r->err) != 0)
				fail_msg("%s: rc %d err \"%s\"", r->label, rc,
				    rc ? err : "");
		} else {
			if (rc != 0)
				fail_msg("%s: %s", r->label, err);
			netset_finish(ns);
			if (r->in && !netset_contains(ns, r->in))
				fail_msg("%s: %s missing", r->label, r->in);
			if (netset_contains(ns, r->out))
				fail_msg("%s: %s listed", r->label, r->out);
			assert_int_equal(netset_count(ns), r->count);
		}
		netset_free(ns);
		unlink(path);
		free(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* test_exit_list_missing - "PATH: strerror" for a file that is not there */
static void
test_exit_list_missing(void **state)
{
	struct netset *ns = netset_new();
	char err[256];

	(void)state;
	assert_int_equal(netset_load_exit_list(ns, "/nonexistent/exits",
	    err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/exits: No such file or directory");
	/* a NULL or tiny error buffer is fine */
	assert_int_equal(netset_load_exit_list(ns, "/nonexistent/exits",
	    NULL, 0), -1);
	assert_int_equal(netset_load_exit_list(ns, "/nonexistent/exits",
	    err, 1), -1);
	assert_string_equal(err, "");
	netset_free(ns);
}

/* test_large_list - 100,000 exits load, finish and look up right (speed
 * is the benchmark's business, not a timed test's) */
static void
test_large_list(void **state)
{
	char dir[] = "/tmp/test_netset.XXXXXX";
	struct netset *ns = netset_new();
	char *path, line[64], err[256];
	FILE *fp;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = write_file(dir, "exits", "");
	fp = fopen(path, "w");
	for (i = 0; i < 100000; i++) {	/* every other address, shuffled */
		int v = (i * 7919) % 100000 * 2;

		snprintf(line, sizeof(line), "ExitAddress 10.%d.%d.%d x\n",
		    v >> 16 & 255, v >> 8 & 255, v & 255);
		fputs(line, fp);
	}
	fclose(fp);
	assert_int_equal(netset_load_exit_list(ns, path, err, sizeof(err)), 0);
	netset_finish(ns);
	assert_int_equal(netset_count(ns), 100000);
	for (i = 0; i < 200000; i++) {
		snprintf(line, sizeof(line), "10.%d.%d.%d", i >> 16 & 255,
		    i >> 8 & 255, i & 255);
		if (netset_contains(ns, line) != (i % 2 == 0))
			fail_msg("%s", line);
	}
	netset_free(ns);
	unlink(path);
	free(path);
	rmdir(dir);
}

/* main - run the tests */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_cidr),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_exit_list),
		cmocka_unit_test(test_exit_list_missing),
		cmocka_unit_test(test_large_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
