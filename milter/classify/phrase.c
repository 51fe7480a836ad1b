/*
 * phrase.c - phrase lists in one Aho-Corasick automaton, see phrase.h.
 *
 * Why not one big PCRE2 alternation per list: each such pattern is a
 * separate pass over the text, and an alternation of hundreds of phrases
 * is tried at every position. Why not Hyperscan: it builds only on x86,
 * and the phrases are plain words, for which an automaton over bytes of
 * the folded text is exact, small and needs no dependency beyond GLib
 * (already linked through GMime) for Unicode case and scripts.
 *
 * The automaton: a trie of the folded phrases, whose root has a full
 * 256-entry table and whose other nodes keep sorted edge lists (most have
 * one or two children); failure links and "dictionary" links (the
 * nearest suffix node where a phrase ends) are set breadth first.
 */
#include "classify/phrase.h"

#include <errno.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct phrase {
	char *written;		/* as in the file, for --explain */
	char *folded;
	size_t len;		/* of folded */
	int list;
	bool open_left;		/* written with a leading "*" */
	bool open_right;	/* ... a trailing "*" */
	int next_same;		/* next phrase ending at the same node, or -1 */
};

struct edge {
	unsigned char c;
	int to;
};

struct node {
	int fail;
	int out;		/* a phrase ending here, or -1 */
	int dict;		/* nearest node on the fail chain with out, or -1 */
	struct edge *edges;	/* sorted by c */
	size_t nedges;
	int row;		/* its row in dense, or -1 */
};

/* The nodes near the root are where a scan spends most of its bytes:
 * they get a full row of moves (one per byte class), so that most steps
 * are one lookup instead of a binary search down a chain of failure
 * links whose edge arrays lie all over the heap. Deeper nodes (about
 * 100,000 in the shipped lists, nearly all with one edge) keep the
 * sparse form: a full table for them would take some 60 MB. */
#define DENSE_DEPTH	2

/* What a scan step reads of a node, in 16 bytes: a step that misses the
 * cache costs one line, not the 40-byte build node and its edge array.
 * emit: a phrase ends here or on the dictionary chain; only then is the
 * build node looked at. */
struct snode {
	int32_t fail;
	int32_t row;		/* its row in dense, or -1 */
	uint32_t first;		/* its edges: all[first .. first + nedges) */
	uint16_t nedges;
	uint8_t emit;
};

struct phrase_set {
	struct phrase *ph;
	size_t nph, cap;
	int nlists;
	struct node *nodes;
	size_t nnodes, nodecap;
	int root_next[256];
	struct edge *all;	/* after compile: every node's edges, in one
				 * array in node order, so that the chain of a
				 * long phrase lies in one run of memory */
	struct snode *snodes;	/* after compile, for the scan */
	unsigned char cls[256];	/* byte -> class; 0: in no phrase */
	int ncls;		/* classes, 0 included */
	int *dense;		/* rows of ncls moves */
};

/* phrase_set_new - an empty set */
struct phrase_set *
phrase_set_new(void)
{
	return xcalloc(1, sizeof(struct phrase_set));
}

/* phrase_set_free - everything, NULL allowed */
void
phrase_set_free(struct phrase_set *ps)
{
	if (ps == NULL)
		return;
	for (size_t i = 0; i < ps->nph; i++) {
		free(ps->ph[i].written);
		free(ps->ph[i].folded);
	}
	if (ps->all == NULL)
		for (size_t i = 0; i < ps->nnodes; i++)
			free(ps->nodes[i].edges);
	free(ps->all);
	free(ps->snodes);
	free(ps->dense);
	free(ps->ph);
	free(ps->nodes);
	free(ps);
}

/* phrase_set_new_list - the next list number */
int
phrase_set_new_list(struct phrase_set *ps)
{
	return ps->nlists++;
}

/* phrase_set_nlists - how many lists there are */
size_t
phrase_set_nlists(const struct phrase_set *ps)
{
	return (size_t)ps->nlists;
}

/* fold_space - code points that count as white space between words */
static bool
fold_space(gunichar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
	    c == 0x202F || c == 0x3000;
}

/* fold_char - the folded form of one code point */
static gunichar
fold_char(gunichar c)
{
	if (c == 0x2018 || c == 0x2019 || c == 0x02BC)
		return '\'';
	if (c == 0x2010 || c == 0x2011)
		return '-';
	return g_unichar_tolower(c);
}

