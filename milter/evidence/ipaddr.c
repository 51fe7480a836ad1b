/*
 * ipaddr.c - IPv4/IPv6 address parsing and canonical printing.
 * See ipaddr.h.
 *
 * Complaints defang addresses so that mail clients do not link them:
 * "[.]", "(.)", "{.}", "[dot]" stand for a dot, "[:]", "(:)", "{:}" for a
 * colon. The lenient parser folds those back first. IPv4 octets may be
 * zero-padded ("192.168.001.010" in Windows and firewall logs); they are
 * read as decimal, never octal. IPv6 goes through inet_pton/inet_ntop,
 * whose output is the RFC 5952 form.
 */
#include "evidence/ipaddr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* ip_defang_len - length of a defang sequence at s (0 if none) */
size_t
ip_defang_len(const char *s, const char *end, char *c)
{
	size_t n = (size_t)(end - s);
	char open = s[0], close;

	if (open == '[')
		close = ']';
	else if (open == '(')
		close = ')';
	else if (open == '{')
		close = '}';
	else
		return 0;
	if (n >= 3 && (s[1] == '.' || s[1] == ':') && s[2] == close) {
		*c = s[1];
		return 3;
	}
	if (n >= 5 && (s[1] | 0x20) == 'd' && (s[2] | 0x20) == 'o'
	    && (s[3] | 0x20) == 't' && s[4] == close) {
		*c = '.';
		return 5;
	}
	return 0;
}

/* ip_fold - copy s into out with defangs folded; false when the text is
 * too long or holds a character no address can contain. The buffer is
 * fixed because no valid address is longer than IP_TEXT_MAX. With wide,
 * a defanged colon stands for "::" ("2001:db8[:]1"), which some
 * defangers write for the double colon. */
static bool
ip_fold(const char *s, size_t len, bool lenient, bool wide, char *out)
{
	const char *end = s + len;
	size_t n = 0;
	char c;

	if (len == 0 || len > IP_TEXT_MAX)
		return false;
	while (s < end) {
		size_t dl = lenient ? ip_defang_len(s, end, &c) : 0;

		if (dl == 0) {
			c = *s;
			dl = 1;
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
			    || (c >= 'A' && c <= 'F') || c == '.' || c == ':'))
				return false;
		}
		out[n++] = c;
		if (wide && dl > 1 && c == ':')
			out[n++] = ':';
		s += dl;
	}
	out[n] = '\0';
	return true;
}

/* ip_parse_v4 - dotted quad, exactly four decimal octets */
static bool
ip_parse_v4(const char *s, bool lenient, unsigned char b[4])
{
	int part;

	for (part = 0; part < 4; part++) {
		unsigned val = 0, digits = 0;

		while (*s >= '0' && *s <= '9') {
			if (digits == 3)
				return false;
			if (!lenient && digits == 1 && val == 0)
				return false;
			val = val * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || val > 255)
			return false;
		b[part] = (unsigned char)val;
		if (part < 3 && *s++ != '.')
			return false;
	}
	return *s == '\0';
}

/* ip_parse_mode - shared body of ip_parse and ip_parse_strict */
static bool
ip_parse_mode(const char *s, size_t len, bool lenient, struct ip_addr *out)
{
	char text[2 * IP_TEXT_MAX + 1];

	if (!ip_fold(s, len, lenient, false, text))
		return false;
	memset(out, 0, sizeof(*out));
	if (strchr(text, ':') != NULL) {
		out->family = AF_INET6;
		if (inet_pton(AF_INET6, text, out->b) == 1)
			return true;
		return lenient && ip_fold(s, len, lenient, true, text)
		    && inet_pton(AF_INET6, text, out->b) == 1;
	}
	out->family = AF_INET;
	return ip_parse_v4(text, lenient, out->b);
}

/* ip_parse - lenient parse: defangs and zero-padded octets accepted */
bool
ip_parse(const char *s, size_t len, struct ip_addr *out)
{
	return ip_parse_mode(s, len, true, out);
}

/* ip_parse_strict - plain forms only, for configuration */
bool
ip_parse_strict(const char *s, size_t len, struct ip_addr *out)
{
	return ip_parse_mode(s, len, false, out);
}

/* ip_format - canonical text via inet_ntop (RFC 5952 for IPv6) */
bool
ip_format(const struct ip_addr *a, char *out, size_t outlen)
{
	return inet_ntop(a->family, a->b, out, (socklen_t)outlen) != NULL;
}

/* ip_canonical - text in any accepted form -> canonical text */
bool
ip_canonical(const char *s, size_t len, char *out, size_t outlen)
{
	struct ip_addr a;

	return ip_parse(s, len, &a) && ip_format(&a, out, outlen);
}

/* ip_key - one 16-byte ordered space for both families */
void
ip_key(const struct ip_addr *a, unsigned char key[16])
{
	if (a->family == AF_INET6) {
		memcpy(key, a->b, 16);
		return;
	}
	memset(key, 0, 10);
	key[10] = key[11] = 0xff;
	memcpy(key + 12, a->b, 4);
}
