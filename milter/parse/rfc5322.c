/*
 * rfc5322.c - grammar checks, text cleaning, RFC 2047 encoding and
 * folding for the header section of replies. See rfc5322.h.
 *
 * The grammar accepted here is the strict, modern subset of RFC 5322
 * (no obsolete forms, no comments or folding inside an address or a
 * msg-id): whatever passes can be copied into a header or handed to
 * sendmail as one argument without further thought.
 */
#include "parse/rfc5322.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define RFC5322_FOLD_AT	78	/* preferred line length, RFC 5322 2.1.1 */
#define RFC5322_EW_MAX	75	/* longest encoded-word, RFC 2047 2 */
#define RFC5322_EW_HEAD	"=?utf-8?q?"
#define RFC5322_ADDR_MAX 254	/* RFC 5321 path limit, minus brackets */
#define RFC5322_MSGID_MAX 980	/* keeps "In-Reply-To: <id>" under 998 */

/* rfc5322_is_atext - may this byte stand in an atom? */
static bool
rfc5322_is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* rfc5322_dot_atom_len - length of the dot-atom-text at s, 0 if none */
static size_t
rfc5322_dot_atom_len(const char *s)
{
	size_t i = 0, start;

	for (;;) {
		start = i;
		while (rfc5322_is_atext((unsigned char)s[i]))
			i++;
		if (i == start)
			return 0;	/* empty atom: leading, double or trailing dot */
		if (s[i] != '.')
			return i;
		i++;
	}
}

/* rfc5322_quoted_len - length of the quoted-string at s, 0 if none;
 * only SP and VCHAR inside, so no CR, LF, TAB or NUL can pass */
static size_t
rfc5322_quoted_len(const char *s)
{
	size_t i = 1;
	unsigned char c;

	if (s[0] != '"')
		return 0;
	for (;;) {
		c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c == '\\') {
			c = (unsigned char)s[i + 1];
			if (c < 32 || c > 126)
				return 0;
			i += 2;
			continue;
		}
		if (c < 32 || c > 126)
			return 0;
		i++;
	}
}

/* rfc5322_literal_len - length of the domain-literal at s, 0 if none */
static size_t
rfc5322_literal_len(const char *s)
{
	size_t i;
	unsigned char c;

	if (s[0] != '[')
		return 0;
	for (i = 1; s[i] != ']'; i++) {
		c = (unsigned char)s[i];
		if (c < 33 || c > 126 || c == '[' || c == '\\')
			return 0;
	}
	return i + 1;
}

/* rfc5322_domain_len - a dot-atom or a domain-literal at s, 0 if none */
static size_t
rfc5322_domain_len(const char *s)
{
	return s[0] == '[' ? rfc5322_literal_len(s) : rfc5322_dot_atom_len(s);
}

/* rfc5322_at_len - length of left "@" domain at s, 0 if none. left is a
 * dot-atom-text, or also a quoted-string when quoted_ok: an addr-spec
 * has either, the inside of a msg-id only the first. */
static size_t
rfc5322_at_len(const char *s, bool quoted_ok)
{
	size_t n, m;

	n = quoted_ok && s[0] == '"' ? rfc5322_quoted_len(s) :
	    rfc5322_dot_atom_len(s);
	if (n == 0 || s[n] != '@')
		return 0;
	m = rfc5322_domain_len(s + n + 1);
	return m == 0 ? 0 : n + 1 + m;
}

/* rfc5322_addr_spec_valid - local-part "@" domain, nothing around it */
bool
rfc5322_addr_spec_valid(const char *s)
{
	size_t len;

	if (s == NULL || (len = strlen(s)) == 0 || len > RFC5322_ADDR_MAX)
		return false;
	return rfc5322_at_len(s, true) == len;
}

/* rfc5322_msg_id_valid - "<" dot-atom-text "@" (dot-atom-text or
 * no-fold-literal) ">" and nothing else */
bool
rfc5322_msg_id_valid(const char *s)
{
	size_t n;

	if (s == NULL || s[0] != '<' || strlen(s) > RFC5322_MSGID_MAX)
		return false;
	n = rfc5322_at_len(s + 1, false);
	return n != 0 && s[1 + n] == '>' && s[2 + n] == '\0';
}

