/*
 * hdrdel.c - see hdrdel.h.
 *
 * The MTA numbers the headers of one name from 1, comparing names
 * case-insensitively. A header named like one of ours carries our prefix
 * too, so only prefixed names are remembered, and their numbers are
 * worked out at the end by sorting: a message with a million other
 * headers costs nothing here, where counting every name as it came was
 * quadratic in time and linear in memory.
 */
#include "protocol/hdrdel.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* hdrdel_note - see hdrdel.h */
void
hdrdel_note(struct strvec *ours, const char *prefix, const char *name)
{
	if (strncasecmp(name, prefix, strlen(prefix)) == 0)
		strvec_push(ours, name);
}

/* hdrdel_cmp - qsort order of names, ignoring case */
static int
hdrdel_cmp(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* hdrdel_each - see hdrdel.h */
int
hdrdel_each(const struct strvec *ours,
    int (*fn)(const char *name, int index, void *arg), void *arg)
{
	char **v;
	size_t i = 0, j;
	int rc = 0;

	if (ours->n == 0)
		return 0;
	v = xcalloc(ours->n, sizeof(*v));
	memcpy(v, ours->v, ours->n * sizeof(*v));
	qsort(v, ours->n, sizeof(*v), hdrdel_cmp);
	while (i < ours->n) {
		for (j = i + 1; j < ours->n && strcasecmp(v[j], v[i]) == 0; j++)
			;
		for (size_t k = j - i; k > 0; k--)
			if (fn(v[i], (int)k, arg) != 0)
				rc = -1;
		i = j;
	}
	free(v);
	return rc;
}
