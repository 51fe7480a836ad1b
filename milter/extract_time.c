/*
 * extract_time.c - incident timestamps, normalised to UTC.
 *
 *	char *ts = timestamp_normalize("Wed, 06 May 2015 05:00:00 +0200");
 *	char *first = extract_timestamp(complaint_text);
 *	... "2015-05-06T03:00:00Z" or NULL; free() the result ...
 *
 * timestamp_normalize() reads one structured value (ACNS TimeStamp,
 * X-ARF Date, ARF Arrival-Date): ISO 8601 with Z, offsets and fractions,
 * the ACNS "2015-05-06T05-00-00UTC" form, RFC 5322 dates with comments
 * and obsolete zone names. extract_timestamp() finds the first date with
 * a clock time in free text: those forms plus the common log format
 * "[06/May/2015:05:00:00 +0200]", "2015/05/06 05:00:00", German
 * "06.05.2015 05:00:00 CEST", "6 May 2015 05:00 GMT", "May 6, 2015 at
 * 5:00 AM EST", ctime "Wed May  6 05:00:00 UTC 2015", the clock before
 * the date ("05:00 UTC on May 6, 2015", "um 05:00 Uhr am 06.05.2015"),
 * and month names in English, German, French, Spanish and Dutch.
 *
 * Decisions:
 * - A missing or unknown zone counts as UTC: the complaint gives no better
 *   reference, and the process time zone is never consulted (timegm).
 * - Named zones are recognised in upper case only, so that ordinary words
 *   ("est" is French for "is") are not read as zones.
 * - A date without a clock time is not an incident time and is skipped.
 * - Syslog stamps ("May  6 05:00:00") carry no year. Guessing one from the
 *   clock of the machine that reads the mail would make the result depend
 *   on when it is read, so they are skipped.
 * - Numeric day/month order is only read where it is unambiguous:
 *   "DD.MM.YYYY" (German) and year-first forms; "05/06/2015" is skipped.
 * - Impossible values (Feb 30, hour 25) make the candidate absent.
 *   "AM"/"PM" after an hour above 12 is ignored ("13:00 PM" is 13:00),
 *   and "am" before a date is the German "on", not "a.m.".
 *
 * Every parser reads a bounded number of bytes from its start, and starts
 * are only tried at word boundaries, so a scan is linear in the text.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "extract.h"
#include "util.h"

/* cursor over the input; reads past n are end of input */
struct tcur {
	const char *s;
	size_t i;
	size_t n;
};

/* the broken-down candidate; off is minutes east of UTC */
struct tval {
	int y, mo, d, h, mi, sec, off;
};

struct tname {
	const char *name;
	int val;
};

/* month names; abbreviations are accepted when they are unambiguous */
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
	{"augustus", 8}, {NULL, 0},
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

/* cur_at - byte at the cursor, or -1 at the end */
static int
cur_at(const struct tcur *c, size_t ahead)
{
	if (c->i + ahead >= c->n)
		return -1;
	return (unsigned char)c->s[c->i + ahead];
}

/* cur_digit - is the byte `ahead` of the cursor an ASCII digit? */
static bool
cur_digit(const struct tcur *c, size_t ahead)
{
	int ch = cur_at(c, ahead);

	return ch >= '0' && ch <= '9';
}

/* cur_num - read min..max digits, not followed by another digit */
static bool
cur_num(struct tcur *c, int min, int max, int *out)
{
	int k = 0, v = 0;

	while (k < max && cur_digit(c, 0)) {
		v = v * 10 + (c->s[c->i] - '0');
		c->i++;
		k++;
	}
	if (k < min || cur_digit(c, 0))
		return false;
	*out = v;
	return true;
}

/* cur_lit - consume one expected byte */
static bool
cur_lit(struct tcur *c, char ch)
{
	if (cur_at(c, 0) != (unsigned char)ch)
		return false;
	c->i++;
	return true;
}

/* cur_ws - skip at most max blanks; how many were skipped */
static int
cur_ws(struct tcur *c, int max)
{
	int k = 0;

	while (k < max && (cur_at(c, 0) == ' ' || cur_at(c, 0) == '\t')) {
		c->i++;
		k++;
	}
	return k;
}

/* cur_space - skip any white space */
static void
cur_space(struct tcur *c)
{
	while (c->i < c->n && isspace((unsigned char)c->s[c->i]))
		c->i++;
}

/* cur_wordlen - length of the letter run at the cursor (UTF-8 counts as
 * letters), at most max + 1 so that long words are cheap to reject */
static size_t
cur_wordlen(const struct tcur *c, size_t max)
{
	size_t k = 0;
	int ch;

	while (k <= max && (ch = cur_at(c, k)) >= 0 &&
	    (isalpha(ch) || ch >= 0x80))
		k++;
	return k;
}

