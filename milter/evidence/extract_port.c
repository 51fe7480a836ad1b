/*
 * extract_port.c - find the reported ports in the free text of a
 * complaint; extract_ports() of extract.h. The rules (which ports, which
 * side of the connection) are described at the top of extract_ip.c;
 * this module reuses the line walker (extract_ipwalk.c) and the address
 * scanner (extract_ipscan.c).
 */
#include "evidence/extract.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/extract_ipctx.h"

enum port_side { PORT_ANY, PORT_SOURCE, PORT_DEST, PORT_DROP };

/* portcand - a port seen on the current line */
struct portcand {
	size_t pos;
	int port;
	int side;
};

/* portctx - state of extract_ports */
struct portctx {
	int **ports;
	size_t *nports;
	unsigned char seen[65536 / 8];	/* ports already in *ports */
	struct portcand *c;	/* candidates, in text order */
	size_t n, cap;
};

/* port_labels - label words and the side of the connection they name */
static const struct {
	const char *word;
	int side;
	bool list;		/* "ports 80, 443" */
} port_labels[] = {
	{ "port", PORT_ANY, false }, { "ports", PORT_ANY, true },
	{ "portnummer", PORT_ANY, false }, { "portnumber", PORT_ANY, false },
	{ "puerto", PORT_ANY, false }, { "puertos", PORT_ANY, true },
	{ "porta", PORT_ANY, false }, { "poort", PORT_ANY, false },
	{ "dpt", PORT_DEST, false }, { "dport", PORT_DEST, false },
	{ "dstport", PORT_DEST, false }, { "dst_port", PORT_DEST, false },
	{ "dest_port", PORT_DEST, false }, { "destport", PORT_DEST, false },
	{ "destination_port", PORT_DEST, false },
	{ "spt", PORT_SOURCE, false }, { "sport", PORT_SOURCE, false },
	{ "srcport", PORT_SOURCE, false }, { "src_port", PORT_SOURCE, false },
	{ "source_port", PORT_SOURCE, false },
	{ "sourceport", PORT_SOURCE, false },
	{ "quellport", PORT_SOURCE, false }, { "zielport", PORT_DEST, false },
};

static const char *const port_source_words[] = {
	"source", "src", "remote", "client", "quell", "quelle", "origen",
	"origine", "bron", NULL
};
static const char *const port_dest_words[] = {
	"destination", "dest", "dst", "target", "targeted", "attacked",
	"local", "service", "ziel", "destino", "doel", "cible", NULL
};

/* port_add - remember a candidate of the current line */
static void
port_add(struct portctx *pc, size_t pos, int port, int side)
{
	if (port == 0 || side == PORT_DROP)
		return;
	pc->c = xgrow(pc->c, &pc->cap, pc->n + 1, sizeof(*pc->c));
	pc->c[pc->n].pos = pos;
	pc->c[pc->n].port = port;
	pc->c[pc->n].side = side;
	pc->n++;
}

/* port_side_of_role - which side a port glued to or following an
 * address of this role belongs to */
static int
port_side_of_role(int role)
{
	if (role == IPROLE_VICTIM)
		return PORT_DEST;
	if (role == IPROLE_RELAY || role == IPROLE_NOTADDR)
		return PORT_DROP;
	return PORT_SOURCE;
}

/* port_nearest_side - side named by the last address before pos (hits
 * are in text order: binary search, for lines with thousands of them) */
static int
port_nearest_side(const struct iphit *h, size_t n, size_t pos)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {	/* first hit starting at or after pos */
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? PORT_ANY : port_side_of_role(h[lo - 1].role);
}

/* port_value - where the number after a label starts: blanks, ":=#",
 * "(s)", "number"/"no."/"Nr.", and qualifiers written after the label
 * ("port de destination : 22", "puerto de origen"), whose side goes to
 * *side */
