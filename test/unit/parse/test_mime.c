/*
 * test_mime.c - tests of milter/parse/mime.c (and the mime_*.c files
 * below it): a table of fixture messages (test/unit/data/mime/) and
 * generated bad input, each row run by one loop. Every result, good input
 * or bad, must also keep the invariants of message.h (mime_check.h).
 * test_mime_corpus.c runs the fixtures cut and flipped, in threads, and
 * the real samples of the shared corpus.
 */
#include "mime_check.h"

#include <time.h>

#include "util/utf8.h"

/* a test row: an input and what must (not) come out of it */
struct row {
	const char *label;
	const char *file;		/* fixture in DATA, or NULL */
	char *(*make)(size_t *len);	/* else a generated input */
	size_t max_body;
	int rc;
	int malformed;			/* 0, 1, or -1 for either */
	int truncated;
	const char *text_has[4];
	const char *text_lacks[3];
	const char *ev_has[3];
	const char *hdr[2];		/* name, exact value */
	const char *part[2][3];		/* type, role, data substring */
};

static char *
load(const struct row *r, size_t *len)
{
	char path[512];
	char *s;

	if (r->make != NULL)
		return r->make(len);
	snprintf(path, sizeof(path), "%s%s", DATA, r->file);
	if ((s = util_read_file(path, len)) == NULL)
		fail_msg("%s: cannot read %s", r->label, path);
	return s;
}

static void
check_row(const struct row *r, const struct parsed_msg *m, int rc)
{
	const struct msg_part *p;
	const char *v;
	size_t i;

	check_invariants(r->label, m);
	if (rc != r->rc)
		fail_msg("%s: rc %d, want %d", r->label, rc, r->rc);
	if (r->malformed >= 0 && m->malformed != (r->malformed == 1))
		fail_msg("%s: malformed %d, want %d", r->label, m->malformed,
		    r->malformed);
	if (m->truncated != (r->truncated == 1))
		fail_msg("%s: truncated %d", r->label, m->truncated);
	for (i = 0; i < 4 && r->text_has[i]; i++)
		if (strstr(m->text.s, r->text_has[i]) == NULL)
			fail_msg("%s: text lacks \"%s\":\n%s", r->label,
			    r->text_has[i], m->text.s);
	for (i = 0; i < 3 && r->text_lacks[i]; i++)
		if (strstr(m->text.s, r->text_lacks[i]) != NULL)
			fail_msg("%s: text has \"%s\"", r->label,
			    r->text_lacks[i]);
	for (i = 0; i < 3 && r->ev_has[i]; i++)
		if (strstr(m->evidence.s, r->ev_has[i]) == NULL)
			fail_msg("%s: evidence lacks \"%s\":\n%s", r->label,
			    r->ev_has[i], m->evidence.s);
	if (r->hdr[0] != NULL &&
	    ((v = parsed_msg_header(m, r->hdr[0])) == NULL ||
	    strcmp(v, r->hdr[1]) != 0))
		fail_msg("%s: header %s = \"%s\", want \"%s\"", r->label,
		    r->hdr[0], v ? v : "(none)", r->hdr[1]);
	for (i = 0; i < 2 && r->part[i][0]; i++) {
		p = find_part(m, r->part[i][0], r->part[i][1]);
		if (p == NULL || (r->part[i][2] &&
		    strstr(p->data, r->part[i][2]) == NULL))
			fail_msg("%s: no %s part %s with \"%s\"", r->label,
			    r->part[i][1], r->part[i][0],
			    r->part[i][2] ? r->part[i][2] : "");
	}
}

/* generated inputs */

static char *
make_empty(size_t *len)
{
	*len = 0;
	return xstrdup("");
}

/* make_empty_b64_part - a text part whose base64 decodes to nothing: its
 * bytes are (NULL, 0); found by contrib/fuzz (UBSan: NULL + 0 in
 * mtext_repair), fails only in a -fsanitize=undefined build */
