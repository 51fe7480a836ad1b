/*
 * test_template.c - unit tests of milter/reply/template.c: load errors with
 * their line numbers, one-pass rendering (values holding $TO$ or
 * ${subject} stay literal), defaults, cleaning of hostile values, long
 * lines, the shipped templates under templates/ loading cleanly, and
 * their translations (NAME.LANG.txt): one per letter and language, each
 * with exactly the variables of its English original, the evidence and
 * references every letter states, the language-neutral words (the exit
 * list, TorDNSEL, 512(a), ...) the original has, and a broken
 * translation failing the load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "classify/lang.h"
#include "reply/template.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* write_tmp - a temporary file holding text; returns its malloc'd path */
static char *
write_tmp(const char *text, size_t len)
{
	char *path = xstrdup("/tmp/test_template_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

/* load_text - template_load on a temporary file holding text */
static struct template *
load_text(const char *text, size_t len, char *err, size_t errlen, char **pathp)
{
	char *path = write_tmp(text, len);
	struct template *t = template_load(path, err, errlen);

	unlink(path);
	*pathp = path;
	return t;
}

struct err_row {
	const char *label;
	const char *text;
	const char *want;	/* error after "PATH:" */
};

static const struct err_row err_rows[] = {
	{ "unknown variable", "Subject: x\n\nHello ${foo}\n",
	  "3: unknown variable ${foo}" },
	{ "unknown variable in header", "Subject: ${subjekt}\n\nbody\n",
	  "1: unknown variable ${subjekt}" },
	{ "unknown with default", "\nline\n${nope:-x}\n",
	  "3: unknown variable ${nope}" },
	{ "empty name", "\n${}\n", "2: unknown variable ${}" },
	{ "unterminated", "\nHi ${to\n", "2: unterminated variable \"${to\"" },
	{ "no empty line", "Subject: x\nHello there\n",
	  "2: not a header line (is the empty line between header section and body missing?)" },
	{ "only headers", "Subject: x\n",
	  "1: no empty line between header section and body" },
	{ "empty file", "", "1: no empty line between header section and body" },
	{ "empty body", "Subject: x\n\n", "2: empty body" },
	{ "reserved From", "From: me@example.org\n\nbody\n",
	  "1: header From is set by the milter and cannot be set in a template" },
	{ "reserved Bcc any case", "X-Ok: 1\nbcc: evil@x\n\nbody\n",
	  "2: header bcc is set by the milter and cannot be set in a template" },
	{ "reserved Content-", "Content-Type: text/html\n\nbody\n",
	  "1: header Content-Type is set by the milter and cannot be set in a template" },
	{ "duplicate", "Subject: a\nsubject: b\n\nbody\n",
	  "2: duplicate header subject" },
	{ "continuation first", " folded\n\nbody\n",
	  "1: continuation line before any header" },
	{ "invalid utf-8", "\nok\nbad \xff byte\n",
	  "3: invalid UTF-8 or control character" },
	{ "escape char", "\nbad \x1b[31m\n", "2: invalid UTF-8 or control character" },
	{ "stray CR", "\nbad\rline\n", "2: invalid UTF-8 or control character" },
};

/* test_load_errors - every bad template is refused with PATH:LINE */
static void
test_load_errors(void **state)
{
	char err[512], want[600], *path;
	struct template *t;

	for (size_t i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
		err[0] = '\0';
		t = load_text(err_rows[i].text, strlen(err_rows[i].text),
		    err, sizeof(err), &path);
		snprintf(want, sizeof(want), "%s:%s", path, err_rows[i].want);
		free(path);
		if (t != NULL) {
			template_free(t);
			fail_msg("row '%s' loaded", err_rows[i].label);
		}
		if (strcmp(err, want) != 0)
			fail_msg("row '%s': got '%s'", err_rows[i].label, err);
	}
}

/* test_load_nul_and_missing - a NUL byte; a file that does not exist */
static void
test_load_nul_and_missing(void **state)
{
	static const char text[] = "\nab\0cd\n";
	char err[512], *path;
	struct template *t;

	t = load_text(text, sizeof(text) - 1, err, sizeof(err), &path);
	assert_null(t);
	assert_non_null(strstr(err, ":2: NUL byte"));
	free(path);
	t = template_load("/nonexistent/x.txt", err, sizeof(err));
	assert_null(t);
	assert_string_equal(err, "/nonexistent/x.txt: No such file or directory");
}

struct render_row {
	const char *label;
	const char *text;
	const char *subject;	/* TVAR_SUBJECT */
	const char *case_id;	/* TVAR_CASE_ID */
	const char *want_hdrs;	/* "Name=value|" per header */
	const char *want_body;
};

static const struct render_row render_rows[] = {
	{ "plain", "Subject: Re: ${subject}\n\nHi $TO$,\ncase ${case_id}.\n-- \n$FROM$\n",
	  "Notice", "123", "Subject=Re: Notice|",
	  "Hi rcpt@example.net,\ncase 123.\n-- \nDesk <abuse@example.org>\n" },
	{ "values are not expanded again", "\n${subject} / ${case_id}\n",
	  "$TO$ ${from} $$", "${subject}", "",
	  "$TO$ ${from} $$ / ${subject}\n" },
	{ "default used when missing", "X-Case: ${case_id:-none}\n\nid ${case_id:-unknown}\n",
	  "s", NULL, "X-Case=none|", "id unknown\n" },
	{ "default unused when present", "\nid ${case_id:-unknown}\n",
	  "s", "77", "", "id 77\n" },
	{ "empty counts as missing", "\n[${case_id}] [${case_id:-}]\n",
	  "s", "", "", "[] []\n" },
	{ "dollar escape and lone dollars", "\n$$5 and $XYZ and $${to}\n",
	  "s", "1", "", "$5 and $XYZ and ${to}\n" },
	{ "folded header joins", "X-Note: one\n  two ${case_id}\n\nb\n",
	  "s", "9", "X-Note=one two 9|", "b\n" },
	{ "CRLF template", "Subject: x\r\n\r\nline\r\n", "s", "1",
	  "Subject=x|", "line\n" },
	{ "last line without LF", "\nend", "s", "1", "", "end\n" },
	{ "hostile subject cleaned", "Subject: Re: ${subject}\n\n${subject}\n",
	  "x\r\nBcc: evil@x\x1b\xff", "1",
	  "Subject=Re: x  Bcc: evil@x \xef\xbf\xbd|",
	  "x  Bcc: evil@x \xef\xbf\xbd\n" },
	{ "tab in template kept", "\na\tb\n", "s", "1", "", "a\tb\n" },
};

/* render_text - load text, render with fixed values, flatten headers */
static void
render_text(const struct render_row *r, struct buf *hdrs_out,
    struct buf *body)
{
	const char *vals[TVAR_COUNT] = { 0 };
	char err[512], *path;
	struct kvlist hdrs;
	struct template *t;

	vals[TVAR_TO] = "rcpt@example.net";
	vals[TVAR_FROM] = "Desk <abuse@example.org>";
	vals[TVAR_SUBJECT] = r->subject;
	vals[TVAR_CASE_ID] = r->case_id;
	t = load_text(r->text, strlen(r->text), err, sizeof(err), &path);
	free(path);
	if (t == NULL)
		fail_msg("row '%s': %s", r->label, err);
	kvlist_init(&hdrs);
	template_render(t, vals, &hdrs, body);
	for (size_t i = 0; i < hdrs.n; i++)
		buf_printf(hdrs_out, "%s=%s|", hdrs.v[i].key, hdrs.v[i].val);
	kvlist_free(&hdrs);
	template_free(t);
}

/* test_render - every row, headers and body */
static void
test_render(void **state)
{
	struct buf h, b;

	for (size_t i = 0; i < sizeof(render_rows) / sizeof(render_rows[0]); i++) {
		buf_init(&h);
		buf_init(&b);
		render_text(&render_rows[i], &h, &b);
		if (strcmp(h.s, render_rows[i].want_hdrs) != 0)
			fail_msg("row '%s': headers '%s'", render_rows[i].label, h.s);
		if (strcmp(b.s, render_rows[i].want_body) != 0)
			fail_msg("row '%s': body '%s'", render_rows[i].label, b.s);
		buf_free(&h);
		buf_free(&b);
	}
}

/* test_long_values - values are cut at TEMPLATE_VALUE_MAX and no body
 * line exceeds 998 bytes even with several long values on one line */
static void
test_long_values(void **state)
{
	static const struct render_row r = {
		"long", "Subject: ${subject}\n\n${subject} ${subject}${subject}\n",
		NULL, "1", NULL, NULL,
	};
	struct render_row row = r;
	struct buf big, h, b;
	const char *line, *nl;
	size_t total = 0;

	buf_init(&big);
	while (big.len < 10240)
		buf_puts(&big, "\xc3\xa4");	/* no spaces: forces hard cuts */
	row.subject = big.s;
	buf_init(&h);
	buf_init(&b);
	render_text(&row, &h, &b);
	/* header value: 1024 bytes of text plus "..." */
	assert_int_equal(strlen(h.s), strlen("Subject=") + 1024 + 3 + 1);
	for (line = b.s; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		assert_true(nl - line <= 998);
		assert_true(((unsigned char)*line & 0xc0) != 0x80);
		total += (size_t)(nl - line);
	}
	assert_true(*line == '\0');
	/* nothing lost but the one space the wrap consumed */
	assert_int_equal(total, 3 * (1024 + 3) + 1 - 1);
	buf_free(&big);
	buf_free(&h);
	buf_free(&b);
}

/* test_shipped - every template under templates/ loads, names the
 * reported addresses, and says what the seed's reply for its case says */
static void
test_shipped(void **state)
{
	static const struct {
		const char *file;
		const char *must[6];	/* phrases the body must contain */
	} rows[] = {
		{ "dmca.txt", { "Tor exit", "no usage logs", "512(a)",
		  "mere conduit", "Electronic Commerce", "host, store" } },
		{ "spam.txt", { "Tor exit", "port 25", "web mail",
		  "no logs", NULL } },
		{ "abuse.txt", { "Tor exit", "simply picks another exit",
		  "torbulkexitlist", "limited time", "CAPTCHA", "do not keep logs" } },
		{ "block-request.txt", { "exit relays", "would not even notice",
		  "torbulkexitlist", "only while the attack lasts", "CAPTCHA",
		  "keep no logs" } },
		{ "generic.txt", { "Tor exit", "torbulkexitlist", "CAPTCHA",
		  "no logs", NULL } },
		/* the scenario letters: the exit list, the advice of the
		 * scenario, what we can and cannot do */
		{ "abuse-ssh.txt", { "Tor exit", "torbulkexitlist", "fail2ban",
		  "keys", "on these ports", "What we cannot do" } },
		{ "abuse-weblogin.txt", { "Tor exit", "torbulkexitlist",
		  "two-factor", "CAPTCHA", "reset their passwords", NULL } },
		{ "abuse-scan.txt", { "Tor exit", "torbulkexitlist", "patched",
		  "refuse your address", NULL } },
		{ "abuse-dos.txt", { "Tor exit", "torbulkexitlist",
		  "per address", "lifted again", "refuse your address", NULL } },
		{ "abuse-scraping.txt", { "Tor exit", "torbulkexitlist",
		  "rate limit", "refuse your site", NULL } },
		{ "abuse-webspam.txt", { "Tor exit", "torbulkexitlist",
		  "CAPTCHA", "moderation", "another exit", NULL } },
		{ "abuse-webmail.txt", { "Tor exit", "torbulkexitlist",
		  "port 25", "Received lines", "lock", NULL } },
		{ "abuse-takeover.txt", { "Tor exit", "torbulkexitlist",
		  "change the password", "two-factor", "police", NULL } },
		{ "abuse-exploit.txt", { "Tor exit", "torbulkexitlist",
		  "up to date", "WAF", "refuse your address", NULL } },
		{ "abuse-fraud.txt", { "Tor exit", "torbulkexitlist",
		  "3-D Secure", "payment provider", "police", NULL } },
		{ "abuse-phishing.txt", { "Tor exit", "torbulkexitlist",
		  "hosting provider", "registrar", "refuse the site", NULL } },
	};
	const char *vals[TVAR_COUNT] = { 0 };
	char err[512], *path;
	struct template *t;
	struct kvlist hdrs;
	struct buf body;

	vals[TVAR_IPS] = "192.0.2.77";
	vals[TVAR_TO] = "rcpt@example.net";
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		path = xasprintf("%s/templates/%s", TEST_SRCDIR, rows[i].file);
		t = template_load(path, err, sizeof(err));
		free(path);
		if (t == NULL)
			fail_msg("%s: %s", rows[i].file, err);
		kvlist_init(&hdrs);
		buf_init(&body);
		template_render(t, vals, &hdrs, &body);
		if (strstr(body.s, "192.0.2.77") == NULL)
			fail_msg("%s does not name ${ips}", rows[i].file);
		for (size_t k = 0; k < 6 && rows[i].must[k] != NULL; k++)
			if (strstr(body.s, rows[i].must[k]) == NULL)
				fail_msg("%s lacks \"%s\"", rows[i].file, rows[i].must[k]);
		kvlist_free(&hdrs);
		buf_free(&body);
		template_free(t);
	}
}

/* var_list - the names of the variables in mask, for messages */
static char *
var_list(unsigned long mask)
{
	struct buf b;

	buf_init(&b);
	for (int v = 0; v < TVAR_COUNT; v++)
		if (mask & (1ul << v))
			buf_printf(&b, " ${%s}", template_var_name((enum template_var)v));
	return buf_steal(&b);
}

/* check_translation - t's translation for lang exists, has the same
 * variables as t, and every language-neutral word t's body has */
static void
check_translation(const struct template *t, const char *name,
    const char *lang, const char *en_body)
{
	static const char *const neutral[] = { "torbulkexitlist", "TorDNSEL",
	    "fail2ban", "CAPTCHA", "WAF", "3-D Secure", "512(a)", "2000/31",
	    "SMTP", "Received", "RDP", "VPN", "SSH", "25", NULL };
	const struct template *tr = template_pick(t, lang_index(lang));
	const char *vals[TVAR_COUNT] = { 0 };
	unsigned long a, b;
	struct kvlist hdrs;
	struct buf body;
	char *x, *y;

	if (tr == t)
		fail_msg("%s has no %s translation", name, lang);
	assert_non_null(strstr(template_file(tr), lang));
	if ((a = template_var_mask(t)) != (b = template_var_mask(tr))) {
		x = var_list(a & ~b);
		y = var_list(b & ~a);
		fail_msg("%s: translation drops%s, adds%s", template_file(tr), x, y);
	}
	kvlist_init(&hdrs);
	buf_init(&body);
	template_render(tr, vals, &hdrs, &body);
	for (size_t k = 0; neutral[k] != NULL; k++)
		if (strstr(en_body, neutral[k]) != NULL &&
		    strstr(body.s, neutral[k]) == NULL)
			fail_msg("%s lacks \"%s\"", template_file(tr), neutral[k]);
	kvlist_free(&hdrs);
	buf_free(&body);
}

/* test_translations - every English letter under templates/ states the
 * evidence and both references, and has a translation in each of
 * de, fr, es, it, nl that keeps its variables */
static void
test_translations(void **state)
{
	static const char *const langs[] = { "de", "fr", "es", "it", "nl" };
	static const enum template_var stated[] = { TVAR_CASE_ID, TVAR_REF,
	    TVAR_IPS, TVAR_OURS, TVAR_TOR_EXIT, TVAR_TIMESTAMP, TVAR_TO_NAME,
	    TVAR_RE_SUBJECT, TVAR_FROM };
	char *dir = xasprintf("%s/templates", TEST_SRCDIR), *path, err[512];
	const char *vals[TVAR_COUNT] = { 0 };
	struct dirent *e;
	struct kvlist hdrs;
	struct buf body;
	struct template *t;
	size_t n = 0, len;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		/* NAME.txt only: NAME.LANG.txt has a second dot */
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0 ||
		    memchr(e->d_name, '.', len - 4) != NULL)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if ((t = template_load(path, err, sizeof(err))) == NULL)
			fail_msg("%s", err);
		free(path);
		assert_string_equal(template_file(t), e->d_name);
		for (size_t k = 0; k < sizeof(stated) / sizeof(stated[0]); k++)
			if (!(template_var_mask(t) & (1ul << stated[k])))
				fail_msg("%s does not state ${%s}", e->d_name,
				    template_var_name(stated[k]));
		kvlist_init(&hdrs);
		buf_init(&body);
		template_render(t, vals, &hdrs, &body);
		for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++)
			check_translation(t, e->d_name, langs[l], body.s);
		/* unknown, or a language without letters: the default */
		assert_ptr_equal(template_pick(t, LANG_UNKNOWN), t);
		assert_ptr_equal(template_pick(t, lang_index("pt")), t);
		kvlist_free(&hdrs);
		buf_free(&body);
		template_free(t);
		n++;
	}
	closedir(d);
	free(dir);
	assert_true(n >= 16);
}

