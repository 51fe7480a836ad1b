/*
 * tokens.c - a parsed complaint turned into the learner's tokens; see
 * tokens.h for what they are.
 *
 * One accumulator (struct tok_acc) collects the tokens of a message: a
 * hash set (GLib) keeps each token once, and the count stops at
 * TOKENS_MAX, so hostile input costs at most a bounded amount of memory
 * and one linear pass over each text.
 *
 *	tokens_of(m, ev, NULL, &out);		the whole message
 *	tokens_text("Copyright notice", "subj", 0, &out);
 */
#include "classify/tokens.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/phrase.h"
#include "evidence/extract.h"
#include "parse/rfc5322.h"
#include "util/utf8.h"

/* tok_acc - the tokens of one message being collected */
struct tok_acc {
	struct strvec *out;
	GHashTable *seen;	/* keys point into out's strings */
	struct buf t;		/* the token being made */
};

/* the headers whose presence tells something about who wrote a mail */
static const char *const tok_notable[] = {
	"x-arf", "auto-submitted", "list-id", "list-unsubscribe",
	"precedence", "in-reply-to", "references", "x-autoreply",
	"x-autorespond", "x-auto-response-suppress", "x-loop",
	"disposition-notification-to", "return-receipt-to",
	"x-report-abuse", "feedback-id", "x-mailer", "user-agent",
	"x-abuse-report", "x-spam-flag", "x-ms-exchange-organization-scl",
	NULL
};

/* the headers whose short value tells more than their presence */
static const char *const tok_valued[] = {
	"auto-submitted", "precedence", "x-auto-response-suppress", NULL
};

/* tok_acc_init - an accumulator over out, knowing the tokens in it */
static void
tok_acc_init(struct tok_acc *a, struct strvec *out)
{
	a->out = out;
	a->seen = g_hash_table_new(g_str_hash, g_str_equal);
	buf_init(&a->t);
	for (size_t i = 0; i < out->n; i++)
		g_hash_table_add(a->seen, out->v[i]);
}

/* tok_acc_done - the set goes; out keeps the tokens */
static void
tok_acc_done(struct tok_acc *a)
{
	g_hash_table_destroy(a->seen);
	buf_free(&a->t);
}

/* tok_full - no room for more tokens */
static bool
tok_full(const struct tok_acc *a)
{
	return a->out->n >= TOKENS_MAX;
}

/* tok_add - KIND:VALUE (value[0..n)) unless already there or full; made
 * in a reused buffer, copied only when new (most words repeat) */
static void
tok_add(struct tok_acc *a, const char *kind, const char *value, size_t n)
{
	char *t;

	if (tok_full(a) || n == 0)
		return;
	buf_reset(&a->t);
	buf_puts(&a->t, kind);
	buf_putc(&a->t, ':');
	buf_append(&a->t, value, n);
	if (g_hash_table_contains(a->seen, a->t.s))
		return;
	t = xstrndup(a->t.s, a->t.len);
	strvec_push_owned(a->out, t);
	g_hash_table_add(a->seen, t);
}

/* tok_lower - the lower case of a word character */
static gunichar
tok_lower(gunichar c)
{
	return c < 0x80 ? (gunichar)g_ascii_tolower((gchar)c) :
	    g_unichar_tolower(c);
}

/* word - the word being read, folded */
struct word {
	struct buf b;
	bool digits_only;
	bool single;		/* one character of a spaceless script */
};

/* words - the state of a text's words: the previous kept word, for
 * pairs */
struct words {
	struct tok_acc *a;
	const char *prefix;
	bool pairs;
	struct buf prev;	/* empty: no previous word to pair with */
};

/* words_end - the word read is complete: keep it (and its pair) or skip
 * it (which breaks the pair) */
static void
words_end(struct words *ws, struct word *w)
{
	bool keep = w->b.len > 0 && w->b.len <= TOKEN_WORD_MAX &&
	    !w->digits_only && (w->b.len > 1 || w->single);

	if (w->b.len == 0)
		return;
	if (!keep) {
		buf_reset(&ws->prev);
	} else {
		tok_add(ws->a, ws->prefix, w->b.s, w->b.len);
		if (ws->pairs && ws->prev.len > 0) {
			buf_putc(&ws->prev, '_');
			buf_append(&ws->prev, w->b.s, w->b.len);
			tok_add(ws->a, "b", ws->prev.s, ws->prev.len);
		}
		buf_reset(&ws->prev);
		buf_append(&ws->prev, w->b.s, w->b.len);
	}
	buf_reset(&w->b);
	w->digits_only = true;
	w->single = false;
}

/* words_char - one character of the text */
static void
words_char(struct words *ws, struct word *w, gunichar c)
{
	if (!phrase_wordchar(c)) {
		words_end(ws, w);
		return;
	}
	if (phrase_unspaced(c)) {
		words_end(ws, w);
		utf8_put(&w->b, tok_lower(c));
		w->digits_only = false;
		w->single = true;
		words_end(ws, w);
		return;
	}
	/* a word far too long is skipped anyway: stop growing it */
	if (w->b.len <= TOKEN_WORD_MAX)
		utf8_put(&w->b, tok_lower(c));
	if (c < 0x80 ? !(c >= '0' && c <= '9') : !g_unichar_isdigit(c))
		w->digits_only = false;
}