static char *
make_empty_b64_part(size_t *len)
{
	static const char s[] =
	    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain\n"
	    "Content-Transfer-Encoding: base64\n\n\n"
	    "--b\nContent-Type: text/plain; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: base64\n\n\n"
	    "--b\nContent-Type: text/plain\n\n"
	    "after the empty parts 192.0.2.5\n--b--\n";

	*len = sizeof(s) - 1;
	return xstrdup(s);
}

static char *
make_nul(size_t *len)
{
	static const char s[] = "From: x@example.org\r\nSubject: a\0b\r\n"
	    "X-Null:\0\0\r\n\r\nbody\0text 192.0.2.4\r\n";

	*len = sizeof(s) - 1;
	char *c = xmalloc(sizeof(s));
	memcpy(c, s, sizeof(s));
	return c;
}

/* big_attachment - a text part and n bytes of binary, base64 */
static char *
big_attachment(size_t n, size_t *len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b;
	size_t i, col = 0;

	buf_init(&b);
	buf_puts(&b, "From: big@example.org\nSubject: big\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\n"
	    "Content-Type: text/plain\n\nSee the capture.\n--B\n"
	    "Content-Type: application/octet-stream; name=\"cap.pcap\"\n"
	    "Content-Transfer-Encoding: base64\n\n");
	for (i = 0; i < n / 3 * 4; i++) {
		buf_putc(&b, b64[(i * 7 + i / 5) % 64]);
		if (++col == 76) {
			buf_putc(&b, '\n');
			col = 0;
		}
	}
	buf_puts(&b, "\n--B--\n");
	*len = b.len;
	return b.s;
}

static char *
make_5mb(size_t *len)
{
	return big_attachment(5u << 20, len);
}

static char *
make_1mb_header(size_t *len)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "From: h@example.org\nSubject: ");
	for (size_t i = 0; i < (1u << 20); i++)
		buf_putc(&b, "abcdefgh "[i % 9]);
	buf_puts(&b, "\nX-Last: end\n\nBody after a megabyte of header.\n");
	*len = b.len;
	return b.s;
}

static char *
make_utf8_cut(size_t *len)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "From: u@example.org\nSubject: cut\n"
	    "Content-Type: text/plain; charset=utf-8\n\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "\xc3\xa9");	/* é */
	*len = b.len;
	return b.s;
}

static char *
make_b64_cut(size_t *len)
{
	/* base64 of "ééé…": a cut lands inside a character once decoded */
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "From: u@example.org\nSubject: cut\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n");
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "w6nDqcOp\n");	/* "ééé" */
	*len = b.len;
	return b.s;
}

static char *
make_deep(size_t *len)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "From: d@example.org\nSubject: deep\n");
	for (i = 0; i < 300; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n"
		    "\n--b%d\n", i, i);
	buf_puts(&b, "Content-Type: text/plain\n\ndeepest text\n");
	for (i = 299; i >= 0; i--)
		buf_printf(&b, "--b%d--\n", i);
	*len = b.len;
	return b.s;
}

static char *
make_hostile_html(size_t *len)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "From: x@example.org\nSubject: html\n"
	    "Content-Type: text/html\n\nvisible ");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "<a &#x; &am <!- <script");
	*len = b.len;
	return b.s;
}

static char *
make_unclosed_script(size_t *len)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "From: x@example.org\nSubject: html\n"
	    "Content-Type: text/html\n\n<p>visible</p>");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "<script>evil(); </scrip");
	*len = b.len;
	return b.s;
}

static char *
make_many_parts(size_t *len)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "From: x@example.org\nSubject: parts\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"P\"\n\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&b, "--P\nContent-Type: text/plain\n\npart %d\n", i);
	buf_puts(&b, "--P--\n");
	*len = b.len;
	return b.s;
}

#define F(f)	.file = (f)
#define G(g)	.make = (g)

