/*
 * extract_ipscan.c - the address scanner of the free-text extractors:
 * every IPv4/IPv6 address token of one line, with a port glued to it,
 * and port numbers that stand alone. What counts as an address is
 * described at the top of extract_ip.c; see extract_ipctx.h.
 *
 *	struct iphits hits = {0};
 *	ipscan_line(&hits, text, line_start, line_end);
 *	... hits.h[0 .. hits.n) in text order; free(hits.h) ...
 */
#include "evidence/extract_ipctx.h"

#include <string.h>
#include <strings.h>

#include "evidence/ipaddr.h"

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

/* ipscan_line - append every address of t[ls..le) to hits */
void
ipscan_line(struct iphits *hits, const char *t, size_t ls, size_t le)
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
		hits->h = xgrow(hits->h, &hits->cap, hits->n + 1,
		    sizeof(*hits->h));
		hits->h[hits->n++] = hit;
		i = hit.after > i ? hit.after : e;
	}
}
