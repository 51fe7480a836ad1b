/*
 * address.c - robots, lists, organisations and rate keys of reply
 * addresses; see address.h for the rules and how to call them.
 *
 * Every test here is on the bare address only, so the same answer comes
 * from the milter and from --classify. The lists of names are short on
 * purpose: each entry is an address that by convention no person reads
 * (or that relays), not a guess about who might be a robot.
 */
#include "reply/address.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/util.h"

/* reply_addr_split - the local part (malloc'd, "+detail" removed unless
 * it is quoted) and a pointer to the domain after the last '@' ("" when
 * there is none) */
static char *
reply_addr_split(const char *addr, const char **domain)
{
	const char *at = strrchr(addr, '@');
	char *local = xstrndup(addr, at ? (size_t)(at - addr) : strlen(addr));
	char *plus = local[0] != '"' ? strchr(local, '+') : NULL;

	if (plus != NULL && plus != local)
		*plus = '\0';	/* "owner-x+bounce" is still owner-x */
	*domain = at ? at + 1 : "";
	return local;
}

/* reply_addr_list - a list, its owner or its manager program; a
 * Mailman "NAME-bounces" envelope sender is also how feedback loops
 * sign (fbl-bounces@): there only its pairing with the list address
 * counts (reply_addr_mailman_pair) */
static bool
reply_addr_list(const char *local, bool envelope)
{
	static const char *const managers[] = { "listserv", "majordomo",
	    "listproc", "mailman", "sympa", NULL };

	return str_has_prefix_nocase(local, "owner-") ||
	    str_has_suffix_nocase(local, "-request") ||
	    (!envelope && str_has_suffix_nocase(local, "-bounces")) ||
	    strcasestr(local, "-return-") != NULL ||	/* ezmlm */
	    str_in_list_nocase(local, managers);
}

/* reply_addr_bounce - "bounce", "bounces", or either followed by one of
 * "-._=" or a digit: VERP return paths ("bounce-123", "bounces.x") */
static bool
reply_addr_bounce(const char *local)
{
	const char *rest;

	if (strncasecmp(local, "bounce", 6) != 0)
		return false;
	rest = local + 6;
	if (*rest == 's' || *rest == 'S')
		rest++;
	return *rest == '\0' || strchr("-._=0123456789", *rest) != NULL;
}

/* reply_addr_local_domain - a domain no one outside can reach */
static bool
reply_addr_local_domain(const char *domain)
{
	static const char *const tails[] = { "localhost", "localdomain",
	    "local", "internal", "lan", "home.arpa", "invalid", "test", NULL };
	size_t n = strlen(domain), k;

	if (strchr(domain, '.') == NULL)
		return true;	/* "localhost", "server": one label */
	for (size_t i = 0; tails[i] != NULL; i++) {
		k = strlen(tails[i]);
		if (n > k && domain[n - k - 1] == '.' &&
		    strcasecmp(domain + n - k, tails[i]) == 0)
			return true;
	}
	return false;
}

/* reply_addr_robot - see address.h */
const char *
reply_addr_robot(const char *addr, bool envelope)
{
	static const char *const daemon[] = { "mailer-daemon", NULL };
	static const char *const postmaster[] = { "postmaster", NULL };
	const char *domain, *why = NULL;
	char *local;

	if (addr == NULL)
		return NULL;
	local = reply_addr_split(addr, &domain);
	if (strpbrk(local, "%!@") != NULL)
		why = "routed address";
	else if (str_in_list_nocase(local, daemon))
		why = "mailer-daemon";
	else if (str_in_list_nocase(local, postmaster))
		why = "postmaster";
	else if (reply_addr_list(local, envelope))
		why = "list address";
	else if (!envelope && reply_addr_bounce(local))
		why = "bounce address";
	else if (domain[0] == '[')
		why = "address literal";
	else if (reply_addr_local_domain(domain))
		why = "local address";
	free(local);
	return why;
}

