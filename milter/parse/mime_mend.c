/*
 * mime_mend.c - the raw bytes made fit for GMime, and cut at max_body.
 *
 * GMime reads a header block up to the first empty line and skips lines
 * that are no header. Real complaints break that in ways that would lose
 * their text or their structure, so the header block is scanned here
 * first, and a copy is made (only then) to:
 *   - start the body at the first line that is neither a header nor a
 *     continuation, when no empty line came before it;
 *   - join a second header block to the first when an empty line split
 *     them (abuseio-abusehub-1.eml), if nothing is lost by it: the first
 *     block declares a multipart (so the split-off lines were only the
 *     preamble), or only the second one declares the Content-Type;
 *   - replace NUL bytes in the header block by spaces;
 *   - hide the boundary of multiparts nested deeper than MIME_MAX_OPEN
 *     (GMime's time grows with the nesting times the "--" lines).
 * An mbox "From " line at the top is skipped. A cut at max_body moves back
 * to the start of a UTF-8 character.
 */
#include "parse/mime_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* hscan - what a header block scan found */
struct hscan {
	size_t end;		/* where the block ends */
	size_t body;		/* where the body starts */
	size_t lines;		/* header lines seen */
	bool blank;		/* ended by an empty line */
	bool first_ok;		/* the first line is a header or empty */
	bool nul;		/* a NUL byte in the block */
	bool ct;		/* has a Content-Type */
	bool multipart;		/* ... that is multipart */
};

/* mime_header_name_len - length of the field name if line is a header
 * field ("Name:" or "Name :"), else 0 */
size_t
mime_header_name_len(const char *line, size_t n)
{
	size_t i = 0, j;

	while (i < n && (unsigned char)line[i] > 32 &&
	    (unsigned char)line[i] < 127 && line[i] != ':')
		i++;
	for (j = i; j < n && (line[j] == ' ' || line[j] == '\t'); j++)
		;
	return i > 0 && j < n && line[j] == ':' ? i : 0;
}

/* note_content_type - record what a Content-Type line declares */
static void
note_content_type(struct hscan *h, const char *line, size_t n, size_t name)
{
	size_t i;

	if (name != 12 || strncasecmp(line, "Content-Type", 12) != 0)
		return;
	h->ct = true;
	i = (size_t)((const char *)memchr(line, ':', n) - line) + 1;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (n - i >= 9 && strncasecmp(line + i, "multipart", 9) == 0)
		h->multipart = true;
}

/* scan_block - read header lines from s[0..n) until an empty line or a
 * line that is neither header nor continuation */