/* phrase_fold - lower case, one blank for each run of white space */
char *
phrase_fold(const char *s, size_t len, size_t *outlen)
{
	struct buf b;
	bool space = false;

	buf_init(&b);
	for (size_t i = 0; i < len;) {
		unsigned char u = (unsigned char)s[i];
		gunichar c;
		size_t n = 1;

		if (u < 0x80) {
			c = u;
		} else {
			c = g_utf8_get_char_validated(s + i, (gssize)(len - i));
			if (c == (gunichar)-1 || c == (gunichar)-2)
				c = ' ';	/* a broken byte separates words */
			else
				n = (size_t)(g_utf8_next_char(s + i) - (s + i));
		}
		i += n;
		if (c == 0 || fold_space(c)) {
			space = true;
			continue;
		}
		if (space && b.len > 0)
			buf_putc(&b, ' ');
		space = false;
		if (c < 0x80) {
			buf_putc(&b, (char)g_ascii_tolower((gchar)c));
		} else {
			char enc[6];
			int k = g_unichar_to_utf8(fold_char(c), enc);

			buf_append(&b, enc, (size_t)k);
		}
	}
	if (space && b.len > 0)
		buf_putc(&b, ' ');
	*outlen = b.len;
	return buf_steal(&b);
}

/* phrase_set_add - fold and keep one phrase */
int
phrase_set_add(struct phrase_set *ps, int list, const char *phrase,
    char *err, size_t errlen)
{
	size_t n = strlen(phrase), flen;
	bool open_left = false, open_right = false;

	if (n > PHRASE_MAX_LEN) {
		snprintf(err, errlen, "phrase longer than %d bytes",
		    PHRASE_MAX_LEN);
		return -1;
	}
	if (!g_utf8_validate(phrase, (gssize)n, NULL)) {
		snprintf(err, errlen, "phrase is not valid UTF-8");
		return -1;
	}
	if (n > 0 && phrase[0] == '*') {
		open_left = true;
		phrase++, n--;
	}
	if (n > 0 && phrase[n - 1] == '*') {
		open_right = true;
		n--;
	}
	char *folded = phrase_fold(phrase, n, &flen);

	/* a blank at either end would demand a blank in the text */
	size_t lead = (flen > 0 && folded[0] == ' ') ? 1 : 0;
	if (flen > lead && folded[flen - 1] == ' ')
		folded[--flen] = '\0';
	if (flen <= lead) {
		free(folded);
		snprintf(err, errlen, "empty phrase");
		return -1;
	}
	if (lead)
		memmove(folded, folded + 1, flen--);
	ps->ph = xgrow(ps->ph, &ps->cap, ps->nph + 1, sizeof *ps->ph);
	ps->ph[ps->nph++] = (struct phrase){
		.written = xstrdup(phrase - open_left), .folded = folded,
		.len = flen, .list = list, .open_left = open_left,
		.open_right = open_right, .next_same = -1,
	};
	return 0;
}