/* reply_addr_domain - the domain part of an address, or the whole
 * value when it has no '@' (a bare domain) */
static const char *
reply_addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : addr;
}

/* reply_addr_second_level - labels that sit under a two-letter country
 * code the way "com" sits under the root: "x.co.uk" is one organisation,
 * "co.uk" none */
static bool
reply_addr_second_level(const char *label, size_t len)
{
	static const char *const names[] = { "ac", "co", "com", "edu", "gob",
	    "gov", "govt", "gouv", "go", "ltd", "mil", "ne", "net", "nic",
	    "or", "org", "plc", "sch", NULL };

	for (size_t i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == len && strncasecmp(label, names[i],
		    len) == 0)
			return true;
	return false;
}

/* reply_addr_org_domain - see address.h */
char *
reply_addr_org_domain(const char *addr)
{
	const char *d, *dots[3] = { NULL, NULL, NULL }, *p;
	size_t keep;

	if (addr == NULL || *(d = reply_addr_domain(addr)) == '\0')
		return NULL;
	if (*d == '[')
		return str_lower(xstrdup(d));
	/* the last three dots, newest first */
	for (p = d; *p != '\0'; p++)
		if (*p == '.') {
			dots[2] = dots[1];
			dots[1] = dots[0];
			dots[0] = p;
		}
	if (dots[1] == NULL)
		return str_lower(xstrdup(d));	/* one or two labels */
	keep = 2;
	if (strlen(dots[0] + 1) == 2 &&
	    reply_addr_second_level(dots[1] + 1, (size_t)(dots[0] - dots[1] - 1)))
		keep = 3;
	if (keep == 3 && dots[2] == NULL)
		return str_lower(xstrdup(d));
	return str_lower(xstrdup((keep == 2 ? dots[1] : dots[2]) + 1));
}

/* reply_addr_same_org - see address.h */
bool
reply_addr_same_org(const char *a, const char *b)
{
	char *oa, *ob;
	bool same;

	if (a == NULL || b == NULL)
		return false;
	if (strcasecmp(reply_addr_domain(a), reply_addr_domain(b)) == 0)
		return *reply_addr_domain(a) != '\0';
	oa = reply_addr_org_domain(a);
	ob = reply_addr_org_domain(b);
	same = oa != NULL && ob != NULL && strcmp(oa, ob) == 0;
	free(oa);
	free(ob);
	return same;
}

/* reply_addr_mailman_pair - see address.h */
bool
reply_addr_mailman_pair(const char *envfrom, const char *addr)
{
	const char *ed, *ad;
	char *el, *al;
	size_t n, k = strlen("-bounces");
	bool pair = false;

	if (envfrom == NULL || addr == NULL)
		return false;
	el = reply_addr_split(envfrom, &ed);
	al = reply_addr_split(addr, &ad);
	n = strlen(el);
	if (n > k && str_has_suffix_nocase(el, "-bounces") && strlen(al) == n - k &&
	    strncasecmp(el, al, n - k) == 0 && strcasecmp(ed, ad) == 0)
		pair = true;
	free(el);
	free(al);
	return pair;
}

/* reply_addr_rate_key - see address.h */
char *
reply_addr_rate_key(const char *addr, const char *separators)
{
	const char *start, *end, *at;
	size_t cut;
	char *key;

	if (addr == NULL)
		return NULL;
	for (start = addr; *start == ' ' || *start == '<'; start++)
		;
	end = start + strlen(start);
	while (end > start && (end[-1] == '>' || end[-1] == ' '))
		end--;
	key = str_lower(xstrndup(start, (size_t)(end - start)));
	at = strrchr(key, '@');
	if (at == NULL || key[0] == '"' || separators == NULL)
		return key;
	cut = strcspn(key + 1, separators) + 1;
	if (cut < (size_t)(at - key))
		memmove(key + cut, at, strlen(at) + 1);
	return key;
}
