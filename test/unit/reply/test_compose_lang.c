/*
 * test_compose_lang.c - unit tests of milter/reply/compose.c, the parts
 * a complainant reads in the letter's language: the translation picked
 * for the complaint's language (and the default for an unknown one or
 * one without letters), ${ours} and ${tor_exit} as words of that
 * language (the letter's, not the complaint's) or the template's
 * default when unknown, the evidence lines,
 * and our reference in the Subject and the Message-ID, where an answer
 * is recognised (reply/ref.h). Uses the shipped abuse-ssh letters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "reply/compose.h"
#include "reply/ref.h"
#include "reply/reply_conf.h"
#include "reply/template.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define NOW 1700000000		/* Tue, 14 Nov 2023 22:13:20 UTC */
#define REF "AM-20231114-4Xb2kq1zQZz9"

struct fixture {
	struct reply_conf rc;
	struct reply_category cat;
	struct evidence ev;
	struct parsed_msg m;
};

/* setup - the shipped abuse-ssh letter with its translations, and a
 * complaint with one address, a case id and a time */
static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char *path = xasprintf("%s/templates/abuse-ssh.txt", TEST_SRCDIR);
	char err[512];

	f->rc.from = xstrdup("Example Abuse Desk <abuse-reply@example.org>");
	f->rc.from_addr = xstrdup("abuse-reply@example.org");
	f->cat.name = "abuse";
	f->cat.reply = true;
	if ((f->cat.tmpl = template_load(path, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	free(path);
	strvec_init(&f->ev.ips);
	strvec_push(&f->ev.ips, "192.0.2.7");
	f->ev.case_id = xstrdup("4711");
	f->ev.timestamp = xstrdup("2023-11-14T20:00:00Z");
	f->m.hdrs = xcalloc(3, sizeof(*f->m.hdrs));
	f->m.hdrs[0].name = xstrdup("From");
	f->m.hdrs[0].value = xstrdup("Jana <jana@victim.example>");
	f->m.hdrs[1].name = xstrdup("Subject");
	f->m.hdrs[1].value = xstrdup("SSH-Angriffe");
	f->m.hdrs[2].name = xstrdup("Message-ID");
	f->m.hdrs[2].value = xstrdup("<orig.1@victim.example>");
	f->m.nhdrs = 3;
	*state = f;
	return 0;
}

/* teardown - free the fixture */
static int
teardown(void **state)
{
	struct fixture *f = *state;

	reply_conf_free(&f->rc);
	template_free(f->cat.tmpl);
	strvec_free(&f->ev.ips);
	free(f->ev.case_id);
	free(f->ev.timestamp);
	for (size_t i = 0; i < f->m.nhdrs; i++) {
		free(f->m.hdrs[i].name);
		free(f->m.hdrs[i].value);
	}
	free(f->m.hdrs);
	free(f);
	return 0;
}

/* compose - the reply for lang, ours, tor_exit and ref */
static char *
compose(struct fixture *f, const char *lang, int ours, int tor_exit,
    const char *ref)
{
	struct reply_vars v = {
		.rcpt = "jana@victim.example", .now = NOW, .lang = lang,
		.ours = ours, .tor_exit = tor_exit, .ref = ref,
	};
	const char *why;
	char *msg = reply_compose(&f->rc, &f->cat, &f->m, &f->ev, &v, &why);

	if (msg == NULL)
		fail_msg("no reply: %s", why);
	return msg;
}

/* must - msg contains each string */
static void
must(const char *msg, const char *const *want)
{
	for (; *want != NULL; want++)
		if (strstr(msg, *want) == NULL)
			fail_msg("reply lacks \"%s\":\n%s", *want, msg);
}

/* test_languages - each language's letter, its words for yes and no */
static void
test_languages(void **state)
{
	static const struct {
		const char *lang;
		const char *want[6];
	} rows[] = {
		{ NULL, { "Dear Jana,", "Your reference: 4711",
		  "part of our network: yes", "public list: no",
		  "(UTC): 2023-11-14T20:00:00Z", NULL } },
		{ "en", { "Dear Jana,", "part of our network: yes", NULL } },
		{ "de", { "Guten Tag Jana,", "Ihr Zeichen: 4711",
		  "Teil unseres Netzes: ja", "öffentlicher Liste: nein",
		  "(UTC): 2023-11-14T20:00:00Z", NULL } },
		{ "fr", { "Bonjour Jana,", "Votre référence : 4711",
		  "dans notre réseau : oui", "liste publique : non", NULL } },
		{ "es", { "Estimado/a Jana:", "Su referencia: 4711",
		  "parte de nuestra red: sí", "lista pública: no", NULL } },
		{ "it", { "Gentile Jana,", "Suo riferimento: 4711",
		  "parte della nostra rete: sì", "elenco pubblico: no", NULL } },
		{ "nl", { "Beste Jana,", "Uw kenmerk: 4711",
		  "onderdeel van ons netwerk: ja", "openbare lijst: nee", NULL } },
		/* a language we detect but have no letters for */
		{ "pt", { "Dear Jana,", "part of our network: yes", NULL } },
	};
	char *msg;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		msg = compose(*state, rows[i].lang, 1, 0, NULL);
		must(msg, rows[i].want);
		free(msg);
	}
}

/* test_unknown_values - no exit list, no address, no time: the
 * template's defaults, in the letter's language */
static void
test_unknown_values(void **state)
{
	struct fixture *f = *state;
	static const char *const en[] = {
		"part of our network: not checked",
		"a Tor exit on the public list: not checked",
		"(UTC): not given in your report",
		"the address you reported: none found in your report",
		"Our reference: none", NULL,
	};
	static const char *const de[] = {
		"Teil unseres Netzes: nicht geprüft",
		"laut öffentlicher Liste: nicht geprüft",
		"(UTC): in Ihrer Meldung nicht genannt", NULL,
	};
	char *msg;

	free(f->ev.timestamp);
	f->ev.timestamp = NULL;
	strvec_free(&f->ev.ips);
	strvec_init(&f->ev.ips);
	msg = compose(f, NULL, -1, -1, NULL);
	must(msg, en);
	free(msg);
	msg = compose(f, "de", -1, -1, NULL);
	must(msg, de);
	free(msg);
}

/* test_words_follow_letter - a German complaint answered with a letter
 * that has no German translation gets English words in it */
static void
test_words_follow_letter(void **state)
{
	struct fixture *f = *state;
	struct template *old = f->cat.tmpl;
	char path[] = "/tmp/test_compose_lang_XXXXXX", err[512], *msg;
	static const char text[] = "\nours ${ours}, exit ${tor_exit}\n";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1),
	    (ssize_t)sizeof(text) - 1);
	close(fd);
	f->cat.tmpl = template_load(path, err, sizeof(err));
	unlink(path);
	assert_non_null(f->cat.tmpl);
	msg = compose(f, "de", 1, 0, NULL);
	assert_non_null(strstr(msg, "ours yes, exit no"));
	free(msg);
	template_free(f->cat.tmpl);
	f->cat.tmpl = old;
}

