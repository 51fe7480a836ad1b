/*
 * extract_time_sent.c - what the complaint's Date header settles about a
 * time found in its text (extract_time.c): the header says when, and in
 * which offset, the complainant wrote.
 *
 *	struct tsent s;		(filled by extract_time.c from the header)
 *	... a candidate t read from the text ...
 *	if (tval_settle(&t, &s)) ... t is complete ...
 *
 * - A syslog stamp ("Dec  2 07:14:02") has no year: the year of the
 *   Date header, or the one before when that would put the stamp more
 *   than a day after the mail was sent (a December log in January).
 * - "01/12/2026" can be the 1st of December or the 12th of January: the
 *   reading on or before the day the mail was sent (plus a day of slack
 *   for zones), and the nearer of two such, is meant: complaints report
 *   what just happened. Without a Date header it stays unclear.
 * - A time written without zone in a form people and local logs use
 *   ("03/12/2026 22:14", "03.12.2026 22:14", a syslog stamp) is the
 *   complainant's local time, which their mail client wrote into the
 *   Date header. Year-first forms ("2026-12-03 22:14:00") are what
 *   machines write, mostly in UTC, and stay UTC, as does any time
 *   without a Date header.
 *
 * Structured values (timestamp_normalize) pass NULL: their formats say
 * what they mean, and an unclear one stays unclear.
 */
#include "evidence/extract_time_int.h"

#include <string.h>

#define TSENT_SLACK	(2 * 86400)	/* a stamp may lead the mail by this */

/* tval_day - the UTC midnight of a calendar day, for comparing days */
static time_t
tval_day(int y, int mo, int d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	return timegm(&tm);
}

/* tval_year - the year of the sent date in its own offset */
static int
tval_year(const struct tsent *s)
{
	struct tm tm;
	time_t local = s->when + (time_t)s->off * 60;

	gmtime_r(&local, &tm);
	return tm.tm_year + 1900;
}

/* tval_pick - of the readings d/mo and mo/d, the one on or before the
 * sent day and nearer to it; false when neither is */
static bool
tval_pick(struct tval *t, const struct tsent *s)
{
	time_t a = tval_day(t->y, t->mo, t->d);
	time_t b = t->d <= 12 ? tval_day(t->y, t->d, t->mo) : (time_t)-1;
	time_t lim = s->when + TSENT_SLACK;
	bool ok_a = a <= lim, ok_b = b != (time_t)-1 && b <= lim;
	int d = t->d;

	if (!ok_a && !ok_b)
		return false;
	if (ok_b && (!ok_a || b > a)) {
		t->d = t->mo;
		t->mo = d;
	}
	t->day_month = false;
	return true;
}

/* tval_settle - see extract_time_int.h */
bool
tval_settle(struct tval *t, const struct tsent *s)
{
	bool have = s != NULL && s->have;

	if (t->no_year) {
		if (!have)
			return false;
		t->y = tval_year(s);
		if (t->mo >= 1 && t->mo <= 12 && t->d >= 1 && t->d <= 31 &&
		    tval_day(t->y, t->mo, t->d) > s->when + TSENT_SLACK)
			t->y--;
		t->no_year = false;
	}
	if (t->day_month && !t->ampm && (!have || !tval_pick(t, s)))
		return false;
	if (!t->zoned && t->local && have) {
		t->off = s->off;
		t->eu_summer = false;
	}
	return true;
}
