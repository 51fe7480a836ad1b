/*
 * lang.c - the language of a complaint's own text by its function
 * words. See lang.h for the method and its thresholds.
 *
 * The lists of lang_words.c are merged once into one sorted table of
 * (word, set of languages), so a text costs one binary search per word.
 */
#include "classify/lang.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "classify/lang_words.h"
#include "util/util.h"

#define LANG_WORD_MAX 24	/* bytes; no function word is longer */

struct lang_entry {
	const char *word;
	unsigned mask;		/* bit i: listed for language i */
	int nlangs;		/* bits set in mask */
};

static struct lang_entry *lang_table;
static size_t lang_ntable;
static pthread_once_t lang_once = PTHREAD_ONCE_INIT;

/* lang_cmp - entries by word */
static int
lang_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lang_entry *)a)->word,
	    ((const struct lang_entry *)b)->word);
}

/* lang_build - merge the lists: one entry per word, its languages as
 * bits (a word listed twice in one list still counts once) */
static void
lang_build(void)
{
	size_t n = 0, out = 0;

	for (int l = 0; l < lang_nlists; l++)
		for (size_t i = 0; lang_lists[l].words[i] != NULL; i++)
			n++;
	lang_table = xcalloc(n + 1, sizeof(*lang_table));
	for (int l = 0; l < lang_nlists; l++)
		for (size_t i = 0; lang_lists[l].words[i] != NULL; i++) {
			lang_table[lang_ntable].word = lang_lists[l].words[i];
			lang_table[lang_ntable++].mask = 1u << l;
		}
	qsort(lang_table, lang_ntable, sizeof(*lang_table), lang_cmp);
	for (size_t i = 0; i < lang_ntable; i++) {
		if (out > 0 && strcmp(lang_table[out - 1].word,
		    lang_table[i].word) == 0)
			lang_table[out - 1].mask |= lang_table[i].mask;
		else
			lang_table[out++] = lang_table[i];
	}
	lang_ntable = out;
	for (size_t i = 0; i < lang_ntable; i++)
		for (int l = 0; l < lang_nlists; l++)
			lang_table[i].nlangs += (lang_table[i].mask >> l) & 1;
}

/* lang_count - see lang.h */
int
lang_count(void)
{
	return lang_nlists;
}

/* lang_code - see lang.h */
const char *
lang_code(int lang)
{
	return lang >= 0 && lang < lang_nlists ? lang_lists[lang].code :
	    "unknown";
}

/* lang_index - see lang.h */
int
lang_index(const char *code)
{
	for (int l = 0; code != NULL && l < lang_nlists; l++)
		if (strcmp(lang_lists[l].code, code) == 0)
			return l;
	return LANG_UNKNOWN;
}

/* lang_letter - length of the letter at p (1 for ASCII, 2..4 for a
 * whole UTF-8 sequence), 0 for anything that ends a word: ASCII that
 * is no letter, a broken sequence, and the typographic apostrophe
 * U+2019, which splits "l’adresse" as "'" does. Every other
 * non-ASCII character counts as a letter. */
static size_t
lang_letter(const unsigned char *p, const unsigned char *end)
{
	size_t n;

	if (*p < 0x80)
		return ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ? 1 : 0;
	n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
	    (*p & 0xF8) == 0xF0 ? 4 : 0;
	if (n == 0 || (size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99)
		return 0;
	return n;
}

/* lang_fold - append one letter to out, lower-cased: ASCII, and the
 * Latin-1 capitals U+00C0..U+00DE (UTF-8 C3 80..9E, not the sign x at
 * 97), which are all the capitals these languages' function words
 * start with ("Über", "État", "È") */
static void
lang_fold(const unsigned char *p, size_t n, struct buf *out)
{
	if (n == 1)
		buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p));
	else if (n == 2 && p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E &&
	    p[1] != 0x97) {
		buf_putc(out, (char)p[0]);
		buf_putc(out, (char)(p[1] + 0x20));
	} else
		buf_append(out, (const char *)p, n);
}

