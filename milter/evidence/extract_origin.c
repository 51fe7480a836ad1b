/*
 * extract_origin.c - the offender of a complaint whose evidence is a
 * forwarded or attached message (spam-trap hits, "see attached", a
 * webmail user's junk button): the client that handed the message to
 * the first receiver the complainant can vouch for.
 *
 *	extract_origins(&parsed, &ev->ips, &date);	  per attached message
 *	char ip[IP_CANON_MAX], *date = NULL;
 *	if (extract_origin(headers, len, "reporter.example", ip, sizeof(ip),
 *	    &date)) ... ip; date is that hop's date as written, or NULL
 *
 * The Received: chain (parse/received.c) is read from the newest hop
 * down. Hops received by the complainant's own systems are trusted:
 * those of the top receiver's organisation and of the reporter's. Their
 * clients that belong to the same organisation, or have a private or
 * loopback address, are internal hops; the first other client is the
 * origin. A big mailbox provider's relay is looked through when the
 * chain goes on inside that provider (its own hops record its client
 * honestly), so a message sent through webmail is traced to the sender,
 * and the webmail's X-Originating-IP is the last resort. Hops below the
 * first untrusted receiver were written by the sender: never read.
 */
#include "evidence/extract.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "evidence/ipaddr.h"
#include "parse/message.h"
#include "parse/received.h"
#include "util/util.h"

#define ORIGIN_ORG_MAX	128	/* longest organisation name compared */
#define ORIGIN_TRUSTED	16	/* organisations trusted at most */

/* mailbox providers whose relays record their clients honestly */
static const char *const origin_providers[] = {
	"google.com", "gmail.com", "googlemail.com", "outlook.com",
	"hotmail.com", "live.com", "yahoo.com", "yahoodns.net", "aol.com",
	"icloud.com", "me.com", "apple.com", "gmx.net", "gmx.de", "gmx.com",
	"web.de", "mail.ru", "yandex.ru", "yandex.net", "zoho.com",
	"protonmail.ch", "proton.me", "fastmail.com", "messagingengine.com",
	"t-online.de", "orange.fr", "free.fr", "laposte.net", "libero.it",
	"seznam.cz", "wp.pl", "o2.pl", "interia.pl", "naver.com", "qq.com",
	"163.com", "comcast.net", NULL
};

/* origin_second_level - is s[0..n) a country's public second level
 * ("co.uk", "com.br", "ne.jp")? */
static bool
origin_second_level(const char *s, size_t n)
{
	static const char *const names[] = { "co", "com", "net", "org",
	    "ac", "gov", "edu", "ne", "or", "gob", "go", NULL };

	for (size_t k = 0; names[k] != NULL; k++)
		if (strlen(names[k]) == n && strncasecmp(s, names[k], n) == 0)
			return true;
	return false;
}

/* origin_org - the organisation of a host name or mail domain, lower
 * case, into out: its last two labels; three under a country's short
 * public second level ("co.uk", "com.br") and under an RFC 2606 name, since
 * "isp.example.com" stands for a whole organisation. "" for NULL. */
static void
origin_org(const char *host, char *out, size_t outsz)
{
	size_t len = host != NULL ? strlen(host) : 0, i, dots = 0, want = 2;
	size_t dot[2] = { 0, 0 };	/* starts of the last two labels */

	out[0] = '\0';
	while (len > 0 && host[len - 1] == '.')
		len--;
	for (i = len; i > 0 && dots < 2; i--)
		if (host[i - 1] == '.')
			dot[dots++] = i;
	if (dots >= 1) {
		size_t tld = len - dot[0], sld = dot[0] - 1 - dot[1];

		if ((tld == 2 && origin_second_level(host + dot[1], sld)) ||
		    (sld == 7 &&
		    strncasecmp(host + dot[1], "example", 7) == 0))
			want = 3;
	}
	for (i = len, dots = 0; i > 0; i--)
		if (host[i - 1] == '.' && ++dots == want)
			break;
	if (len - i >= outsz)
		return;
	for (size_t k = i; k < len; k++)
		out[k - i] = (char)(host[k] >= 'A' && host[k] <= 'Z' ?
		    host[k] | 0x20 : host[k]);
	out[len - i] = '\0';
}

