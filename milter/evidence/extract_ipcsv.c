/*
 * extract_ipcsv.c - read addresses and ports of CSV tables by their
 * column names. Reports from Shadowserver, AbuseHub and others arrive as
 * .csv attachments, which the MIME layer hands over as text: there the
 * header row, not the words around an address, says whose address it is
 * ("src_ip" the offender, "dst_ip", "cc", "sinkhole" the other side).
 * Called by the line walker in extract_ipwalk.c:
 *
 *	if (n == 0 && ipcsv_header(&csv, t, ls, le)) ...	a header row
 *	if (ipcsv_row(&csv, t, ls, le)) ipcsv_roles(...)	a data row
 *	ipcsv_ports(&csv, t, ls, le, fn, ctx)			its ports
 */
#include "evidence/extract_ipctx.h"

#include <string.h>

#include "util/util.h"

#define IPCSV_MAX_NAME	40	/* longer fields are data, not names */

static const char ipcsv_delims[] = ",;\t|";	/* order of count[] */

/* column name words naming the other side, checked first */
static const char *const ipcsv_other[] = {
	"dst", "dest", "destination", "target", "victim", "cc", "sinkhole",
	"server", "http", "referer", "referrer", "sensor", "honeypot",
	"local", "lip", "reporting", "reporter", "dip", "daddr", NULL
};

/* column name words naming the reported host */
static const char *const ipcsv_offender[] = {
	"src", "source", "ip", "addr", "address", "client", "attacker",
	"offender", "remote", "rip", "saddr", "sip", "infected", NULL
};

/* ipcsv_init - no table seen yet */
void
ipcsv_init(struct ipcsv *c)
{
	memset(c, 0, sizeof(*c));
	strvec_init(&c->cols);
}

/* ipcsv_free - release the column names */
void
ipcsv_free(struct ipcsv *c)
{
	strvec_free(&c->cols);
}

/* ipcsv_next_field - the field of t[*i..le) up to the next delimiter
 * outside double quotes, trimmed of blanks and quotes, as [*fs, *fe);
 * *i moves past the delimiter. False at the end of the line. */
static bool
ipcsv_next_field(char delim, const char *t, size_t *i, size_t le,
    size_t *fs, size_t *fe)
{
	size_t p = *i;
	bool quoted = false;

	if (p > le)
		return false;
	while (p < le && (quoted || t[p] != delim)) {
		if (t[p] == '"')
			quoted = !quoted;
		p++;
	}
	*fs = *i;
	*fe = p;
	*i = p + 1;
	while (*fs < *fe && strchr(" \t\"'", t[*fs]) != NULL)
		(*fs)++;
	while (*fe > *fs && strchr(" \t\"'", t[*fe - 1]) != NULL)
		(*fe)--;
	return true;
}

/* ipcsv_delim - the delimiter used most outside quotes on a line that
 * could be a header row, or 0. Gives up at the first character no
 * column name holds, or a field longer than any name, so that prose
 * costs little. */
static char
ipcsv_delim(const char *t, size_t ls, size_t le)
{
	size_t count[4] = { 0, 0, 0, 0 }, i, best = 0, seg = 0;
	bool quoted = false;

	for (i = ls; i < le; i++) {
		unsigned char c = (unsigned char)t[i];
		int d = c == ',' ? 0 : c == ';' ? 1 : c == '\t' ? 2 :
		    c == '|' ? 3 : -1;

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (d >= 0 && !quoted) {
			count[d]++;
			seg = 0;
			continue;
		}
		if (++seg > IPCSV_MAX_NAME + 2 || (!ipctx_is_alnum(c)
		    && c != ' ' && c != '_' && c != '.' && c != '-'
		    && c != '\''))
			return 0;
	}
	for (i = 1; i < 4; i++)
		if (count[i] > count[best])
			best = i;
	return count[best] >= 1 ? ipcsv_delims[best] : 0;
}

/* ipcsv_name_ok - could t[fs..fe) be a column name? */
static bool
ipcsv_name_ok(const char *t, size_t fs, size_t fe)
{
	size_t i;

	if (fe <= fs || fe - fs > IPCSV_MAX_NAME
	    || !ipctx_is_alpha((unsigned char)t[fs]))
		return false;
	for (i = fs; i < fe; i++)
		if (!ipctx_is_alnum((unsigned char)t[i])
		    && strchr("_ .-", t[i]) == NULL)
			return false;
	return true;
}

