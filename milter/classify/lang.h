/*
 * lang.h - which language is a complaint written in? A pure function of
 * its own text (extract_own_text: quoted earlier mail removed, so our
 * English reply quoted below a German answer does not count).
 *
 * The method: count the function words of each language (articles,
 * pronouns, prepositions, greetings: lang_words.c). Such words make up
 * a third of any running text and next to none of a log excerpt, so
 * they measure the prose a person wrote and ignore the evidence pasted
 * below it; lines with a clock time ("10:00:01") are skipped as log
 * lines, whose "for root from" would outvote two lines of German, and
 * so are names for machines (URLs, addresses, host names: the "com" of
 * "shop.com" is Portuguese). A
 * word listed for k languages counts 1/k for each. The
 * language with the most weight wins when it has at least
 * LANG_MIN_EVIDENCE and at least LANG_MARGIN times the runner-up's;
 * anything less is "unknown" (the default letter), so one foreign word
 * ("Danke", "merci") never turns the decision, and a text that is half
 * one language and half another keeps the default.
 *
 * Usage:
 *	int lang = lang_detect(own_text, strlen(own_text));
 *	printf("%s\n", lang_code(lang));	"de", or "unknown" for -1
 */
#ifndef ABUSE_LANG_H
#define ABUSE_LANG_H

#include <stddef.h>

#define LANG_MIN_EVIDENCE 3.0	/* function words, at the least */
#define LANG_MARGIN 2.0		/* times the runner-up's weight */
#define LANG_SCAN_MAX 32768	/* bytes read: plenty for the prose */
#define LANG_UNKNOWN (-1)

/* the languages lang_detect knows, in the order of lang_code */
int lang_count(void);

/* lang_code - "en", "de", ...; "unknown" for LANG_UNKNOWN or any index
 * outside 0 .. lang_count()-1 */
const char *lang_code(int lang);

/* lang_index - the index of a code ("de"), or LANG_UNKNOWN */
int lang_index(const char *code);

/* lang_detect - the language of text (UTF-8, len bytes, need not be
 * NUL-terminated), or LANG_UNKNOWN when the evidence is too thin or
 * too mixed. NULL or empty text: LANG_UNKNOWN. */
int lang_detect(const char *text, size_t len);

/* lang_weights - what lang_detect weighed, for tests and --explain:
 * w[i] for language i; w must have lang_count() elements */
void lang_weights(const char *text, size_t len, double *w);

#endif