/* origin_trust - the organisations whose receivers are trusted */
struct origin_trust {
	char org[ORIGIN_TRUSTED][ORIGIN_ORG_MAX];
	size_t n;
};

/* origin_trusts - is the organisation of host trusted? */
static bool
origin_trusts(const struct origin_trust *t, const char *host)
{
	char org[ORIGIN_ORG_MAX];

	origin_org(host, org, sizeof(org));
	for (size_t i = 0; org[0] != '\0' && i < t->n; i++)
		if (strcmp(t->org[i], org) == 0)
			return true;
	return false;
}

/* origin_add - trust the organisation of host too */
static void
origin_add(struct origin_trust *t, const char *host)
{
	if (t->n < ORIGIN_TRUSTED && !origin_trusts(t, host)) {
		origin_org(host, t->org[t->n], sizeof(t->org[t->n]));
		if (t->org[t->n][0] != '\0')
			t->n++;
	}
}

/* origin_provider - is host a relay of a big mailbox provider? */
static bool
origin_provider(const char *host)
{
	char org[ORIGIN_ORG_MAX];

	origin_org(host, org, sizeof(org));
	return org[0] != '\0' && str_in_list(org, origin_providers);
}

/* origin_internal - an address no outside sender has: private,
 * loopback, link-local, shared (RFC 6598) or unique-local */
static bool
origin_internal(const struct ip_addr *a)
{
	const unsigned char *b = a->b;

	if (a->family != AF_INET6)
		return b[0] == 10 || b[0] == 127 || (b[0] == 172 &&
		    (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
		    (b[0] == 169 && b[1] == 254) || (b[0] == 100 &&
		    (b[1] & 0xc0) == 64) || b[0] == 0;
	if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return true;
	for (int i = 0; i < 15; i++)
		if (b[i] != 0)
			return false;
	return b[15] <= 1;	/* :: and ::1 */
}

/* origin_addr - a client address worth reporting, canonical; false for
 * none, a bad one or an internal one */
static bool
origin_addr(const char *text, char *canon, size_t csize)
{
	struct ip_addr a;
	size_t s = 0, e = text != NULL ? strlen(text) : 0;

	while (s < e && (text[s] == '[' || text[s] == ' '))
		s++;
	while (e > s && (text[e - 1] == ']' || text[e - 1] == ' '))
		e--;
	if (e == s || !ip_parse(text + s, e - s, &a) || origin_internal(&a))
		return false;
	return ip_format(&a, canon, csize);
}

/* origin_walk - the origin of one chain, under the trust t */
static bool
origin_walk(const struct rcvd_chain *ch, struct origin_trust *t,
    char *canon, size_t csize, char **date)
{
	for (size_t i = 0; i < ch->n; i++) {
		const struct rcvd_hop *h = &ch->hop[i];

		if (i > 0 && h->by != NULL && !origin_trusts(t, h->by))
			return false;	/* the sender wrote this hop */
		if (!origin_addr(h->addr, canon, csize) ||
		    (h->rdns != NULL && origin_trusts(t, h->rdns)))
			continue;	/* an internal hop */
		if (h->rdns != NULL && origin_provider(h->rdns) &&
		    i + 1 < ch->n && ch->hop[i + 1].by != NULL &&
		    origin_provider(ch->hop[i + 1].by)) {
			origin_add(t, h->rdns);
			origin_add(t, ch->hop[i + 1].by);
			continue;	/* the provider knows its client */
		}
		*date = h->date != NULL ? xstrdup(h->date) : NULL;
		return true;
	}
	return false;
}

/* extract_origin - see extract.h */
bool
extract_origin(const char *text, size_t len, const char *reporter,
    char *canon, size_t csize, char **date)
{
	struct rcvd_chain ch;
	struct origin_trust t;
	bool found = false;

	*date = NULL;
	if (text == NULL)
		return false;
	rcvd_chain_init(&ch);
	memset(&t, 0, sizeof(t));
	rcvd_chain_read(text, len, &ch);
	if (reporter != NULL)
		origin_add(&t, reporter);
	if (ch.n > 0 && ch.hop[0].by != NULL)
		origin_add(&t, ch.hop[0].by);
	found = origin_walk(&ch, &t, canon, csize, date);
	if (!found && origin_addr(ch.originating, canon, csize)) {
		found = true;	/* webmail: the sender's own address */
		if (ch.n > 0 && ch.hop[0].date != NULL)
			*date = xstrdup(ch.hop[0].date);
	}
	rcvd_chain_free(&ch);
	return found;
}

/* origin_auto_reply - does the complaint quote mail as an auto-reply
 * does? A bounce, a read receipt or a vacation notice carries our own
 * message, whose origin is us. */
static bool
origin_auto_reply(const struct parsed_msg *m)
{
	static const char *const quoting[] = { "message/delivery-status",
	    "message/global-delivery-status",
	    "message/disposition-notification", NULL };
	const char *v;

	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].content_type != NULL &&
		    str_in_list(m->parts[i].content_type, quoting))
			return true;
	if ((v = parsed_msg_header(m, "Auto-Submitted")) != NULL &&
	    str_has_prefix_nocase(v, "auto-replied"))
		return true;
	if ((v = parsed_msg_header(m, "Return-Path")) != NULL &&
	    strcmp(v, "<>") == 0)
		return true;	/* only bounces have no sender */
	if ((v = parsed_msg_header(m, "From")) != NULL &&
	    strcasestr(v, "mailer-daemon@") != NULL)
		return true;
	return parsed_msg_header(m, "X-Autoreply") != NULL ||
	    parsed_msg_header(m, "X-Autorespond") != NULL ||
	    parsed_msg_header(m, "X-Failed-Recipients") != NULL;
}