/* field - the value of header name in msg (first line only), malloc'd */
static char *
field(const char *msg, const char *name)
{
	char *pat = xasprintf("\n%s: ", name);
	const char *p = strstr(msg, pat);
	char *v;

	if (p == NULL)
		fail_msg("no %s in:\n%s", name, msg);
	p += strlen(pat);
	v = xstrndup(p, strcspn(p, "\n"));
	free(pat);
	return v;
}

/* test_reference - [REF] in the Subject (once), in our Message-ID and
 * the body; an answer's In-Reply-To or Subject carries it back */
static void
test_reference(void **state)
{
	struct fixture *f = *state;
	char *msg = compose(f, "de", 1, 1, REF), *subj, *mid, *found;

	subj = field(msg, "Subject");
	assert_string_equal(subj, "Re: SSH-Angriffe [" REF "]");
	mid = field(msg, "Message-ID");
	assert_true(strncmp(mid, "<" REF "_", strlen(REF) + 2) == 0);
	assert_non_null(strstr(mid, "@example.org>"));
	assert_non_null(strstr(msg, "Unser Zeichen: " REF " "));
	found = reply_ref_find(NULL, mid, NULL, "example.org");
	assert_non_null(found);
	assert_string_equal(found, REF);
	free(found);
	found = reply_ref_find(subj, NULL, NULL, NULL);
	assert_non_null(found);
	free(found);
	free(subj);
	free(mid);
	free(msg);
	/* a Subject that carries it already: not twice */
	free(f->m.hdrs[1].value);
	f->m.hdrs[1].value = xstrdup("Re: SSH-Angriffe [" REF "]");
	msg = compose(f, "de", 1, 1, REF);
	subj = field(msg, "Subject");
	assert_string_equal(subj, "Re: SSH-Angriffe [" REF "]");
	free(subj);
	free(msg);
	/* no reference (offline): the Subject as before, a plain id */
	msg = compose(f, NULL, 1, 1, NULL);
	mid = field(msg, "Message-ID");
	assert_null(strstr(mid, "AM-"));
	free(mid);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_languages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_words_follow_letter, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
