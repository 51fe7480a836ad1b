/*
 * received.c - the Received: chain of a header block, read as text (see
 * received.h). The header block is an attached message's, or lines a
 * complainant pasted or quoted ("> Received: ...") into the text.
 *
 *	rcvd_chain_read(text, len, &ch);	   ch.hop[0] is the newest
 *
 * The fields are the common "from HELO (RDNS [ADDR]) by HOST ...; DATE"
 * of Postfix and Sendmail, Exim's "from RDNS ([ADDR] helo=HELO)", and
 * the "from HOST (ADDR)" of Exchange and qmail. A field that fits none
 * still counts as a hop, with what could be read of it.
 *
 * One pass over the lines; a field is cut at RCVD_FIELD_MAX bytes (real
 * ones are a few hundred) and only RCVD_MAX_HOPS hops are kept, so a
 * forged chain of thousands of lines costs one linear scan.
 */
#include "parse/received.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

#define RCVD_FIELD_MAX	2048	/* bytes of one field kept */

/* rcvd_chain_init - an empty chain */
void
rcvd_chain_init(struct rcvd_chain *ch)
{
	memset(ch, 0, sizeof(*ch));
}

/* rcvd_chain_free - release every string */
void
rcvd_chain_free(struct rcvd_chain *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		free(ch->hop[i].helo);
		free(ch->hop[i].rdns);
		free(ch->hop[i].addr);
		free(ch->hop[i].by);
		free(ch->hop[i].date);
	}
	free(ch->originating);
	rcvd_chain_init(ch);
}

/* rcvd_is_space - blank or line end */
static bool
rcvd_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* rcvd_token - a copy of the host-like token at v[i..e): up to a blank,
 * parenthesis or bracket; a trailing dot dropped; NULL when empty */
static char *
rcvd_token(const char *v, size_t i, size_t e)
{
	size_t s = i;

	while (i < e && !rcvd_is_space(v[i]) && strchr("()[];", v[i]) == NULL)
		i++;
	while (i > s && v[i - 1] == '.')
		i--;
	return i > s ? xstrndup(v + s, i - s) : NULL;
}

/* rcvd_word_at - does the word w (lower case) stand at v[i..e), with a
 * blank or the end after it? */
static bool
rcvd_word_at(const char *v, size_t i, size_t e, const char *w)
{
	size_t n = strlen(w);

	return i + n <= e && strncasecmp(v + i, w, n) == 0 &&
	    (i + n == e || rcvd_is_space(v[i + n]));
}

