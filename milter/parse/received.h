/*
 * received.h - the Received: chain of a mail header block, as written:
 * an attached message (message/rfc822, text/rfc822-headers) or header
 * lines pasted into a complaint, quoted with "> " or not.
 *
 *	struct rcvd_chain ch;
 *	rcvd_chain_init(&ch);
 *	rcvd_chain_read(text, len, &ch);
 *	for (i = 0; i < ch.n; i++) ... ch.hop[i].addr, .rdns, .by, .date
 *	... ch.originating (X-Originating-IP), ch.reporter_domain
 *	rcvd_chain_free(&ch);
 *
 * Hops come in the order written: the newest, added by the last
 * receiver, first. Only text is kept here; what an address or a host
 * name means is for the evidence layer (evidence/extract_origin.c).
 */
#ifndef ABUSE_RECEIVED_H
#define ABUSE_RECEIVED_H

#include <stddef.h>

/* at most this many hops are kept: the offender is within the first few
 * hops below the receiver's own, and a forged chain may be endless */
#define RCVD_MAX_HOPS	64

/* rcvd_hop - one Received: field; each member NULL when absent */
struct rcvd_hop {
	char *helo;	/* the name after "from" */
	char *rdns;	/* the name the receiver looked up */
	char *addr;	/* the client's address literal, brackets removed */
	char *by;	/* the receiving host */
	char *date;	/* after the last ';' */
};

/* rcvd_chain - the hops of one header block */
struct rcvd_chain {
	struct rcvd_hop hop[RCVD_MAX_HOPS];
	size_t n;
	char *originating;	/* X-Originating-IP value, or NULL */
};

/* rcvd_chain_init - an empty chain */
void rcvd_chain_init(struct rcvd_chain *ch);

/* rcvd_chain_free - release every string; ch is empty after */
void rcvd_chain_free(struct rcvd_chain *ch);

/* rcvd_chain_read - the Received: fields of the first header block of
 * text[0..len) that has any (a block ends at a line that is neither a
 * field nor its continuation); "> " quote marks are skipped. Linear in
 * len. Returns the number of hops read. */
size_t rcvd_chain_read(const char *text, size_t len, struct rcvd_chain *ch);

#endif