static size_t
port_value(const char *t, size_t i, size_t le, int *side)
{
	static const char *const skip[] = {
		"number", "no", "nr", "num", "nummer", "numero", "de", "du",
		"d", "of", "del", NULL
	};
	char w[16];
	size_t s;
	int round;

	for (round = 0; round < 4; round++) {
		while (i < le && strchr(" \t:=#.", t[i]) != NULL && t[i] != '\0')
			i++;
		if (le - i >= 3 && memcmp(t + i, "(s)", 3) == 0) {
			i += 3;
			continue;
		}
		for (s = i; i < le && ipctx_is_alpha((unsigned char)t[i]); i++)
			;
		if (i == s)
			return i;
		if (!ipctx_lower_word(t, s, i, w, sizeof(w)))
			return s;
		if (str_in_list(w, port_source_words))
			*side = PORT_SOURCE;
		else if (str_in_list(w, port_dest_words))
			*side = PORT_DEST;
		else if (!str_in_list(w, skip))
			return s;
	}
	return i;
}

/* port_next_line - start of the text on the line after the one ending
 * at le (blanks skipped); *nle gets that line's end. Returns le when
 * there is no next line. */
static size_t
port_next_line(const char *t, size_t le, size_t *nle)
{
	size_t i = le;

	if (t[i] == '\r')
		i++;
	if (t[i] != '\n')
		return le;
	i++;
	while (t[i] == ' ' || t[i] == '\t')
		i++;
	for (*nle = i; t[*nle] != '\0' && t[*nle] != '\n'
	    && t[*nle] != '\r'; (*nle)++)
		;
	return i;
}

/* port_list - the numbers of "ports 22, 80 and 443" from i on */
static void
port_list(struct portctx *pc, const char *t, size_t i, size_t le, int side)
{
	static const char *const conj[] = {
		"and", "or", "und", "oder", "et", "ou", "y", "en", NULL
	};
	char w[8];
	size_t len, s;
	int port;

	while ((port = ipscan_port_at(t, i, le, &len)) != 0) {
		port_add(pc, i, port, side);
		i += len;
		for (;;) {
			while (i < le && strchr(" \t,;/&", t[i]) != NULL)
				i++;
			s = i;
			while (i < le && ipctx_is_alpha((unsigned char)t[i]))
				i++;
			if (i == s)
				break;
			if (!ipctx_lower_word(t, s, i, w, sizeof(w))
			    || !str_in_list(w, conj))
				return;
		}
	}
}

/* port_proto - "tcp/22" (word ends at i) and "22/tcp" (word starts at s) */
static void
port_proto(struct portctx *pc, const struct ipctx_line *ln,
    const struct iphit *h, size_t n, size_t s, size_t i)
{
	const char *t = ln->t;
	size_t len, ds = s - 1;

	if (i < ln->le && t[i] == '/')
		port_add(pc, s, ipscan_port_at(t, i + 1, ln->le, &len),
		    port_nearest_side(h, n, s));
	if (s < ln->ls + 2 || t[s - 1] != '/'
	    || !ipctx_is_digit((unsigned char)t[s - 2]))
		return;
	while (ds > ln->ls && ipctx_is_digit((unsigned char)t[ds - 1]))
		ds--;
	if (ds > ln->ls && (ipctx_is_alnum((unsigned char)t[ds - 1])
	    || t[ds - 1] == '.' || t[ds - 1] == ':' || t[ds - 1] == '/'))
		return;
	port_add(pc, ds, ipscan_port_at(t, ds, ln->le, &len),
	    port_nearest_side(h, n, ds));
}

/* port_maybe_label - cheap test before the table: every label ends in
 * "pt" or holds "ort" or starts with "puert" */
static bool
port_maybe_label(const char *w, size_t len)
{
	return (len >= 3 && w[len - 2] == 'p' && w[len - 1] == 't')
	    || strstr(w, "ort") != NULL || strncmp(w, "puert", 5) == 0;
}

/* port_label_value - the port(s) after a label that ends at i; s is
 * where it starts, side what it or the word before it said */
