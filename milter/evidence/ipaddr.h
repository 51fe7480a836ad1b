/*
 * ipaddr.h - parse IPv4/IPv6 addresses in every textual form complaints
 * use (plain, zero-padded, expanded or v4-mapped IPv6, defanged
 * "198.51.100[.]7" / "2001:db8[:]1") and print them canonically:
 * IPv4 dotted quad, IPv6 compressed lower case per RFC 5952.
 *
 * Usage:
 *	char canon[IP_CANON_MAX];
 *	if (ip_canonical(text, len, canon, sizeof(canon))) ...
 *	struct ip_addr a;
 *	if (ip_parse(text, len, &a)) ip_key(&a, key16);
 */
#ifndef ABUSE_IPADDR_H
#define ABUSE_IPADDR_H

#include <stdbool.h>
#include <stddef.h>

#define IP_CANON_MAX	64	/* out buffer size for ip_canonical/ip_format */
#define IP_TEXT_MAX	128	/* longest address text (with defangs) accepted */

/* ip_addr - one address in binary; b holds 4 bytes (v4) or 16 (v6),
 * network byte order */
struct ip_addr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char b[16];
};

/* ip_parse - any accepted form (defanged, zero-padded octets) -> binary */
bool ip_parse(const char *s, size_t len, struct ip_addr *out);

/* ip_parse_strict - only the plain forms (configuration files): no
 * defanging, no zero-padded octets */
bool ip_parse_strict(const char *s, size_t len, struct ip_addr *out);

/* ip_format - canonical text of a binary address; false if outlen short */
bool ip_format(const struct ip_addr *a, char *out, size_t outlen);

/* ip_defang_len - length of a defang sequence ("[.]", "(dot)", "[:]",
 * ...) starting at s before end, 0 if none; *c gets the '.' or ':' it
 * stands for */
size_t ip_defang_len(const char *s, const char *end, char *c);

/* ip_canonical - ip_parse + ip_format */
bool ip_canonical(const char *s, size_t len, char *out, size_t outlen);

/* ip_key - 16-byte sort key: IPv4 as v4-mapped IPv6 (::ffff:a.b.c.d), so
 * one ordered space holds both families and a v4-mapped address matches
 * its IPv4 network */
void ip_key(const struct ip_addr *a, unsigned char key[16]);

#endif