/* cur_word_nocase - consume word w (ASCII case-insensitive) if it stands
 * there as a whole word */
static bool
cur_word_nocase(struct tcur *c, const char *w)
{
	size_t len = strlen(w);
	int next;

	if (c->i + len > c->n || strncasecmp(c->s + c->i, w, len) != 0)
		return false;
	next = cur_at(c, len);
	if (next >= 0 && (isalnum(next) || next >= 0x80))
		return false;
	c->i += len;
	return true;
}

/* time_month - month number of the word at the cursor (consumed, with a
 * trailing abbreviation dot), or 0 */
static int
time_month(struct tcur *c)
{
	size_t len = cur_wordlen(c, 12);
	const char *w = c->s + c->i;
	int found = 0;

	if (len < 3 || len > 12 || strchr("jfmasondeJFMASONDE", *w) == NULL)
		return 0;
	for (const struct tname *m = time_months; m->name; m++) {
		if (strncasecmp(m->name, w, len) != 0)
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
		cur_lit(c, '.');
	}
	return found;
}

/* time_offset - "+HH:MM", "+HHMM", "+HH" (also after UTC/GMT: "+2") */
static bool
time_offset(struct tcur *c, int mindigits, int *off)
{
	struct tcur save = *c;
	int sign = cur_at(c, 0) == '-' ? -1 : 1;
	int hh, mm = 0;

	if (!cur_lit(c, '+') && !cur_lit(c, '-'))
		return false;
	if (cur_num(c, 4, 4, &hh)) {
		mm = hh % 100;
		hh /= 100;
	} else {
		*c = save;
		c->i++;
		if (!cur_num(c, mindigits, 2, &hh) || (cur_at(c, 0) == ':' &&
		    (!cur_lit(c, ':') || !cur_num(c, 2, 2, &mm))))
			hh = 99;
	}
	if (hh > 14 || mm > 59) {
		*c = save;
		return false;
	}
	*off = sign * (hh * 60 + mm);
	return true;
}

/* time_zone - an optional zone after the clock; absent leaves off 0 */
static void
time_zone(struct tcur *c, int *off)
{
	struct tcur save = *c;
	size_t len;

	*off = 0;
	cur_ws(c, 2);
	if (time_offset(c, 2, off))
		return;
	len = cur_wordlen(c, 5);
	if (len == 0 || len > 5 || cur_digit(c, len)) {
		*c = save;
		return;
	}
	for (const struct tname *z = time_zones; z->name; z++) {
		if (strlen(z->name) == len &&
		    strncmp(z->name, c->s + c->i, len) == 0) {
			c->i += len;
			*off = z->val;
			if (z->val == 0 && len <= 3)
				time_offset(c, 1, off);	/* "UTC+2" */
			return;
		}
	}
	*c = save;
}

/* time_ampm - apply a following "AM"/"p.m." to a 12-hour clock */
static void
time_ampm(struct tcur *c, struct tval *t)
{
	struct tcur save = *c, after;
	int pm;

	cur_ws(c, 2);
	if (cur_word_nocase(c, "am") || cur_word_nocase(c, "a.m."))
		pm = 0;
	else if (cur_word_nocase(c, "pm") || cur_word_nocase(c, "p.m."))
		pm = 1;
	else
		pm = -1;
	after = *c;
	if (pm == 0 && cur_ws(&after, 2) > 0 && cur_digit(&after, 0))
		pm = -1;	/* German "05:00 am 06.05.2015": "on" */
	if (pm < 0 || t->h < 1 || t->h > 12) {
		*c = save;	/* "13:00 PM" says 13:00 */
		return;
	}
	t->h = t->h % 12 + (pm ? 12 : 0);
}

/* time_clock - "H:MM[:SS[.frac]]" [AM|PM] [zone]; with dashes also the
 * ACNS "HH-MM-SS" */
static bool
time_clock(struct tcur *c, struct tval *t, bool dashes)
{
	struct tcur save;
	char sep = ':';

	if (!cur_num(c, 1, 2, &t->h))
		return false;
	if (dashes && cur_at(c, 0) == '-')
		sep = '-';
	if (!cur_lit(c, sep) || !cur_num(c, 2, 2, &t->mi))
		return false;
	t->sec = 0;
	if (cur_at(c, 0) == sep && cur_digit(c, 1)) {
		c->i++;
		if (!cur_num(c, 2, 2, &t->sec))
			return false;
		if ((cur_at(c, 0) == '.' || cur_at(c, 0) == ',') &&
		    cur_digit(c, 1)) {
			c->i++;
			for (int k = 0; k < 12 && cur_digit(c, 0); k++)
				c->i++;
			if (cur_digit(c, 0))
				return false;
		}
	}
	time_ampm(c, t);
	save = *c;
	if (cur_ws(c, 2) == 0 || !cur_word_nocase(c, "uhr"))
		*c = save;	/* German "05:00 Uhr MESZ" */
	time_zone(c, &t->off);
	return true;
}

