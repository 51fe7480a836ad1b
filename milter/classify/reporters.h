/*
 * reporters.h - the known-reporter map: which senders usually send
 * which category of complaint, and how far to trust that. One entry a
 * line:
 *
 *	PATTERN  CATEGORY  WEIGHT  # comment
 *
 * PATTERN is an exact address (name@example.org), any address at
 * exactly one domain (*@example.org), or a domain with all its
 * subdomains (example.org). Case does not matter. WEIGHT is a number,
 * negative allowed. Blank lines and everything after "#" are skipped.
 *
 * A lookup finds the most specific entry: the exact address, else
 * *@its domain, else the longest of its domain's suffixes that is
 * listed (mx.example.org before example.org).
 *
 * The map knows categories by their place in a list of names the
 * caller gives (the ruleset's, in file order), so it does not depend
 * on the ruleset.
 *
 * Usage:
 *	struct reporters *rm = reporters_load(path, names, n, err, errlen);
 *	const struct reporter_entry *e = reporters_lookup(rm, "a@b.example");
 *	if (e != NULL) ... names[e->cat], e->weight, e->pattern ...
 *	reporters_free(rm);
 *
 * A loaded map is only read: lookups are thread-safe.
 */
#ifndef ABUSE_REPORTERS_H
#define ABUSE_REPORTERS_H

#include <stddef.h>

/* reporter_entry - one line of the map */
struct reporter_entry {
	char *pattern;		/* lower case, as written otherwise */
	size_t cat;		/* index into the names given to the load */
	double weight;
	int line;
};

struct reporters;

/* reporters_load - read the map at path; NULL with "FILE:LINE: message"
 * (or "FILE: message") in err on any error, e.g. a category not among
 * names[0 .. n) */
struct reporters *reporters_load(const char *path, const char *const *names,
    size_t n, char *err, size_t errlen);
void reporters_free(struct reporters *rm);

/* reporters_lookup - the most specific entry for an address, or NULL
 * (also for a NULL map or address) */
const struct reporter_entry *reporters_lookup(const struct reporters *rm,
    const char *addr);

/* reporters_count - how many entries the map holds */
size_t reporters_count(const struct reporters *rm);

#endif