/* rcvd_by - offset of the "by" clause outside comments, or e */
static size_t
rcvd_by(const char *v, size_t e)
{
	int depth = 0;

	for (size_t i = 0; i < e; i++) {
		if (v[i] == '(')
			depth++;
		else if (v[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (i == 0 || rcvd_is_space(v[i - 1])) &&
		    rcvd_word_at(v, i, e, "by"))
			return i;
	}
	return e;
}

/* rcvd_literal - the address of a "(ADDR)" comment: hex digits, dots
 * and colons only (Exchange, qmail) */
static char *
rcvd_literal(const char *v, size_t s, size_t e)
{
	size_t i;

	for (i = s; i < e && strchr("0123456789abcdefABCDEF.:", v[i]) != NULL;
	    i++)
		;
	if (i != e || e == s || (memchr(v + s, '.', e - s) == NULL &&
	    memchr(v + s, ':', e - s) == NULL))
		return NULL;
	return xstrndup(v + s, e - s);
}

/* rcvd_bracket - the "[ADDR]" of the from clause v[s..e): inside the
 * comment when there is one (Postfix "HELO (RDNS [ADDR])", where a
 * "[ADDR]" HELO is only what the client said), else the HELO literal
 * (Exim "from [ADDR] (helo=...)"); the address, and the name written
 * before it inside the comment, or the first name for Exim's "([ADDR]" */
static bool
rcvd_bracket(const char *v, size_t s, size_t e, struct rcvd_hop *hop)
{
	const char *paren = memchr(v + s, '(', e - s), *open = NULL, *close;
	size_t a, k;

	if (paren != NULL)
		open = memchr(paren, '[', (size_t)(v + e - paren));
	if (open == NULL)
		open = memchr(v + s, '[', e - s);
	if (open == NULL || (close = memchr(open, ']', (size_t)(v + e - open)))
	    == NULL)
		return false;
	a = (size_t)(open - v) + 1;
	if ((size_t)(close - v) - a > 5 && strncasecmp(v + a, "IPv6:", 5) == 0)
		a += 5;
	hop->addr = xstrndup(v + a, (size_t)(close - v) - a);
	for (k = (size_t)(open - v); k > s && rcvd_is_space(v[k - 1]); k--)
		;
	if (k > s && v[k - 1] == '(') {
		if (hop->helo != NULL && hop->helo[0] != '[')
			hop->rdns = xstrdup(hop->helo);
		return true;
	}
	while (k > s && !rcvd_is_space(v[k - 1]) && v[k - 1] != '(')
		k--;
	if (k > s && v[k - 1] == '(')
		hop->rdns = rcvd_token(v, k, e);
	if (hop->rdns != NULL && strcasecmp(hop->rdns, "unknown") == 0) {
		free(hop->rdns);
		hop->rdns = NULL;
	}
	return true;
}

/* rcvd_from - the from clause v[s..e): HELO name, the name looked up,
 * the client's address */
static void
rcvd_from(const char *v, size_t s, size_t e, struct rcvd_hop *hop)
{
	size_t i, c;

	while (s < e && rcvd_is_space(v[s]))
		s++;
	if (!rcvd_word_at(v, s, e, "from"))
		return;
	for (s += 4; s < e && rcvd_is_space(v[s]); s++)
		;
	if (s < e && v[s] == '[') {	/* an address literal HELO */
		const char *c = memchr(v + s, ']', e - s);

		if (c != NULL)
			hop->helo = xstrndup(v + s, (size_t)(c - v) + 1 - s);
	} else if (s < e && v[s] != '(')
		hop->helo = rcvd_token(v, s, e);
	if (rcvd_bracket(v, s, e, hop))
		return;
	for (i = s; i < e; i++) {	/* Exchange, qmail: "(ADDR)" */
		if (v[i] != '(')
			continue;
		for (c = i + 1; c < e && v[c] != ')'; c++)
			;
		if ((hop->addr = rcvd_literal(v, i + 1, c)) != NULL)
			break;
	}
	if (hop->addr != NULL && hop->helo != NULL)
		hop->rdns = xstrdup(hop->helo);
	else if (hop->addr == NULL && hop->helo != NULL)
		hop->addr = rcvd_literal(hop->helo, 0, strlen(hop->helo));
}

/* rcvd_hop_parse - one unfolded Received: value into a hop */
static void
rcvd_hop_parse(const char *v, size_t len, struct rcvd_hop *hop)
{
	const char *semi = NULL;
	size_t by = rcvd_by(v, len), i;

	memset(hop, 0, sizeof(*hop));
	for (i = 0; i < len; i++)
		if (v[i] == ';')
			semi = v + i;
	if (semi != NULL) {
		size_t ds = (size_t)(semi - v) + 1, de = len;

		while (ds < de && rcvd_is_space(v[ds]))
			ds++;
		while (de > ds && rcvd_is_space(v[de - 1]))
			de--;
		if (de > ds)
			hop->date = xstrndup(v + ds, de - ds);
		len = (size_t)(semi - v);
		if (by > len)
			by = len;
	}
	rcvd_from(v, 0, by, hop);
	if (by < len) {
		for (i = by + 2; i < len && rcvd_is_space(v[i]); i++)
			;
		hop->by = rcvd_token(v, i, len);
	}
}

/* rcvd_reader - state of one pass */
struct rcvd_reader {
	struct rcvd_chain *ch;
	struct buf field;	/* the field being read, unfolded */
	int kind;		/* 0 none, 1 Received, 2 X-Originating-IP,
				 * 3 any other field */
	bool found;		/* a Received: field was read */
};

/* rcvd_flush - the field read so far is complete */
static void
rcvd_flush(struct rcvd_reader *r)
{
	struct rcvd_chain *ch = r->ch;

	if (r->kind == 1 && ch->n < RCVD_MAX_HOPS) {
		rcvd_hop_parse(r->field.s, r->field.len, &ch->hop[ch->n++]);
		r->found = true;
	} else if (r->kind == 1)
		r->found = true;
	else if (r->kind == 2 && ch->originating == NULL)
		ch->originating = xstrdup(str_trim(r->field.s));
	r->kind = 0;
	buf_reset(&r->field);
}

/* rcvd_name_len - length of "Name" when line[0..n) is "Name: value" */
static size_t
rcvd_name_len(const char *line, size_t n)
{
	size_t i = 0;

	while (i < n && (((line[i] | 0x20) >= 'a' && (line[i] | 0x20) <= 'z')
	    || (line[i] >= '0' && line[i] <= '9') || line[i] == '-'))
		i++;
	return i > 0 && i < n && line[i] == ':' ? i : 0;
}

/* rcvd_continues - may an unindented line continue a Received: field?
 * Mail clients re-wrap pasted headers without indenting them. */
static bool
rcvd_continues(const char *p, size_t n)
{
	static const char *const words[] = { "by", "with", "id", "for",
	    "via", NULL };

	if (n > 0 && (p[0] == '(' || p[0] == ';'))
		return true;
	for (size_t k = 0; words[k] != NULL; k++)
		if (rcvd_word_at(p, 0, n, words[k]))
			return true;
	return false;
}

/* rcvd_line - one line (quote marks removed); false once the block with
 * Received: fields has ended */
static bool
rcvd_line(struct rcvd_reader *r, const char *p, size_t n)
{
	bool indent = n > 0 && (p[0] == ' ' || p[0] == '\t');
	size_t name;

	while (n > 0 && rcvd_is_space(*p)) {
		p++;
		n--;
	}
	name = rcvd_name_len(p, n);
	if (n > 0 && name == 0 && r->kind != 0 &&
	    (indent || (r->kind == 1 && rcvd_continues(p, n)))) {
		if (r->field.len + n < RCVD_FIELD_MAX) {
			buf_putc(&r->field, ' ');
			buf_append(&r->field, p, n);
		}
		return true;
	}
	rcvd_flush(r);
	if (name == 0)
		return !r->found;
	if (name == 8 && strncasecmp(p, "received", 8) == 0)
		r->kind = 1;
	else if (name == 16 && strncasecmp(p, "x-originating-ip", 16) == 0)
		r->kind = 2;
	else {
		r->kind = 3;	/* its continuation lines are skipped */
		return true;
	}
	p += name + 1;
	n -= name + 1;
	buf_append(&r->field, p, n < RCVD_FIELD_MAX ? n : RCVD_FIELD_MAX);
	return true;
}

/* rcvd_chain_read - see received.h */
size_t
rcvd_chain_read(const char *text, size_t len, struct rcvd_chain *ch)
{
	struct rcvd_reader r;
	size_t ls = 0;

	memset(&r, 0, sizeof(r));
	r.ch = ch;
	buf_init(&r.field);
	while (ls < len) {
		const char *nl = memchr(text + ls, '\n', len - ls);
		size_t le = nl != NULL ? (size_t)(nl - text) : len, s = ls;

		ls = nl != NULL ? le + 1 : len;
		if (le > s && text[le - 1] == '\r')
			le--;
		while (s < le && text[s] == '>') {	/* "> > " quotes */
			s++;
			if (s < le && text[s] == ' ')
				s++;
		}
		if (!rcvd_line(&r, text + s, le - s))
			break;
	}
	rcvd_flush(&r);
	buf_free(&r.field);
	return ch->n;
}
