/*
 * test_mime_corpus.c - milter/parse/mime.c over whole files: every fixture cut
 * short anywhere and with bytes overwritten, four threads parsing at once,
 * and facts about the real samples of the shared corpus (checked by
 * reading them), which are skipped when the corpus is not there.
 */
#include "mime_check.h"

#include <dirent.h>
#include <pthread.h>

/* fixture_names - the fixture files, for the sweeps */
static size_t
fixture_names(char names[][64], size_t max)
{
	DIR *d = opendir(DATA);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL && n < max)
		if (strstr(e->d_name, ".eml") && strlen(e->d_name) < 64)
			strcpy(names[n++], e->d_name);
	closedir(d);
	return n;
}

/* test_prefix_sweep - every fixture cut short anywhere still parses */
static void
test_prefix_sweep(void **state)
{
	char names[64][64], path[512], label[160], *raw;
	struct parsed_msg m;
	size_t n = fixture_names(names, 64), i, cut, len;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%s", DATA, names[i]);
		raw = util_read_file(path, &len);
		assert_non_null(raw);
		for (cut = 0; cut <= len; cut += 1 + cut / 64) {
			snprintf(label, sizeof(label), "%s[:%zu]", names[i], cut);
			mime_parse(raw, cut, 0, &m);
			check_invariants(label, &m);
			parsed_msg_free(&m);
			mime_parse(raw, len, cut, &m);	/* max_body cut */
			check_invariants(label, &m);
			parsed_msg_free(&m);
		}
		free(raw);
	}
}

/* test_flip_sweep - fixtures with bytes overwritten by hostile ones */
static void
test_flip_sweep(void **state)
{
	static const char junk[] = { '\0', '\n', '\r', '-', '=', ':', '<',
	    '\xff', '\xc3', '"', ' ', ';' };
	char names[64][64], path[512], label[160], *raw, *c;
	struct parsed_msg m;
	size_t n = fixture_names(names, 64), i, k, len;
	unsigned seed = 12345;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%s", DATA, names[i]);
		raw = util_read_file(path, &len);
		assert_non_null(raw);
		for (k = 0; k < 40 && len > 0; k++) {
			c = xmalloc(len);
			memcpy(c, raw, len);
			for (int f = 0; f < 4; f++) {
				seed = seed * 1103515245u + 12345u;
				c[(seed >> 8) % len] =
				    junk[(seed >> 20) % sizeof(junk)];
			}
			snprintf(label, sizeof(label), "%s flip %zu", names[i],
			    k);
			mime_parse(c, len, 0, &m);
			check_invariants(label, &m);
			parsed_msg_free(&m);
			free(c);
		}
		free(raw);
	}
}

/* inputs shared by the threads of test_threads */
static struct {
	char *raw[64];
	size_t len[64];
	char *text[64];		/* the text a lone parse gives */
	size_t n;
} th;

/* parse_all - parse every input 20 times; the number of texts that
 * differ from the lone parse's */
static void *
parse_all(void *arg)
{
	struct parsed_msg m;
	size_t i, bad = 0;

	(void)arg;
	for (int round = 0; round < 20; round++)
		for (i = 0; i < th.n; i++) {
			mime_parse(th.raw[i], th.len[i], 2u << 20, &m);
			bad += th.text[i] != NULL &&
			    strcmp(m.text.s, th.text[i]) != 0;
			parsed_msg_free(&m);
		}
	return (void *)bad;
}

/* test_threads - four threads parse at once, the first parse of the
 * process among them (GMime is set up once), and get what one gets */
static void
test_threads(void **state)
{
	char names[64][64], path[512];
	struct parsed_msg m;
	pthread_t t[4];
	void *bad;
	size_t i;

	(void)state;
	th.n = fixture_names(names, 64);
	for (i = 0; i < th.n; i++) {
		snprintf(path, sizeof(path), "%s%s", DATA, names[i]);
		th.raw[i] = util_read_file(path, &th.len[i]);
		assert_non_null(th.raw[i]);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_all, NULL),
		    0);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);	/* warm-up: racing the set-up */
	for (i = 0; i < th.n; i++) {
		mime_parse(th.raw[i], th.len[i], 2u << 20, &m);
		th.text[i] = xstrdup(m.text.s);
		parsed_msg_free(&m);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, parse_all, NULL),
		    0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		assert_int_equal((size_t)bad, 0);
	}
	for (i = 0; i < th.n; i++) {
		free(th.raw[i]);
		free(th.text[i]);
	}
}