static const struct row rows[] = {
	{ "plain LF", F("plain.eml"),
	  .text_has = { "Hello abuse desk,\nyour host 192.0.2.7 attacks us.\n" },
	  .hdr = { "subject", "élève café" },
	  .part = { { "text/plain", "TEXT", "192.0.2.7" } } },
	{ "plain CRLF", F("plain-crlf.eml"),
	  .text_has = { "Hello abuse desk,\nyour host" }, .text_lacks = { "\r" },
	  .hdr = { "FROM", "Alice <alice@example.org>" } },
	{ "8-bit header and body garbage", F("eightbit.eml"), .malformed = -1,
	  .text_has = { "body été" },
	  .hdr = { "Subject", "café naïve “quoted”" } },
	{ "quoted-printable iso-8859-1", F("qp-latin1.eml"),
	  .text_has = { "Café crème, a long line that is soft broken." } },
	{ "windows-1252", F("cp1252.eml"),
	  .text_has = { "wasn’t found – € 5." } },
	{ "ISO-2022-JP", F("iso2022jp.eml"), .text_has = { "こんにちは abuse" } },
	{ "ISO-2022-JP label on UTF-8", F("iso2022jp-utf8.eml"),
	  .text_has = { "メール full" } },
	{ "UTF-16LE base64", F("utf16.eml"), .text_has = { "hi é" } },
	{ "charset iconv does not know", F("unknown-charset.eml"),
	  .malformed = -1, .text_has = { "naïve" } },
	{ "base64 text", F("base64.eml"),
	  .text_has = { "Grüße from base64, IP 198.51.100.9" } },
	{ "HTML only", F("html-only.eml"),
	  .text_has = { "Hello world & more", "192.0.2.1 192.0.2.2",
	  "Line2 éA € –", "a < b" },
	  .text_lacks = { "evil", "color", "hidden" },
	  .part = { { "text/html", "TEXT", "<script" } } },
	{ "alternative: text/plain wins", F("alternative.eml"),
	  .text_has = { "Plain version here." },
	  .text_lacks = { "HTML version" },
	  .part = { { "text/html", "TEXT", "HTML version" } } },
	{ "alternative: empty plain, HTML used",
	  F("alternative-emptyplain.eml"),
	  .text_has = { "Only the HTML says it" }, .text_lacks = { "<p>" },
	  .part = { { "image/png", "OTHER", NULL } } },
	{ "multipart/signed", F("signed.eml"),
	  .text_has = { "Signed complaint text." },
	  .text_lacks = { "PGP SIGNATURE", "Category" },
	  .part = { { "application/pgp-signature", "OTHER", NULL },
	  { "text/plain", "REPORT", "Category: abuse" } } },
	{ "PGP clear-signed kept as is", F("clearsigned.eml"),
	  .text_has = { "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n",
	  "- - ---Start ACNS XML\n<Infringement>" } },
	{ "ARF: report and evidence", F("arf.eml"),
	  .text_has = { "abuse report for a message from 192.0.2.55." },
	  .text_lacks = { "Cheap pills", "spammer", "Nested" },
	  .ev_has = { "Subject: Buy nöw\n", "Cheap pills spam body.",
	  "Nested original text." },
	  .part = { { "message/feedback-report", "REPORT",
	  "Source-IP: 192.0.2.55" },
	  { "message/rfc822", "EVIDENCE", "From: spammer@example.com" } } },
	{ "DSN, rfc822-headers, empty rfc822", F("dsn.eml"), .malformed = -1,
	  .text_has = { "This is the mail system." },
	  .text_lacks = { "original subject" },
	  .ev_has = { "Subject: original subject" },
	  .part = { { "message/delivery-status", "REPORT", "Status: 5.1.1" },
	  { "text/rfc822-headers", "EVIDENCE", "sender@example.org" } } },
	{ "attachments by type and name", F("attachments.eml"),
	  .text_has = { "See attached." },
	  .text_lacks = { "192.0.2.9", "decoded here" },
	  .part = { { "application/octet-stream", "REPORT", "192.0.2.9,2024" },
	  { "application/zip", "OTHER", NULL } } },
	{ "missing closing boundary", F("missing-close.eml"), .malformed = 1,
	  .text_has = { "Text before the end that never comes." } },
	{ "missing boundary parameter", F("no-boundary-param.eml"),
	  .malformed = 1, .text_has = { "Recovered part text." },
	  .text_lacks = { "--XyZ", "Infringement" },
	  .part = { { "application/xml", "REPORT", "<Infringement/>" } } },
	{ "missing boundary, plain body", F("no-boundary-text.eml"),
	  .malformed = 1, .text_has =
	  { "Just words in a body that claims to be multipart." } },
	{ "truncated MIME", F("truncated-mime.eml"), .malformed = 1,
	  .text_has = { "First part is whole." } },
	{ "lying Content-Transfer-Encoding", F("lying-cte.eml"),
	  .malformed = 1, .text_has = { "This is not base64 at all, it is "
	  "text about 203.0.113.5.\nSecond line" } },
	{ "invalid base64", F("bad-base64.eml"), .malformed = 1,
	  .text_has = { "Hello world, damaged" } },
	{ "blank line inside the header", F("blank-in-header.eml"),
	  .malformed = 1, .text_has = { "Body of the split message." },
	  .text_lacks = { "X-After" }, .hdr = { "x-after-blank", "yes" } },
	{ "blank line before Content-Type", F("blank-then-ct.eml"),
	  .malformed = 1, .text_has = { "Café after blank." },
	  .text_lacks = { "Content-Type" },
	  .hdr = { "Content-Transfer-Encoding", "quoted-printable" } },
	{ "forwarded header lines stay text", F("forwarded-headers.eml"),
	  .text_has = { "From: John Doe <john@example.com>\nTo: Jane",
	  "The quoted forward stays text." },
	  .hdr = { "From", "p@example.org" } },
	{ "no header/body separator", F("no-separator.eml"), .malformed = 1,
	  .text_has = { "This line starts the body", "192.0.2.77" },
	  .hdr = { "Subject", "no separator" } },
	{ "no header at all", F("no-headers.eml"), .malformed = 1,
	  .text_has = { "hello, this complaint has no header at all: "
	  "192.0.2.99\n" } },
	{ "mbox From line", F("mbox-from.eml"),
	  .text_has = { "Body after an mbox From line." },
	  .hdr = { "Return-Path", "<someone@example.org>" } },
	{ "text in a part's header block", F("part-header-text.eml"),
	  .malformed = 1, .text_has = { "IP: 198.51.100.23 has attacked",
	  "\"postfix\" on Time: 21:09:11\ncontent of the part" } },
	{ "NUL bytes in header and body", G(make_nul), .malformed = 1,
	  .text_has = { "body text 192.0.2.4" }, .hdr = { "Subject", "a b" } },
	{ "empty input", G(make_empty), .rc = -1, .malformed = 1 },
	{ "empty base64 text parts", G(make_empty_b64_part), .malformed = -1,
	  .text_has = { "after the empty parts 192.0.2.5" } },
	{ "5 MB attachment", G(make_5mb), .text_has = { "See the capture." },
	  .part = { { "application/octet-stream", "OTHER", NULL } } },
	{ "5 MB attachment, max_body 2 MiB", G(make_5mb),
	  .max_body = 2u << 20, .truncated = 1,
	  .text_has = { "See the capture." } },
	{ "1 MB header", G(make_1mb_header),
	  .text_has = { "Body after a megabyte of header." },
	  .hdr = { "X-Last", "end" } },
	{ "cut inside a UTF-8 character", G(make_utf8_cut), .max_body = 1001,
	  .truncated = 1, .text_has = { "éé" },
	  .text_lacks = { "\xef\xbf\xbd", "Ã" } },
	{ "cut inside base64 of UTF-8", G(make_b64_cut), .max_body = 15,
	  .truncated = 1, .text_has = { "éé" },
	  .text_lacks = { "\xef\xbf\xbd", "Ã" } },
	{ "300 nested multiparts", G(make_deep), .malformed = 1 },
	{ "hostile HTML", G(make_hostile_html), .text_has = { "visible" } },
	{ "unclosed script", G(make_unclosed_script),
	  .text_has = { "visible" }, .text_lacks = { "evil" } },
	{ "3000 parts", G(make_many_parts),
	  .text_has = { "part 0\npart 1\n", "part 2999" } },
};

