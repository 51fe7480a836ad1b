/*
 * extract_iprcvd.c - the origin of a forwarded spam, read from the
 * Received: headers the complainant pasted: the last resort of
 * extract_ips() when the text names no address of its own.
 *
 *	struct iprcvd *rc = iprcvd_new();
 *	for each line: iprcvd_line(rc, ln, hits, n);
 *	origin = iprcvd_origin(rc);	   canonical address or NULL
 *	iprcvd_free(rc);
 *
 * Received: headers are added top down by each receiving host ("from
 * CLIENT [addr] by RECEIVER"). The hops whose receiver belongs to the
 * same domain as the top one's are the complainant's own mail system;
 * the client of the lowest of them handed the spam over from outside,
 * and is the address the complaint is about. Headers of other kinds
 * (and the hops below that border, which the sender wrote) are never
 * trusted.
 */
#include "evidence/extract_ipctx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* iprcvd_hop - one Received: header */
struct iprcvd_hop {
	char client[IP_CANON_MAX];	/* "" when none was given */
	char *by_domain;		/* receiver's domain, or NULL */
};

struct iprcvd {
	struct iprcvd_hop *hop;
	size_t n, cap;
	bool open;		/* the last line belonged to hop[n - 1] */
	bool seen_by;		/* its "by" clause was read */
};

/* iprcvd_new - no headers seen yet */
struct iprcvd *
iprcvd_new(void)
{
	return xcalloc(1, sizeof(struct iprcvd));
}

/* iprcvd_free - release everything */
void
iprcvd_free(struct iprcvd *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->hop[i].by_domain);
	free(r->hop);
	free(r);
}

/* iprcvd_word_by - offset of the word "by" followed by a blank in
 * t[i..le), or le */
static size_t
iprcvd_word_by(const char *t, size_t i, size_t le)
{
	for (; i + 2 < le; i++)
		if ((t[i] | 0x20) == 'b' && (t[i + 1] | 0x20) == 'y'
		    && (t[i + 2] == ' ' || t[i + 2] == '\t')
		    && (i == 0 || !ipctx_is_alnum((unsigned char)t[i - 1])))
			return i;
	return le;
}

/* iprcvd_domain - the last two labels of the host name at t[i..le),
 * lower-cased, or NULL when there is no name */
static char *
iprcvd_domain(const char *t, size_t i, size_t le)
{
	size_t s, e, dots = 0;
	char *d, *p;

	while (i < le && (t[i] == ' ' || t[i] == '\t'))
		i++;
	for (s = e = i; e < le && (ipctx_is_alnum((unsigned char)t[e])
	    || t[e] == '.' || t[e] == '-'); e++)
		;
	while (e > s && t[e - 1] == '.')
		e--;
	if (e == s)
		return NULL;
	for (i = e; i > s; i--)
		if (t[i - 1] == '.' && ++dots == 2)
			break;
	d = xstrndup(t + i, e - i);
	for (p = d; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p | 0x20);
	return d;
}

/* iprcvd_start - does the line start a header; is it a Received:? */
static bool
iprcvd_start(const char *t, size_t *i, size_t le, bool *received)
{
	size_t s;

	while (*i < le && (t[*i] == ' ' || t[*i] == '\t'))
		(*i)++;
	for (s = *i; s < le && (ipctx_is_alnum((unsigned char)t[s])
	    || t[s] == '-'); s++)
		;
	if (s == *i || s >= le || t[s] != ':')
		return false;
	*received = s - *i >= 8 && strncasecmp(t + s - 8, "received", 8) == 0;
	*i = s + 1;
	return true;
}

/* iprcvd_line - follow one line of the text; h holds its addresses */
void
iprcvd_line(struct iprcvd *r, const struct ipctx_line *ln,
    const struct iphit *h, size_t n)
{
	const char *t = ln->t;
	size_t i = ln->ls, by, k;
	bool received = false;
	struct iprcvd_hop *hop;

	if (!ln->trace) {
		r->open = false;
		return;
	}
	if (iprcvd_start(t, &i, ln->le, &received)) {
		r->open = received;
		if (!received)
			return;
		r->hop = xgrow(r->hop, &r->cap, r->n + 1, sizeof(*r->hop));
		memset(&r->hop[r->n++], 0, sizeof(*r->hop));
		r->seen_by = false;
	}
	if (!r->open || r->seen_by)
		return;
	hop = &r->hop[r->n - 1];
	by = iprcvd_word_by(t, i, ln->le);
	for (k = 0; k < n && hop->client[0] == '\0'; k++)
		if (h[k].start < by)
			memcpy(hop->client, h[k].canon, sizeof(hop->client));
	if (by < ln->le) {
		hop->by_domain = iprcvd_domain(t, by + 2, ln->le);
		r->seen_by = true;
	}
}

/* iprcvd_origin - client of the lowest hop received inside the top
 * hop's domain, or NULL */
const char *
iprcvd_origin(const struct iprcvd *r)
{
	const char *origin = NULL;
	size_t i;

	if (r->n == 0 || r->hop[0].by_domain == NULL)
		return NULL;
	for (i = 0; i < r->n; i++) {
		if (r->hop[i].by_domain == NULL
		    || strcmp(r->hop[i].by_domain, r->hop[0].by_domain) != 0)
			break;
		if (r->hop[i].client[0] != '\0')
			origin = r->hop[i].client;
	}
	return origin;
}
