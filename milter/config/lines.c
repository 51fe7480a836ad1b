/*
 * lines.c - libconfuse's line numbers mapped back to the file's; see
 * lines.h.
 *
 * How much libconfuse overcounts is measured, not assumed: a probe
 * parses two tiny texts (a "#" comment, a block comment, each before an
 * unknown option) and notes the line its error names, once per process
 * and before any real parse (the lexer is one per process: a probe in
 * the middle of a parse would wreck it). A file is then scanned once for
 * its comments, outside double- and single-quoted strings, and the
 * overcount of each comment is added to the lines after it; a number of
 * libconfuse's is the last line whose overcounted number does not pass
 * it.
 */
#include "config/lines.h"

#include <confuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* lines_extra - what libconfuse adds for a line comment and a block
 * comment (probed) */
static int lines_extra_line, lines_extra_block;
static pthread_once_t lines_once = PTHREAD_ONCE_INIT;

/* lines_file - the scanned comments of one file: lex[r] is
 * libconfuse's number of line r (1 .. n) */
struct lines_file {
	char *path;
	int *lex;
	int n;
};

static __thread struct lines_file *lines_files;
static __thread size_t lines_nfiles;

static int lines_probe_line;	/* the probe's error line */

/* lines_probe_err - note the line of the probe's error */
static void
lines_probe_err(cfg_t *cfg, const char *fmt, va_list ap)
{
	lines_probe_line = cfg->line;
}

/* lines_probe_one - how many lines too many libconfuse counts for the
 * unknown option "x" on line 2 of text */
static int
lines_probe_one(const char *text)
{
	cfg_opt_t opts[] = {
		CFG_INT("y", 0, CFGF_NONE),
		CFG_END()
	};
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);

	lines_probe_line = 2;
	cfg_set_error_function(cfg, lines_probe_err);
	(void)cfg_parse_buf(cfg, text);
	cfg_free(cfg);
	return lines_probe_line - 2;
}

/* lines_probe - measure libconfuse's overcount */
static void
lines_probe(void)
{
	lines_extra_line = lines_probe_one("# c\nx = 1\n");
	lines_extra_block = lines_probe_one("/* c */\nx = 1\n");
	if (lines_extra_line < 0 || lines_extra_line > 10)
		lines_extra_line = 0;
	if (lines_extra_block < 0 || lines_extra_block > 10)
		lines_extra_block = 0;
}

/* lines_scan - lex[] of a file's text: walk it once, outside strings,
 * and add each comment's overcount to the lines after it */
static void
lines_scan(struct lines_file *f, const char *s, size_t len)
{
	int line = 1, extra = 0, pending = 0;
	char quote = 0;
	bool block = false;

	f->n = 1;
	for (size_t i = 0; i < len; i++)
		f->n += s[i] == '\n';
	f->lex = xcalloc((size_t)f->n + 2, sizeof(*f->lex));
	f->lex[1] = 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i], next = i + 1 < len ? s[i + 1] : '\0';

		if (c == '\n') {
			extra += pending;
			pending = 0;
			line++;
			f->lex[line] = line + extra;
		} else if (block) {
			if (c == '*' && next == '/') {
				block = false;
				pending += lines_extra_block;
				i++;
			}
		} else if (quote != 0) {
			if (c == '\\' && next != '\n')
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '#' || (c == '/' && next == '/')) {
			pending += lines_extra_line;
			while (i + 1 < len && s[i + 1] != '\n')
				i++;
		} else if (c == '/' && next == '*') {
			block = true;
			i++;
		}
	}
}

/* lines_get - the scan of a file, made on first use; NULL when it
 * cannot be read */
static const struct lines_file *
lines_get(const char *path)
{
	struct lines_file *f;
	size_t len;
	char *text;

	for (size_t i = 0; i < lines_nfiles; i++)
		if (strcmp(lines_files[i].path, path) == 0)
			return lines_files[i].lex != NULL ? &lines_files[i] :
			    NULL;
	lines_files = xrealloc(lines_files, (lines_nfiles + 1) *
	    sizeof(*lines_files));
	f = &lines_files[lines_nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	if ((text = util_read_file(path, &len)) == NULL)
		return NULL;
	lines_scan(f, text, len);
	free(text);
	return f;
}

/* config_lines_real - see lines.h */
int
config_lines_real(const char *file, int lexline)
{
	const struct lines_file *f;
	int lo = 1, hi;

	if (lines_extra_line == 0 && lines_extra_block == 0)
		return lexline;
	if (file == NULL || lexline < 1 || (f = lines_get(file)) == NULL)
		return lexline;
	/* the last line whose number does not pass lexline */
	hi = f->n;
	if (f->lex[hi] <= lexline)
		return hi + (lexline - f->lex[hi]);
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;

		if (f->lex[mid] <= lexline)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* config_lines_reset - see lines.h */
void
config_lines_reset(void)
{
	pthread_once(&lines_once, lines_probe);
	for (size_t i = 0; i < lines_nfiles; i++) {
		free(lines_files[i].path);
		free(lines_files[i].lex);
	}
	free(lines_files);
	lines_files = NULL;
	lines_nfiles = 0;
}
