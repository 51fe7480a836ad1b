/*
 * netset.c - sets of IPv4/IPv6 networks: our_networks and the Tor exit
 * list. See netset.h.
 *
 * Every network is a closed range [lo, hi] of 16-byte keys (ipaddr.h:
 * IPv4 lives in the v4-mapped part of the IPv6 space), so one sorted
 * array serves both families and a lookup is one binary search.
 * netset_finish sorts and folds overlapping ranges into one; adjacent
 * single addresses stay separate, so netset_count of an exit list is the
 * number of distinct addresses in it. (A consequence of the one space:
 * "::/0" and "::ffff:0:0/96" hold every IPv4 address too.)
 */
#include "evidence/netset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "evidence/ipaddr.h"
#include "util/util.h"

struct netrange {
	unsigned char lo[16];
	unsigned char hi[16];
};

struct netset {
	struct netrange *r;
	size_t n;
	size_t cap;
	bool sorted;		/* netset_finish ran since the last add */
};

/* netset_new - an empty set */
struct netset *
netset_new(void)
{
	struct netset *ns = xcalloc(1, sizeof(*ns));

	ns->sorted = true;
	return ns;
}

/* netset_free - release the set; NULL is fine */
void
netset_free(struct netset *ns)
{
	if (ns == NULL)
		return;
	free(ns->r);
	free(ns);
}

/* netset_push - append the range of key/prefix (prefix in 0..128) */
static void
netset_push(struct netset *ns, const unsigned char key[16], int prefix)
{
	struct netrange *nr;
	int i;

	ns->r = xgrow(ns->r, &ns->cap, ns->n + 1, sizeof(*ns->r));
	nr = &ns->r[ns->n++];
	for (i = 0; i < 16; i++) {
		int bits = prefix - i * 8;
		unsigned char mask;

		mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (unsigned char)(0xff << (8 - bits));
		nr->lo[i] = key[i] & mask;
		nr->hi[i] = key[i] | (unsigned char)~mask;
	}
	ns->sorted = false;
}

/* netset_prefix - parse the decimal prefix after '/'; -1 when invalid */
static int
netset_prefix(const char *s, size_t len)
{
	int val = 0;
	size_t i;

	if (len == 0 || len > 3)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		val = val * 10 + (s[i] - '0');
	}
	return val;
}

/* netset_add_span - add "addr" or "addr/len" given as s[0..len) */
static int
netset_add_span(struct netset *ns, const char *s, size_t len)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	struct ip_addr a;
	unsigned char key[16];
	int prefix, max;

	if (!ip_parse_strict(s, alen, &a))
		return -1;
	max = a.family == AF_INET ? 32 : 128;
	prefix = max;
	if (slash != NULL) {
		prefix = netset_prefix(slash + 1, len - alen - 1);
		if (prefix < 0 || prefix > max)
			return -1;
	}
	ip_key(&a, key);
	netset_push(ns, key, a.family == AF_INET ? prefix + 96 : prefix);
	return 0;
}