static void
test_rows(void **state)
{
	struct parsed_msg m;
	size_t i, len;
	char *raw;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		raw = load(&rows[i], &len);
		rc = mime_parse(raw, len, rows[i].max_body, &m);
		check_row(&rows[i], &m, rc);
		parsed_msg_free(&m);
		free(raw);
	}
}

/* test_5mb_decoded - the whole attachment is there, decoded */
static void
test_5mb_decoded(void **state)
{
	struct parsed_msg m;
	const struct msg_part *p;
	size_t len;
	char *raw = make_5mb(&len);

	(void)state;
	assert_int_equal(mime_parse(raw, len, 0, &m), 0);
	p = find_part(&m, "application/octet-stream", "OTHER");
	assert_non_null(p);
	assert_int_equal(p->len, (5u << 20) / 3 * 3);
	assert_string_equal(p->filename, "cap.pcap");
	parsed_msg_free(&m);
	assert_int_equal(mime_parse(raw, len, 2u << 20, &m), 0);
	p = find_part(&m, "application/octet-stream", "OTHER");
	assert_non_null(p);
	assert_true(p->len > 0 && p->len <= (2u << 20));
	parsed_msg_free(&m);
	free(raw);
}

/* test_opaque - a picture is listed but not decoded; the same bytes
 * named .zip are (an archive may hide behind any type) */
