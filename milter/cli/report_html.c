/*
 * report_html.c - the report as one self-contained web page: a stacked
 * bar chart of complaints per day and category in inline SVG, then the
 * tables. No script and no external file: the page opens from a mail
 * attachment or a file share, offline. See report_out.h.
 */
#include "cli/report_out.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

/* one colour per category, in the order of the per-category table */
static const char *const html_colours[] = { "#1f77b4", "#ff7f0e",
    "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f" };
#define NCOLOURS (sizeof(html_colours) / sizeof(html_colours[0]))

#define CHART_W	760
#define CHART_H	220
#define CHART_PAD 40

/* html_text - s with <, >, &, " and ' escaped */
static void
html_text(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
}

/* html_colour - the colour of category name */
static const char *
html_colour(const struct ledger_report *r, const char *name)
{
	const struct report_table *c = &r->t[REPORT_PER_CATEGORY];

	for (size_t i = 0; i < c->n && i < NCOLOURS; i++)
		if (strcmp(c->v[i].key[0], name) == 0)
			return html_colours[i];
	return "#cccccc";
}

/* html_day_totals - the distinct days of the per-day table (in order)
 * and each day's total; returns the largest total */
static long long
html_day_totals(const struct report_table *t, struct strvec *days,
    long long **totals)
{
	long long max = 0;

	*totals = xcalloc(t->n + 1, sizeof(**totals));
	for (size_t i = 0; i < t->n; i++) {
		if (days->n == 0 || strcmp(days->v[days->n - 1], t->v[i].key[0]))
			strvec_push(days, t->v[i].key[0]);
		(*totals)[days->n - 1] += t->v[i].n;
		if ((*totals)[days->n - 1] > max)
			max = (*totals)[days->n - 1];
	}
	return max;
}

/* html_chart - the stacked bars; each bar segment has a tooltip */
static void
html_chart(FILE *out, const struct ledger_report *r)
{
	const struct report_table *t = &r->t[REPORT_PER_DAY];
	struct strvec days;
	long long *totals, max, *done;
	double bw, scale;
	size_t d = 0;

	strvec_init(&days);
	max = html_day_totals(t, &days, &totals);
	fprintf(out, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "\n<title>Complaints per day and category</title>\n",
	    CHART_W, CHART_H + CHART_PAD, CHART_W, CHART_H + CHART_PAD);
	if (days.n == 0) {
		fprintf(out, "<text x=\"10\" y=\"30\">no complaints</text>"
		    "</svg>\n");
		strvec_free(&days);
		free(totals);
		return;
	}
	bw = (double)(CHART_W - CHART_PAD) / (double)days.n;
	scale = (double)(CHART_H - 10) / (double)max;
	done = xcalloc(days.n, sizeof(*done));
	for (size_t i = 0; i < t->n; i++) {
		double h = (double)t->v[i].n * scale, y;

		while (strcmp(days.v[d], t->v[i].key[0]) != 0)
			d++;
		y = CHART_H - (double)done[d] * scale - h;
		done[d] += t->v[i].n;
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"><title>", CHART_PAD + d * bw,
		    y, bw > 3 ? bw * 0.8 : bw, h,
		    html_colour(r, t->v[i].key[1]));
		html_text(out, t->v[i].key[0]);
		fputc(' ', out);
		html_text(out, t->v[i].key[1]);
		fprintf(out, ": %lld</title></rect>\n", t->v[i].n);
	}
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#444\"/>\n<text x=\"2\" y=\"16\">%lld</text>\n"
	    "<text x=\"2\" y=\"%d\">0</text>\n", CHART_PAD, CHART_H, CHART_W,
	    CHART_H, max, CHART_H);
	fprintf(out, "<text x=\"%d\" y=\"%d\">", CHART_PAD, CHART_H + 20);
	html_text(out, days.v[0]);
	fprintf(out, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
	    CHART_W, CHART_H + 20);
	html_text(out, days.v[days.n - 1]);
	fputs("</text>\n</svg>\n", out);
	free(done);
	free(totals);
	strvec_free(&days);
}

/* html_legend - a coloured mark and the name of each category */
static void
html_legend(FILE *out, const struct ledger_report *r)
{
	const struct report_table *c = &r->t[REPORT_PER_CATEGORY];

	fputs("<p class=\"legend\">", out);
	for (size_t i = 0; i < c->n; i++) {
		fprintf(out, "<span><i style=\"background:%s\"></i>",
		    html_colour(r, c->v[i].key[0]));
		html_text(out, c->v[i].key[0]);
		fprintf(out, " %lld</span> ", c->v[i].n);
	}
	fputs("</p>\n", out);
}

/* html_table - one table of the ledger report; addresses get the ours
 * and Tor exit columns */