/* time_sep - what joins date and clock: blanks, a comma, one of the
 * connector words, "@" or "-"; true if anything was there */
static bool
time_sep(struct tcur *c, const char *const *words)
{
	size_t start = c->i;

	cur_ws(c, 3);
	cur_lit(c, ',');
	cur_ws(c, 3);
	if (cur_lit(c, '@') || cur_lit(c, '-'))
		cur_ws(c, 3);
	for (int k = 0; words[k]; k++) {
		if (cur_word_nocase(c, words[k])) {
			cur_ws(c, 3);
			break;
		}
	}
	return c->i > start;
}

/* date then clock: "at", "um", "à", "a las", "om" */
static const char *const time_date_clock[] = {
	"at", "um", "\xc3\xa0", "a las", "a la", "om", "kl.", NULL,
};

/* clock then date: "on", "am", "le", "el", "del", "op" */
static const char *const time_clock_date[] = {
	"on", "am", "le", "el", "del", "op", NULL,
};

/* time_ymd - "YYYY-MM-DD" or "YYYY/MM/DD" */
static bool
time_ymd(struct tcur *c, struct tval *t)
{
	char sep;

	if (!cur_num(c, 4, 4, &t->y))
		return false;
	sep = (char)cur_at(c, 0);
	if (sep != '-' && sep != '/')
		return false;
	c->i++;
	return cur_num(c, 1, 2, &t->mo) && cur_lit(c, sep) &&
	    cur_num(c, 1, 2, &t->d);
}

/* time_dmy_dots - German "DD.MM.YYYY" */
static bool
time_dmy_dots(struct tcur *c, struct tval *t)
{
	return cur_num(c, 1, 2, &t->d) && cur_lit(c, '.') &&
	    cur_num(c, 1, 2, &t->mo) && cur_lit(c, '.') &&
	    cur_num(c, 4, 4, &t->y);
}

/* time_dmy_name - "6 May 2015", "06-May-2015", "6. Mai 2015",
 * "6 de mayo de 2015" */
static bool
time_dmy_name(struct tcur *c, struct tval *t)
{
	char sep;

	if (!cur_num(c, 1, 2, &t->d))
		return false;
	cur_lit(c, '.');
	sep = cur_at(c, 0) == '-' ? '-' : ' ';
	if (sep == '-')
		c->i++;
	else if (cur_ws(c, 2) == 0)
		return false;
	if (sep == ' ' && cur_word_nocase(c, "de"))
		cur_ws(c, 2);
	if (!(t->mo = time_month(c)))
		return false;
	if (sep == '-' ? !cur_lit(c, '-') : cur_ws(c, 2) == 0)
		return false;
	if (sep == ' ' && cur_word_nocase(c, "de"))
		cur_ws(c, 2);
	return cur_num(c, 4, 4, &t->y);
}

/* time_mdy_name - "May 6, 2015", "May 6th 2015" */
static bool
time_mdy_name(struct tcur *c, struct tval *t)
{
	static const char *const ordinals[] = {"st", "nd", "rd", "th", NULL};

	if (!(t->mo = time_month(c)) || cur_ws(c, 2) == 0 ||
	    !cur_num(c, 1, 2, &t->d))
		return false;
	for (int k = 0; ordinals[k]; k++)
		if (cur_word_nocase(c, ordinals[k]))
			break;
	cur_lit(c, ',');
	return cur_ws(c, 2) > 0 && cur_num(c, 4, 4, &t->y);
}

/* the date-only forms, tried in this order */
static bool (*const time_dates[])(struct tcur *, struct tval *) = {
	time_ymd, time_dmy_dots, time_dmy_name, time_mdy_name,
};

#define TIME_NDATES (sizeof(time_dates) / sizeof(time_dates[0]))

/* time_date_then_clock - a date form, then "T" and an ISO clock (also the
 * ACNS "05-00-00"), or a separator and a clock */
static bool
time_date_then_clock(struct tcur *c, struct tval *t, size_t form)
{
	struct tcur save;

	if (!time_dates[form](c, t))
		return false;
	save = *c;
	if ((cur_lit(c, 'T') || cur_lit(c, 't')) && time_clock(c, t, true))
		return true;
	*c = save;
	return time_sep(c, time_date_clock) && time_clock(c, t, false);
}

/* time_clock_then_date - "05:00 UTC on May 6, 2015", "um 05:00 Uhr am
 * 06.05.2015" */
static bool
time_clock_then_date(struct tcur *c, struct tval *t)
{
	struct tcur save;

	if (!time_clock(c, t, false) || !time_sep(c, time_clock_date))
		return false;
	save = *c;
	for (size_t k = 0; k < TIME_NDATES; k++) {
		*c = save;
		if (time_dates[k](c, t))
			return true;
	}
	return false;
}

