/*
 * lang_words.h - the function words lang.c counts, one list per
 * language. Adding a language is one more row in lang_words.c (and
 * its letters in templates/); lang.c needs no change.
 */
#ifndef ABUSE_LANG_WORDS_H
#define ABUSE_LANG_WORDS_H

struct lang_list {
	const char *code;		/* ISO 639-1, as in template names */
	const char *const *words;	/* lower case UTF-8, NULL-terminated */
};

extern const struct lang_list lang_lists[];
extern const int lang_nlists;

#endif
