/*
 * reporters.c - the known-reporter map; see reporters.h.
 *
 * Three sorted tables, one per kind of pattern (exact address, *@domain,
 * domain), each searched with bsearch: a lookup is at most one search
 * for the address, one for its domain, and one per label of the domain
 * for the suffixes, longest first, so the most specific entry is simply
 * the first found. Loading sorts once and refuses a pattern listed twice
 * (two weights for one sender would leave the winner to chance).
 */
#include "classify/reporters.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

enum { REP_EXACT, REP_STAR, REP_DOMAIN, REP_KINDS };

/* rep_table - the entries of one kind, sorted by key */
struct rep_table {
	struct reporter_entry *v;
	size_t n;
};

struct reporters {
	struct rep_table t[REP_KINDS];
};

/* rep_key - what a table is sorted and searched by: the address, or
 * the domain ("*@" skipped) */
static const char *
rep_key(const struct reporter_entry *e)
{
	return strncmp(e->pattern, "*@", 2) == 0 ? e->pattern + 2 : e->pattern;
}

/* rep_cmp - qsort order of entries */
static int
rep_cmp(const void *a, const void *b)
{
	return strcmp(rep_key(a), rep_key(b));
}

/* rep_find - bsearch order: a key against an entry */
static int
rep_find(const void *key, const void *e)
{
	return strcmp(key, rep_key(e));
}

/* rep_kind - which table a pattern belongs to; -1: not a pattern */
static int
rep_kind(const char *p)
{
	const char *at = strchr(p, '@'), *dom = at != NULL ? at + 1 : p;

	if (at != NULL && strchr(at + 1, '@') != NULL)
		return -1;
	if (*dom == '\0' || *dom == '.' || strchr(dom, '*') != NULL ||
	    strstr(dom, "..") != NULL || dom[strlen(dom) - 1] == '.')
		return -1;
	if (at == NULL)
		return REP_DOMAIN;
	if (at == p)
		return -1;
	if (at - p == 1 && *p == '*')
		return REP_STAR;
	return memchr(p, '*', (size_t)(at - p)) != NULL ? -1 : REP_EXACT;
}

/* rep_line - one line split into its fields; -1 with "FILE:LINE:
 * message" in err */
static int
rep_line(char *line, const char *const *names, size_t n,
    struct reporter_entry *e, int *kind, const char *path, char *err,
    size_t errlen)
{
	char *save = NULL, *f[4], *end;
	int nf = 0;
	size_t c;

	for (char *t = strtok_r(line, " \t\r", &save); t != NULL && nf < 4;
	    t = strtok_r(NULL, " \t\r", &save))
		f[nf++] = t;
	if (nf != 3) {
		snprintf(err, errlen, "%s:%d: want PATTERN CATEGORY WEIGHT",
		    path, e->line);
		return -1;
	}
	if ((*kind = rep_kind(str_lower(f[0]))) < 0) {
		snprintf(err, errlen, "%s:%d: bad pattern \"%s\" (want "
		    "name@domain, *@domain or domain)", path, e->line, f[0]);
		return -1;
	}
	for (c = 0; c < n && strcmp(names[c], f[1]) != 0; c++)
		;
	if (c == n) {
		snprintf(err, errlen, "%s:%d: unknown category \"%s\"", path,
		    e->line, f[1]);
		return -1;
	}
	errno = 0;
	e->weight = strtod(f[2], &end);
	if (errno != 0 || *end != '\0' || end == f[2] || !isfinite(e->weight)) {
		snprintf(err, errlen, "%s:%d: bad weight \"%s\" (want a number, "
		    "e.g. 3 or -1.5)", path, e->line, f[2]);
		return -1;
	}
	e->pattern = xstrdup(f[0]);
	e->cat = c;
	return 0;
}

/* rep_add - append an entry to its table */
static void
rep_add(struct reporters *rm, int kind, const struct reporter_entry *e)
{
	struct rep_table *t = &rm->t[kind];

	t->v = xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n++] = *e;
}