/* time_clf - common log format "DD/Mon/YYYY:HH:MM:SS +zzzz" */
static bool
time_clf(struct tcur *c, struct tval *t)
{
	if (!cur_num(c, 1, 2, &t->d) || !cur_lit(c, '/') ||
	    !(t->mo = time_month(c)) || !cur_lit(c, '/') ||
	    !cur_num(c, 4, 4, &t->y) || !cur_lit(c, ':'))
		return false;
	return time_clock(c, t, false);
}

/* time_ctime - "May  6 05:00:00 [UTC] 2015"; without the year this is a
 * syslog stamp, which is skipped (see the top of the file) */
static bool
time_ctime(struct tcur *c, struct tval *t)
{
	if (!(t->mo = time_month(c)) || cur_ws(c, 2) == 0 ||
	    !cur_num(c, 1, 2, &t->d) || cur_ws(c, 2) == 0 ||
	    !time_clock(c, t, false))
		return false;
	return cur_ws(c, 2) > 0 && cur_num(c, 4, 4, &t->y);
}

/* time_days - days in month mo of year y */
static int
time_days(int y, int mo)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : days[mo - 1];
}

/* time_format - validate and render as UTC, or NULL */
static char *
time_format(const struct tval *t)
{
	struct tm tm;
	time_t when;

	if (t->y < 1970 || t->y > 2199 || t->mo < 1 || t->mo > 12 ||
	    t->d < 1 || t->d > time_days(t->y, t->mo) || t->h > 23 ||
	    t->mi > 59 || t->sec > 60)
		return NULL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->y - 1900;
	tm.tm_mon = t->mo - 1;
	tm.tm_mday = t->d;
	tm.tm_hour = t->h;
	tm.tm_min = t->mi;
	tm.tm_sec = t->sec;
	when = timegm(&tm) - (time_t)t->off * 60;
	if (gmtime_r(&when, &tm) == NULL)
		return NULL;
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* time_try - every form that can start at the cursor; the cursor moves
 * past the match on success */
static bool
time_try(struct tcur *c, struct tval *t)
{
	static bool (*const whole[])(struct tcur *, struct tval *) = {
		time_clf, time_ctime, time_clock_then_date,
	};
	struct tcur save = *c;

	for (size_t k = 0; k < TIME_NDATES; k++) {
		memset(t, 0, sizeof(*t));
		*c = save;
		if (time_date_then_clock(c, t, k))
			return true;
	}
	for (size_t k = 0; k < sizeof(whole) / sizeof(whole[0]); k++) {
		memset(t, 0, sizeof(*t));
		*c = save;
		if (whole[k](c, t))
			return true;
	}
	*c = save;
	return false;
}

/* extract_timestamp - first valid date with a clock time in free text */
char *
extract_timestamp(const char *text)
{
	struct tcur c = {text, 0, 0};
	struct tval t;
	char *out;
	int prev = 0, ch;

	if (text == NULL)
		return NULL;
	c.n = strlen(text);
	for (size_t i = 0; i < c.n; prev = ch, i++) {
		ch = (unsigned char)text[i];
		if (!isalnum(ch) || isalnum(prev) || prev >= 0x80)
			continue;
		c.i = i;
		if (time_try(&c, &t) && (out = time_format(&t)) != NULL)
			return out;
	}
	return NULL;
}

/* timestamp_normalize - one structured value; only blanks and an RFC 5322
 * comment ("(CEST)") may follow the date */
char *
timestamp_normalize(const char *value)
{
	struct tcur c = {value, 0, 0};
	struct tval t;
	size_t len;

	if (value == NULL)
		return NULL;
	c.n = strlen(value);
	cur_space(&c);
	len = cur_wordlen(&c, 10);
	if (len >= 3 && len <= 10 && (cur_at(&c, len) == ',' ||
	    cur_at(&c, len) == ' ')) {
		struct tcur probe = c;

		if (time_month(&probe) == 0) {	/* a weekday */
			c.i += len;
			cur_lit(&c, ',');
			cur_ws(&c, 3);
		}
	}
	if (!time_try(&c, &t))
		return NULL;
	cur_space(&c);
	len = cur_wordlen(&c, 5);
	if (len > 0 && len <= 5)
		c.i += len;	/* an unknown zone name: UTC */
	cur_space(&c);
	if (cur_at(&c, 0) == '(') {
		const char *close = memchr(value + c.i, ')', c.n - c.i);

		if (close == NULL)
			return NULL;
		c.i = (size_t)(close - value) + 1;
	}
	cur_space(&c);
	if (c.i != c.n)
		return NULL;
	return time_format(&t);
}
