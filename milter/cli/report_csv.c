/*
 * report_csv.c - the report as CSV (RFC 4180): one table of rows
 * "section,key,subkey,count,ours,tor_exit,detail" so that a spreadsheet
 * can filter by section; see report_out.h.
 */
#include "cli/report_out.h"

#include <string.h>
#include <time.h>

/* csv_field - one field, quoted when it holds a comma, quote or line
 * break; a leading = + - @ is prefixed with ' so that a spreadsheet
 * does not run a reporter's text as a formula */
static void
csv_field(FILE *out, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', out);
	if (strchr("=+-@", *s) != NULL && *s != '\0')
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	if (quote)
		fputc('"', out);
	fputs(last ? "\r\n" : ",", out);
}

/* csv_row - seven fields */
static void
csv_row(FILE *out, const char *const f[7])
{
	for (int i = 0; i < 7; i++)
		csv_field(out, f[i] ? f[i] : "", i == 6);
}

/* report_csv_write - see report_out.h */
int
report_csv_write(const struct config *cfg, const struct ledger_report *r,
    const struct report_jobs *j, FILE *out)
{
	static const char *const head[7] = { "section", "key", "subkey",
	    "count", "ours", "tor_exit", "detail" };
	char num[32], when[32];

	csv_row(out, head);
	for (int i = 0; i < REPORT_NTABLES; i++) {
		const struct report_table *t = &r->t[i];

		for (size_t k = 0; k < t->n; k++) {
			const struct report_row *row = &t->v[k];
			bool addr = i == REPORT_TOP_ADDRESSES;
			const char *f[7] = { t->name, row->key[0], row->key[1],
			    num, addr ? report_ours(cfg, row->key[0]) : NULL,
			    addr ? report_tor(cfg, row->key[0]) : NULL, NULL };

			snprintf(num, sizeof(num), "%lld", row->n);
			csv_row(out, f);
		}
	}
	for (size_t k = 0; k < j->n; k++) {
		struct tm tm;
		time_t c = j->v[k].created;
		const char *f[7] = { "waiting_reply", j->v[k].rcpt,
		    j->v[k].category, num, NULL, NULL, when };

		gmtime_r(&c, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(num, sizeof(num), "%u", j->v[k].attempts);
		csv_row(out, f);
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