/* lang_count_word - add the weight of one word */
static void
lang_count_word(const char *word, double *w)
{
	struct lang_entry key = { word, 0, 0 }, *e;

	e = bsearch(&key, lang_table, lang_ntable, sizeof(*lang_table),
	    lang_cmp);
	if (e == NULL)
		return;
	for (int l = 0; l < lang_nlists; l++)
		if ((e->mask >> l) & 1)
			w[l] += 1.0 / e->nlangs;
}

/* lang_log_line - does the line carry a clock time with seconds
 * ("10:00:01")? Then it is a log or table line, not prose: pasted
 * sshd, web server and firewall lines are full of English words ("for
 * root from", "GET"), and a German complaint with forty of them below
 * two lines of German is still German. */
static bool
lang_log_line(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i++)
		if (p[i + 2] == ':' && p[i + 5] == ':' &&
		    isdigit(p[i]) && isdigit(p[i + 1]) && isdigit(p[i + 3]) &&
		    isdigit(p[i + 4]) && isdigit(p[i + 6]) && isdigit(p[i + 7]))
			return true;
	return false;
}

/* lang_machine_chunk - is this blank-separated chunk a name for a
 * machine (a URL, an address, a host or file name, key=value)? Its
 * parts are no prose: the "com" of "shop.com" is Portuguese for
 * "with", and an XML report of URLs would read as Portuguese. */
static bool
lang_machine_chunk(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '@' || p[i] == '/' || p[i] == '_' || p[i] == '=' ||
		    p[i] == '<' || p[i] == '>')
			return true;
		if ((p[i] == '.' || p[i] == ':') && i + 1 < n && isalnum(p[i + 1]))
			return true;
	}
	return false;
}

/* lang_weigh_words - add the weights of the words of one chunk; word
 * is the caller's scratch buffer, reused for every word */
static void
lang_weigh_words(const unsigned char *p, const unsigned char *end,
    struct buf *word, double *w)
{
	size_t n;
	bool toolong;

	while (p < end) {
		if (lang_letter(p, end) == 0) {
			p++;	/* U+2019's other bytes are no letters either */
			continue;
		}
		/* one word, folded; one longer than any function word is
		 * only skipped */
		buf_reset(word);
		toolong = false;
		while (p < end && (n = lang_letter(p, end)) > 0) {
			if (word->len + n > LANG_WORD_MAX)
				toolong = true;
			else
				lang_fold(p, n, word);
			p += n;
		}
		if (!toolong && word->len > 0)
			lang_count_word(word->s, w);
	}
}

/* lang_weigh_line - the prose chunks of one line */
static void
lang_weigh_line(const unsigned char *p, const unsigned char *end,
    struct buf *word, double *w)
{
	const unsigned char *q;

	while (p < end) {
		while (p < end && isspace(*p))
			p++;
		for (q = p; q < end && !isspace(*q); q++)
			;
		if (!lang_machine_chunk(p, (size_t)(q - p)))
			lang_weigh_words(p, q, word, w);
		p = q;
	}
}

/* lang_weights - see lang.h */
void
lang_weights(const char *text, size_t len, double *w)
{
	const unsigned char *p = (const unsigned char *)text, *end, *nl;
	struct buf word;

	pthread_once(&lang_once, lang_build);
	for (int l = 0; l < lang_nlists; l++)
		w[l] = 0;
	if (text == NULL)
		return;
	end = p + (len > LANG_SCAN_MAX ? LANG_SCAN_MAX : len);
	buf_init(&word);
	for (; p < end; p = nl != NULL ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!lang_log_line(p, (size_t)((nl ? nl : end) - p)))
			lang_weigh_line(p, nl ? nl : end, &word, w);
	}
	buf_free(&word);
}

/* lang_detect - see lang.h */
int
lang_detect(const char *text, size_t len)
{
	double *w = xcalloc((size_t)lang_nlists, sizeof(*w));
	int best = LANG_UNKNOWN, second = LANG_UNKNOWN;

	lang_weights(text, len, w);
	for (int l = 0; l < lang_nlists; l++) {
		if (best < 0 || w[l] > w[best]) {
			second = best;
			best = l;
		} else if (second < 0 || w[l] > w[second])
			second = l;
	}
	if (best >= 0 && (w[best] < LANG_MIN_EVIDENCE ||
	    (second >= 0 && w[best] < LANG_MARGIN * w[second])))
		best = LANG_UNKNOWN;
	free(w);
	return best;
}
