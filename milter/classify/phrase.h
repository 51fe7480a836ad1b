/*
 * phrase.h - phrase lists matched in one pass over a text.
 *
 * A rule may name lists of phrases (files of one phrase a line, written
 * per language) instead of one long regular expression. Every phrase of
 * every list of a configuration goes into one Aho-Corasick automaton, so
 * a text is scanned once however many phrases there are, and the cost
 * does not grow with the length of the lists.
 *
 * Matching is on a normalised form of text and phrase alike (phrase_fold):
 * lower case (Unicode), every run of white space as one blank, typographic
 * apostrophes as "'". A phrase matches on word boundaries: the character
 * before and after it is no letter, digit or "_". A "*" at the start or
 * end of a phrase lifts that boundary ("infring*" matches
 * "infringement"); phrases that begin or end in a script written without
 * spaces (Han, Hiragana, Katakana, Hangul, Thai) need no boundary there.
 *
 * Usage:
 *	struct phrase_set *ps = phrase_set_new();
 *	int list = phrase_set_new_list(ps);
 *	if (phrase_set_load(ps, list, path, err, sizeof err) < 0) ...
 *	phrase_set_compile(ps);			once, after the last add
 *	int *first = xcalloc(phrase_set_nlists(ps), sizeof *first);
 *	phrase_set_scan(ps, text, len, first);	per message: thread-safe
 *	if (first[list] >= 0) ... phrase_set_phrase(ps, first[list]) ...
 *	phrase_set_free(ps);
 */
#ifndef ABUSE_PHRASE_H
#define ABUSE_PHRASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHRASE_MAX_LEN	200	/* bytes of one phrase, as written */

struct phrase_set;

struct phrase_set *phrase_set_new(void);
void phrase_set_free(struct phrase_set *ps);

/* phrase_set_new_list - a new, empty list; returns its number (0, 1, ...) */
int phrase_set_new_list(struct phrase_set *ps);
size_t phrase_set_nlists(const struct phrase_set *ps);

/* phrase_set_add - add one phrase to a list; -1 with a message in err
 * when it is empty, too long or no valid UTF-8 */
int phrase_set_add(struct phrase_set *ps, int list, const char *phrase,
    char *err, size_t errlen);

/* phrase_set_load - add every phrase of a file (one a line; blank lines
 * and lines starting with "#" are skipped); -1 with "FILE:LINE: message"
 * or "FILE: message" in err */
int phrase_set_load(struct phrase_set *ps, int list, const char *path,
    char *err, size_t errlen);

/* phrase_set_compile - build the automaton; call once after the last add */
void phrase_set_compile(struct phrase_set *ps);

/* phrase_set_scan - one pass over text (UTF-8, need not be valid): for
 * each list, first[list] is the number of the first of its phrases found
 * in the text, or -1. first has phrase_set_nlists() entries. */
void phrase_set_scan(const struct phrase_set *ps, const char *text,
    size_t len, int *first);

/* phrase_set_phrase - a phrase as written, by its number */
const char *phrase_set_phrase(const struct phrase_set *ps, int idx);

/* phrase_fold - the normalised form described above, malloc'd and
 * NUL-terminated; *outlen gets its length */
char *phrase_fold(const char *s, size_t len, size_t *outlen);

/* phrase_wordchar - does code point c continue a word (letter, digit,
 * mark, "_")? phrase_unspaced - is c of a script written without blanks
 * between words (Han, Hiragana, Katakana, Hangul, Thai)? The learner's
 * tokens split words the same way. */
bool phrase_wordchar(uint32_t c);
bool phrase_unspaced(uint32_t c);

#endif