/* rep_parse - every line of text into rm; -1 with err */
static int
rep_parse(struct reporters *rm, char *text, const char *path,
    const char *const *names, size_t n, char *err, size_t errlen)
{
	char *line = text, *next;

	for (int lineno = 1; line != NULL; line = next, lineno++) {
		struct reporter_entry e = { .line = lineno };
		char *hash;
		int kind;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (*str_trim(line) == '\0')
			continue;
		if (rep_line(line, names, n, &e, &kind, path, err,
		    errlen) != 0)
			return -1;
		rep_add(rm, kind, &e);
	}
	return 0;
}

/* rep_sort - sort each table; -1 with err for a pattern listed twice */
static int
rep_sort(struct reporters *rm, const char *path, char *err, size_t errlen)
{
	for (int k = 0; k < REP_KINDS; k++) {
		struct rep_table *t = &rm->t[k];

		if (t->n > 1)	/* qsort may not see NULL, even for 0 */
			qsort(t->v, t->n, sizeof(*t->v), rep_cmp);
		for (size_t i = 1; i < t->n; i++)
			if (rep_cmp(&t->v[i - 1], &t->v[i]) == 0) {
				const struct reporter_entry *a = &t->v[i - 1],
				    *b = &t->v[i];

				snprintf(err, errlen, "%s:%d: \"%s\" is listed "
				    "twice (also line %d)", path, a->line >
				    b->line ? a->line : b->line, a->pattern,
				    a->line > b->line ? b->line : a->line);
				return -1;
			}
	}
	return 0;
}

/* reporters_load - see reporters.h */
struct reporters *
reporters_load(const char *path, const char *const *names, size_t n,
    char *err, size_t errlen)
{
	struct reporters *rm;
	size_t len;
	char *text = util_read_file(path, &len);

	if (text == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	rm = xcalloc(1, sizeof(*rm));
	if (memchr(text, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: a NUL byte: not a text file", path);
		reporters_free(rm);
		rm = NULL;
	} else if (rep_parse(rm, text, path, names, n, err, errlen) != 0 ||
	    rep_sort(rm, path, err, errlen) != 0) {
		reporters_free(rm);
		rm = NULL;
	}
	free(text);
	return rm;
}

/* reporters_free - see reporters.h */
void
reporters_free(struct reporters *rm)
{
	if (rm == NULL)
		return;
	for (int k = 0; k < REP_KINDS; k++) {
		for (size_t i = 0; i < rm->t[k].n; i++)
			free(rm->t[k].v[i].pattern);
		free(rm->t[k].v);
	}
	free(rm);
}

/* rep_search - the entry of one table for key, or NULL */
static const struct reporter_entry *
rep_search(const struct reporters *rm, int kind, const char *key)
{
	if (rm->t[kind].n == 0)	/* bsearch may not see NULL either */
		return NULL;
	return bsearch(key, rm->t[kind].v, rm->t[kind].n,
	    sizeof(struct reporter_entry), rep_find);
}

/* reporters_lookup - see reporters.h */
const struct reporter_entry *
reporters_lookup(const struct reporters *rm, const char *addr)
{
	const struct reporter_entry *e = NULL;
	char *a;
	const char *dom;

	if (rm == NULL || addr == NULL || *addr == '\0')
		return NULL;
	a = str_lower(xstrdup(addr));
	if ((e = rep_search(rm, REP_EXACT, a)) == NULL &&
	    (dom = strrchr(a, '@')) != NULL && *++dom != '\0' &&
	    (e = rep_search(rm, REP_STAR, dom)) == NULL)
		/* example.org covers mx.example.org: each suffix at a dot,
		 * longest first */
		for (const char *d = dom; d != NULL && e == NULL;
		    d = (d = strchr(d, '.')) != NULL ? d + 1 : NULL)
			e = rep_search(rm, REP_DOMAIN, d);
	free(a);
	return e;
}

/* reporters_count - see reporters.h */
size_t
reporters_count(const struct reporters *rm)
{
	size_t n = 0;

	for (int k = 0; rm != NULL && k < REP_KINDS; k++)
		n += rm->t[k].n;
	return n;
}