/* rfc5322_msg_id_normalize - see rfc5322.h */
char *
rfc5322_msg_id_normalize(const char *value)
{
	char *t, *s, *out = NULL;

	if (value == NULL)
		return NULL;
	t = xstrdup(value);
	s = str_trim(t);
	if (rfc5322_msg_id_valid(s))
		out = xstrdup(s);
	else if (*s != '\0' && rfc5322_at_len(s, false) == strlen(s)) {
		out = xasprintf("<%s>", s);
		if (!rfc5322_msg_id_valid(out)) {	/* too long */
			free(out);
			out = NULL;
		}
	}
	free(t);
	return out;
}

/* where a header value's syntax stands at one byte */
struct rfc5322_scan {
	bool quoted;		/* inside "..." */
	int comment;		/* depth of (...) */
	bool angle;		/* inside <...> */
};

/* rfc5322_scan_step - advance the scan state over *p; returns how many
 * bytes the step took (2 for a quoted pair) and whether *p is syntax */
static size_t
rfc5322_scan_step(struct rfc5322_scan *st, const char *p, bool *syntax)
{
	*syntax = true;
	if ((st->quoted || st->comment) && p[0] == '\\' && p[1] != '\0') {
		*syntax = false;
		return 2;
	}
	if (st->quoted) {
		st->quoted = *p != '"';
		*syntax = *p == '"';
	} else if (*p == '(')
		st->comment++;
	else if (st->comment)
		st->comment -= *p == ')';
	else if (*p == '"')
		st->quoted = true;
	else if (*p == '<')
		st->angle = true;
	else if (*p == '>')
		st->angle = false;
	else
		*syntax = false;
	return 1;
}

/* rfc5322_mailbox - the bare address of one mailbox value[0..len): the
 * last <angle-addr> (a decoded display name may itself hold "<...>"),
 * else the text outside comments; domain lower-cased; NULL when it does
 * not pass the addr-spec grammar. lenient drops a "mailto:" and reads an
 * unclosed "<a@b". */
static char *
rfc5322_mailbox(const char *value, size_t len, bool lenient)
{
	struct rfc5322_scan st = { false, 0, false };
	struct buf plain, angle;
	char *cand, *at, *out = NULL;
	bool syntax, in_angle = false, have_angle = false;
	size_t n;

	buf_init(&plain);
	buf_init(&angle);
	for (size_t i = 0; i < len; i += n) {
		bool was_comment = st.comment > 0, was_quoted = st.quoted;

		n = rfc5322_scan_step(&st, value + i, &syntax);
		if (was_comment || st.comment > 0)
			continue;	/* comments say nothing */
		if (syntax && !was_quoted && value[i] == '<') {
			buf_reset(&angle);
			in_angle = have_angle = true;
		} else if (syntax && !was_quoted && value[i] == '>')
			in_angle = false;
		else
			buf_append(in_angle ? &angle : &plain, value + i, n);
	}
	cand = str_trim(have_angle ? angle.s : plain.s);
	if (lenient && str_has_prefix_nocase(cand, "mailto:"))
		cand += 7;
	if ((lenient || !in_angle) && (at = strrchr(cand, '@')) != NULL) {
		str_lower(at);
		if (rfc5322_addr_spec_valid(cand))
			out = xstrdup(cand);
	}
	buf_free(&plain);
	buf_free(&angle);
	return out;
}

/* rfc5322_addr_list - split a list at the commas outside quotes,
 * comments and angle brackets: lenient, the first mailbox that yields an
 * address; strict, the only one (two that do: NULL). "Doe, John <j@x>"
 * is one address either way: "Doe" yields none. */