static void
test_opaque(void **state)
{
	static const char *const kinds[][2] = {
		{ "image/png; name=\"shot.png\"", "image/png" },
		{ "video/mp4", "video/mp4" },
	};
	struct parsed_msg m;
	const struct msg_part *p;
	size_t len;
	char *orig, *raw, *at;

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		orig = big_attachment(64 * 1024, &len);
		at = strstr(orig, "application/octet-stream; name=\"cap.pcap\"");
		assert_non_null(at);
		raw = xasprintf("%.*sContent-Type: %s%s", (int)(at -
		    strlen("Content-Type: ") - orig), orig, kinds[k][0],
		    at + strlen("application/octet-stream; name=\"cap.pcap\""));
		free(orig);
		assert_int_equal(mime_parse(raw, strlen(raw), 0, &m), 0);
		p = find_part(&m, kinds[k][1], "OTHER");
		assert_non_null(p);
		assert_int_equal(p->len, 0);
		assert_non_null(strstr(m.text.s, "See the capture."));
		parsed_msg_free(&m);
		free(raw);
	}
	orig = big_attachment(64 * 1024, &len);
	at = strstr(orig, "application/octet-stream; name=\"cap.pcap\"");
	raw = xasprintf("%.*simage/png; name=\"logs.zip\"%s",
	    (int)(at - orig), orig, at + strlen("application/octet-stream; "
	    "name=\"cap.pcap\""));
	free(orig);
	assert_int_equal(mime_parse(raw, strlen(raw), 0, &m), 0);
	p = find_part(&m, "image/png", "OTHER");
	assert_non_null(p);
	assert_int_equal(p->len, 64 * 1024 / 3 * 3);
	parsed_msg_free(&m);
	free(raw);
}

/* test_max_scan - a text part adds at most max_scan bytes to the text,
 * never half a character; the part stays whole; the cut is noted. With
 * 0, or a short part, nothing is cut. */
