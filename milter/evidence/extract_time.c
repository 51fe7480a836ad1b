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
 * and month names in English, German, French, Spanish, Dutch, Italian
 * and Portuguese.
 *
 * Decisions:
 * - A missing or unknown zone counts as UTC, unless the Date header gives
 *   a local-looking time its sender's offset (extract_time_sent.c); the
 *   process time zone is never consulted (timegm).
 *   A country's civil time by name ("heure de Paris", "deutscher Zeit",
 *   "London time") is its standard offset plus the EU summer time rule
 *   (last Sunday of March to last Sunday of October, 01:00 UTC).
 * - Named zones are recognised in upper case only, so that ordinary words
 *   ("est" is French for "is") are not read as zones.
 * - A date without a clock time is not an incident time and is skipped.
 * - Syslog stamps ("May  6 05:00:00") carry no year. Guessing one from the
 *   clock of the machine that reads the mail would make the result depend
 *   on when it is read; the complaint's Date header gives it instead
 *   (extract_timestamp_sent, extract_time_sent.c), and without one they
 *   are skipped. The Date header also settles "05/06/2015" and gives a
 *   local time written without zone its offset.
 * - Numeric day/month order: "DD.MM.YYYY" (German) and year-first forms
 *   are clear; "19/11/2026", "21-11-2026" and "11/19/2026" can only be
 *   read one way; "05/06/2015" is read month first when a 12-hour clock
 *   follows (US usage), else as the Date header settles it, else skipped.
 * - A range ("13:05-13:40 CET", "between 02:00 and 03:30 UTC") is its
 *   start, in the zone written after its end.
 * - Date and clock may stand on two lines (wrapped text), not further
 *   apart. A "Notice Date:" line is when the notice was written: used
 *   only when no other time is found.
 * - Impossible values (Feb 30, hour 25) make the candidate absent.
 *   "AM"/"PM" after an hour above 12 is ignored ("13:00 PM" is 13:00),
 *   and "am" before a date is the German "on", not "a.m.".
 *
 * Every parser reads a bounded number of bytes from its start, and starts
 * are only tried at word boundaries, so a scan is linear in the text.
 * The date forms are here; the pieces they are built of (cursor, month
 * and zone names, clock) are in extract_time_lex.c.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/extract.h"
#include "evidence/extract_time_int.h"
#include "util/util.h"

/* date then clock: "at", "um", "à", "a las", "om", "alle", "às" */
static const char *const time_date_clock[] = {
	"at", "um", "\xc3\xa0", "a las", "a la", "om", "kl.", "alle", "ore",
	"\xc3\xa0s", "as", "o godzinie", "o godz.", "godz.", "w godzinach",
	"w godz.", "between", "from", "zwischen", "entre", "tra le", "dalle",
	"tussen", "van", "\xd0\xb2", "\xd0\xbc\xd0\xb5\xd0\xb6\xd0\xb4\xd1\x83",
	"\xd1\x81", NULL,
};

/* clock then date: "on", "am", "le", "el", "del", "op" */
static const char *const time_clock_date[] = {
	"on", "am", "le", "el", "del", "op", NULL,
};

/* time_ymd - "YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD" */
static bool
time_ymd(struct tcur *c, struct tval *t)
{
	char sep;

	if (!tcur_num(c, 4, 4, &t->y))
		return false;
	sep = (char)tcur_at(c, 0);
	if (sep != '-' && sep != '/' && sep != '.')
		return false;
	c->i++;
	return tcur_num(c, 1, 2, &t->mo) && tcur_lit(c, sep) &&
	    tcur_num(c, 1, 2, &t->d);
}

/* time_dmy_dots - German "DD.MM.YYYY" */
static bool
time_dmy_dots(struct tcur *c, struct tval *t)
{
	t->local = true;
	return tcur_num(c, 1, 2, &t->d) && tcur_lit(c, '.') &&
	    tcur_num(c, 1, 2, &t->mo) && tcur_lit(c, '.') &&
	    tcur_num(c, 4, 4, &t->y);
}

/* time_slashes - "19/11/2026", "21-11-2026" (day first) or "11/19/2026"
 * (month first); when both numbers could be a month, only a 12-hour
 * clock decides (month first, as in the US), see time_date_then_clock */
static bool
time_slashes(struct tcur *c, struct tval *t)
{
	int a, b;
	char sep;

	if (!tcur_num(c, 1, 2, &a))
		return false;
	sep = (char)tcur_at(c, 0);
	if ((sep != '/' && sep != '-') || !tcur_lit(c, sep) ||
	    !tcur_num(c, 1, 2, &b) || !tcur_lit(c, sep) ||
	    !tcur_num(c, 4, 4, &t->y))
		return false;
	t->d = a > 12 || b <= 12 ? a : b;
	t->mo = t->d == a ? b : a;
	t->day_month = a <= 12 && b <= 12;
	t->local = true;
	return true;
}

/* time_dmy_name - "6 May 2015", "06-May-2015", "6. Mai 2015",
 * "6 de mayo de 2015" */
