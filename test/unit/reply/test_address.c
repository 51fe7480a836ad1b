/*
 * test_address.c - unit tests of milter/reply/address.c: tables of
 * robot and list addresses (each rule with a nearby address that is a
 * person), organisational domains, the Mailman pairing and the rate
 * keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reply/address.h"
#include "util/util.h"

/* test_robot - reply_addr_robot, both ways per rule */
static void
test_robot(void **state)
{
	static const struct {
		const char *addr;
		bool envelope;
		const char *want;	/* NULL: a person */
	} rows[] = {
		{ "MAILER-DAEMON@mx.victim.example", false, "mailer-daemon" },
		{ "daemon@victim.example", false, NULL },
		{ "postmaster@victim.example", false, "postmaster" },
		{ "PostMaster+x@victim.example", true, "postmaster" },
		{ "postmasters-team@victim.example", false, NULL },
		{ "owner-announce@lists.example", false, "list address" },
		{ "site-owner@victim.example", false, NULL },
		{ "owner@victim.example", false, NULL },
		{ "l-Request@lists.example", false, "list address" },
		{ "requests-team@victim.example", false, NULL },
		{ "announce-bounces@lists.example", false, "list address" },
		{ "announce-bounces@lists.example", true, NULL },
		{ "fbl-bounces@mail.example.net", true, NULL },
		{ "list-return-12-jane=victim.example@lists.example", true,
		  "list address" },
		{ "LISTSERV@lists.example.edu", false, "list address" },
		{ "listservice@victim.example", false, NULL },
		{ "majordomo@lists.example", true, "list address" },
		{ "major@victim.example", false, NULL },
		{ "bounce-123@esp.example", false, "bounce address" },
		{ "bounce-123@esp.example", true, NULL },
		{ "bounces@esp.example", false, "bounce address" },
		{ "bounce@esp.example", false, "bounce address" },
		{ "Bounces.x9@esp.example", false, "bounce address" },
		{ "bouncer@victim.example", false, NULL },
		{ "root@localhost", false, "local address" },
		{ "root@localhost", true, "local address" },
		{ "root@server", false, "local address" },
		{ "root@host.localdomain", false, "local address" },
		{ "jane@printer.local", false, "local address" },
		{ "root@victim.example", false, NULL },
		{ "jane@localhost.victim.example", false, NULL },
		{ "root@[127.0.0.1]", false, "address literal" },
		{ "root@[IPv6:::1]", true, "address literal" },
		{ "victim%third.example@example.org", false, "routed address" },
		{ "third.example!victim@example.org", true, "routed address" },
		{ "\"victim@third.example\"@example.org", false,
		  "routed address" },
		{ "percent-team@victim.example", false, NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *got = reply_addr_robot(rows[i].addr,
		    rows[i].envelope);

		if (rows[i].want == NULL ? got != NULL :
		    got == NULL || strcmp(got, rows[i].want) != 0)
			fail_msg("%s (envelope %d): got '%s'", rows[i].addr,
			    rows[i].envelope, got ? got : "(person)");
	}
	assert_null(reply_addr_robot(NULL, false));
}

/* test_org - organisational domains and same_org */
static void
test_org(void **state)
{
	static const struct {
		const char *in, *want;
	} orgs[] = {
		{ "a@victim.example", "victim.example" },
		{ "a@mx.cert.Victim.example", "victim.example" },
		{ "a@www.bbc.co.uk", "bbc.co.uk" },
		{ "a@co.uk", "co.uk" },
		{ "a@shop.example.com.au", "example.com.au" },
		{ "a@foo.bar.de", "bar.de" },
		{ "a@[192.0.2.1]", "[192.0.2.1]" },
		{ "localhost", "localhost" },
		{ "mx.victim.example", "victim.example" },
	};
	static const struct {
		const char *a, *b;
		bool same;
	} pairs[] = {
		{ "desk@victim.example", "jane@victim.example", true },
		{ "soc@cert.victim.example", "jane@victim.example", true },
		{ "desk@Victim.Example", "jane@victim.example", true },
		{ "victim@third.example", "jane@attacker.example", false },
		{ "a@bank.co.uk", "b@evil.co.uk", false },
		{ "a@x.bank.co.uk", "b@bank.co.uk", true },
		{ "a@[192.0.2.1]", "b@[192.0.2.1]", true },
		{ "a@[192.0.2.1]", "b@[192.0.2.2]", false },
		{ "a@victim.example", NULL, false },
		{ "a@", "b@", false },
	};
	char *got;

	for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++) {
		got = reply_addr_org_domain(orgs[i].in);
		if (got == NULL || strcmp(got, orgs[i].want) != 0)
			fail_msg("%s: got '%s'", orgs[i].in, got ? got : "(null)");
		free(got);
	}
	assert_null(reply_addr_org_domain(NULL));
	assert_null(reply_addr_org_domain("a@"));
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (reply_addr_same_org(pairs[i].a, pairs[i].b) != pairs[i].same)
			fail_msg("%s ~ %s: want %d", pairs[i].a,
			    pairs[i].b ? pairs[i].b : "(null)", pairs[i].same);
}

/* test_mailman - an envelope NAME-bounces@D and the list NAME@D */
static void
test_mailman(void **state)
{
	assert_true(reply_addr_mailman_pair("announce-bounces@lists.example",
	    "announce@lists.example"));
	assert_true(reply_addr_mailman_pair(
	    "Announce-bounces+jane=victim.example@lists.example",
	    "announce@Lists.example"));
	assert_false(reply_addr_mailman_pair("fbl-bounces@mail.example.net",
	    "fbl-team@mail.example.net"));
	assert_false(reply_addr_mailman_pair("announce-bounces@lists.example",
	    "announce@other.example"));
	assert_false(reply_addr_mailman_pair("-bounces@lists.example",
	    "@lists.example"));
	assert_false(reply_addr_mailman_pair(NULL, "a@b.example"));
}

/* test_rate_key - case, brackets and detail go; quoted parts stay */
static void
test_rate_key(void **state)
{
	static const struct {
		const char *in, *seps, *want;
	} rows[] = {
		{ "Victim+1@Third.Example", "+", "victim@third.example" },
		{ "<victim+20@third.example>", "+", "victim@third.example" },
		{ "victim-1@third.example", "+", "victim-1@third.example" },
		{ "victim-1@third.example", "+-", "victim@third.example" },
		{ "victim+a-b@third.example", "+-", "victim@third.example" },
		{ "+x@third.example", "+", "+x@third.example" },
		{ "a+@third.example", "+", "a@third.example" },
		{ "\"a+b\"@third.example", "+", "\"a+b\"@third.example" },
		{ "victim+1@third.example", "", "victim+1@third.example" },
		{ "no-at-sign", "+", "no-at-sign" },
	};
	char *got;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = reply_addr_rate_key(rows[i].in, rows[i].seps);
		if (got == NULL || strcmp(got, rows[i].want) != 0)
			fail_msg("%s [%s]: got '%s'", rows[i].in, rows[i].seps,
			    got ? got : "(null)");
		free(got);
	}
	assert_null(reply_addr_rate_key(NULL, "+"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_robot),
		cmocka_unit_test(test_org),
		cmocka_unit_test(test_mailman),
		cmocka_unit_test(test_rate_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
