/*
 * extract_ip.c - find the reported offender addresses and ports in the
 * free text of a complaint. See extract.h:
 *
 *	extract_ips(text, &ev->ips);
 *	extract_ports(text, &ev->ports, &ev->nports);
 *
 * The caller passes the complaint's own text (quoted earlier mail already
 * removed). One linear pass walks the text line by line; on each line a
 * scanner finds address tokens and extract_ipctx.c gives each a role
 * (the word rules are described there); extract_port.c, extract_ipcsv.c
 * and extract_iprcvd.c build on this walker.
 *
 * What counts as an address: four decimal octets (zero padding read as
 * decimal), or an IPv6 address in any inet_pton form, also defanged
 * ("198.51.100[.]7", "2001:db8[:]1"). A token glued to letters, digits or
 * more dotted numbers is no address ("1.2.3.4.5", OIDs, "v1.2.3.4",
 * "host1.2.3.4", "1.2.3.4.in-addr.arpa"), nor a product version
 * ("Apache/2.4.1.0") or a number after "version", "build", "section",
 * "inetnum"..., nor a network "198.51.100.0/24" (only /32 and /128 are
 * addresses). Octets over 255 or a wrong count of parts never parse.
 *
 * Which addresses are offenders: all of them, unless the context says
 * otherwise (when unsure, include): victims ("our server", "destination",
 * "DST=", "target", "against", "connections to", the right side of
 * "a -> b"), relays ("relay=", "received by", a bounce's "said:") and
 * every address in a quoted trace header (Received:, Received-SPF:,
 * Authentication-Results:, Message-ID: and their folded continuation
 * lines) are dropped. An address is never dropped for its range: private
 * and documentation addresses appear in real complaints. Only when the
 * text names no address at all do pasted Received: headers speak: the
 * client that handed a forwarded spam to the complainant's mail system
 * is the offender (extract_iprcvd.c).
 *
 * In a CSV table (attachments arrive as text) the header row decides
 * instead: "src_ip"/"ip" columns hold offenders, "dst_ip", "cc",
 * "sinkhole" columns the other side (extract_ipcsv.c).
 *
 * Which ports (extract_port.c): those glued to an address
 * ("198.51.100.7:8080", "[2001:db8::1]:443", tcpdump "198.51.100.7.4242 >"
 * and "2001:db8::1.4242 >"), labelled ("port 22", "Port: 22", "ports 80,
 * 443", "SPT=", "DPT=", "dport=", "tcp/22", "22/tcp"), or in a port
 * column of a CSV table; 1..65535. A port belongs to the side of the
 * connection its label or the nearest address before it on the line
 * names. The attacked service's port (DPT, "destination port", a port
 * after the victim's address) is what abuse desks quote and what exit
 * policies act on, so in a complaint that names one, or states a port of
 * no side ("Port: 22" alone), the offender's source ports (SPT, "source
 * port", ephemeral ports after the offender) are left out; in one that
 * does not (sshd "from 198.51.100.7 port 4242"), the source port is all
 * that identifies the session, and it is kept. Ports of relays and of
 * trace header lines are dropped.
 */
#include "evidence/extract.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence/extract_ipctx.h"
#include "evidence/ipaddr.h"

/* ipwalk - state of one pass over a text */
struct ipwalk {
	struct iphit *h;	/* hits of the current line */
	size_t n, cap;
	int label_role;		/* from a "Heading:" line above a list */
	bool label_used;	/* an address line followed the heading */
	bool in_trace;		/* inside a folded Received: header */
	struct ipcsv csv;	/* the table whose rows may follow */
};


/* quoted headers that name mail hops or carry message ids, never the
 * offender; any "...Received:" header counts too */
static const char *const ipscan_trace_headers[] = {
	"received-spf", "authentication-results",
	"arc-authentication-results", "message-id", "references",
	"in-reply-to", NULL
};