static char *
rfc5322_addr_list(const char *value, bool lenient)
{
	struct rfc5322_scan st = { false, 0, false };
	const char *p, *start;
	char *addr, *found = NULL;
	bool syntax;

	if (value == NULL)
		return NULL;
	for (p = start = value;;) {
		if (*p != '\0' && (*p != ',' || st.quoted || st.comment ||
		    st.angle)) {
			p += rfc5322_scan_step(&st, p, &syntax);
			continue;
		}
		addr = rfc5322_mailbox(start, (size_t)(p - start), lenient);
		if (addr != NULL && found != NULL) {
			free(addr);
			free(found);
			return NULL;	/* strict: which one is meant? */
		}
		if (addr != NULL && lenient)
			return addr;
		if (addr != NULL)
			found = addr;
		if (*p == '\0')
			return found;
		start = ++p;
	}
}

/* rfc5322_addr_extract - see rfc5322.h */
char *
rfc5322_addr_extract(const char *value)
{
	return rfc5322_addr_list(value, false);
}

/* rfc5322_addr_first - see rfc5322.h */
char *
rfc5322_addr_first(const char *value)
{
	return rfc5322_addr_list(value, true);
}

/* rfc5322_display_name - text before the last "<", unquoted, or NULL */
char *
rfc5322_display_name(const char *value)
{
	const char *lt;
	struct buf b;
	char *t;

	if (value == NULL || (lt = strrchr(value, '<')) == NULL)
		return NULL;
	buf_init(&b);
	for (const char *p = value; p < lt; p++) {
		if (*p == '\\' && p + 1 < lt)
			buf_putc(&b, *++p);
		else if (*p != '"')
			buf_putc(&b, *p);
	}
	t = str_trim(b.s);
	if (*t == '\0') {
		buf_free(&b);
		return NULL;
	}
	t = xstrdup(t);
	buf_free(&b);
	return t;
}

/* rfc5322_text_clean - see rfc5322.h; utf8_clean turns C0 and C1
 * controls (CR, LF, TAB, ESC, ...) into spaces, so the text stays one
 * line */
char *
rfc5322_text_clean(const char *s, size_t max)
{
	struct buf b;

	buf_init(&b);
	if (utf8_clean(&b, s, strlen(s), max, UTF8_REPLACEMENT))
		buf_puts(&b, "...");
	return b.s;
}

/* header folding state: the column the current line has reached */
struct rfc5322_fold {
	struct buf *out;
	size_t col;
};

/* rfc5322_fold_put - append a token after a space, or after a fold when
 * it would pass column 78 */
static void
rfc5322_fold_put(struct rfc5322_fold *f, const char *tok, size_t n)
{
	if (f->col + 1 + n > RFC5322_FOLD_AT) {
		buf_puts(f->out, "\n ");
		f->col = 1;
	} else {
		buf_putc(f->out, ' ');
		f->col++;
	}
	buf_append(f->out, tok, n);
	f->col += n;
}

/* rfc5322_q_literal - may this byte stand for itself in a Q-encoded
 * word? The set is the one RFC 2047 5(3) allows even inside a phrase. */
static bool
rfc5322_q_literal(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("!*+-/", c) != NULL);
}

/* rfc5322_q_put - append one byte Q-encoded */
static void
rfc5322_q_put(struct buf *w, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";

	if (rfc5322_q_literal(c))
		buf_putc(w, (char)c);
	else if (c == ' ')
		buf_putc(w, '_');
	else {
		buf_putc(w, '=');
		buf_putc(w, hex[c >> 4]);
		buf_putc(w, hex[c & 15]);
	}
}

/* rfc5322_q_size - bytes the Q encoding of s[0..n) takes */
static size_t
rfc5322_q_size(const char *s, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += rfc5322_q_literal((unsigned char)s[i]) || s[i] == ' ' ? 1 : 3;
	return len;
}

/* rfc5322_encode_run - emit clean UTF-8 text as encoded-words, each
 * sized to the room left on the line and never splitting a character */