static void
port_label_value(struct portctx *pc, const struct ipctx_line *ln,
    const struct iphit *h, size_t n, size_t s, size_t i, int side,
    bool list)
{
	size_t v, len, le = ln->le;

	if (side == PORT_ANY)
		side = port_nearest_side(h, n, s);
	if (le - i >= 3 && memcmp(ln->t + i, "\xef\xbc\x9a", 3) == 0)
		i += 3;		/* a full-width colon: "ポート：8080" */
	v = port_value(ln->t, i, le, &side);
	if (v == le)		/* "(port\n49152)": the number wrapped */
		v = port_next_line(ln->t, le, &le);
	if (list || (ln->le - i >= 3
	    && memcmp(ln->t + i, "(s)", 3) == 0))	/* "Port(s): 22, 80" */
		port_list(pc, ln->t, v, le, side);
	else
		port_add(pc, s, ipscan_port_at(ln->t, v, le, &len), side);
}

/* port_utf8_labels - labels in other scripts, matched as written */
static const struct {
	const char *word;
	bool list;
} port_utf8_labels[] = {
	{ "\xe3\x83\x9d\xe3\x83\xbc\xe3\x83\x88", false },	/* ポート */
	{ "\xd0\x9f\xd0\xbe\xd1\x80\xd1\x82\xd1\x8b", true },	/* Порты */
	{ "\xd0\xbf\xd0\xbe\xd1\x80\xd1\x82\xd1\x8b", true },	/* порты */
	{ "\xd0\x9f\xd0\xbe\xd1\x80\xd1\x82", false },		/* Порт */
	{ "\xd0\xbf\xd0\xbe\xd1\x80\xd1\x82", false },		/* порт */
	{ "\xe7\xab\xaf\xe5\x8f\xa3", false },			/* 端口 */
};

/* port_utf8_label - a label of another script at t[i]: its length once
 * the port(s) after it are added, else 0 */
static size_t
port_utf8_label(struct portctx *pc, const struct ipctx_line *ln,
    const struct iphit *h, size_t n, size_t i)
{
	for (size_t k = 0; k < sizeof(port_utf8_labels) /
	    sizeof(port_utf8_labels[0]); k++) {
		size_t len = strlen(port_utf8_labels[k].word);

		if (ln->le - i < len || memcmp(ln->t + i,
		    port_utf8_labels[k].word, len) != 0 || (i + len < ln->le
		    && (unsigned char)ln->t[i + len] >= 0xd0 &&
		    (unsigned char)ln->t[i + len] <= 0xd1))
			continue;	/* "портал" is no port */
		port_label_value(pc, ln, h, n, i, i + len, PORT_ANY,
		    port_utf8_labels[k].list);
		return len;
	}
	return 0;
}

/* port_label - a label word t[s..i) (the word before it at t[ps..pe)):
 * add the port(s) it introduces */
static void
port_label(struct portctx *pc, const struct ipctx_line *ln,
    const struct iphit *h, size_t n, size_t s, size_t i,
    const char *w, size_t ps, size_t pe)
{
	char prev[24] = "";
	size_t k;
	int side;

	if (!port_maybe_label(w, i - s))
		return;
	for (k = 0; k < sizeof(port_labels) / sizeof(port_labels[0]); k++)
		if (strcmp(port_labels[k].word, w) == 0)
			break;
	if (k == sizeof(port_labels) / sizeof(port_labels[0]))
		return;
	side = port_labels[k].side;
	if (pe > ps && !ipctx_lower_word(ln->t, ps, pe, prev, sizeof(prev)))
		prev[0] = '\0';
	if (side == PORT_ANY && str_in_list(prev, port_source_words))
		side = PORT_SOURCE;
	else if (side == PORT_ANY && str_in_list(prev, port_dest_words))
		side = PORT_DEST;
	port_label_value(pc, ln, h, n, s, i, side, port_labels[k].list);
}