static void
scan_block(const char *s, size_t n, struct hscan *h)
{
	size_t pos = 0, lend, next, ll, name;
	const char *eol;

	memset(h, 0, sizeof(*h));
	h->first_ok = true;
	while (pos < n) {
		eol = memchr(s + pos, '\n', n - pos);
		lend = eol ? (size_t)(eol - s) : n;
		next = eol ? lend + 1 : n;
		ll = lend - pos;
		if (ll > 0 && s[pos + ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			h->end = pos;
			h->body = next;
			h->blank = true;
			return;
		}
		name = mime_header_name_len(s + pos, ll);
		if (name == 0 && (h->lines == 0 ||
		    (s[pos] != ' ' && s[pos] != '\t'))) {
			h->first_ok = h->lines > 0;
			h->end = h->body = pos;
			return;
		}
		if (name > 0)
			note_content_type(h, s + pos, ll, name);
		if (memchr(s + pos, '\0', ll) != NULL)
			h->nul = true;
		h->lines++;
		pos = next;
	}
	h->end = h->body = n;
}

/* joins - true if the block after the first one should join it */
static bool
joins(const struct hscan *h, const char *s, size_t n)
{
	struct hscan h2;

	if (!h->blank || h->body >= n)
		return false;
	scan_block(s + h->body, n - h->body, &h2);
	if (!h2.blank || h2.lines == 0)
		return false;	/* not a whole block of header lines */
	return h->multipart || (!h->ct && h2.ct);
}

/* mend_copy - the mended copy: s with [from, to) replaced by ins */
static void
mend_copy(struct mime_input *in, const char *s, size_t n, size_t from,
    size_t to, const char *ins)
{
	size_t k = strlen(ins);
	char *c = xmalloc(n - (to - from) + k + 1);

	memcpy(c, s, from);
	memcpy(c + from, ins, k);
	memcpy(c + from + k, s + to, n - to);
	in->len = n - (to - from) + k;
	c[in->len] = '\0';
	in->s = in->owned = c;
	in->mended = true;
}

/* cut_body - keep at most max_body bytes after body, whole characters */
static void
cut_body(struct mime_input *in, size_t body, size_t max_body)
{
	size_t cut, back = 0;

	if (max_body == 0 || body > in->len || in->len - body <= max_body)
		return;
	cut = body + max_body;
	while (back < 3 && cut > body &&
	    ((unsigned char)in->s[cut] & 0xC0) == 0x80) {
		cut--;
		back++;
	}
	in->len = cut;
	in->cut = true;
}

/* boundary_param - the "boundary" parameter in a Content-Type line (or
 * its continuation): offset of its name, and its value; false if none */
static bool
boundary_param(const char *l, size_t n, size_t *at, const char **v,
    size_t *vn)
{
	size_t i, j;

	for (i = 0; i + 8 <= n; i++) {
		if (strncasecmp(l + i, "boundary", 8) != 0 || (i > 0 &&
		    l[i - 1] != ';' && l[i - 1] != ' ' && l[i - 1] != '\t'))
			continue;
		for (j = i + 8; j < n && (l[j] == ' ' || l[j] == '\t'); j++)
			;
		if (j >= n || l[j] != '=')
			continue;
		for (j++; j < n && (l[j] == ' ' || l[j] == '\t'); j++)
			;
		if (j < n && l[j] == '"')
			j++;
		*at = i;
		*v = l + j;
		for (*vn = 0; j + *vn < n && l[j + *vn] != '"' &&
		    l[j + *vn] != ';' && l[j + *vn] != ' ' &&
		    l[j + *vn] != '\t' && l[j + *vn] != '\r'; (*vn)++)
			;
		return true;
	}
	return false;
}

/* closes - depth of the open boundaries after delimiter line l, or
 * `open` when l is no delimiter of any of them */
static size_t
closes(const char *l, size_t n, const char *const *bs, const size_t *bn,
    size_t open)
{
	size_t k, j;

	if (n < 3 || l[0] != '-' || l[1] != '-')
		return open;
	for (k = open; k-- > 0;) {
		if (n - 2 < bn[k] || memcmp(l + 2, bs[k], bn[k]) != 0)
			continue;
		j = 2 + bn[k];
		if (n - j >= 2 && l[j] == '-' && l[j + 1] == '-')
			return k;	/* the closing delimiter */
		for (; j < n && (l[j] == ' ' || l[j] == '\t' || l[j] == '\r');
		    j++)
			;
		if (j == n)
			return k + 1;	/* a delimiter: parts inside end */
	}
	return open;
}

/* limit_nesting - GMime checks each "--" line against every boundary
 * open around it, so 20000 nested multiparts and 400000 "--x" lines in
 * 2 MB cost seconds (contrib/fuzz/crashes/slow-mime-deep-nesting.sh).
 * Beyond MIME_MAX_OPEN open boundaries a declaration is spelt
 * "boundarx": that multipart has no boundary for GMime (its body is
 * read as text, or again by mime_multi.c's reparse). */
static void
limit_nesting(struct mime_input *in)
{
	const char *bs[MIME_MAX_OPEN], *s = in->s, *eol, *v;
	size_t bn[MIME_MAX_OPEN], open = 0, pos = 0, n = in->len, ll, at,
	    vn, name, nfix = 0, capfix = 0, *fix = NULL;
	bool in_ct = false;

	for (; pos < n; pos = eol ? (size_t)(eol - s) + 1 : n) {
		eol = memchr(s + pos, '\n', n - pos);
		ll = (eol ? (size_t)(eol - s) : n) - pos;
		open = closes(s + pos, ll, bs, bn, open);
		name = mime_header_name_len(s + pos, ll);
		if (name > 0)
			in_ct = name == 12 &&
			    strncasecmp(s + pos, "Content-Type", 12) == 0;
		else if (ll == 0 || (s[pos] != ' ' && s[pos] != '\t'))
			in_ct = false;
		if (!in_ct || !boundary_param(s + pos, ll, &at, &v, &vn))
			continue;
		if (open < MIME_MAX_OPEN) {
			bs[open] = v;
			bn[open++] = vn;
			continue;
		}
		fix = xgrow(fix, &capfix, nfix + 1, sizeof(*fix));
		fix[nfix++] = pos + at + 7;
	}
	if (nfix == 0)
		return;
	if (in->owned == NULL)
		mend_copy(in, s, n, n, n, "");
	for (size_t i = 0; i < nfix; i++)
		in->owned[fix[i]] = 'x';
	in->mended = true;
	free(fix);
}

/* mime_mend - see the top of this file and mime_int.h */
void
mime_mend(struct mime_input *in, const char *raw, size_t len,
    size_t max_body)
{
	struct hscan h;
	const char *s = raw, *nl;
	size_t n = len, i;

	memset(in, 0, sizeof(*in));
	if (n >= 5 && memcmp(s, "From ", 5) == 0) {
		nl = memchr(s, '\n', n);
		s = nl ? nl + 1 : s + n;
		n = (size_t)(raw + len - s);
	}
	in->s = s;
	in->len = n;
	scan_block(s, n, &h);
	in->has_headers = h.first_ok;
	if (!h.first_ok) {
		cut_body(in, 0, max_body);
		return;
	}
	if (joins(&h, s, n))
		mend_copy(in, s, n, h.end, h.body, "");
	else if (!h.blank && h.end < n)
		mend_copy(in, s, n, h.end, h.end, "\n");
	if (in->owned != NULL)
		scan_block(in->s, in->len, &h);
	if (h.nul) {
		if (in->owned == NULL)
			mend_copy(in, s, n, n, n, "");
		for (i = 0; i < h.end; i++)
			if (in->owned[i] == '\0')
				in->owned[i] = ' ';
	}
	cut_body(in, h.body, max_body);
	limit_nesting(in);
}