/* tok_words - the words of text[0..len) with kind prefix */
static void
tok_words(struct tok_acc *a, const char *text, size_t len,
    const char *prefix, bool pairs)
{
	struct words ws = {.a = a, .prefix = prefix, .pairs = pairs};
	struct word w = {.digits_only = true};

	if (text == NULL)
		return;
	if (len > TOKENS_TEXT_MAX)
		len = utf8_cut(text, len, TOKENS_TEXT_MAX);
	buf_init(&ws.prev);
	buf_init(&w.b);
	for (size_t i = 0; i < len && !tok_full(a);) {
		uint32_t cp;
		int k = utf8_seq(text + i, len - i, &cp);

		if (k <= 0) {		/* a broken byte separates words */
			words_end(&ws, &w);
			i++;
			continue;
		}
		words_char(&ws, &w, (gunichar)cp);
		i += (size_t)k;
	}
	words_end(&ws, &w);
	buf_free(&ws.prev);
	buf_free(&w.b);
}

/* tok_from - from:DOMAIN and from:PARENT (last two labels) */
static void
tok_from(struct tok_acc *a, const struct parsed_msg *m)
{
	const char *from = parsed_msg_header(m, "From"), *dom, *p;
	char *addr;
	int dots = 0;

	if (from == NULL || (addr = rfc5322_addr_first(from)) == NULL)
		return;
	if ((dom = strrchr(addr, '@')) != NULL && dom[1] != '\0') {
		dom++;
		tok_add(a, "from", dom, strlen(dom));
		for (p = dom + strlen(dom); p > dom; p--)
			if (p[-1] == '.' && ++dots == 2)
				break;
		if (p > dom)
			tok_add(a, "from", p, strlen(p));
	}
	free(addr);
}

/* tok_value - the telling part of a header value: up to the first
 * ";", blank or end, lower-cased into b */
static void
tok_value(struct buf *b, const char *v)
{
	size_t n = strcspn(v, "; \t\r\n");

	buf_reset(b);
	buf_append(b, v, n > TOKEN_WORD_MAX ? TOKEN_WORD_MAX : n);
	str_lower(b->s);
}

/* tok_headers - hdr: tokens of the notable headers, type: of the
 * message */
static void
tok_headers(struct tok_acc *a, const struct parsed_msg *m)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < m->nhdrs; i++) {
		const struct msg_header *h = &m->hdrs[i];

		if (str_in_list_nocase(h->name, tok_notable)) {
			buf_reset(&b);
			buf_puts(&b, h->name);
			str_lower(b.s);
			tok_add(a, "hdr", b.s, b.len);
		}
		if (str_in_list_nocase(h->name, tok_valued) && h->value != NULL) {
			char *name = str_lower(xstrdup(h->name));

			tok_value(&b, h->value);
			if (b.len > 0) {
				char *t = xasprintf("%s=%s", name, b.s);

				tok_add(a, "hdr", t, strlen(t));
				free(t);
			}
			free(name);
		}
	}
	if (parsed_msg_header(m, "Content-Type") != NULL) {
		tok_value(&b, parsed_msg_header(m, "Content-Type"));
		tok_add(a, "type", b.s, b.len);
	}
	buf_free(&b);
}

/* tok_parts - part: the type of every leaf part */
static void
tok_parts(struct tok_acc *a, const struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].content_type != NULL)
			tok_add(a, "part", m->parts[i].content_type,
			    strlen(m->parts[i].content_type));
}

/* tok_reports - report:TYPE of every report found */
static void
tok_reports(struct tok_acc *a, const struct evidence *ev)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < ev->fields.n; i++) {
		if (strcasecmp(ev->fields.v[i].key, "report") != 0)
			continue;
		tok_value(&b, ev->fields.v[i].val);
		tok_add(a, "report", b.s, b.len);
	}
	buf_free(&b);
}

/* tokens_of - see tokens.h */
void
tokens_of(const struct parsed_msg *m, const struct evidence *ev,
    const char *own_text, struct strvec *out)
{
	struct tok_acc a;
	const char *subject = parsed_msg_header(m, "Subject");
	char *own = NULL;

	tok_acc_init(&a, out);
	tok_from(&a, m);
	if (subject != NULL)
		tok_words(&a, subject, strlen(subject), "subj", false);
	if (ev != NULL)
		tok_reports(&a, ev);
	tok_headers(&a, m);
	tok_parts(&a, m);
	if (own_text == NULL)
		own_text = own = extract_own_text(m->text.s != NULL ?
		    m->text.s : "");
	tok_words(&a, own_text, strlen(own_text), "w", true);
	free(own);
	tok_acc_done(&a);
}

/* tokens_text - see tokens.h */
void
tokens_text(const char *text, const char *prefix, int pairs,
    struct strvec *out)
{
	struct tok_acc a;

	tok_acc_init(&a, out);
	tok_words(&a, text, text != NULL ? strlen(text) : 0, prefix,
	    pairs != 0);
	tok_acc_done(&a);
}

/* tokens_digest - see tokens.h */
char *
tokens_digest(const struct parsed_msg *m)
{
	static const char *const names[] = {"Message-ID", "From", "Subject",
	    "Date"};
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char *out;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = parsed_msg_header(m, names[i]);

		if (v != NULL)
			g_checksum_update(ck, (const guchar *)v, (gssize)strlen(v));
		/* a NUL after each part: "ab" + "c" is not "a" + "bc" */
		g_checksum_update(ck, (const guchar *)"", 1);
	}
	g_checksum_update(ck, (const guchar *)m->text.s, (gssize)m->text.len);
	g_checksum_update(ck, (const guchar *)"", 1);
	g_checksum_update(ck, (const guchar *)m->evidence.s,
	    (gssize)m->evidence.len);
	out = xasprintf("sha256:%s", g_checksum_get_string(ck));
	g_checksum_free(ck);
	return out;
}