static void
rfc5322_encode_run(struct rfc5322_fold *f, const char *s, size_t len)
{
	const size_t head = sizeof(RFC5322_EW_HEAD) - 1;
	struct buf w;
	size_t i = 0, n, room;
	int k;

	buf_init(&w);
	while (i < len) {
		room = f->col + 1 < RFC5322_FOLD_AT ?
		    RFC5322_FOLD_AT - f->col - 1 : 0;
		if (room > RFC5322_EW_MAX || room < 2 * (head + 2))
			room = RFC5322_EW_MAX;	/* a fold comes first */
		buf_reset(&w);
		buf_puts(&w, RFC5322_EW_HEAD);
		while (i < len) {
			k = utf8_seq(s + i, len - i, NULL);
			n = k > 0 ? (size_t)k : 1;	/* clean: always k > 0 */
			if (w.len > head &&
			    w.len + rfc5322_q_size(s + i, n) + 2 > room)
				break;
			for (size_t j = 0; j < n; j++)
				rfc5322_q_put(&w, (unsigned char)s[i + j]);
			i += n;
		}
		buf_puts(&w, "?=");
		rfc5322_fold_put(f, w.s, w.len);
	}
	buf_free(&w);
}

/* rfc5322_word_needs_ew - must this word travel as an encoded-word?
 * Non-ASCII, anything that looks like an encoded-word already (it would
 * be decoded by the reader), and words too long to fold. */
static bool
rfc5322_word_needs_ew(const char *w, size_t n)
{
	if (n > RFC5322_FOLD_AT - 2)
		return true;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)w[i] >= 0x7f || (unsigned char)w[i] < 0x21)
			return true;
		if (w[i] == '=' && i + 1 < n && w[i + 1] == '?')
			return true;
	}
	return false;
}

/* rfc5322_word_end - end of the space-delimited word at p */
static const char *
rfc5322_word_end(const char *p)
{
	while (*p && *p != ' ')
		p++;
	return p;
}

/* rfc5322_header_put - plain words stay plain; each run of words that
 * need encoding becomes encoded-words (spaces inside the run encoded,
 * since white space between encoded-words is dropped by readers) */
void
rfc5322_header_put(struct buf *out, const char *name, const char *text)
{
	struct rfc5322_fold f = { out, strlen(name) + 1 };
	char *clean = rfc5322_text_clean(text, SIZE_MAX / 2);
	const char *p = clean, *end, *run_end, *q;

	buf_puts(out, name);
	buf_putc(out, ':');
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = rfc5322_word_end(p);
		if (!rfc5322_word_needs_ew(p, (size_t)(end - p))) {
			rfc5322_fold_put(&f, p, (size_t)(end - p));
			p = end;
			continue;
		}
		run_end = end;
		for (;;) {
			for (q = run_end; *q == ' '; q++)
				;
			end = rfc5322_word_end(q);
			if (*q == '\0' ||
			    !rfc5322_word_needs_ew(q, (size_t)(end - q)))
				break;
			run_end = end;
		}
		rfc5322_encode_run(&f, p, (size_t)(run_end - p));
		p = run_end;
	}
	buf_putc(out, '\n');
	free(clean);
}

/* rfc5322_phrase_kind - 0: atoms and spaces, 1: printable ASCII that
 * needs quoting, 2: needs encoded-words */
static int
rfc5322_phrase_kind(const char *s)
{
	int kind = 0;

	for (; *s; s++) {
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20)
			return 2;
		if (*s != ' ' && !rfc5322_is_atext((unsigned char)*s))
			kind = 1;
	}
	return kind;
}

/* rfc5322_mailbox_put - see rfc5322.h */
void
rfc5322_mailbox_put(struct buf *out, const char *name, const char *phrase,
    const char *addr)
{
	struct rfc5322_fold f = { out, strlen(name) + 1 };
	char *clean;

	buf_puts(out, name);
	buf_putc(out, ':');
	if (phrase == NULL || *phrase == '\0') {
		buf_printf(out, " %s\n", addr);
		return;
	}
	clean = rfc5322_text_clean(phrase, SIZE_MAX / 2);
	switch (rfc5322_phrase_kind(clean)) {
	case 0:
		buf_printf(out, " %s", clean);
		break;
	case 1:
		buf_puts(out, " \"");
		for (const char *p = clean; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(out, '\\');
			buf_putc(out, *p);
		}
		buf_putc(out, '"');
		break;
	default:
		rfc5322_encode_run(&f, clean, strlen(clean));
		break;
	}
	buf_printf(out, " <%s>\n", addr);
	free(clean);
}