static bool
time_dmy_name(struct tcur *c, struct tval *t)
{
	char sep;

	if (!tcur_num(c, 1, 2, &t->d))
		return false;
	tcur_lit(c, '.');
	sep = tcur_at(c, 0) == '-' ? '-' : ' ';
	if (sep == '-')
		c->i++;
	else if (tcur_ws(c, 2) == 0)
		return false;
	if (sep == ' ' && tcur_word(c, "de"))
		tcur_ws(c, 2);
	if (!(t->mo = tcur_month(c)))
		return false;
	if (sep == '-' ? !tcur_lit(c, '-') : tcur_ws(c, 2) == 0)
		return false;
	if (sep == ' ' && tcur_word(c, "de"))
		tcur_ws(c, 2);
	return tcur_num(c, 4, 4, &t->y);
}

/* time_mdy_name - "May 6, 2015", "May 6th 2015" */
static bool
time_mdy_name(struct tcur *c, struct tval *t)
{
	static const char *const ordinals[] = {"st", "nd", "rd", "th", NULL};

	if (!(t->mo = tcur_month(c)) || tcur_ws(c, 2) == 0 ||
	    !tcur_num(c, 1, 2, &t->d))
		return false;
	for (int k = 0; ordinals[k]; k++)
		if (tcur_word(c, ordinals[k]))
			break;
	tcur_lit(c, ',');
	return tcur_ws(c, 2) > 0 && tcur_num(c, 4, 4, &t->y);
}

/* the date-only forms, tried in this order */
static bool (*const time_dates[])(struct tcur *, struct tval *) = {
	time_ymd, time_dmy_dots, time_slashes, time_dmy_name, time_mdy_name,
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
	if ((tcur_lit(c, 'T') || tcur_lit(c, 't')) && tcur_clock(c, t, true))
		return true;
	*c = save;
	if (!tcur_sep(c, time_date_clock) || !tcur_clock(c, t, false))
		return false;
	if (t->day_month && t->ampm) {	/* US usage: month first */
		int d = t->d;

		t->d = t->mo;
		t->mo = d;
		t->day_month = false;
	}
	return true;	/* "05/06/2015 05:00": tval_settle decides */
}

/* time_clock_then_date - "05:00 UTC on May 6, 2015", "um 05:00 Uhr am
 * 06.05.2015" */
static bool
time_clock_then_date(struct tcur *c, struct tval *t)
{
	struct tcur save;

	if (!tcur_clock(c, t, false) || !tcur_sep(c, time_clock_date))
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
	if (!tcur_num(c, 1, 2, &t->d) || !tcur_lit(c, '/') ||
	    !(t->mo = tcur_month(c)) || !tcur_lit(c, '/') ||
	    !tcur_num(c, 4, 4, &t->y) || !tcur_lit(c, ':'))
		return false;
	return tcur_clock(c, t, false);
}

/* time_ctime - "May  6 05:00:00 [UTC] 2015"; without the year this is a
 * syslog stamp, whose year tval_settle finds */
