/*
 * extract_time_int.h - internal to extract_time.c and extract_time_lex.c:
 * a bounded cursor over text and the pieces every date form is built of
 * (numbers, words, month names, the clock with its zone). Not for other
 * modules.
 *
 * Every tcur_ function reads a bounded number of bytes. On failure a
 * function may have moved the cursor; callers save and restore it.
 */
#ifndef ABUSE_EXTRACT_TIME_INT_H
#define ABUSE_EXTRACT_TIME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* tsent - the complaint's Date header: when it was sent, in which
 * offset (minutes east); have is false without a readable one */
struct tsent {
	bool have;
	time_t when;
	int off;
};

/* cursor over the input; reads past n are end of input */
struct tcur {
	const char *s;
	size_t i;
	size_t n;
};

/* the broken-down candidate; off is minutes east of UTC */
struct tval {
	int y, mo, d, h, mi, sec, off;
	bool ampm;		/* the clock said AM or PM */
	bool eu_summer;		/* off is standard time; EU summer rule applies */
	bool day_month;		/* "05/06/2015": d/mo may be mo/d */
	bool zoned;		/* a zone or offset was written */
	bool no_year;		/* a syslog stamp: the year is not written */
	bool local;		/* a form people and local logs write
				 * ("03/12/2026", "03.12.2026", syslog) */
};

/* extract_time_sent.c: what the Date header settles */
/* tval_settle - with s (NULL: a structured value, nothing to settle):
 * a syslog stamp's year, which reading of "01/12/2026" is meant, the
 * offset of a time written without zone; false when t stays unclear */
bool tval_settle(struct tval *t, const struct tsent *s);


int tcur_at(const struct tcur *c, size_t ahead);	/* -1 at the end */
bool tcur_digit(const struct tcur *c, size_t ahead);
/* tcur_num - min..max digits, not followed by another digit */
bool tcur_num(struct tcur *c, int min, int max, int *out);
bool tcur_lit(struct tcur *c, char ch);
int tcur_ws(struct tcur *c, int max);	/* blanks skipped, at most max */
void tcur_space(struct tcur *c);	/* any white space */
size_t tcur_wordlen(const struct tcur *c, size_t max);
/* tcur_word - whole word (or words: a blank matches blanks or a line
 * break), ASCII case-insensitive */
bool tcur_word(struct tcur *c, const char *w);
int tcur_month(struct tcur *c);	/* 1..12, or 0 */
/* tcur_clock - "H:MM[:SS[.frac]]" [AM|PM] [Uhr] [zone] into t; dashes
 * also allows the ACNS "HH-MM-SS" */
bool tcur_clock(struct tcur *c, struct tval *t, bool dashes);
/* tcur_ja - Japanese "2026年11月28日 22時10分05秒（日本時間）" */
bool tcur_ja(struct tcur *c, struct tval *t);
/* tcur_sep - blanks, a comma, "@"/"-" and one of words (NULL-ended);
 * true if anything was there */
bool tcur_sep(struct tcur *c, const char *const *words);

#endif