/* port_words - walk the words of a line looking for port labels */
static void
port_words(struct portctx *pc, const struct ipctx_line *ln,
    const struct iphit *h, size_t n)
{
	const char *t = ln->t;
	char w[24];
	size_t i = ln->ls, s, ps = 0, pe = 0;	/* the word before */

	while (i < ln->le) {
		unsigned char c = (unsigned char)t[i];

		if (c >= 0xd0 && (s = port_utf8_label(pc, ln, h, n, i)) > 0) {
			i += s;
			continue;
		}
		if (!ipctx_is_alpha(c) && c != '_') {
			i++;
			continue;
		}
		s = i;
		while (i < ln->le && (ipctx_is_alnum((unsigned char)t[i])
		    || t[i] == '_'))
			i++;
		/* every label starts with one of these: skip other words
		 * without copying them */
		if (strchr("pdstuqzPDSTUQZ", c) != NULL
		    && ipctx_lower_word(t, s, i, w, sizeof(w))
		    && !(s > ln->ls && ipctx_is_digit((unsigned char)t[s - 1]))) {
			if (strcmp(w, "tcp") == 0 || strcmp(w, "udp") == 0)
				port_proto(pc, ln, h, n, s, i);
			else
				port_label(pc, ln, h, n, s, i, w, ps, pe);
		}
		ps = s;
		pe = i;
	}
}

/* extract_port_append - see extract.h */
void
extract_port_append(int **ports, size_t *nports, int port)
{
	for (size_t i = 0; i < *nports; i++)
		if ((*ports)[i] == port)
			return;
	*ports = xrealloc(*ports, (*nports + 1) * sizeof(int));
	(*ports)[(*nports)++] = port;
}

/* port_push_unique - append port unless already there (the bitmap
 * spares the list scan for the many ports of a long table) */
static void
port_push_unique(struct portctx *pc, int port)
{
	if (pc->seen[port >> 3] & (1 << (port & 7)))
		return;
	pc->seen[port >> 3] |= (unsigned char)(1 << (port & 7));
	extract_port_append(pc->ports, pc->nports, port);
}

/* port_csv - a port column value of a CSV row */
static void
port_csv(void *ctx, size_t pos, int port, int side)
{
	port_add(ctx, pos, port, side < 0 ? PORT_SOURCE :
	    side > 0 ? PORT_DEST : PORT_ANY);
}

/* port_cand_cmp - order candidates of a line by position */
static int
port_cand_cmp(const void *a, const void *b)
{
	const struct portcand *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* ports_line - collect the ports of one line in the order they stand */
static void
ports_line(const struct ipctx_line *ln, const struct iphit *h, size_t n,
    void *ctx)
{
	struct portctx *pc = ctx;
	size_t k, first = pc->n;

	if (ln->trace || ln->csv_header)
		return;
	for (k = 0; k < n; k++)
		port_add(pc, h[k].end, h[k].port, port_side_of_role(h[k].role));
	if (ln->csv != NULL)
		ipcsv_ports(ln->csv, ln->t, ln->ls, ln->le, port_csv, pc);
	else
		port_words(pc, ln, h, n);
	if (pc->n - first > 1)
		qsort(pc->c + first, pc->n - first, sizeof(*pc->c),
		    port_cand_cmp);
}

/* extract_ports - see extract.h; a complaint that names the attacked
 * side's port, or a port of no side ("Port: 22"), anywhere reports
 * those, else the offender's source ports */
void
extract_ports(const char *text, int **ports, size_t *nports)
{
	struct portctx pc;
	bool stated = false;
	size_t i;

	memset(&pc, 0, sizeof(pc));
	pc.ports = ports;
	pc.nports = nports;
	for (i = 0; i < *nports; i++)
		if ((*ports)[i] > 0 && (*ports)[i] < 65536)
			pc.seen[(*ports)[i] >> 3] |=
			    (unsigned char)(1 << ((*ports)[i] & 7));
	ipwalk_text(text, ports_line, &pc);
	for (i = 0; i < pc.n; i++)	/* a stated port beats ephemeral ones */
		stated |= pc.c[i].side != PORT_SOURCE;
	for (i = 0; i < pc.n; i++)
		if (pc.c[i].side != PORT_DROP
		    && !(pc.c[i].side == PORT_SOURCE && stated))
			port_push_unique(&pc, pc.c[i].port);
	free(pc.c);
}
