/*
 * fuzz_reply.c - libFuzzer harness for the reply a complaint would get:
 * complaint_analyze() with the shipped configuration, then
 * reply_compose() for the chosen category (and for the first category
 * that has a template, whether or not the policy would send), and an
 * oracle on the result, since no CR, LF or NUL injection is
 * possible:
 *  - the header section has only "Name: value" lines and continuation
 *    lines (starting with a space or tab), each at most 998 bytes, no
 *    bare CR, no NUL before the terminator;
 *  - every header field name is one the composer or the template writes
 *    (the set seen for a harmless complaint, plus In-Reply-To and
 *    References), and none appears twice.
 * A violation aborts with the offending line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "complaint/complaint.h"
#include "config/config.h"
#include "reply/compose.h"

#define MAX_NAMES 64

static struct config *fuzz_cfg;
static char *allowed[MAX_NAMES];
static size_t nallowed;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* name_len - length of the field name of a header line, 0 if none */
static size_t
name_len(const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n && line[i] != ':'; i++)
		if (line[i] <= ' ' || line[i] > '~')
			return 0;
	return i < n ? i : 0;
}

static void
fail(const char *why, const char *line, size_t n, const char *msg)
{
	fprintf(stderr, "fuzz_reply: %s: \"%.*s\"\n--- reply ---\n%s\n",
	    why, (int)(n > 300 ? 300 : n), line, msg);
	abort();
}

/* check_reply - the oracle; learn: record the names instead */
static void
check_reply(const char *msg, int learn)
{
	const char *p = msg, *nl;
	char *seen[MAX_NAMES];
	size_t nseen = 0, i, n, k;

	for (;; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			fail("header section without an end", p, strlen(p), msg);
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0)
			break;		/* the blank line: body follows */
		if (memchr(p, '\r', n) != NULL)
			fail("bare CR in a header line", p, n, msg);
		if (n > 998)
			fail("header line over 998 bytes", p, n, msg);
		if (p[0] == ' ' || p[0] == '\t')
			continue;	/* folded continuation */
		if ((k = name_len(p, n)) == 0)
			fail("header line without a field name", p, n, msg);
		for (i = 0; i < nseen; i++)
			if (strlen(seen[i]) == k &&
			    strncasecmp(seen[i], p, k) == 0)
				fail("header field twice", p, n, msg);
		if (nseen == MAX_NAMES)
			fail("too many header fields", p, n, msg);
		seen[nseen++] = strndup(p, k);
		if (learn && nallowed < MAX_NAMES) {
			allowed[nallowed++] = strndup(p, k);
			continue;
		}
		for (i = 0; i < nallowed; i++)
			if (strlen(allowed[i]) == k &&
			    strncasecmp(allowed[i], p, k) == 0)
				break;
		if (!learn && i == nallowed)
			fail("header field the composer never writes", p, n,
			    msg);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
}

/* compose_check - compose the reply for cat and run the oracle */
static void
compose_check(const struct complaint *c, const struct category *cat,
    const char *rcpt, int learn)
{
	struct reply_vars v = {
		.rcpt = rcpt,
		.category = cat->name,
		.tor_exit = c->tor_exit == TRI_TRUE,
		.now = 1700000000,
		.message_id = "<fuzz@example.org>",
	};
	const char *why = NULL;
	struct reply_category answer;
	char *msg;

	config_answer(fuzz_cfg, cat, NULL, &answer);
	if (answer.tmpl == NULL)
		return;
	msg = reply_compose(&fuzz_cfg->reply, &answer, &c->msg, &c->ev, &v,
	    &why);
	if (msg != NULL)
		check_reply(msg, learn);
	free(msg);
}

static const struct category *
first_with_template(void)
{
	for (size_t i = 0; i < fuzz_cfg->rules.ncats; i++) {
		struct reply_category answer;

		config_answer(fuzz_cfg, &fuzz_cfg->rules.cats[i], NULL, &answer);
		if (answer.tmpl != NULL)
			return &fuzz_cfg->rules.cats[i];
	}
	return NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char harmless[] =
	    "From: Reporter <reporter@example.net>\n"
	    "Message-ID: <m1@example.net>\n"
	    "Subject: ssh attack from 192.0.2.1\n\n"
	    "Brute force from 192.0.2.1 port 22 at 2024-01-01 10:00 UTC.\n";
	const char *path = getenv("ABUSE_FUZZ_CONF");
	char err[1024];
	struct complaint c;

	(void)argc;
	(void)argv;
	if (path == NULL)
		path = "etc/abuse-milter.conf";
	if ((fuzz_cfg = config_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_reply: %s\n", err);
		exit(1);
	}
	nallowed = 0;
	allowed[nallowed++] = strdup("In-Reply-To");
	allowed[nallowed++] = strdup("References");
	complaint_analyze(fuzz_cfg, harmless, sizeof(harmless) - 1,
	    "reporter@example.net", &c);
	for (size_t i = 0; i < fuzz_cfg->rules.ncats; i++)
		compose_check(&c, &fuzz_cfg->rules.cats[i],
		    "reporter@example.net", 1);
	complaint_free(&c);
	if (getenv("ABUSE_FUZZ_DEBUG") != NULL)
		for (size_t i = 0; i < nallowed; i++)
			fprintf(stderr, "fuzz_reply: allowed %s\n", allowed[i]);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct category *any = first_with_template();
	struct complaint c;

	complaint_analyze(fuzz_cfg, (const char *)data, size,
	    "reporter@example.net", &c);
	if (c.rcpt != NULL)
		compose_check(&c, c.cat, c.rcpt, 0);
	if (any != NULL)
		compose_check(&c, any, "reporter@example.net", 0);
	complaint_free(&c);
	return 0;
}
