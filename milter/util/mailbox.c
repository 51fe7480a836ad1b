/*
 * mailbox.c - match recipient addresses against the `mailboxes` patterns.
 * See mailbox.h. Addresses come from the MTA (envelope) or from headers,
 * so they may carry angle brackets, a display-less "<a@b>" form, a
 * "+detail" extension and any case.
 */
#include "util/mailbox.h"

#include <string.h>
#include <stdlib.h>
#include <strings.h>

/* mailbox_normalize - strip <>, lower-case, drop +detail */
char *
mailbox_normalize(const char *addr)
{
	const char *start = addr, *end, *at;
	char *out, *plus;

	while (*start == ' ' || *start == '\t' || *start == '<')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == '>' || end[-1] == ' ' ||
	    end[-1] == '\t'))
		end--;
	at = memrchr(start, '@', (size_t)(end - start));
	if (at == NULL || at == start || at + 1 == end)
		return NULL;
	out = str_lower(xstrndup(start, (size_t)(end - start)));
	plus = memchr(out, '+', (size_t)(at - start));
	if (plus != NULL)
		memmove(plus, out + (at - start), strlen(out + (at - start)) + 1);
	return out;
}

/* mailbox_pattern_valid - one '@', non-empty sides, '*' only alone */
bool
mailbox_pattern_valid(const char *pattern)
{
	const char *at = strchr(pattern, '@');

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return false;
	if (at == pattern || at[1] == '\0')
		return false;
	if (strchr(pattern, '*') == NULL)
		return true;
	/* a wildcard must be a whole side: "*@domain" or "local@*" */
	if (strcmp(at + 1, "*") == 0)
		return strchr(pattern, '*') == at + 1 && at != pattern;
	return pattern[0] == '*' && at == pattern + 1 &&
	    strchr(at, '*') == NULL;
}

/* mailbox_match_one - one pattern against a normalized address */
static bool
mailbox_match_one(const char *pat, const char *addr)
{
	const char *pat_at = strchr(pat, '@'), *addr_at = strrchr(addr, '@');
	size_t plen;

	if (pat_at == NULL || addr_at == NULL)
		return false;
	if (strcmp(pat_at + 1, "*") != 0 &&
	    strcasecmp(pat_at + 1, addr_at + 1) != 0)
		return false;
	plen = (size_t)(pat_at - pat);
	if (plen == 1 && pat[0] == '*')
		return true;
	return plen == (size_t)(addr_at - addr) &&
	    strncasecmp(pat, addr, plen) == 0;
}

/* mailbox_match - does addr, normalized, match one of the patterns? */
bool
mailbox_match(const struct strvec *patterns, const char *addr)
{
	char *norm;
	bool hit = false;

	if (addr == NULL || (norm = mailbox_normalize(addr)) == NULL)
		return false;
	for (size_t i = 0; i < patterns->n && !hit; i++)
		hit = mailbox_match_one(patterns->v[i], norm);
	free(norm);
	return hit;
}
