/*
 * extract_ipwalk.c - the line walker of the free-text extractors: one
 * linear pass over a text, line by line, that scans each line's
 * addresses (extract_ipscan.c), gives each a role (extract_ipctx.c, or
 * the header row of a CSV table, extract_ipcsv.c; every address of a
 * quoted trace header is a relay), and hands the line to a callback.
 * extract_ip.c and extract_port.c are built on it; see extract_ipctx.h.
 *
 *	ipwalk_text(text, fn, ctx);	   fn(&line, hits, n, ctx) per line
 */
#include "evidence/extract_ipctx.h"

#include <stdlib.h>
#include <string.h>

/* ipwalk - state of one pass over a text */
struct ipwalk {
	struct iphits hits;	/* hits of the current line */
	int label_role;		/* from a "Heading:" line above a list */
	bool label_used;	/* an address line followed the heading */
	bool in_trace;		/* inside a folded Received: header */
	struct ipcsv csv;	/* the table whose rows may follow */
};

/* quoted headers that name mail hops or carry message ids, never the
 * offender; any "...Received:" header counts too */
static const char *const ipwalk_trace_headers[] = {
	"received-spf", "authentication-results",
	"arc-authentication-results", "message-id", "references",
	"in-reply-to", NULL
};

/* ipwalk_header_name - length of "Name" when t[i..le) starts like
 * "Name: value", else 0 */
static size_t
ipwalk_header_name(const char *t, size_t i, size_t le)
{
	size_t s = i;

	while (i < le && (ipctx_is_alnum((unsigned char)t[i]) || t[i] == '-'))
		i++;
	return i > s && i < le && t[i] == ':' ? i - s : 0;
}

/* ipwalk_trace_name - is the header name t[i..i+len) a trace header? */
static bool
ipwalk_trace_name(const char *t, size_t i, size_t len)
{
	char w[40];

	if (!ipctx_lower_word(t, i, i + len, w, sizeof(w)))
		return false;
	if (len >= 8 && strcmp(w + len - 8, "received") == 0)
		return true;
	return str_in_list(w, ipwalk_trace_headers);
}

/* ipwalk_trace - is this line (part of) a quoted trace header? An
 * indented line continues the header above unless it starts a new one
 * (pasted headers are often indented as a whole). */
static bool
ipwalk_trace(struct ipwalk *w, const char *t, size_t ls, size_t le)
{
	size_t i = ls, len;

	while (i < le && (t[i] == ' ' || t[i] == '\t'))
		i++;
	len = ipwalk_header_name(t, i, le);
	if (len > 0)
		return w->in_trace = ipwalk_trace_name(t, i, len);
	if (i > ls && i < le && w->in_trace)
		return true;
	return w->in_trace = false;
}

/* ipwalk_address_only - are the hits all the line holds, apart from
 * separators (a line of a list under a heading)? */
static bool
ipwalk_address_only(const char *t, size_t ls, size_t le,
    const struct iphit *h, size_t n)
{
	size_t k, i = ls;

	for (k = 0; k <= n; k++) {
		size_t stop = k < n ? h[k].start : le;

		for (; i < stop; i++)
			if (ipctx_is_alpha((unsigned char)t[i]))
				return false;
		if (k < n)
			i = h[k].after;
	}
	return true;
}

/* ipwalk_line - scan and classify one line, hand it to fn, and keep the
 * heading state for the lines below */
static void
ipwalk_line(struct ipwalk *w, const char *t, size_t ls, size_t le,
    ipwalk_fn fn, void *ctx)
{
	struct iphits *h = &w->hits;
	struct ipctx_line ln;
	size_t i;
	int lr;

	ln.t = t;
	ln.ls = ls;
	ln.le = le;
	ln.label_role = w->label_role;
	ln.trace = ipwalk_trace(w, t, ls, le);
	ln.csv = !ln.trace && ipcsv_row(&w->csv, t, ls, le) ? &w->csv : NULL;
	h->n = 0;
	ipscan_line(h, t, ls, le);
	for (i = 0; ln.trace && i < h->n; i++)
		h->h[i].role = IPROLE_RELAY;
	if (h->n > 0 && !ln.trace)
		ipctx_classify(&ln, h->h, h->n);
	if (h->n > 0 && ln.csv != NULL)
		ipcsv_roles(ln.csv, &ln, h->h, h->n);
	fn(&ln, h->h, h->n, ctx);
	if (ln.csv == NULL && !(h->n == 0 && ipcsv_header(&w->csv, t, ls, le)))
		w->csv.active = false;
	if (h->n > 0) {
		if (!ipwalk_address_only(t, ls, le, h->h, h->n))
			w->label_role = IPROLE_NEUTRAL;
		w->label_used = true;
		return;
	}
	/* a heading reaches over blank lines to its list, and no further
	 * than the blank line after the list */
	lr = ipctx_label_role(t, ls, le);
	for (i = ls; lr < 0 && i < le; i++)
		if (t[i] != ' ' && t[i] != '\t') {
			lr = IPROLE_NEUTRAL;
			break;
		}
	if (lr < 0 && w->label_used)
		lr = IPROLE_NEUTRAL;
	if (lr >= 0) {
		w->label_role = lr;
		w->label_used = false;
	}
}

/* ipwalk_text - run fn over every line of text */
void
ipwalk_text(const char *text, ipwalk_fn fn, void *ctx)
{
	struct ipwalk w;
	size_t ls = 0, le;

	if (text == NULL)
		return;
	memset(&w, 0, sizeof(w));
	ipcsv_init(&w.csv);
	while (text[ls] != '\0') {
		const char *nl = strchr(text + ls, '\n');
		size_t next;

		le = nl ? (size_t)(nl - text) : ls + strlen(text + ls);
		next = nl ? le + 1 : le;
		if (le > ls && text[le - 1] == '\r')
			le--;
		ipwalk_line(&w, text, ls, le, fn, ctx);
		ls = next;
	}
	ipcsv_free(&w.csv);
	free(w.hits.h);
}