/* phrase_set_load - one phrase a line, "#" comments */
int
phrase_set_load(struct phrase_set *ps, int list, const char *path,
    char *err, size_t errlen)
{
	size_t len;
	char *data = util_read_file(path, &len);

	if (data == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int lineno = 0, rc = 0;
	for (char *line = data, *next; line != NULL && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line = str_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		char why[128];
		if (phrase_set_add(ps, list, line, why, sizeof why) < 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			rc = -1;
		}
	}
	free(data);
	return rc;
}

/* node_new - a node without edges; returns its number */
static int
node_new(struct phrase_set *ps)
{
	ps->nodes = xgrow(ps->nodes, &ps->nodecap, ps->nnodes + 1,
	    sizeof *ps->nodes);
	ps->nodes[ps->nnodes] = (struct node){ .fail = 0, .out = -1,
	    .dict = -1, .row = -1 };
	return (int)ps->nnodes++;
}

/* node_child - the child of node v on byte c, or -1 (binary search) */
static int
node_child(const struct node *v, unsigned char c)
{
	size_t lo = 0, hi = v->nedges;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v->edges[mid].c == c)
			return v->edges[mid].to;
		if (v->edges[mid].c < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* node_add_child - the child of v on c, made when missing */
static int
node_add_child(struct phrase_set *ps, int v, unsigned char c)
{
	int to = node_child(&ps->nodes[v], c);

	if (to >= 0)
		return to;
	to = node_new(ps);
	struct node *n = &ps->nodes[v];
	size_t pos = 0;
	while (pos < n->nedges && n->edges[pos].c < c)
		pos++;
	n->edges = xrealloc(n->edges, (n->nedges + 1) * sizeof *n->edges);
	memmove(n->edges + pos + 1, n->edges + pos,
	    (n->nedges - pos) * sizeof *n->edges);
	n->edges[pos] = (struct edge){ c, to };
	n->nedges++;
	return to;
}

/* step - the automaton's move from state s on byte c */
static int
step(const struct phrase_set *ps, int s, unsigned char c)
{
	while (s != 0) {
		int to = node_child(&ps->nodes[s], c);
		if (to >= 0)
			return to;
		s = ps->nodes[s].fail;
	}
	return ps->root_next[c];
}

/* step_fast - step, with the dense rows: a byte that is in no phrase
 * leads back to the root from anywhere; the root has a row, so the
 * loop ends */
static inline int
step_fast(const struct phrase_set *ps, int s, unsigned char c)
{
	int k = ps->cls[c];

	if (k == 0)
		return 0;
	for (;;) {
		const struct snode *v = &ps->snodes[s];
		const struct edge *e = ps->all + v->first;
		size_t lo = 0, hi = v->nedges;

		if (v->row >= 0)
			return ps->dense[(size_t)v->row * (size_t)ps->ncls + k];
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (e[mid].c == c)
				return e[mid].to;
			if (e[mid].c < c)
				lo = mid + 1;
			else
				hi = mid;
		}
		s = v->fail;
	}
}

/* compile_snodes - the scan's copy of the nodes, once links and rows
 * are made */
static void
compile_snodes(struct phrase_set *ps)
{
	ps->snodes = xcalloc(ps->nnodes, sizeof(*ps->snodes));
	for (size_t v = 0; v < ps->nnodes; v++) {
		const struct node *nd = &ps->nodes[v];

		ps->snodes[v] = (struct snode){ .fail = nd->fail,
		    .row = nd->row, .first = (uint32_t)(nd->edges - ps->all),
		    .nedges = (uint16_t)nd->nedges,
		    .emit = nd->out >= 0 || nd->dict >= 0 };
	}
}

/* compile_dense - byte classes, then a row of moves for every node of
 * depth <= DENSE_DEPTH; order holds the nodes breadth first, with
 * depth[] */
static void
compile_dense(struct phrase_set *ps, const int *order, const int *depth)
{
	unsigned char rep[256];	/* a byte of each class */
	size_t rows = 0;

	ps->ncls = 1;
	for (size_t v = 0; v < ps->nnodes; v++)
		for (size_t e = 0; e < ps->nodes[v].nedges; e++) {
			unsigned char c = ps->nodes[v].edges[e].c;

			if (ps->cls[c] == 0) {
				rep[ps->ncls] = c;
				ps->cls[c] = (unsigned char)ps->ncls++;
			}
		}
	for (size_t i = 0; i < ps->nnodes && depth[order[i]] <= DENSE_DEPTH;
	    i++)
		rows++;
	ps->dense = xcalloc(rows * (size_t)ps->ncls, sizeof(*ps->dense));
	for (size_t i = 0; i < rows; i++) {
		int v = order[i];

		for (int k = 1; k < ps->ncls; k++)
			ps->dense[i * (size_t)ps->ncls + (size_t)k] =
			    step(ps, v, rep[k]);
		ps->nodes[v].row = (int)i;
	}
}

/* compile_edges - move every node's edges into one array */
static void
compile_edges(struct phrase_set *ps)
{
	size_t n = 0;

	for (size_t v = 0; v < ps->nnodes; v++)
		n += ps->nodes[v].nedges;
	ps->all = xcalloc(n > 0 ? n : 1, sizeof(*ps->all));
	n = 0;
	for (size_t v = 0; v < ps->nnodes; v++) {
		struct node *nd = &ps->nodes[v];

		if (nd->nedges > 0)
			memcpy(ps->all + n, nd->edges,
			    nd->nedges * sizeof(*nd->edges));
		free(nd->edges);
		nd->edges = ps->all + n;
		n += nd->nedges;
	}
}

/* link_node - failure and dictionary links of child `to` of v on c */
static void
link_node(struct phrase_set *ps, int v, unsigned char c, int to)
{
	int f = (v == 0) ? 0 : step(ps, ps->nodes[v].fail, c);
	struct node *fn = &ps->nodes[f];

	ps->nodes[to].fail = f;
	ps->nodes[to].dict = fn->out >= 0 ? f : fn->dict;
}

/* phrase_set_compile - trie, root table, then links breadth first */
void
phrase_set_compile(struct phrase_set *ps)
{
	node_new(ps);
	for (size_t i = 0; i < ps->nph; i++) {
		struct phrase *p = &ps->ph[i];
		int v = 0;
		for (size_t k = 0; k < p->len; k++)
			v = node_add_child(ps, v, (unsigned char)p->folded[k]);
		p->next_same = ps->nodes[v].out;
		ps->nodes[v].out = (int)i;
	}
	compile_edges(ps);
	for (int c = 0; c < 256; c++) {
		int to = node_child(&ps->nodes[0], (unsigned char)c);
		ps->root_next[c] = to < 0 ? 0 : to;
	}
	/* nodes are numbered in insertion order, not by depth: a queue */
	int *queue = xmalloc(ps->nnodes * sizeof *queue);
	int *depth = xcalloc(ps->nnodes, sizeof *depth);
	size_t head = 0, tail = 0;
	queue[tail++] = 0;
	while (head < tail) {
		int v = queue[head++];
		for (size_t e = 0; e < ps->nodes[v].nedges; e++) {
			struct edge ed = ps->nodes[v].edges[e];
			link_node(ps, v, ed.c, ed.to);
			depth[ed.to] = depth[v] + 1;
			queue[tail++] = ed.to;
		}
	}
	compile_dense(ps, queue, depth);
	compile_snodes(ps);
	free(depth);
	free(queue);
}

/* phrase_unspaced - see phrase.h */
bool
phrase_unspaced(uint32_t c)
{
	if (c < 0x0E00)		/* Thai, the first of them, starts here */
		return false;
	switch (g_unichar_get_script(c)) {
	case G_UNICODE_SCRIPT_HAN:
	case G_UNICODE_SCRIPT_HIRAGANA:
	case G_UNICODE_SCRIPT_KATAKANA:
	case G_UNICODE_SCRIPT_HANGUL:
	case G_UNICODE_SCRIPT_THAI:
		return true;
	default:
		return false;
	}
}

/* phrase_wordchar - see phrase.h */
bool
phrase_wordchar(uint32_t c)
{
	if (c < 0x80)
		return c == '_' || g_ascii_isalnum((gchar)c);
	return g_unichar_isalnum(c) || g_unichar_ismark(c);
}

/* char_before - the code point that ends just before t + at */
static gunichar
char_before(const char *t, size_t at)
{
	size_t s = at - 1;

	while (s > 0 && ((unsigned char)t[s] & 0xC0) == 0x80)
		s--;
	return g_utf8_get_char(t + s);
}

/* bounded - does the phrase found at [start, end) stand on word
 * boundaries? (the folded text is valid UTF-8) */
static bool
bounded(const struct phrase *p, const char *t, size_t n, size_t start,
    size_t end)
{
	if (!p->open_left && start > 0) {
		gunichar first = g_utf8_get_char(t + start);
		gunichar prev = char_before(t, start);
		if (phrase_wordchar(prev) && phrase_wordchar(first) &&
		    !phrase_unspaced(first))
			return false;
	}
	if (!p->open_right && end < n) {
		gunichar last = char_before(t, end);
		gunichar next = g_utf8_get_char(t + end);
		if (phrase_wordchar(next) && phrase_wordchar(last) &&
		    !phrase_unspaced(last))
			return false;
	}
	return true;
}

/* phrase_set_scan - fold once, walk the automaton once */
void
phrase_set_scan(const struct phrase_set *ps, const char *text, size_t len,
    int *first)
{
	size_t n, left = (size_t)ps->nlists;

	for (int i = 0; i < ps->nlists; i++)
		first[i] = -1;
	if (ps->nnodes == 0 || left == 0)
		return;
	char *t = phrase_fold(text, len, &n);
	int s = 0;
	for (size_t i = 0; i < n && left > 0; i++) {
		s = step_fast(ps, s, (unsigned char)t[i]);
		if (!ps->snodes[s].emit)
			continue;
		int v = ps->nodes[s].out >= 0 ? s : ps->nodes[s].dict;
		for (; v >= 0; v = ps->nodes[v].dict) {
			for (int k = ps->nodes[v].out; k >= 0;
			    k = ps->ph[k].next_same) {
				const struct phrase *p = &ps->ph[k];
				if (first[p->list] >= 0 ||
				    !bounded(p, t, n, i + 1 - p->len, i + 1))
					continue;
				first[p->list] = k;
				left--;
			}
		}
	}
	free(t);
}

/* phrase_set_phrase - as written in its file */
const char *
phrase_set_phrase(const struct phrase_set *ps, int idx)
{
	if (idx < 0 || (size_t)idx >= ps->nph)
		return NULL;
	return ps->ph[idx].written;
}