/* ipscan_is_hex - ASCII hex digit */
static bool
ipscan_is_hex(unsigned char c)
{
	return ipctx_is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* ipscan_digits - parse 1..maxd decimal digits at t[i..le) into *val;
 * returns the count, 0 when none or too many */
static size_t
ipscan_digits(const char *t, size_t i, size_t le, size_t maxd, long *val)
{
	size_t n = 0;

	*val = 0;
	while (i + n < le && ipctx_is_digit((unsigned char)t[i + n])) {
		if (++n > maxd)
			return 0;
		*val = *val * 10 + (t[i + n - 1] - '0');
	}
	return n;
}

/* ipscan_port_at - a port number at t[i..le): 1..65535, not part of a
 * longer number or word; *len gets its length. 0 when absent. */
int
ipscan_port_at(const char *t, size_t i, size_t le, size_t *len)
{
	long val;
	size_t n = ipscan_digits(t, i, le, 5, &val);

	if (n == 0 || val < 1 || val > 65535)
		return 0;
	if (i + n < le && (ipctx_is_alnum((unsigned char)t[i + n])
	    || t[i + n] == '_' || (t[i + n] == '.' && i + n + 1 < le
	    && ipctx_is_digit((unsigned char)t[i + n + 1]))))
		return 0;
	*len = n;
	return (int)val;
}

/* ipscan_start_ok - may an address start at t[i]? Not inside a word or
 * a longer dotted name; "IP:1.2.3.4" and "IPv6:2001:db8::1" are fine. */
static bool
ipscan_start_ok(const char *t, size_t ls, size_t i)
{
	unsigned char p, pp;

	if (i == ls)
		return true;
	p = (unsigned char)t[i - 1];
	pp = i - 1 > ls ? (unsigned char)t[i - 2] : ' ';
	if (ipctx_is_alnum(p) || p == '_')
		return false;
	if (p == '.')
		return !ipctx_is_alnum(pp);
	if (p == ':')
		return t[i] != ':' && (ipctx_is_alpha(pp) || (i - ls >= 5
		    && strncasecmp(t + i - 5, "ipv6:", 5) == 0));
	if (p == '/')	/* "Apache/2.4.1.0" is a version, "//1.2.3.4" a URL */
		return !ipctx_is_alpha(pp);
	return true;
}

/* ipscan_run - end of the run of address characters (hex digits, '.',
 * ':' and defang sequences) at t[i..le), folded into f (fsize bytes);
 * *flen is 0 when the run does not fit, so it is no address */
static size_t
ipscan_run(const char *t, size_t i, size_t le, char *f, size_t fsize,
    size_t *flen)
{
	size_t n = 0;
	char c;

	while (i < le) {
		size_t dl = t[i] == '[' || t[i] == '(' || t[i] == '{' ?
		    ip_defang_len(t + i, t + le, &c) : 0;

		if (dl == 0) {
			c = t[i];
			if (!ipscan_is_hex((unsigned char)c) && c != '.'
			    && c != ':')
				break;
			dl = 1;
		}
		if (n + 1 < fsize)
			f[n] = c;
		n++;
		i += dl;
	}
	*flen = n < fsize ? n : 0;
	if (*flen > 0)
		f[n] = '\0';
	return i;
}

/* ipscan_tcpdump - is the 5-part token t[s..e) an address.port of a
 * tcpdump line ("a.b.c.d.port > e.f.g.h.port:")? */
static bool
ipscan_tcpdump(const char *t, size_t ls, size_t le, size_t s, size_t e)
{
	while (e < le && (t[e] == ' ' || t[e] == ':'))
		e++;
	while (s > ls && t[s - 1] == ' ')
		s--;
	return (e < le && t[e] == '>') || (s > ls && t[s - 1] == '>');
}

/* ipscan_v4_port - IPv4 part of a token with at most one colon: plain,
 * glued ":port", or tcpdump ".port"; fills canon and port */
static bool
ipscan_v4_port(const char *t, size_t ls, size_t le, size_t s, size_t e,
    const char *f, size_t flen, struct iphit *hit)
{
	const char *colon = memchr(f, ':', flen), *last = NULL;
	size_t alen = colon ? (size_t)(colon - f) : flen, i, dots = 0;
	long val;

	if (colon != NULL) {
		size_t plen = flen - alen - 1;

		for (i = 0; i < plen; i++)
			if (!ipctx_is_digit((unsigned char)colon[1 + i]))
				return false;
		/* "198.51.100.7:0" is still the address, without port */
		if (ipscan_digits(colon + 1, 0, plen, 5, &val) == plen
		    && val >= 1 && val <= 65535)
			hit->port = (int)val;
	}
	for (i = 0; i < alen; i++)
		if (f[i] == '.') {
			dots++;
			last = f + i;
		}
	if (dots == 4 && colon == NULL && ipscan_tcpdump(t, ls, le, s, e)) {
		size_t plen = flen - (size_t)(last + 1 - f);

		if (ipscan_digits(last + 1, 0, plen, 5, &val) != plen
		    || val < 1 || val > 65535)
			return false;
		hit->port = (int)val;
		alen = (size_t)(last - f);
	} else if (dots != 3)
		return false;
	return ip_canonical(f, alen, hit->canon, sizeof(hit->canon));
}

/* ipscan_v6_port - IPv6 token: read from the original text, where "[:]"
 * may mean "::"; tcpdump writes the port after a dot ("2001:db8::1.22 >") */
static bool
ipscan_v6_port(const char *t, size_t ls, size_t le, size_t s, size_t e,
    struct iphit *hit)
{
	size_t d = e, n;
	long val;

	if (ip_canonical(t + s, e - s, hit->canon, sizeof(hit->canon)))
		return true;
	while (d > s && ipctx_is_digit((unsigned char)t[d - 1]))
		d--;
	if (d == s || t[d - 1] != '.' || !ipscan_tcpdump(t, ls, le, s, e))
		return false;
	n = ipscan_digits(t, d, e, 5, &val);
	if (n != e - d || val < 1 || val > 65535
	    || !ip_canonical(t + s, d - 1 - s, hit->canon, sizeof(hit->canon)))
		return false;
	hit->port = (int)val;
	return true;
}

/* ipscan_after - what follows an address: "]:port" after a bracketed
 * one; "/len", which makes it a network unless len is the full length */
static bool
ipscan_after(const char *t, size_t ls, size_t le, struct iphit *hit)
{
	size_t s = hit->start, e = hit->end, n;
	long val;

	hit->after = e;
	if (s > ls && t[s - 1] == '[' && e < le && t[e] == ']') {
		hit->after = e + 1;
		if (e + 1 < le && t[e + 1] == ':' && hit->port == 0) {
			hit->port = ipscan_port_at(t, e + 2, le, &n);
			if (hit->port != 0)
				hit->after = e + 2 + n;
		}
		return true;
	}
	if (e < le && t[e] == '/') {
		n = ipscan_digits(t, e + 1, le, 3, &val);
		if (n == 0)
			return true;
		if (val != (strchr(hit->canon, ':') ? 128 : 32))
			return false;
		hit->after = e + 1 + n;
	}
	return true;
}

/* ipscan_token - is the run t[s..e), folded into f, an address? */
static bool
ipscan_token(const char *t, size_t ls, size_t le, size_t s, size_t e,
    char *f, size_t flen, struct iphit *hit)
{
	bool trimmed_dot = false;
	size_t i, colons = 0;

	while (e > s && t[e - 1] == '.') {	/* end of a sentence */
		e--;
		f[--flen] = '\0';
		trimmed_dot = true;
	}
	if (e > s && t[e - 1] == ':' && !(flen >= 2 && f[flen - 2] == ':')) {
		e--;
		f[--flen] = '\0';
	}
	if (flen == 0 || (e < le && (ipctx_is_alnum((unsigned char)t[e])
	    || t[e] == '_')) || (trimmed_dot && e + 1 < le
	    && ipctx_is_alnum((unsigned char)t[e + 1])))
		return false;
	memset(hit, 0, sizeof(*hit));
	hit->start = s;
	hit->end = e;
	for (i = 0; i < flen; i++)
		colons += f[i] == ':';
	if (colons >= 2) {
		if (!ipscan_v6_port(t, ls, le, s, e, hit))
			return false;
	} else if (!ipscan_v4_port(t, ls, le, s, e, f, flen, hit))
		return false;
	return ipscan_after(t, ls, le, hit);
}

/* ipscan_line - append every address of t[ls..le) to w->h */
static void
ipscan_line(struct ipwalk *w, const char *t, size_t ls, size_t le)
{
	char f[IP_TEXT_MAX + 1];
	struct iphit hit;
	size_t i = ls, e, flen;

	while (i < le) {
		unsigned char c = (unsigned char)t[i];

		if (ipctx_is_alnum(c) || c == '_') {
			if (!ipscan_is_hex(c) || !ipscan_start_ok(t, ls, i)) {
				/* nothing starts inside a word: skip it */
				while (i < le && (ipctx_is_alnum(
				    (unsigned char)t[i]) || t[i] == '_'))
					i++;
				continue;
			}
		} else if (c != ':' || !ipscan_start_ok(t, ls, i)) {
			i++;
			continue;
		}
		e = ipscan_run(t, i, le, f, sizeof(f), &flen);
		if (flen == 0 || !ipscan_token(t, ls, le, i, e, f, flen,
		    &hit)) {
			i = e;
			continue;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 8;
			w->h = xrealloc(w->h, w->cap * sizeof(*w->h));
		}
		w->h[w->n++] = hit;
		i = hit.after > i ? hit.after : e;
	}
}

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
	const char *const *hdr;
	char w[40];

	if (!ipctx_lower_word(t, i, i + len, w, sizeof(w)))
		return false;
	if (len >= 8 && strcmp(w + len - 8, "received") == 0)
		return true;
	for (hdr = ipscan_trace_headers; *hdr != NULL; hdr++)
		if (strcmp(*hdr, w) == 0)
			return true;
	return false;
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
	struct ipctx_line ln;
	size_t i;
	int lr;

	ln.t = t;
	ln.ls = ls;
	ln.le = le;
	ln.label_role = w->label_role;
	ln.trace = ipwalk_trace(w, t, ls, le);
	ln.csv = !ln.trace && ipcsv_row(&w->csv, t, ls, le) ? &w->csv : NULL;
	w->n = 0;
	ipscan_line(w, t, ls, le);
	for (i = 0; ln.trace && i < w->n; i++)
		w->h[i].role = IPROLE_RELAY;
	if (w->n > 0 && !ln.trace)
		ipctx_classify(&ln, w->h, w->n);
	if (w->n > 0 && ln.csv != NULL)
		ipcsv_roles(ln.csv, &ln, w->h, w->n);
	fn(&ln, w->h, w->n, ctx);
	if (ln.csv == NULL && !(w->n == 0 && ipcsv_header(&w->csv, t, ls, le)))
		w->csv.active = false;
	if (w->n > 0) {
		if (!ipwalk_address_only(t, ls, le, w->h, w->n))
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
	free(w.h);
}

/* ipseen - which canonical addresses the result already holds: a hash
 * set of indexes into the caller's vector, so that a list of 100,000
 * addresses is not a quadratic search */
struct ipseen {
	struct strvec *sv;
	size_t *slot;		/* index + 1 into sv->v; 0 = empty */
	size_t cap;		/* power of two */
	size_t n;
};

/* ipseen_hash - FNV-1a of a string */
static size_t
ipseen_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* ipseen_insert - remember sv->v[idx] */
static void
ipseen_insert(struct ipseen *is, size_t idx)
{
	size_t i;

	if (2 * (is->n + 1) > is->cap) {
		size_t old = is->cap, k;
		size_t *prev = is->slot;

		is->cap = old * 2;
		is->slot = xcalloc(is->cap, sizeof(*is->slot));
		is->n = 0;
		for (k = 0; k < old; k++)
			if (prev[k] != 0)
				ipseen_insert(is, prev[k] - 1);
		free(prev);
	}
	i = ipseen_hash(is->sv->v[idx]) & (is->cap - 1);
	while (is->slot[i] != 0)
		i = (i + 1) & (is->cap - 1);
	is->slot[i] = idx + 1;
	is->n++;
}

/* ipseen_add - push s unless present */
static void
ipseen_add(struct ipseen *is, const char *s)
{
	size_t i = ipseen_hash(s) & (is->cap - 1);

	for (; is->slot[i] != 0; i = (i + 1) & (is->cap - 1))
		if (strcmp(is->sv->v[is->slot[i] - 1], s) == 0)
			return;
	strvec_push(is->sv, s);
	ipseen_insert(is, is->sv->n - 1);
}

/* ipsctx - state of extract_ips */
struct ipsctx {
	struct ipseen seen;
	struct iprcvd *rcvd;
	size_t found;		/* addresses the text itself named */
};

/* ips_line - keep the offenders (named or not) of one line */
static void
ips_line(const struct ipctx_line *ln, const struct iphit *h, size_t n,
    void *ctx)
{
	struct ipsctx *ic = ctx;
	size_t k;

	iprcvd_line(ic->rcvd, ln, h, n);
	for (k = 0; k < n; k++)
		if (h[k].role == IPROLE_OFFENDER
		    || h[k].role == IPROLE_NEUTRAL) {
			ipseen_add(&ic->seen, h[k].canon);
			ic->found++;
		}
}

/* extract_ips - see extract.h; when the text names no address itself,
 * the origin of pasted Received: headers is the offender */
void
extract_ips(const char *text, struct strvec *offenders)
{
	struct ipsctx ic;
	const char *origin;
	size_t k;

	memset(&ic, 0, sizeof(ic));
	ic.seen.sv = offenders;
	ic.seen.cap = 64;
	ic.seen.slot = xcalloc(ic.seen.cap, sizeof(*ic.seen.slot));
	for (k = 0; k < offenders->n; k++)
		ipseen_insert(&ic.seen, k);
	ic.rcvd = iprcvd_new();
	ipwalk_text(text, ips_line, &ic);
	if (ic.found == 0 && (origin = iprcvd_origin(ic.rcvd)) != NULL)
		ipseen_add(&ic.seen, origin);
	iprcvd_free(ic.rcvd);
	free(ic.seen.slot);
}