/* origin_domain - the mail domain of the first address in a header
 * value, as written, or NULL */
static char *
origin_domain(const char *v)
{
	const char *at = v != NULL ? strchr(v, '@') : NULL;
	size_t n;

	if (at == NULL)
		return NULL;
	n = strcspn(at + 1, "> \t,;\")");
	return n > 0 ? xstrndup(at + 1, n) : NULL;
}

/* origin_forwarded - a part that holds a whole forwarded message or its
 * header */
static bool
origin_forwarded(const struct msg_part *pt)
{
	static const char *const types[] = { "message/rfc822",
	    "text/rfc822-headers", "message/global",
	    "message/global-headers", NULL };

	return pt->data != NULL && pt->content_type != NULL &&
	    str_in_list(pt->content_type, types);
}

/* extract_origins - see extract.h */
size_t
extract_origins(const struct parsed_msg *m, struct strvec *ips,
    char **date)
{
	char canon[IP_CANON_MAX], *when, *dom;
	size_t found = 0;
	bool parts = false;

	*date = NULL;
	if (origin_auto_reply(m))
		return 0;
	dom = origin_domain(parsed_msg_header(m, "From"));
	if (dom == NULL)
		dom = origin_domain(parsed_msg_header(m, "Reply-To"));
	for (size_t i = 0; i < m->nparts; i++) {
		if (!origin_forwarded(&m->parts[i]) || !extract_origin(
		    m->parts[i].data, m->parts[i].len, dom, canon,
		    sizeof(canon), &when))
			continue;
		parts = true;
		found += strvec_push_unique(ips, canon);
		if (*date == NULL)
			*date = when;
		else
			free(when);
	}
	if (!parts && m->text.s != NULL && extract_origin(m->text.s,
	    m->text.len, dom, canon, sizeof(canon), &when)) {
		found += strvec_push_unique(ips, canon);
		*date = when;
	}
	free(dom);
	return found;
}