/* corpus_dir - the shared real samples, or NULL when not there */
static const char *
corpus_dir(void)
{
	static const char *const dirs[] = {
		TEST_SRCDIR "/../shared/corpus/real",
		TEST_SRCDIR "/test/corpus/real", NULL
	};
	const char *env = getenv("ABUSE_CORPUS_DIR");
	DIR *d;

	if (env != NULL && *env)
		return env;
	for (int i = 0; dirs[i] != NULL; i++)
		if ((d = opendir(dirs[i])) != NULL) {
			closedir(d);
			return dirs[i];
		}
	return NULL;
}

/* parse_sample - parse a real sample; false if the corpus is missing */
static bool
parse_sample(const char *name, struct parsed_msg *m)
{
	const char *dir = corpus_dir();
	char path[1024], *raw;
	size_t len;

	if (dir == NULL)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((raw = util_read_file(path, &len)) == NULL)
		fail_msg("cannot read %s", path);
	if (mime_parse(raw, len, 2u << 20, m) != 0)
		fail_msg("%s: rc != 0", name);
	check_invariants(name, m);
	free(raw);
	return true;
}

/* test_corpus_all - every real sample parses, with a From and a text */
static void
test_corpus_all(void **state)
{
	const char *dir = corpus_dir();
	struct parsed_msg m;
	struct dirent *e;
	DIR *d;
	int n = 0;

	(void)state;
	if (dir == NULL || (d = opendir(dir)) == NULL)
		skip();
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".eml") == NULL)
			continue;
		parse_sample(e->d_name, &m);
		if (parsed_msg_header(&m, "from") == NULL || m.nhdrs < 3)
			fail_msg("%s: headers not read", e->d_name);
		if (m.text.len == 0 && m.evidence.len == 0)
			fail_msg("%s: no text and no evidence", e->d_name);
		parsed_msg_free(&m);
		n++;
	}
	closedir(d);
	assert_true(n >= 40);
}

/* a fact about one real sample, checked by reading the file */
struct fact {
	const char *file;
	const char *text_has, *text_lacks, *ev_has;
	const char *hdr[2];
	const char *part[3];		/* type, role, data substring */
};