static bool
time_ctime(struct tcur *c, struct tval *t)
{
	struct tcur save;

	if (!(t->mo = tcur_month(c)) || tcur_ws(c, 2) == 0 ||
	    !tcur_num(c, 1, 2, &t->d) || tcur_ws(c, 2) == 0 ||
	    !tcur_clock(c, t, false))
		return false;
	save = *c;
	if (tcur_ws(c, 2) > 0 && tcur_num(c, 4, 4, &t->y))
		return true;
	*c = save;
	t->no_year = t->local = true;
	return true;
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

/* time_last_sunday - 01:00 UTC on the last Sunday of month mo (1..12,
 * a month with 31 days) of year y: when EU summer time starts or ends */
static time_t
time_last_sunday(int y, int mo)
{
	struct tm tm;
	time_t end;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = 31;
	tm.tm_hour = 1;
	end = timegm(&tm);
	gmtime_r(&end, &tm);
	return end - (time_t)tm.tm_wday * 86400;
}

/* time_eu_summer - is the instant inside EU summer time? */
static bool
time_eu_summer(time_t when)
{
	struct tm tm;

	gmtime_r(&when, &tm);
	return when >= time_last_sunday(tm.tm_year + 1900, 3) &&
	    when < time_last_sunday(tm.tm_year + 1900, 10);
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
	if (t->eu_summer && time_eu_summer(when))
		when -= 3600;
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
		time_clf, time_ctime, time_clock_then_date, tcur_ja,
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

/* time_lead - every numeric form opens with 1, 2 or 4 digits */
static bool
time_lead(const struct tcur *c)
{
	size_t k = 0;

	while (k < 5 && tcur_digit(c, k))
		k++;
	return k == 1 || k == 2 || k == 4;
}

/* time_sent_read - the Date header (RFC 5322, or what clients write)
 * as the reference of extract_time_sent.c */
static void
time_sent_read(const char *date, struct tsent *s)
{
	char *iso = date != NULL ? timestamp_normalize(date) : NULL;
	struct tm tm;
	const char *p;
	int sign, hh, mm;

	memset(s, 0, sizeof(*s));
	if (iso == NULL)
		return;
	memset(&tm, 0, sizeof(tm));
	if (strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL) {
		s->when = timegm(&tm);
		s->have = true;
	}
	free(iso);
	/* the offset as written: the last "+hhmm" / "-hhmm" of the value */
	p = strrchr(date, '+');
	if (p == NULL || (strrchr(date, '-') != NULL && strrchr(date, '-') > p))
		p = strrchr(date, '-');
	if (p == NULL || strlen(p) < 5 || strspn(p + 1, "0123456789") < 4)
		return;
	sign = *p == '-' ? -1 : 1;
	hh = (p[1] - '0') * 10 + (p[2] - '0');
	mm = (p[3] - '0') * 10 + (p[4] - '0');
	if (hh <= 14 && mm <= 59)
		s->off = sign * (hh * 60 + mm);
}

/* time_label_line - does the line holding text[i] start with one of
 * the labels? */
static bool
time_label_line(const char *text, size_t i, const char *const *labels)
{
	size_t start = i;

	while (start > 0 && i - start < 80 && text[start - 1] != '\n')
		start--;
	while (start < i && (text[start] == ' ' || text[start] == '\t' ||
	    text[start] == '>'))
		start++;
	for (int k = 0; labels[k]; k++)
		if (str_has_prefix_nocase(text + start, labels[k]))
			return true;
	return false;
}

/* labels of when the notice itself was written: used when nothing else
 * is found */
static const char *const time_sent_labels[] = {"notice date",
	"report date", "date of notice", "date of this notice", NULL};

/* labels of a ticket's bookkeeping, never the incident */
static const char *const time_never_labels[] = {"updated", "last updated",
	"last update", "closed", "resolved", "status changed",
	"aktualisiert", "geschlossen", NULL};

/* The incident time of a complaint stands among its first dates; a
 * pasted log of a megabyte would otherwise be read date by date to its
 * end when none of them can be placed (syslog dates have no year, and
 * without a Date header there is none to lend them): at most this many
 * places that start like a date are tried. */
#define TIME_MAX_TRIES	500

/* extract_timestamp_sent - see extract.h; a "Notice Date:" says when the
 * notice was written, not when the incident was, so it is used only
 * when nothing else is found. (A forwarded mail's "Date:" is kept: for
 * forwarded spam it is the incident.) */
char *
extract_timestamp_sent(const char *text, const char *date)
{
	struct tcur c = {text, 0, 0};
	struct tsent sent;
	struct tval t;
	char *out, *noticed = NULL;
	int prev = 0, ch, tries = 0;

	if (text == NULL)
		return NULL;
	time_sent_read(date, &sent);
	c.n = strlen(text);
	for (size_t i = 0; i < c.n; prev = ch, i++) {
		ch = (unsigned char)text[i];
		if (!isalnum(ch) || isalnum(prev) || (prev >= 0x80 &&
		    !isdigit(ch)))
			continue;	/* "日時：2026年" starts a date */
		c.i = i;
		if (isalpha(ch) ? tcur_month(&c) == 0 : !time_lead(&c))
			continue;	/* cannot start a date or clock */
		if (++tries > TIME_MAX_TRIES)
			break;
		c.i = i;
		if (!time_try(&c, &t) || !tval_settle(&t, &sent) ||
		    (out = time_format(&t)) == NULL)
			continue;
		if (time_label_line(text, i, time_never_labels))
			free(out);
		else if (!time_label_line(text, i, time_sent_labels)) {
			free(noticed);
			return out;
		} else if (noticed == NULL)
			noticed = out;
		else
			free(out);
		i = c.i - 1;	/* go on past this date */
		ch = (unsigned char)text[i];
	}
	return noticed;
}

/* extract_timestamp - extract_timestamp_sent without a Date header */
char *
extract_timestamp(const char *text)
{
	return extract_timestamp_sent(text, NULL);
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
	tcur_space(&c);
	len = tcur_wordlen(&c, 10);
	if (len >= 3 && len <= 10 && (tcur_at(&c, len) == ',' ||
	    tcur_at(&c, len) == ' ')) {
		struct tcur probe = c;

		if (tcur_month(&probe) == 0) {	/* a weekday */
			c.i += len;
			tcur_lit(&c, ',');
			tcur_ws(&c, 3);
		}
	}
	if (!time_try(&c, &t) || !tval_settle(&t, NULL))
		return NULL;
	tcur_space(&c);
	len = tcur_wordlen(&c, 5);
	if (len > 0 && len <= 5)
		c.i += len;	/* an unknown zone name: UTC */
	tcur_space(&c);
	if (tcur_at(&c, 0) == '(') {
		const char *close = memchr(value + c.i, ')', c.n - c.i);

		if (close == NULL)
			return NULL;
		c.i = (size_t)(close - value) + 1;
	}
	tcur_space(&c);
	if (c.i != c.n)
		return NULL;
	return time_format(&t);
}