static void
html_table(FILE *out, const struct config *cfg,
    const struct report_table *t, const char *what, bool addresses)
{
	fputs("<h2>", out);
	html_text(out, t->title);
	fputs("</h2>\n", out);
	if (t->n == 0) {
		fprintf(out, "<p class=\"empty\">%s</p>\n", t->empty);
		return;
	}
	fprintf(out, "<table><tr><th>count</th><th>%s</th>%s</tr>\n", what,
	    addresses ? "<th>ours</th><th>Tor exit</th>" : "");
	for (size_t i = 0; i < t->n; i++) {
		fprintf(out, "<tr><td class=\"n\">%lld</td>", t->v[i].n);
		for (int k = 0; k < t->nkeys; k++) {
			fputs("<td>", out);
			html_text(out, t->v[i].key[k]);
			fputs("</td>", out);
		}
		if (addresses)
			fprintf(out, "<td>%s</td><td>%s</td>",
			    report_ours(cfg, t->v[i].key[0]),
			    report_tor(cfg, t->v[i].key[0]));
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* html_replies - sent against suppressed, then the table by reason */
static void
html_replies(FILE *out, const struct ledger_report *r)
{
	const struct report_table *t = &r->t[REPORT_REPLIES];
	long long sent = 0, suppressed = 0, other = 0;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key[0], "queued") == 0)
			sent += t->v[i].n;
		else if (strncmp(t->v[i].key[0], "suppressed", 10) == 0)
			suppressed += t->v[i].n;
		else
			other += t->v[i].n;
	fprintf(out, "<p class=\"sum\">replies sent: <b>%lld</b>, "
	    "suppressed: <b>%lld</b>, other (deferred, not recorded): "
	    "<b>%lld</b></p>\n", sent, suppressed, other);
}

/* html_jobs - the oldest replies still waiting */
static void
html_jobs(FILE *out, const struct report_jobs *j)
{
	time_t now = time(NULL);

	fputs("<h2>Oldest replies waiting</h2>\n", out);
	if (j->unreadable) {
		fputs("<p class=\"empty\">the spool could not be read</p>\n",
		    out);
		return;
	}
	fprintf(out, "<p>%zu waiting in all.</p>\n", j->waiting);
	if (j->n == 0)
		return;
	fputs("<table><tr><th>queued (UTC)</th><th>age</th><th>attempts</th>"
	    "<th>to</th><th>category</th><th>queue id</th></tr>\n", out);
	for (size_t i = 0; i < j->n; i++) {
		char when[32];
		struct tm tm;
		time_t c = j->v[i].created;

		gmtime_r(&c, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		fprintf(out, "<tr><td>%s</td><td class=\"n\">%.1f h</td>"
		    "<td class=\"n\">%u</td><td>", when,
		    (double)(now - c) / 3600.0, j->v[i].attempts);
		html_text(out, j->v[i].rcpt);
		fputs("</td><td>", out);
		html_text(out, j->v[i].category);
		fputs("</td><td>", out);
		html_text(out, j->v[i].qid);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static const char html_style[] =
	"body{font:14px/1.4 sans-serif;margin:2em;color:#222;max-width:60em}"
	"h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}"
	"table{border-collapse:collapse}td,th{padding:.2em .7em;"
	"border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
	".legend span{margin-right:1em;white-space:nowrap}.legend i{display:inline-block;"
	"width:.8em;height:.8em;margin-right:.3em}.meta,.empty{color:#666}"
	"svg text{font:11px sans-serif;fill:#444}";

/* report_html_write - see report_out.h */
int
report_html_write(const struct config *cfg, const char *db_path,
    const struct ledger_report *r, const struct report_jobs *j, FILE *out)
{
	char period[96], made[32];
	time_t now = time(NULL);
	struct tm tm;

	ledger_report_period(r, period, sizeof(period));
	gmtime_r(&now, &tm);
	strftime(made, sizeof(made), "%Y-%m-%d %H:%M UTC", &tm);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>abuse-milter report</title>"
	    "<style>%s</style></head><body>\n<h1>abuse-milter report</h1>\n"
	    "<p class=\"meta\">ledger ", html_style);
	html_text(out, db_path);
	fprintf(out, " &middot; %s &middot; made %s &middot; "
	    "<b>%lld</b> complaints</p>\n<h2>Complaints per day</h2>\n",
	    period, made, r->complaints);
	html_chart(out, r);
	html_legend(out, r);
	html_table(out, cfg, &r->t[REPORT_PER_CATEGORY], "category", false);
	html_table(out, cfg, &r->t[REPORT_REPLIES], "what became of the reply",
	    false);
	html_replies(out, r);
	html_table(out, cfg, &r->t[REPORT_TOP_ADDRESSES], "address", true);
	html_table(out, cfg, &r->t[REPORT_TOP_REPORTERS], "reporter", false);
	html_jobs(out, j);
	fputs("</body></html>\n", out);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