static const struct fact facts[] = {
	{ "abuseio-spamexperts-1-arf.eml", .text_has = "looks like spam",
	  .text_lacks = "GTUBE", .ev_has =
	  "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL",
	  .part = { "message/feedback-report", "REPORT", "Source-IP" } },
	{ "abuseio-fbl-aol-1.eml", .text_has = "abuse report",
	  .text_lacks = "voucher", .ev_has = "Ati primit un voucher!",
	  .part = { "message/feedback-report", "REPORT",
	  "Feedback-Type: abuse" } },
	{ "abuseio-fbl-comcast-2.eml",
	  .part = { "message/feedback-report", "REPORT", "Feedback-Type" } },
	{ "abuseio-fbl-usanet-1.eml",
	  .part = { "message/rfc822", "EVIDENCE", "Subject:" } },
	{ "abuseio-fbl-yahoo-1-es.eml", .text_lacks = "Nuevas alertas",
	  .ev_has = "Subject: Nuevas alertas de empleo",
	  .part = { "message/feedback-report", "REPORT", "Feedback-Type" } },
	{ "abuseio-fbl-zoho-1.eml",
	  .part = { "message/feedback-report", "REPORT", "Feedback-Type" } },
	{ "sisimai-arf-01-smpfbl.eml",
	  .part = { "message/feedback-report", "REPORT", "192.0.2.89" } },
	{ "sisimai-arf-25-rackspace-fbl.eml",
	  .part = { "message/feedback-report", "REPORT", "Source-Ip" } },
	{ "sisimai-arf-18-dmarc-forensic.eml",
	  .part = { "message/feedback-report", "REPORT", "auth-failure" } },
	{ "sisimai-bounce-kddi-01-ja.eml",
	  .text_has = "送信先のメールボックスが一杯のため",
	  .text_lacks = "Nyaaaan", .ev_has = "Nyaaaan",
	  .hdr = { "Subject", "メールエラー通知" } },
	{ "sisimai-bounce-office365-01.eml",
	  .text_has = "The email address wasn’t found", .text_lacks = "=92",
	  .hdr = { "Subject", "Undeliverable: Nyaan" } },
	{ "sisimai-bounce-mailru-01-ru.eml", .hdr = { "Subject",
	  "Ваше сообщение не доставлено. Mail failure." } },
	{ "sisimai-bounce-rfc3464-01.eml", .text_lacks = "猫",
	  .ev_has = "太眉猫",
	  .part = { "message/delivery-status", "REPORT", "Reporting-MTA" } },
	{ "sisimai-bounce-postfix-01.eml",
	  .part = { "message/delivery-status", "REPORT", "Status: 5.1.1" } },
	{ "abuseio-abusehub-1.eml", .text_has = "abuse from 172.16.10.13",
	  .text_lacks = "PGP SIGNATURE", .hdr = { "X-hd-filtered", "abuse" },
	  .part = { "text/csv", "REPORT", "ZeroAccess" } },
	{ "abuseio-projecthoneypot-free-1.eml", .hdr = { "from",
	  "Project Honey Pot Monitoring <monitor-bounce@projecthoneypot.org>" } },
	{ "abuseio-copyrightcompliance-1.eml",
	  .text_has = "- - ---Start ACNS XML" },
	{ "abuseio-ipechelon-1.eml", .text_has = "BEGIN PGP SIGNED MESSAGE",
	  .part = { "application/xml", "REPORT", "<Infringement" } },
	{ "abuseio-cleanmx-1-harvesting.eml",
	  .text_has = "84.22.103.137 has attacked",
	  .text_lacks = "Reported-From",
	  .part = { "text/plain", "REPORT", "Report-Type: harvesting" } },
	{ "abuseio-cyscon-1.eml",
	  .part = { "text/plain", "REPORT", "signature: CYSC.MALWARE" } },
	{ "abuseio-netcraft-1-malware.eml",
	  .part = { "text/plain", "REPORT", "Report-Type" } },
	{ "abuseio-blocklistde-1.eml", .text_has = "10.0.2.150",
	  .part = { "text/plain", "REPORT", "Reported-From" } },
	{ "abuseio-webiron-1.eml", .text_lacks = "<a href",
	  .part = { "application/octet-stream", "REPORT", "Category: abuse" } },
	{ "abuseio-shadowserver-scan-ntp.eml",
	  .part = { "application/octet-stream", "OTHER", "PK" } },
	{ "sisimai-arf-22-hotmail-jmrp.eml", .ev_has = "Received",
	  .part = { "message/rfc822", "EVIDENCE", NULL } },
};

static void
test_corpus_facts(void **state)
{
	const struct fact *f;
	const struct msg_part *p;
	struct parsed_msg m;
	const char *v;

	(void)state;
	if (corpus_dir() == NULL)
		skip();
	for (f = facts; f < facts + sizeof(facts) / sizeof(facts[0]); f++) {
		parse_sample(f->file, &m);
		if (f->text_has && !strstr(m.text.s, f->text_has))
			fail_msg("%s: text lacks \"%s\"", f->file, f->text_has);
		if (f->text_lacks && strstr(m.text.s, f->text_lacks))
			fail_msg("%s: text has \"%s\"", f->file, f->text_lacks);
		if (f->ev_has && !strstr(m.evidence.s, f->ev_has))
			fail_msg("%s: evidence lacks \"%s\"", f->file, f->ev_has);
		if (f->hdr[0] && ((v = parsed_msg_header(&m, f->hdr[0])) ==
		    NULL || strcmp(v, f->hdr[1]) != 0))
			fail_msg("%s: %s = \"%s\"", f->file, f->hdr[0],
			    v ? v : "(none)");
		if (f->part[0] && ((p = find_part(&m, f->part[0], f->part[1]))
		    == NULL || (f->part[2] && !memmem(p->data, p->len,
		    f->part[2], strlen(f->part[2])))))
			fail_msg("%s: no %s part %s with \"%s\"", f->file,
			    f->part[1], f->part[0], f->part[2] ? f->part[2] : "");
		parsed_msg_free(&m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_prefix_sweep),
		cmocka_unit_test(test_flip_sweep),
		cmocka_unit_test(test_corpus_all),
		cmocka_unit_test(test_corpus_facts),
	};

	return cmocka_run_group_tests_name("mime_corpus", tests, NULL, NULL);
}
