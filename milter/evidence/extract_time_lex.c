/*
 * extract_time_lex.c - the pieces of a date for extract_time.c: a bounded
 * cursor, month names (English, German, French, Spanish, Dutch; an
 * abbreviation counts when it is unambiguous), zone names and offsets,
 * and the clock with AM/PM. See extract_time_int.h.
 *
 * Named zones are matched in upper case only, so that ordinary words
 * ("est" is French for "is") are not read as zones; a zone that is not
 * there leaves the offset at 0 (UTC).
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "evidence/extract_time_int.h"

struct tname {
	const char *name;
	int val;
};

/* month names (English, German, French, Spanish, Dutch, Italian,
 * Portuguese); abbreviations are accepted when they are unambiguous */
static const struct tname time_months[] = {
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4},
	{"may", 5}, {"june", 6}, {"july", 7}, {"august", 8}, {"september", 9},
	{"october", 10}, {"november", 11}, {"december", 12},
	{"januar", 1}, {"februar", 2}, {"m\xc3\xa4rz", 3}, {"maerz", 3},
	{"mai", 5}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
	{"janvier", 1}, {"f\xc3\xa9vrier", 2}, {"fevrier", 2}, {"mars", 3},
	{"avril", 4}, {"juin", 6}, {"juillet", 7}, {"ao\xc3\xbbt", 8},
	{"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11},
	{"d\xc3\xa9""cembre", 12}, {"decembre", 12}, {"enero", 1},
	{"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6},
	{"julio", 7}, {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9},
	{"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
	{"januari", 1}, {"februari", 2}, {"maart", 3}, {"mrt", 3}, {"mei", 5},
	{"augustus", 8},
	{"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5},
	{"giugno", 6}, {"luglio", 7}, {"settembre", 9}, {"ottobre", 10},
	{"dicembre", 12},
	{"janeiro", 1}, {"fevereiro", 2}, {"mar\xc3\xa7o", 3}, {"maio", 5},
	{"junho", 6}, {"julho", 7}, {"setembro", 9}, {"outubro", 10},
	{"novembro", 11}, {"dezembro", 12},
	{NULL, 0},
};

/* zone names (RFC 5322 and common civil abbreviations), minutes east */
static const struct tname time_zones[] = {
	{"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"WET", 0},
	{"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300},
	{"MST", -420}, {"MDT", -360}, {"PST", -480}, {"PDT", -420},
	{"AKST", -540}, {"AKDT", -480}, {"HST", -600},
	{"BST", 60}, {"WEST", 60}, {"CET", 60}, {"MEZ", 60},
	{"CEST", 120}, {"MESZ", 120}, {"EET", 120}, {"EEST", 180},
	{"MSK", 180}, {"SGT", 480}, {"HKT", 480}, {"AWST", 480},
	{"JST", 540}, {"KST", 540}, {"ACST", 570}, {"AEST", 600},
	{"AEDT", 660}, {"NZST", 720}, {"NZDT", 780},
	{NULL, 0},
};

/* civil times by place; all follow the EU summer time rule */
static const struct tname time_local[] = {
	{"heure de Paris", 60}, {"heure de France", 60},
	{"heure fran\xc3\xa7""aise", 60}, {"Paris time", 60},
	{"French time", 60}, {"German time", 60}, {"Berlin time", 60},
	{"deutscher Zeit", 60}, {"deutsche Zeit", 60},
	{"hora peninsular", 60}, {"hora de Madrid", 60},
	{"hora espa\xc3\xb1ola", 60}, {"Nederlandse tijd", 60},
	{"Amsterdam time", 60}, {"Dutch time", 60},
	{"Central European Time", 60}, {"London time", 0}, {"UK time", 0},
	{"ora italiana", 60}, {"ora di Roma", 60}, {"ora locale italiana", 60},
	{"hora de Lisboa", 0}, {"hora de Portugal", 0},
	{"hora portuguesa", 0}, {"czasu polskiego", 60},
	{"polskiego czasu", 60},
	{NULL, 0},
};

/* words that may follow a clock before its zone */
static const char *const time_hours[] = {"uhr", "uur", "horas", "hrs",
	"hours", "heures", "h", "ore", NULL};

/* tcur_at - byte at the cursor, or -1 at the end */
int
tcur_at(const struct tcur *c, size_t ahead)
{
	if (c->i + ahead >= c->n)
		return -1;
	return (unsigned char)c->s[c->i + ahead];
}

/* tcur_digit - is the byte `ahead` of the cursor an ASCII digit? */
bool
tcur_digit(const struct tcur *c, size_t ahead)
{
	int ch = tcur_at(c, ahead);

	return ch >= '0' && ch <= '9';
}

/* tcur_num - read min..max digits, not followed by another digit */
bool
tcur_num(struct tcur *c, int min, int max, int *out)
{
	int k = 0, v = 0;

	while (k < max && tcur_digit(c, 0)) {
		v = v * 10 + (c->s[c->i] - '0');
		c->i++;
		k++;
	}
	if (k < min || tcur_digit(c, 0))
		return false;
	*out = v;
	return true;
}

/* tcur_lit - consume one expected byte */
bool
tcur_lit(struct tcur *c, char ch)
{
	if (tcur_at(c, 0) != (unsigned char)ch)
		return false;
	c->i++;
	return true;
}

/* tcur_ws - skip at most max blanks on each side of at most one line
 * break (text wraps between date and clock); how many bytes were skipped */
int
tcur_ws(struct tcur *c, int max)
{
	int n = 0, blanks = 0;
	bool nl = false;

	for (;;) {
		int ch = tcur_at(c, 0);

		if ((ch == ' ' || ch == '\t') && blanks < max)
			blanks++;
		else if (ch == '\r' && tcur_at(c, 1) == '\n' && !nl) {
			c->i++;
			n++;
			continue;
		} else if (ch == '\n' && !nl) {
			nl = true;
			blanks = 0;
		} else
			break;
		c->i++;
		n++;
	}
	return n;
}

/* tcur_space - skip any white space */
void
tcur_space(struct tcur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

/* tcur_wordlen - length of the letter run at the cursor (UTF-8 counts as
 * letters), at most max + 1 so that long words are cheap to reject */
size_t
tcur_wordlen(const struct tcur *c, size_t max)
{
	size_t k = 0;
	int ch;

	while (k <= max && (ch = tcur_at(c, k)) >= 0 &&
	    (isalpha(ch) || ch >= 0x80))
		k++;
	return k;
}

/* tcur_word - consume word w (ASCII case-insensitive) if it stands
 * there as a whole word; a blank in w matches blanks or a line break */
bool
tcur_word(struct tcur *c, const char *w)
{
	struct tcur save = *c;
	size_t len;
	int next;

	for (;;) {
		len = strcspn(w, " ");
		if (c->i + len > c->n || strncasecmp(c->s + c->i, w, len) != 0)
			break;
		c->i += len;
		if (w[len] == '\0') {
			next = tcur_at(c, 0);
			if (next >= 0 && (isalnum(next) || next >= 0x80))
				break;
			return true;
		}
		w += len + 1;
		if (tcur_ws(c, 3) == 0)
			break;
	}
	*c = save;
	return false;
}

/* tcur_word_in - consume the first of words that stands there */
static bool
tcur_word_in(struct tcur *c, const char *const *words)
{
	for (int k = 0; words[k]; k++)
		if (tcur_word(c, words[k]))
			return true;
	return false;
}

/* tcur_month - month number of the word at the cursor (consumed, with a
 * trailing abbreviation dot), or 0 */
int
tcur_month(struct tcur *c)
{
	size_t len = tcur_wordlen(c, 12);
	const char *w = c->s + c->i;
	int found = 0;

	if (len < 3 || len > 12 || strchr("jfmasondeglJFMASONDEGL", *w) == NULL)
		return 0;
	for (const struct tname *m = time_months; m->name; m++) {
		if (m->name[0] != (*w | 0x20) || strncasecmp(m->name, w, len))
			continue;
		if (m->name[len] == '\0') {
			found = m->val;
			break;
		}
		if (found && found != m->val)
			return 0;	/* an ambiguous abbreviation */
		found = m->val;
	}
	if (found) {
		c->i += len;
		tcur_lit(c, '.');
	}
	return found;
}

/* tcur_offset - "+HH:MM", "+HHMM", "+HH" (also after UTC/GMT: "+2") */
static bool
tcur_offset(struct tcur *c, int mindigits, int *off)
{
	struct tcur save = *c;
	int sign = tcur_at(c, 0) == '-' ? -1 : 1;
	int hh, mm = 0;

	if (!tcur_lit(c, '+') && !tcur_lit(c, '-'))
		return false;
	if (tcur_num(c, 4, 4, &hh)) {
		mm = hh % 100;
		hh /= 100;
	} else {
		*c = save;
		c->i++;
		if (!tcur_num(c, mindigits, 2, &hh) || (tcur_at(c, 0) == ':' &&
		    (!tcur_lit(c, ':') || !tcur_num(c, 2, 2, &mm))))
			hh = 99;
	}
	if (hh > 14 || mm > 59) {
		*c = save;
		return false;
	}
	*off = sign * (hh * 60 + mm);
	return true;
}

/* tcur_zone_name - a zone name or offset right at the cursor */
static bool
tcur_zone_name(struct tcur *c, int *off)
{
	size_t len;

	if (tcur_offset(c, 2, off))
		return true;
	len = tcur_wordlen(c, 5);
	if (len == 0 || len > 5 || tcur_digit(c, len))
		return false;
	for (const struct tname *z = time_zones; z->name; z++) {
		if (strlen(z->name) == len &&
		    strncmp(z->name, c->s + c->i, len) == 0) {
			c->i += len;
			*off = z->val;
			if (z->val == 0 && len <= 3)
				tcur_offset(c, 1, off);	/* "UTC+2" */
			return true;
		}
	}
	return false;
}

/* tcur_zone_local - "heure de Paris", "deutscher Zeit": a country's
 * civil time, which follows the EU summer time rule (applied later, when
 * the date is known) */
static bool
tcur_zone_local(struct tcur *c, struct tval *t)
{
	for (const struct tname *z = time_local; z->name; z++) {
		if (tcur_word(c, z->name)) {
			t->off = z->val;
			t->eu_summer = true;
			return true;
		}
	}
	return false;
}

/* tcur_zone - an optional zone after the clock, also in parentheses
 * ("03:12:45 Uhr (MEZ)"); absent leaves off 0 */
static void
tcur_zone(struct tcur *c, struct tval *t)
{
	struct tcur save = *c;
	bool paren;

	t->off = 0;
	t->eu_summer = false;
	tcur_ws(c, 2);
	paren = tcur_lit(c, '(');
	if ((tcur_zone_name(c, &t->off) || tcur_zone_local(c, t)) &&
	    (!paren || tcur_lit(c, ')'))) {
		t->zoned = true;
		return;
	}
	t->off = 0;
	t->eu_summer = false;
	*c = save;
}

/* tcur_ampm - apply a following "AM"/"p.m." to a 12-hour clock */
static void
tcur_ampm(struct tcur *c, struct tval *t)
{
	struct tcur save = *c, after;
	int pm;

	tcur_ws(c, 2);
	if (tcur_word(c, "am") || tcur_word(c, "a.m."))
		pm = 0;
	else if (tcur_word(c, "pm") || tcur_word(c, "p.m."))
		pm = 1;
	else
		pm = -1;
	after = *c;
	if (pm == 0 && tcur_ws(&after, 2) > 0 && tcur_digit(&after, 0))
		pm = -1;	/* German "05:00 am 06.05.2015": "on" */
	if (pm < 0 || t->h < 1 || t->h > 12) {
		*c = save;	/* "13:00 PM" says 13:00 */
		return;
	}
	t->h = t->h % 12 + (pm ? 12 : 0);
	t->ampm = true;
}

/* tcur_range_end - skip the end of a time range after a clock ("02:00
 * and 03:30 UTC", "13:05\xe2\x80\x93" "13:40 (CET)", "10 bis 11 Uhr" is not
 * one): the start is the incident, the zone is written after the end */
static void
tcur_range_end(struct tcur *c)
{
	static const char *const joins[] = { "and", "to", "until", "till",
	    "und", "bis", "et", "\xc3\xa0", "y", "a", "e", "en", "tot", "i",
	    "do", "\xd0\xb8", "\xd0\xb4\xd0\xbe", NULL };
	struct tcur save = *c;
	int h, m;

	tcur_ws(c, 2);
	if (tcur_at(c, 0) == 0xe2 && tcur_at(c, 1) == 0x80 &&
	    (tcur_at(c, 2) == 0x93 || tcur_at(c, 2) == 0x94))
		c->i += 3;	/* en or em dash */
	else if (!tcur_lit(c, '-') && !tcur_word_in(c, joins)) {
		*c = save;
		return;
	}
	tcur_ws(c, 2);
	if (!tcur_num(c, 1, 2, &h) || !tcur_lit(c, ':') ||
	    !tcur_num(c, 2, 2, &m)) {
		*c = save;
		return;
	}
	if (tcur_at(c, 0) == ':' && tcur_digit(c, 1)) {
		c->i++;
		tcur_num(c, 2, 2, &m);
	}
}

/* tcur_clock - "H:MM[:SS[.frac]]" [AM|PM] [zone]; with dashes also the
 * ACNS "HH-MM-SS" */
bool
tcur_clock(struct tcur *c, struct tval *t, bool dashes)
{
	struct tcur save;
	char sep = ':';
	bool had_sec;

	if (!tcur_num(c, 1, 2, &t->h))
		return false;
	if (dashes && tcur_at(c, 0) == '-')
		sep = '-';
	else if (tcur_at(c, 0) == 'h' && tcur_digit(c, 1) && tcur_digit(c, 2))
		sep = 'h';	/* French "16h40" */
	if (!tcur_lit(c, sep) || !tcur_num(c, 2, 2, &t->mi))
		return false;
	t->sec = 0;
	had_sec = sep != 'h' && tcur_at(c, 0) == sep && tcur_digit(c, 1);
	if (had_sec) {
		c->i++;
		if (!tcur_num(c, 2, 2, &t->sec))
			return false;
		if ((tcur_at(c, 0) == '.' || tcur_at(c, 0) == ',') &&
		    tcur_digit(c, 1)) {
			c->i++;
			for (int k = 0; k < 12 && tcur_digit(c, 0); k++)
				c->i++;
			if (tcur_digit(c, 0))
				return false;
		}
	}
	tcur_ampm(c, t);
	if (!dashes && !(tcur_at(c, 0) == '-' && had_sec))
		tcur_range_end(c);	/* "05:00:00-04:00" is an offset */
	save = *c;
	if (tcur_ws(c, 2) == 0 || !tcur_word_in(c, time_hours))
		*c = save;	/* "05:00 Uhr MESZ", "09:10:00 horas (UTC)" */
	tcur_zone(c, t);
	return true;
}

/* tcur_sep - what joins date and clock: blanks, a comma, one of the
 * connector words, "@" or "-"; true if anything was there */
bool
tcur_sep(struct tcur *c, const char *const *words)
{
	size_t start = c->i;

	tcur_ws(c, 3);
	tcur_lit(c, ',');
	tcur_ws(c, 3);
	if (tcur_lit(c, '@') || tcur_lit(c, '-'))
		tcur_ws(c, 3);
	if (tcur_word_in(c, words))
		tcur_ws(c, 3);
	/* one line break may join date and clock, a paragraph may not */
	if (memchr(c->s + start, '\n', c->i - start) !=
	    memrchr(c->s + start, '\n', c->i - start))
		return false;
	return c->i > start;
}

/* tcur_kanji - the UTF-8 character u (3 bytes) at the cursor */
static bool
tcur_kanji(struct tcur *c, const char *u)
{
	if (c->i + 3 > c->n || memcmp(c->s + c->i, u, 3) != 0)
		return false;
	c->i += 3;
	return true;
}

/* tcur_ja_zone - "（日本時間）", "(JST)", "日本時間", "JST": +09:00 */
static void
tcur_ja_zone(struct tcur *c, struct tval *t)
{
	struct tcur save = *c;
	bool paren;

	tcur_ws(c, 2);
	paren = tcur_lit(c, '(') || tcur_kanji(c, "\xef\xbc\x88");
	if (tcur_kanji(c, "\xe6\x97\xa5") && tcur_kanji(c, "\xe6\x9c\xac") &&
	    tcur_kanji(c, "\xe6\x99\x82") && tcur_kanji(c, "\xe9\x96\x93"))
		t->off = 540;	/* 日本時間 */
	else if (tcur_word(c, "JST"))
		t->off = 540;
	else {
		*c = save;
		tcur_zone(c, t);
		return;
	}
	if (paren && !tcur_lit(c, ')'))
		tcur_kanji(c, "\xef\xbc\x89");
	t->zoned = true;
}

/* tcur_ja - see extract_time_int.h; the weekday "（土）" may follow the
 * date, the clock is "22時10分05秒" or "22:10:05" */
bool
tcur_ja(struct tcur *c, struct tval *t)
{
	struct tcur save;

	if (!tcur_num(c, 4, 4, &t->y) || !tcur_kanji(c, "\xe5\xb9\xb4") ||
	    !tcur_num(c, 1, 2, &t->mo) || !tcur_kanji(c, "\xe6\x9c\x88") ||
	    !tcur_num(c, 1, 2, &t->d) || !tcur_kanji(c, "\xe6\x97\xa5"))
		return false;	/* 年 月 日 */
	save = *c;
	if ((tcur_lit(c, '(') || tcur_kanji(c, "\xef\xbc\x88")) &&
	    c->i + 3 <= c->n) {
		c->i += 3;	/* the weekday */
		if (!tcur_lit(c, ')') && !tcur_kanji(c, "\xef\xbc\x89"))
			*c = save;
	} else
		*c = save;
	tcur_ws(c, 3);
	save = *c;
	if (tcur_num(c, 1, 2, &t->h) && tcur_kanji(c, "\xe6\x99\x82") &&
	    tcur_num(c, 1, 2, &t->mi) && tcur_kanji(c, "\xe5\x88\x86")) {
		t->sec = 0;	/* 時 分 [秒] */
		save = *c;
		if (!tcur_num(c, 1, 2, &t->sec) ||
		    !tcur_kanji(c, "\xe7\xa7\x92")) {
			*c = save;
			t->sec = 0;
		}
		tcur_ja_zone(c, t);
		return true;
	}
	*c = save;
	if (!tcur_clock(c, t, false))
		return false;
	if (!t->zoned)
		tcur_ja_zone(c, t);
	return true;
}