/* test_broken_translation - a translation with an unknown variable
 * fails the load of its original, naming the translation's file */
static void
test_broken_translation(void **state)
{
	static const char good[] = "Subject: ${re_subject}\n\nHello\n";
	static const char bad[] = "Subject: ${re_subject}\n\n${nope}\n";
	char *dir = xstrdup("/tmp/test_template_dir_XXXXXX"), *en, *de, err[512];
	struct template *t;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	en = xasprintf("%s/letter.txt", dir);
	de = xasprintf("%s/letter.de.txt", dir);
	assert_non_null(fp = fopen(en, "w"));
	fputs(good, fp);
	fclose(fp);
	t = template_load(en, err, sizeof(err));	/* no translation: fine */
	assert_non_null(t);
	assert_ptr_equal(template_pick(t, lang_index("de")), t);
	template_free(t);
	assert_non_null(fp = fopen(de, "w"));
	fputs(bad, fp);
	fclose(fp);
	assert_null(template_load(en, err, sizeof(err)));
	assert_non_null(strstr(err, "letter.de.txt:3: unknown variable ${nope}"));
	unlink(de);
	unlink(en);
	rmdir(dir);
	free(de);
	free(en);
	free(dir);
}

/* test_var_names - the table of names is complete */
static void
test_var_names(void **state)
{
	assert_string_equal(template_var_name(TVAR_TO), "to");
	assert_string_equal(template_var_name(TVAR_TIMESTAMP), "timestamp");
	assert_string_equal(template_var_name(TVAR_COUNT), "?");
	for (int i = 0; i < TVAR_COUNT; i++)
		assert_non_null(template_var_name((enum template_var)i));
	assert_true(template_header_reserved("x-loop"));
	assert_true(template_header_reserved("Resent-To"));
	assert_false(template_header_reserved("Subject"));
	assert_false(template_header_reserved("Reply-To"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_nul_and_missing),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_translations),
		cmocka_unit_test(test_broken_translation),
		cmocka_unit_test(test_var_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
