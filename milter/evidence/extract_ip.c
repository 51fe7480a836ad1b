/*
 * extract_ip.c - find the reported offender addresses and ports in the
 * free text of a complaint. See extract.h:
 *
 *	extract_ips(text, &ev->ips);
 *	extract_ports(text, &ev->ports, &ev->nports);
 *
 * The caller passes the complaint's own text (quoted earlier mail already
 * removed). One linear pass walks the text line by line
 * (extract_ipwalk.c); on each line a scanner finds address tokens
 * (extract_ipscan.c) and extract_ipctx.c gives each a role (the word
 * rules are described there); extract_port.c, extract_ipcsv.c and
 * extract_iprcvd.c build on this walker. This file keeps the offenders.
 *
 * What counts as an address: four decimal octets (zero padding read as
 * decimal), or an IPv6 address in any inet_pton form, also defanged
 * ("198.51.100[.]7", "2001:db8[:]1"). A token glued to letters, digits or
 * more dotted numbers is no address ("1.2.3.4.5", OIDs, "v1.2.3.4",
 * "host1.2.3.4", "1.2.3.4.in-addr.arpa"), nor a product version
 * ("Apache/2.4.1.0") or a number after "version", "build", "section",
 * "inetnum"..., nor a network "198.51.100.0/24" (only /32 and /128 are
 * addresses). Octets over 255 or a wrong count of parts never parse.
 *
 * Which addresses are offenders: all of them, unless the context says
 * otherwise (when unsure, include): victims ("our server", "destination",
 * "DST=", "target", "against", "connections to", the right side of
 * "a -> b"), relays ("relay=", "received by", a bounce's "said:") and
 * every address in a quoted trace header (Received:, Received-SPF:,
 * Authentication-Results:, Message-ID: and their folded continuation
 * lines) are dropped. An address is never dropped for its range: private
 * and documentation addresses appear in real complaints. Only when the
 * text names no address at all do pasted Received: headers speak: the
 * client that handed a forwarded spam to the complainant's mail system
 * is the offender (extract_iprcvd.c).
 *
 * In a CSV table (attachments arrive as text) the header row decides
 * instead: "src_ip"/"ip" columns hold offenders, "dst_ip", "cc",
 * "sinkhole" columns the other side (extract_ipcsv.c).
 *
 * Which ports (extract_port.c): those glued to an address
 * ("198.51.100.7:8080", "[2001:db8::1]:443", tcpdump "198.51.100.7.4242 >"
 * and "2001:db8::1.4242 >"), labelled ("port 22", "Port: 22", "ports 80,
 * 443", "SPT=", "DPT=", "dport=", "tcp/22", "22/tcp"), or in a port
 * column of a CSV table; 1..65535. A port belongs to the side of the
 * connection its label or the nearest address before it on the line
 * names. The attacked service's port (DPT, "destination port", a port
 * after the victim's address) is what abuse desks quote and what exit
 * policies act on, so in a complaint that names one, or states a port of
 * no side ("Port: 22" alone), the offender's source ports (SPT, "source
 * port", ephemeral ports after the offender) are left out; in one that
 * does not (sshd "from 198.51.100.7 port 4242"), the source port is all
 * that identifies the session, and it is kept. Ports of relays and of
 * trace header lines are dropped.
 */
#include "evidence/extract.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/extract_ipctx.h"

/* ipseen - which canonical addresses the result already holds: a hash
 * set of indexes into the caller's vector, so that a list of 100,000
 * addresses is not a quadratic search */
struct ipseen {
	struct strvec *sv;
	size_t *slot;		/* index + 1 into sv->v; 0 = empty */
	size_t cap;		/* power of two */
	size_t n;
};

/* ipseen_hash - FNV-1a of a string */
static size_t
ipseen_hash(const char *s)
{
	size_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* ipseen_insert - remember sv->v[idx] */
static void
ipseen_insert(struct ipseen *is, size_t idx)
{
	size_t i;

	if (2 * (is->n + 1) > is->cap) {
		size_t old = is->cap, k;
		size_t *prev = is->slot;

		is->cap = old * 2;
		is->slot = xcalloc(is->cap, sizeof(*is->slot));
		is->n = 0;
		for (k = 0; k < old; k++)
			if (prev[k] != 0)
				ipseen_insert(is, prev[k] - 1);
		free(prev);
	}
	i = ipseen_hash(is->sv->v[idx]) & (is->cap - 1);
	while (is->slot[i] != 0)
		i = (i + 1) & (is->cap - 1);
	is->slot[i] = idx + 1;
	is->n++;
}

/* ipseen_add - push s unless present */
static void
ipseen_add(struct ipseen *is, const char *s)
{
	size_t i = ipseen_hash(s) & (is->cap - 1);

	for (; is->slot[i] != 0; i = (i + 1) & (is->cap - 1))
		if (strcmp(is->sv->v[is->slot[i] - 1], s) == 0)
			return;
	strvec_push(is->sv, s);
	ipseen_insert(is, is->sv->n - 1);
}

/* ipsctx - state of extract_ips */
struct ipsctx {
	struct ipseen seen;
	struct iprcvd *rcvd;
	size_t found;		/* addresses the text itself named */
};

/* ips_line - keep the offenders (named or not) of one line */
static void
ips_line(const struct ipctx_line *ln, const struct iphit *h, size_t n,
    void *ctx)
{
	struct ipsctx *ic = ctx;
	size_t k;

	iprcvd_line(ic->rcvd, ln, h, n);
	for (k = 0; k < n; k++)
		if (h[k].role == IPROLE_OFFENDER
		    || h[k].role == IPROLE_NEUTRAL) {
			ipseen_add(&ic->seen, h[k].canon);
			ic->found++;
		}
}

/* extract_ips - see extract.h; when the text names no address itself,
 * the origin of pasted Received: headers is the offender */
void
extract_ips(const char *text, struct strvec *offenders)
{
	struct ipsctx ic;
	const char *origin;
	size_t k;

	memset(&ic, 0, sizeof(ic));
	ic.seen.sv = offenders;
	ic.seen.cap = 64;
	ic.seen.slot = xcalloc(ic.seen.cap, sizeof(*ic.seen.slot));
	for (k = 0; k < offenders->n; k++)
		ipseen_insert(&ic.seen, k);
	ic.rcvd = iprcvd_new();
	ipwalk_text(text, ips_line, &ic);
	if (ic.found == 0 && (origin = iprcvd_origin(ic.rcvd)) != NULL)
		ipseen_add(&ic.seen, origin);
	iprcvd_free(ic.rcvd);
	free(ic.seen.slot);
}