/* netset_add_cidr - add one network; surrounding blanks are ignored */
int
netset_add_cidr(struct netset *ns, const char *cidr)
{
	const char *end;

	while (*cidr == ' ' || *cidr == '\t')
		cidr++;
	end = cidr + strlen(cidr);
	while (end > cidr && (end[-1] == ' ' || end[-1] == '\t'
	    || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return netset_add_span(ns, cidr, (size_t)(end - cidr));
}

/* netset_field - next blank-separated field of *p, or NULL at line end */
static const char *
netset_field(const char **p, size_t *len)
{
	const char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	for (e = s; *e != '\0' && *e != ' ' && *e != '\t'; e++)
		;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

/* netset_keyword - is word[0..len) the keyword kw? */
static bool
netset_keyword(const char *word, size_t len, const char *kw)
{
	return strlen(kw) == len && memcmp(word, kw, len) == 0;
}

/* netset_exit_line - one line of an exit list; NULL or an error text.
 * TorDNSEL files carry ExitNode/Published/LastStatus records around each
 * ExitAddress (CollecTor adds "@type" and "Downloaded" lines); a plain
 * list has one address (or network) per line. */
static const char *
netset_exit_line(struct netset *ns, char *line)
{
	const char *p = line, *word, *addr;
	size_t wlen, alen;

	line[strcspn(line, "\r\n#")] = '\0';
	word = netset_field(&p, &wlen);
	if (word == NULL || word[0] == '@')
		return NULL;
	if (netset_keyword(word, wlen, "ExitNode")
	    || netset_keyword(word, wlen, "Published")
	    || netset_keyword(word, wlen, "LastStatus")
	    || netset_keyword(word, wlen, "Downloaded"))
		return NULL;
	if (netset_keyword(word, wlen, "ExitAddress")) {
		addr = netset_field(&p, &alen);
		if (addr == NULL)
			return "ExitAddress without an address";
		if (memchr(addr, '/', alen) != NULL
		    || netset_add_span(ns, addr, alen) < 0)
			return "bad ExitAddress";
		return NULL;
	}
	if (netset_add_span(ns, word, wlen) < 0)
		return "not an address";
	if (netset_field(&p, &alen) != NULL)
		return "more than one address on the line";
	return NULL;
}

/* netset_load_exit_list - add every address of a Tor exit list file */
int
netset_load_exit_list(struct netset *ns, const char *path,
    char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	const char *msg = NULL;

	if (fp == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (msg == NULL && getline(&line, &cap, fp) != -1) {
		lineno++;
		msg = netset_exit_line(ns, line);
	}
	if (msg == NULL && ferror(fp)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		msg = "";
	} else if (msg != NULL && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s:%zu: %s", path, lineno, msg);
	free(line);
	fclose(fp);
	return msg == NULL ? 0 : -1;
}

/* netset_cmp - order ranges by start, wider first on equal starts */
static int
netset_cmp(const void *a, const void *b)
{
	const struct netrange *x = a, *y = b;
	int c = memcmp(x->lo, y->lo, 16);

	return c != 0 ? c : -memcmp(x->hi, y->hi, 16);
}

/* netset_finish - sort, and fold ranges that overlap into one */
void
netset_finish(struct netset *ns)
{
	size_t i, out = 0;

	if (ns->n > 1)
		qsort(ns->r, ns->n, sizeof(*ns->r), netset_cmp);
	for (i = 0; i < ns->n; i++) {
		struct netrange *last = out ? &ns->r[out - 1] : NULL;

		if (last != NULL && memcmp(ns->r[i].lo, last->hi, 16) <= 0) {
			if (memcmp(ns->r[i].hi, last->hi, 16) > 0)
				memcpy(last->hi, ns->r[i].hi, 16);
			continue;
		}
		ns->r[out++] = ns->r[i];
	}
	ns->n = out;
	ns->sorted = true;
}

/* netset_contains - binary search for the last range starting at or
 * before the key; an unfinished set is searched linearly so that a
 * forgotten netset_finish costs time, never a wrong answer */
bool
netset_contains(const struct netset *ns, const char *addr)
{
	struct ip_addr a;
	unsigned char key[16];
	size_t lo = 0, hi, i;

	if (ns == NULL || addr == NULL || !ip_parse(addr, strlen(addr), &a))
		return false;
	ip_key(&a, key);
	if (!ns->sorted) {
		for (i = 0; i < ns->n; i++)
			if (memcmp(ns->r[i].lo, key, 16) <= 0
			    && memcmp(key, ns->r[i].hi, 16) <= 0)
				return true;
		return false;
	}
	hi = ns->n;
	while (lo < hi) {	/* first range with lo > key */
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(ns->r[mid].lo, key, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && memcmp(key, ns->r[lo - 1].hi, 16) <= 0;
}

/* netset_count - number of ranges (after netset_finish: distinct ones) */
size_t
netset_count(const struct netset *ns)
{
	return ns == NULL ? 0 : ns->n;
}
