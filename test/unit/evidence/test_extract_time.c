/*
 * test_extract_time.c - unit tests for milter/evidence/extract_time.c:
 * timestamp_normalize() on structured values and extract_timestamp() on
 * free text; extract_timestamp_sent() with a Date header, which settles
 * the year of a syslog stamp, day or month first and the offset of a
 * local time (extract_time_sent.c), ranges, Polish, Italian and Japanese
 * forms. Every expected value was converted to UTC by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence/extract.h"
#include "util/util.h"

struct ts_row {
	const char *label;
	const char *input;
	const char *want;	/* NULL: absent */
};

static const struct ts_row normalize_rows[] = {
	{"iso Z", "2015-05-06T05:00:00Z", "2015-05-06T05:00:00Z"},
	{"iso +02:00", "2015-05-06T05:00:00+02:00", "2015-05-06T03:00:00Z"},
	{"iso fraction -04:00", "2015-05-06T05:00:00.123-04:00",
	    "2015-05-06T09:00:00Z"},
	{"iso +0530 back a day", "2015-05-06T05:00:00+0530",
	    "2015-05-05T23:30:00Z"},
	{"iso no seconds", "2015-05-06T05:00Z", "2015-05-06T05:00:00Z"},
	{"acns dashes", "2015-05-06T05-00-00UTC", "2015-05-06T05:00:00Z"},
	{"rfc5322", "Wed, 06 May 2015 05:00:00 +0200", "2015-05-06T03:00:00Z"},
	{"rfc5322 comment", "Wed, 06 May 2015 05:00:00 +0200 (CEST)",
	    "2015-05-06T03:00:00Z"},
	{"rfc5322 no weekday GMT", "6 May 2015 05:00:00 GMT",
	    "2015-05-06T05:00:00Z"},
	{"rfc5322 EST", "Wed, 06 May 2015 01:00:00 EST",
	    "2015-05-06T06:00:00Z"},
	{"rfc5322 PDT", "Wed, 06 May 2015 01:00:00 PDT",
	    "2015-05-06T08:00:00Z"},
	{"rfc5322 -0700 next day", "Tue, 5 May 2015 22:00:00 -0700",
	    "2015-05-06T05:00:00Z"},
	{"rfc5322 back a year", "Thu, 1 Jan 2015 00:30:00 +0100",
	    "2014-12-31T23:30:00Z"},
	{"rfc5322 no seconds", "Wed, 06 May 2015 05:00 +0200",
	    "2015-05-06T03:00:00Z"},
	{"unknown zone is UTC", "Wed, 06 May 2015 05:00:00 XYZ",
	    "2015-05-06T05:00:00Z"},
	{"xarf space form", "2015-09-17 12:31:44 +0200",
	    "2015-09-17T10:31:44Z"},
	{"space +0000", "2015-05-06 05:00:00 +0000", "2015-05-06T05:00:00Z"},
	{"blanks around", "  2015-05-06 05:00:00  ", "2015-05-06T05:00:00Z"},
	{"leap day", "2016-02-29T12:00:00Z", "2016-02-29T12:00:00Z"},
	{"no leap day", "2015-02-29T12:00:00Z", NULL},
	{"feb 30", "2016-02-30T12:00:00Z", NULL},
	{"april 31", "Fri, 31 Apr 2015 10:00:00 +0000", NULL},
	{"hour 25", "2015-05-06T25:00:00Z", NULL},
	{"hour 24", "2015-05-06T24:00:00Z", NULL},
	{"minute 60", "2015-05-06T05:60:00Z", NULL},
	{"month 13", "2015-13-01T00:00:00Z", NULL},
	{"offset +15:00", "2015-05-06T05:00:00+15:00", NULL},
	{"date only", "2015-05-06", NULL},
	{"trailing text", "2015-05-06T05:00:00Z and more words", NULL},
	{"open comment", "Wed, 06 May 2015 05:00:00 +0200 (CEST", NULL},
	{"empty", "", NULL},
	{"garbage", "not a date at all", NULL},
	{"digits only", "1430888400", NULL},
	{"year 1969", "1969-12-31T23:59:59Z", NULL},
	{"8-bit garbage", "\xff\xfe 2015-05-06T05:00:00Z", NULL},
};