static void
test_max_scan(void **state)
{
	struct buf raw;
	struct parsed_msg m;
	const struct msg_part *p;

	(void)state;
	buf_init(&raw);
	buf_puts(&raw, "From: a@example.net\nSubject: log\n"
	    "Content-Type: text/plain; charset=utf-8\n\nfirst 192.0.2.1\n");
	for (int i = 0; i < 1000; i++)
		buf_puts(&raw, "\xc3\xa9t\xc3\xa9 log line\n");	/* 15 bytes */
	buf_puts(&raw, "last 192.0.2.99\n");
	assert_int_equal(mime_parse_scan(raw.s, raw.len, 0, 1001, &m), 0);
	assert_true(m.text.len <= 1001 && m.text.len > 900);
	assert_non_null(strstr(m.text.s, "first 192.0.2.1"));
	assert_null(strstr(m.text.s, "192.0.2.99"));
	assert_true(utf8_valid(m.text.s, m.text.len, NULL));
	assert_true(m.scan_cut > 15000);
	p = find_part(&m, "text/plain", "TEXT");
	assert_non_null(p);
	assert_non_null(strstr(p->data, "last 192.0.2.99"));
	parsed_msg_free(&m);

	assert_int_equal(mime_parse_scan(raw.s, raw.len, 0, 0, &m), 0);
	assert_non_null(strstr(m.text.s, "last 192.0.2.99"));
	assert_int_equal(m.scan_cut, 0);
	parsed_msg_free(&m);
	assert_int_equal(mime_parse_scan(raw.s, raw.len, 0, 1u << 20, &m), 0);
	assert_int_equal(m.scan_cut, 0);
	parsed_msg_free(&m);
	buf_free(&raw);
}

/* make_deep_dashes - 10000 nested multiparts, then 400000 "--x" lines:
 * GMime checks every "--" line against every open boundary, which took
 * 1.5 s of CPU for these 2 MB before mime_mend limited the nesting it
 * shows GMime (contrib/fuzz/crashes/slow-mime-deep-nesting.sh) */
static char *
make_deep_dashes(size_t *len)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "From: r@example.net\nContent-Type: multipart/mixed;"
	    "boundary=0\n\n");
	for (i = 1; i < 10000; i++)
		buf_printf(&b, "--%x\nContent-Type:multipart/mixed;"
		    "boundary=%x\n\n", i - 1, i);
	buf_printf(&b, "--%x\nContent-Type: text/plain\n\n", i - 1);
	for (i = 0; i < 400000; i++)
		buf_puts(&b, "--x\n");
	*len = b.len;
	return b.s;
}

/* test_deep_nesting - deeply nested multiparts parse as malformed,
 * whole (contrib/fuzz/crashes/slow-mime-deep-nesting.sh measures the
 * CPU it costs: a benchmark, not an assertion) */
static void
test_deep_nesting(void **state)
{
	struct parsed_msg m;
	size_t len;
	char *raw = make_deep_dashes(&len);

	(void)state;
	mime_parse(raw, len, 0, &m);
	check_invariants("deep nesting", &m);
	assert_true(m.malformed);
	parsed_msg_free(&m);
	free(raw);
}

/* test_bare_cr - a bare CR or LF inside a header value separates words
 * (a fold is CRLF or LF followed by a blank): "123\rBcc" must not glue
 * into one case id "123Bcc" */
static void
test_bare_cr(void **state)
{
	static const char raw[] = "From: a@example.net\r\n"
	    "Subject: Case 123\rBcc: victim@example.org\r\n"
	    "X-Folded: one\r\n two\r\n\r\nbody\r\n";
	struct parsed_msg m;

	(void)state;
	assert_int_equal(mime_parse(raw, sizeof(raw) - 1, 0, &m), 0);
	assert_string_equal(parsed_msg_header(&m, "Subject"),
	    "Case 123 Bcc: victim@example.org");
	assert_string_equal(parsed_msg_header(&m, "X-Folded"), "one two");
	parsed_msg_free(&m);
}

/* test_null_input - a NULL pointer is empty input, not a crash */
static void
test_null_input(void **state)
{
	struct parsed_msg m;

	(void)state;
	assert_int_equal(mime_parse(NULL, 0, 0, &m), -1);
	check_invariants("NULL", &m);
	assert_null(parsed_msg_header(&m, "From"));
	parsed_msg_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_5mb_decoded),
		cmocka_unit_test(test_max_scan),
		cmocka_unit_test(test_opaque),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_bare_cr),
	};

	return cmocka_run_group_tests_name("mime", tests, NULL, NULL);
}
