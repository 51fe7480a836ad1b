/*
 * extract_ipctx.h - internal interface between the address scanner
 * (extract_ipscan.c), the line walker (extract_ipwalk.c), the offender
 * and port finders built on them (extract_ip.c, extract_port.c), CSV
 * tables (extract_ipcsv.c), pasted Received: headers (extract_iprcvd.c)
 * and the context rules that decide what role an address plays in a
 * complaint (extract_ipctx.c, extract_ipwords.c). Not for other modules.
 */
#ifndef ABUSE_EXTRACT_IPCTX_H
#define ABUSE_EXTRACT_IPCTX_H

#include <stdbool.h>
#include <stddef.h>

#include "evidence/ipaddr.h"
#include "util/util.h"

enum iprole {
	IPROLE_NEUTRAL,		/* nothing said: counted as an offender */
	IPROLE_OFFENDER,
	IPROLE_VICTIM,
	IPROLE_RELAY,		/* mail hop, relay, reporting sensor */
	IPROLE_NOTADDR		/* a version, section or OID number */
};

/* iphit - one address found on a line; offsets index the whole text */
struct iphit {
	size_t start, end;	/* the address text, defangs included */
	size_t after;		/* past a closing bracket and glued port */
	int port;		/* glued ":8080", "]:443", tcpdump ".22"; or 0 */
	int role;
	bool explicit_role;	/* a cue word (or log position) named it */
	bool inherited;		/* took the role of the address before it */
	size_t sentence;	/* which sentence of the line it stands in */
	char canon[IP_CANON_MAX];
};

/* iphits - a growable list of hits (grown with xgrow) */
struct iphits {
	struct iphit *h;
	size_t n, cap;
};

/* ipcsv - the CSV table the walker is in (extract_ipcsv.c) */
struct ipcsv {
	char delim;
	struct strvec cols;	/* lower-case column names */
	bool active;		/* rows of this table may follow */
};

/* ipctx_line - what the line walker knows about the current line */
struct ipctx_line {
	const char *t;		/* the whole text */
	size_t ls, le;		/* this line, without its end of line */
	int label_role;		/* role named by a "Heading:" line above */
	bool trace;		/* a quoted Received:-style header line */
	const struct ipcsv *csv;	/* set when the line is a CSV row */
};

/* ipwalk_fn - called for each line with its classified addresses */
typedef void (*ipwalk_fn)(const struct ipctx_line *ln,
    const struct iphit *h, size_t n, void *ctx);

/* ipwalk_text - run fn over every line of text (extract_ipwalk.c) */
void ipwalk_text(const char *text, ipwalk_fn fn, void *ctx);

/* extract_ipscan.c */
/* ipscan_line - append every address of t[ls..le) to hits, in order */
void ipscan_line(struct iphits *hits, const char *t, size_t ls, size_t le);
/* ipscan_port_at - a port 1..65535 at t[i..le), not part of a longer
 * number or word; *len gets its length; 0 when absent */
int ipscan_port_at(const char *t, size_t i, size_t le, size_t *len);

/* extract_ipcsv.c: tables with a header row */
void ipcsv_init(struct ipcsv *c);
void ipcsv_free(struct ipcsv *c);
bool ipcsv_header(struct ipcsv *c, const char *t, size_t ls, size_t le);
bool ipcsv_row(const struct ipcsv *c, const char *t, size_t ls, size_t le);
void ipcsv_roles(const struct ipcsv *c, const struct ipctx_line *ln,
    struct iphit *h, size_t n);
/* ipcsv_ports - fn gets side -1 (source), 1 (destination), 0 (either) */
void ipcsv_ports(const struct ipcsv *c, const char *t, size_t ls, size_t le,
    void (*fn)(void *ctx, size_t pos, int port, int side), void *ctx);

/* extract_iprcvd.c: origin of a forwarded spam from pasted Received:
 * headers; iprcvd_line wants every line, trace lines with their hits */
struct iprcvd;
struct iprcvd *iprcvd_new(void);
void iprcvd_free(struct iprcvd *r);
void iprcvd_line(struct iprcvd *r, const struct ipctx_line *ln,
    const struct iphit *h, size_t n);
const char *iprcvd_origin(const struct iprcvd *r);

/* ipctx_classify - set role of every hit of one line */
void ipctx_classify(const struct ipctx_line *ln, struct iphit *h, size_t n);

/* ipctx_label_role - role a line like "Attacking hosts:" names for the
 * address lines below it; -1 when the line is not such a heading */
int ipctx_label_role(const char *t, size_t ls, size_t le);

/* kinds of cue words (extract_ipwords.c), one bit per word list */
enum {
	K_OFFENDER = 1 << 0, K_VICTIM = 1 << 1, K_RELAY = 1 << 2,
	K_NOTADDR = 1 << 3, K_VERB = 1 << 4, K_TOWARD = 1 << 5,
	K_POSS = 1 << 6, K_FILLER = 1 << 7, K_CONJ = 1 << 8,
	K_PASSIVE = 1 << 9, K_PASSIVE_CUE = 1 << 10, K_MOTION = 1 << 11,
	K_WEAK_TOWARD = 1 << 12, K_VERB_OBJECT = 1 << 13
};

/* ipctx_kinds - the K_ bits of a lower-case word, 0 for other words */
unsigned ipctx_kinds(const char *w);

/* ipctx_lower_word - ASCII-lowercase t[from..to) into w (size wsize);
 * false when it does not fit, so it cannot be any listed word */
bool ipctx_lower_word(const char *t, size_t from, size_t to,
    char *w, size_t wsize);

/* ipctx_is_alpha - ASCII letter test that ignores the locale */
static inline bool
ipctx_is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* ipctx_is_digit - ASCII digit */
static inline bool
ipctx_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* ipctx_is_alnum - ASCII letter or digit */
static inline bool
ipctx_is_alnum(unsigned char c)
{
	return ipctx_is_alpha(c) || ipctx_is_digit(c);
}

#endif