static const struct ts_row extract_rows[] = {
	{"common log", "1.2.3.4 - - [06/May/2015:05:00:00 +0200] \"GET /\"",
	    "2015-05-06T03:00:00Z"},
	{"common log -0700", "[06/May/2015:05:00:00 -0700]",
	    "2015-05-06T12:00:00Z"},
	{"iso space UTC", "Attack seen 2015-05-06 05:00:00 UTC from host",
	    "2015-05-06T05:00:00Z"},
	{"iso T offset", "at 2015-05-06T05:00:00+02:00.",
	    "2015-05-06T03:00:00Z"},
	{"german CEST", "am 06.05.2015 05:00:00 CEST wurde",
	    "2015-05-06T03:00:00Z"},
	{"german CET", "06.05.2015 05:00:00 CET", "2015-05-06T04:00:00Z"},
	{"german Uhr MESZ", "Am 6. Mai 2015 um 05:00 Uhr MESZ",
	    "2015-05-06T03:00:00Z"},
	{"day month GMT", "on 6 May 2015 05:00 GMT we saw",
	    "2015-05-06T05:00:00Z"},
	{"day-mon-year", "06-May-2015 05:00:00", "2015-05-06T05:00:00Z"},
	{"us AM EST", "May 6, 2015 at 5:00 AM EST", "2015-05-06T10:00:00Z"},
	{"us PM PDT next day", "May 6, 2015 at 5:00 PM PDT",
	    "2015-05-07T00:00:00Z"},
	{"us 12:30 PM", "May 6, 2015 12:30 PM", "2015-05-06T12:30:00Z"},
	{"us 12:30 AM", "May 6, 2015 12:30 AM", "2015-05-06T00:30:00Z"},
	{"us 13:00 PM", "May 6, 2015 13:00 PM", "2015-05-06T13:00:00Z"},
	{"german am is on", "um 13:00 am 06.05.2015", "2015-05-06T13:00:00Z"},
	{"german 12 am is on", "um 12:30 am 06.05.2015",
	    "2015-05-06T12:30:00Z"},
	{"us ordinal", "on May 6th 2015 05:00:00", "2015-05-06T05:00:00Z"},
	{"slashes", "2015/05/06 05:00:00", "2015-05-06T05:00:00Z"},
	{"year first dots", "2026.11.24 07:00:00", "2026-11-24T07:00:00Z"},
	{"mixed separators", "2026-11/24 07:00:00", NULL},
	{"ctime with zone", "Wed May  6 05:00:00 UTC 2015",
	    "2015-05-06T05:00:00Z"},
	{"ctime", "Wed May  6 05:00:00 2015", "2015-05-06T05:00:00Z"},
	{"rfc5322 in text", "Date: Wed, 06 May 2015 05:00:00 +0200 (CEST)",
	    "2015-05-06T03:00:00Z"},
	{"french", "le 6 mai 2015 \xc3\xa0 05:00", "2015-05-06T05:00:00Z"},
	{"spanish CEST", "el 6 de mayo de 2015 a las 05:00 CEST",
	    "2015-05-06T03:00:00Z"},
	{"dutch", "op 6 mei 2015 om 05:00", "2015-05-06T05:00:00Z"},
	{"italian", "il 24 novembre 2026 alle 07:00 CET",
	    "2026-11-24T06:00:00Z"},
	{"italian gennaio", "3 gennaio 2026 ore 07:00", "2026-01-03T07:00:00Z"},
	{"portuguese", "em 2 de mar\xc3\xa7o de 2026 \xc3\xa0s 07:00",
	    "2026-03-02T07:00:00Z"},
	{"spanish de and h", "24 de noviembre de 2026, 07:00 h",
	    "2026-11-24T07:00:00Z"},
	{"utc+2", "2015-05-06 05:00:00 UTC+2", "2015-05-06T03:00:00Z"},
	{"gmt-05:00", "2015-05-06 05:00:00 GMT-05:00", "2015-05-06T10:00:00Z"},
	{"lower-case est is a word", "le 6 mai 2015 \xc3\xa0 05:00 est",
	    "2015-05-06T05:00:00Z"},
	{"clock first", "at 10:32 UTC on May 6, 2015", "2015-05-06T10:32:00Z"},
	{"clock first german", "um 05:00 Uhr MESZ am 06.05.2015",
	    "2015-05-06T03:00:00Z"},
	{"clock first iso date", "05:00:00 -0700 on 2015-05-06",
	    "2015-05-06T12:00:00Z"},
	{"clock then no date", "at 05:00 on Monday", NULL},
	{"js date", "Wed May 06 2015 05:00:00 GMT+0200 (CEST)",
	    "2015-05-06T03:00:00Z"},
	{"log4j comma fraction", "2015-05-06 05:00:00,123 WARN",
	    "2015-05-06T05:00:00Z"},
	{"forwarded date line", "From: x\nDate: Thu, 07 May 2015 10:00:00 "
	    "+0000\nSubject: spam\n\nReceived: by mx; Thu, 07 May 2015 "
	    "10:00:01 +0000", "2015-05-07T10:00:00Z"},
	{"notice date alone", "Notice Date: 2015-11-15T13:58:27Z\nhi",
	    "2015-11-15T13:58:27Z"},
	{"notice date skipped", "Notice Date: 2015-11-15T13:58:27Z\n"
	    "Initial Infringement Timestamp: 2015-11-13T20:35:03Z",
	    "2015-11-13T20:35:03Z"},
	{"syslog has no year", "May  6 05:00:00 host sshd[42]: Failed", NULL},
	{"syslog then full", "May  6 05:00:00 host sshd: at "
	    "2015-05-06 06:00:00 UTC", "2015-05-06T06:00:00Z"},
	{"first of two", "2015-05-06 05:00:00 and 2015-05-07 06:00:00",
	    "2015-05-06T05:00:00Z"},
	{"invalid skipped", "2015-02-30 05:00:00 and 2015-03-01 06:00:00",
	    "2015-03-01T06:00:00Z"},
	{"hour 25", "06.05.2015 25:00", NULL},
	{"date only", "on 2015-05-06 we saw", NULL},
	{"ambiguous numeric", "05/06/2015 05:00:00", NULL},
	{"slashes day first", "le 19/11/2026 \xc3\xa0 21:04:33 UTC",
	    "2026-11-19T21:04:33Z"},
	{"slashes month first", "11/19/2026 9:04:33 PM EST",
	    "2026-11-20T02:04:33Z"},
	{"slashes us with pm", "05/06/2015 5:00 PM", "2015-05-06T17:00:00Z"},
	{"slashes 13/13", "13/13/2015 05:00", NULL},
	{"dashes day first", "op 21-11-2026 om 23:59:59 uur (UTC)",
	    "2026-11-21T23:59:59Z"},
	{"dashes month first", "11-21-2026 11:59:59 PM",
	    "2026-11-21T23:59:59Z"},
	{"line break in sep", "on 2026-11-22 at\n18:05:00 UTC.",
	    "2026-11-22T18:05:00Z"},
	{"crlf and indent", "el d\xc3\xad""a 22/11/2026 a\r\n  las 09:10:00 "
	    "horas (UTC)", "2026-11-22T09:10:00Z"},
	{"two line breaks", "2026-11-22\n\n18:05:00", NULL},
	{"paris winter", "20/11/2026 \xc3\xa0 16:40:00 (heure de Paris)",
	    "2026-11-20T15:40:00Z"},
	{"paris summer", "le 20/07/2026 \xc3\xa0 16h40 heure de Paris",
	    "2026-07-20T14:40:00Z"},
	{"german time summer", "am 29.03.2026 um 03:30 Uhr deutscher Zeit",
	    "2026-03-29T01:30:00Z"},
	{"german time before switch", "am 29.03.2026 um 01:30 Uhr deutscher "
	    "Zeit", "2026-03-29T00:30:00Z"},
	{"london summer", "2026-06-01 12:00 London time",
	    "2026-06-01T11:00:00Z"},
	{"zone in parentheses", "22.11.2026 um 03:12:45 Uhr (MEZ)",
	    "2026-11-22T02:12:45Z"},
	{"unknown zone in parentheses", "22.11.2026 03:12:45 (XYZ)",
	    "2026-11-22T03:12:45Z"},
	{"ambiguous abbreviation", "6 jui 2015 05:00", NULL},
	{"version numbers", "version 1.2.3 build 2015 on 10.0.0.1", NULL},
	{"ip and port", "192.168.2.200:35657 at 12:00", NULL},
	{"glued digits before", "12015-05-06 05:00:00", NULL},
	{"glued digits after", "2015-05-06 05:00:00123", NULL},
	{"empty", "", NULL},
	{"8-bit garbage", "\xc3\x28\xff 06.05.2015 05:00 \xfe",
	    "2015-05-06T05:00:00Z"},
};