/* ipcsv_column_role - what a column name says of its addresses */
static int
ipcsv_column_role(const char *name)
{
	char w[IPCSV_MAX_NAME + 1];
	size_t i = 0, s;
	int role = IPROLE_NEUTRAL;

	while (name[i] != '\0') {
		while (name[i] != '\0' && !ipctx_is_alpha((unsigned char)name[i]))
			i++;
		s = i;
		while (ipctx_is_alpha((unsigned char)name[i]))
			i++;
		if (i == s || !ipctx_lower_word(name, s, i, w, sizeof(w)))
			continue;
		if (str_in_list(w, ipcsv_other))
			return IPROLE_VICTIM;
		if (str_in_list(w, ipcsv_offender))
			role = IPROLE_OFFENDER;
	}
	return role;
}

/* ipcsv_header - if t[ls..le) is the header row of a table with an
 * address column, remember its names and return true */
bool
ipcsv_header(struct ipcsv *c, const char *t, size_t ls, size_t le)
{
	char delim = ipcsv_delim(t, ls, le);
	size_t i = ls, fs, fe;
	bool addr = false;

	if (delim == 0)
		return false;
	for (i = ls; ipcsv_next_field(delim, t, &i, le, &fs, &fe); )
		if (fe > fs && !ipcsv_name_ok(t, fs, fe))
			return false;
	strvec_free(&c->cols);
	strvec_init(&c->cols);
	for (i = ls; ipcsv_next_field(delim, t, &i, le, &fs, &fe); ) {
		char *name = xstrndup(t + fs, fe - fs), *p;

		for (p = name; *p != '\0'; p++)
			*p = *p == ' ' || *p == '-' ? '_' : *p >= 'A' && *p <= 'Z'
			    ? (char)(*p | 0x20) : *p;
		addr |= ipcsv_column_role(name) != IPROLE_NEUTRAL;
		strvec_push_owned(&c->cols, name);
	}
	c->delim = delim;
	c->active = addr;
	return addr;
}

/* ipcsv_row - is t[ls..le) a data row of the current table? */
bool
ipcsv_row(const struct ipcsv *c, const char *t, size_t ls, size_t le)
{
	return c->active && memchr(t + ls, c->delim, le - ls) != NULL;
}

/* ipcsv_roles - each address takes its column's role; once a column
 * names the offender, addresses in unnamed columns are the other side */
void
ipcsv_roles(const struct ipcsv *c, const struct ipctx_line *ln,
    struct iphit *h, size_t n)
{
	size_t i = ln->ls, fs, fe, col = 0, k = 0;
	bool named = false;

	while (k < n && ipcsv_next_field(c->delim, ln->t, &i, ln->le, &fs,
	    &fe)) {
		for (; k < n && h[k].start < i; k++) {
			int role = col < c->cols.n ?
			    ipcsv_column_role(c->cols.v[col]) : IPROLE_NEUTRAL;

			h[k].role = role;
			h[k].explicit_role = role != IPROLE_NEUTRAL;
			h[k].inherited = false;
			named |= role == IPROLE_OFFENDER;
		}
		col++;
	}
	for (k = 0; named && k < n; k++)
		if (h[k].role == IPROLE_NEUTRAL)
			h[k].role = IPROLE_VICTIM;
}

/* ipcsv_port_side - -1 source, 1 destination, 0 either for a port
 * column name; 2 for any other column */
static int
ipcsv_port_side(const char *name)
{
	static const char *const any[] = { "port", NULL };
	static const char *const src[] = {
		"src_port", "source_port", "srcport", "sport", "spt", NULL
	};
	static const char *const dst[] = {
		"dst_port", "dest_port", "destination_port", "dstport",
		"dport", "dpt", NULL
	};

	if (str_in_list(name, any))
		return 0;
	if (str_in_list(name, src))
		return -1;
	if (str_in_list(name, dst))
		return 1;
	return 2;
}

/* ipcsv_ports - hand every value of a port column of this row to fn */
void
ipcsv_ports(const struct ipcsv *c, const char *t, size_t ls, size_t le,
    void (*fn)(void *ctx, size_t pos, int port, int side), void *ctx)
{
	size_t i = ls, fs, fe, col = 0, len;

	for (; ipcsv_next_field(c->delim, t, &i, le, &fs, &fe)
	    && col < c->cols.n; col++) {
		int side = ipcsv_port_side(c->cols.v[col]);
		int port;

		if (side == 2 || fe == fs)
			continue;
		port = ipscan_port_at(t, fs, fe, &len);
		if (port != 0 && len == fe - fs)
			fn(ctx, fs, port, side);
	}
}