/* sent_row - free text with the complaint's Date header */
struct sent_row {
	const char *label;
	const char *date;	/* Date header, or NULL */
	const char *input;
	const char *want;	/* NULL: absent */
};

#define DATE_PL "Thu, 03 Dec 2026 14:02:33 +0100"
#define DATE_BR "Wed, 02 Dec 2026 09:40:18 -0300"

static const struct sent_row sent_rows[] = {
	{"syslog: year and offset of the Date header", DATE_BR,
	    "Dec  2 07:14:02 srv01 sshd[2231]: Invalid user admin",
	    "2026-12-02T10:14:02Z"},
	{"syslog of December read in January",
	    "Sat, 02 Jan 2027 10:00:00 +0000", "Dec 31 23:59:58 fw kernel:",
	    "2026-12-31T23:59:58Z"},
	{"syslog without a Date header", NULL, "Dec  2 07:14:02 srv01 sshd",
	    NULL},
	{"day first: the reading before the mail", DATE_PL,
	    "Rilevato il: 01/12/2026 07:30:12 UTC", "2026-12-01T07:30:12Z"},
	{"month first: the reading before the mail",
	    "Fri, 11 Dec 2026 10:00:00 -0500", "seen 12/10/2026 08:00 EST",
	    "2026-12-10T13:00:00Z"},
	{"both readings after the mail", "Fri, 02 Jan 2026 10:00:00 +0100",
	    "11/12/2026 10:00", NULL},
	{"day first without zone: the sender's offset", DATE_PL,
	    "03/12/2026 22:14  192.0.2.236", "2026-12-03T21:14:00Z"},
	{"year first without zone stays UTC", DATE_PL,
	    "2026-12-03 14:41:19 DROP", "2026-12-03T14:41:19Z"},
	{"Polish o godzinie", DATE_PL,
	    "w dniu 2026-12-03 o godzinie 04:12:33 UTC",
	    "2026-12-03T04:12:33Z"},
	{"range: its start, the zone after its end", DATE_PL,
	    "w dniu 2026-12-03 w godzinach 13:05\xe2\x80\x93" "13:40 (CET)",
	    "2026-12-03T12:05:00Z"},
	{"between ... and ...", NULL,
	    "on 2026-12-03 between 02:00 and 03:30 GMT+3",
	    "2026-12-02T23:00:00Z"},
	{"Windows zone", NULL, "2026-12-03 10:00 (UTC+02:00)",
	    "2026-12-03T08:00:00Z"},
	{"MESZ", NULL, "03.07.2026 10:00 MESZ", "2026-07-03T08:00:00Z"},
	{"ora italiana", DATE_PL,
	    "rilevato il 01/12/2026\nalle 10:40 (ora italiana).",
	    "2026-12-01T09:40:00Z"},
	{"Japanese", NULL, "\xe6\x97\xa5\xe6\x99\x82\xef\xbc\x9a" "2026"
	    "\xe5\xb9\xb4" "11\xe6\x9c\x88" "28\xe6\x97\xa5 22\xe6\x99\x82"
	    "10\xe5\x88\x86" "05\xe7\xa7\x92\xef\xbc\x88\xe6\x97\xa5\xe6\x9c"
	    "\xac\xe6\x99\x82\xe9\x96\x93\xef\xbc\x89", "2026-11-28T13:10:05Z"},
	{"Japanese with a weekday and JST", NULL, "2026\xe5\xb9\xb4" "12"
	    "\xe6\x9c\x88" "5\xe6\x97\xa5(\xe5\x9c\x9f) 09:30 JST",
	    "2026-12-05T00:30:00Z"},
	{"a ticket's update is no incident", DATE_PL,
	    "Updated:   2026-12-03 17:58 UTC\n", NULL},
	{"ISO offset is no range", NULL, "2015-05-06 05:00:00-04:00",
	    "2015-05-06T09:00:00Z"},
	{"Date header garbage", "\xff not a date",
	    "Dec  2 07:14:02 srv01", NULL},
};

/* test_sent - free text settled by the Date header */
static void
test_sent(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(sent_rows) / sizeof(sent_rows[0]); i++) {
		const struct sent_row *r = &sent_rows[i];
		char *got = extract_timestamp_sent(r->input, r->date);

		if ((got == NULL) != (r->want == NULL) ||
		    (got && strcmp(got, r->want) != 0)) {
			print_error("%s: got %s, want %s\n", r->label,
			    got ? got : "NULL", r->want ? r->want : "NULL");
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* check_rows - run one function over a table */
static void
check_rows(const struct ts_row *rows, size_t n, char *(*fn)(const char *))
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = fn(rows[i].input);

		if ((got == NULL) != (rows[i].want == NULL) ||
		    (got && strcmp(got, rows[i].want) != 0)) {
			print_error("%s: got %s, want %s\n", rows[i].label,
			    got ? got : "NULL",
			    rows[i].want ? rows[i].want : "NULL");
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* test_normalize - structured values */
static void
test_normalize(void **state)
{
	check_rows(normalize_rows,
	    sizeof(normalize_rows) / sizeof(normalize_rows[0]),
	    timestamp_normalize);
	assert_null(timestamp_normalize(NULL));
}

/* test_extract - free text */
static void
test_extract(void **state)
{
	check_rows(extract_rows,
	    sizeof(extract_rows) / sizeof(extract_rows[0]), extract_timestamp);
	assert_null(extract_timestamp(NULL));
}

/* test_large_text - near misses (a yearless syslog date with no Date
 * header to place it; a bare date) then one stamp: found after 40 of
 * them (about six places to try in each); after 2 MB of them the
 * search has given up (it tries at most TIME_MAX_TRIES places, so a
 * pasted log costs no more than its head) */
static void
test_large_text(void **state)
{
	const char *filler = "May  6 05:00:00 host 2015-05-06 1.2.3.4 x ";
	const char *stamp = "[06/May/2015:05:00:00 +0200]";
	struct buf b;
	char *got;

	buf_init(&b);
	for (int i = 0; i < 40; i++)
		buf_puts(&b, filler);
	buf_puts(&b, stamp);
	got = extract_timestamp(b.s);
	assert_non_null(got);
	assert_string_equal(got, "2015-05-06T03:00:00Z");
	free(got);
	buf_reset(&b);
	while (b.len < 2 * 1024 * 1024)
		buf_puts(&b, filler);
	buf_puts(&b, stamp);
	assert_null(extract_timestamp(b.s));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_sent),
		cmocka_unit_test(test_large_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
