/*
 * source.c - includes expanded and comments blanked before libconfuse
 * parses the configuration, with a line map back to each file; see
 * source.h for why.
 *
 * The comment scanner follows libconfuse's lexer: `#` outside a quoted
 * string starts a comment; `//` and `/ *` do where a token may start
 * (so "unix://path" or a regex with `//` in quotes stays whole); a
 * double-quoted string knows backslash escapes, a single-quoted one only
 * \' and \\. Its state carries over line ends, as strings and block
 * comments may span lines.
 */
#include "config/source.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum scan_state { SCAN_CODE, SCAN_DQ, SCAN_SQ, SCAN_BLOCK };

struct reader {
	struct config_source *src;
	char *err;
	size_t errlen;
	struct strvec stack;	/* real paths of the files being read */
};

static int source_file(struct reader *rd, const char *path, int from_file,
    int from_line);

/* token_start - may a comment marker begin at line[i]? */
static bool
token_start(const char *line, size_t i)
{
	return i == 0 || strchr(" \t\r={},(", line[i - 1]) != NULL;
}

/* blank_line - copy one line (without its newline) into out with the
 * comments replaced by blanks; *st carries the scanner's state */
static void
blank_line(const char *line, size_t n, enum scan_state *st, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = line[i], d = i + 1 < n ? line[i + 1] : '\0';

		switch (*st) {
		case SCAN_BLOCK:
			if (c == '*' && d == '/') {
				buf_puts(out, "  ");
				i++;
				*st = SCAN_CODE;
			} else
				buf_putc(out, ' ');
			continue;
		case SCAN_DQ:
		case SCAN_SQ:
			buf_putc(out, c);
			if (c == '\\' && d != '\0' &&
			    (*st == SCAN_DQ || d == '\'' || d == '\\')) {
				buf_putc(out, d);
				i++;
			} else if (c == (*st == SCAN_DQ ? '"' : '\''))
				*st = SCAN_CODE;
			continue;
		case SCAN_CODE:
			break;
		}
		if (c == '#' || (c == '/' && d == '/' && token_start(line, i))) {
			for (; i < n; i++)
				buf_putc(out, ' ');
			return;
		}
		if (c == '/' && d == '*' && token_start(line, i)) {
			buf_puts(out, "  ");
			i++;
			*st = SCAN_BLOCK;
			continue;
		}
		if (c == '"')
			*st = SCAN_DQ;
		else if (c == '\'')
			*st = SCAN_SQ;
		buf_putc(out, c);
	}
}

/* include_path - the FILE of a line `include("FILE")` (optionally with
 * a trailing ";" and comment), malloc'd, or NULL for any other line */
static char *
include_path(const char *line, size_t n)
{
	const char *p = line, *end = line + n, *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 7 || strncmp(p, "include", 7) != 0)
		return NULL;
	for (p += 7; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p >= end || *p++ != '(')
		return NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p++ != '"')
		return NULL;
	for (q = p; q < end && *q != '"' && *q != '\\'; q++)
		;
	if (q >= end || *q != '"' || q == p)
		return NULL;
	const char *r = q + 1;
	while (r < end && (*r == ' ' || *r == '\t' || *r == '\r'))
		r++;
	if (r >= end || *r++ != ')')
		return NULL;
	while (r < end && (*r == ' ' || *r == '\t' || *r == '\r' || *r == ';'))
		r++;
	if (r < end && *r != '#' && !(r + 1 < end && r[0] == '/' &&
	    r[1] == '/'))
		return NULL;
	return xstrndup(p, (size_t)(q - p));
}

/* map_line - one more line of text came from file:line */
static void
map_line(struct config_source *src, int file, int line)
{
	if (src->nlines == src->cap) {
		src->cap = src->cap ? 2 * src->cap : 256;
		src->map = xrealloc(src->map, src->cap * sizeof *src->map);
	}
	src->map[src->nlines++] = (struct config_srcline){ file, line };
}

/* source_lines - every line of one file's data, file index fi */
static int
source_lines(struct reader *rd, char *data, size_t len, int fi)
{
	enum scan_state st = SCAN_CODE;
	int lineno = 0;

	for (size_t pos = 0; pos < len;) {
		char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		char *inc = st == SCAN_CODE ? include_path(data + pos, n) : NULL;

		lineno++;
		if (inc != NULL) {
			int rc = source_file(rd, inc, fi, lineno);
			free(inc);
			if (rc < 0)
				return -1;
		} else {
			blank_line(data + pos, n, &st, &rd->src->text);
			buf_putc(&rd->src->text, '\n');
			map_line(rd->src, fi, lineno);
		}
		pos += n + 1;
	}
	return 0;
}

/* source_fail - an error about path, at the include line if any */
static int
source_fail(struct reader *rd, const char *path, int from_file,
    int from_line, const char *why)
{
	if (from_file < 0)
		snprintf(rd->err, rd->errlen, "%s: %s", path, why);
	else
		snprintf(rd->err, rd->errlen, "%s:%d: include \"%s\": %s",
		    rd->src->files.v[from_file], from_line, path, why);
	return -1;
}

/* source_file - read one file (from_file -1: the main file) */
static int
source_file(struct reader *rd, const char *path, int from_file,
    int from_line)
{
	char real[PATH_MAX];
	size_t len;
	char *data;

	if (rd->stack.n >= CONFIG_INCLUDE_DEPTH)
		return source_fail(rd, path, from_file, from_line,
		    "includes nested too deep");
	if (realpath(path, real) == NULL ||
	    (data = util_read_file(path, &len)) == NULL)
		return source_fail(rd, path, from_file, from_line,
		    strerror(errno));
	if (strvec_contains(&rd->stack, real)) {
		free(data);
		return source_fail(rd, path, from_file, from_line,
		    "includes itself");
	}
	strvec_push(&rd->stack, real);
	strvec_push(&rd->src->files, path);
	int rc = source_lines(rd, data, len, (int)rd->src->files.n - 1);
	free(data);
	free(rd->stack.v[--rd->stack.n]);
	return rc;
}

/* config_source_read - see source.h */
int
config_source_read(struct config_source *src, const char *path, char *err,
    size_t errlen)
{
	struct reader rd = { .src = src, .err = err, .errlen = errlen };

	memset(src, 0, sizeof *src);
	buf_init(&src->text);
	strvec_init(&src->files);
	strvec_init(&rd.stack);
	int rc = source_file(&rd, path, -1, 0);
	strvec_free(&rd.stack);
	return rc;
}

/* config_source_where - see source.h */
const char *
config_source_where(const struct config_source *src, int n, int *line)
{
	if (n < 1 || (size_t)n > src->nlines || src->files.n == 0) {
		*line = n;
		return src->files.n ? src->files.v[0] : "";
	}
	*line = src->map[n - 1].line;
	return src->files.v[src->map[n - 1].file];
}

/* config_source_glob - see source.h */
const struct strvec *
config_source_glob(struct config_source *src, const char *pattern)
{
	struct config_glob *g;
	glob_t gl;

	for (size_t i = 0; i < src->nglobs; i++)
		if (strcmp(src->globs[i].pattern, pattern) == 0) {
			g = &src->globs[i];
			return g->names.n > 0 ? &g->names : NULL;
		}
	src->globs = xgrow(src->globs, &src->globcap, src->nglobs + 1,
	    sizeof(*src->globs));
	g = &src->globs[src->nglobs++];
	g->pattern = xstrdup(pattern);
	strvec_init(&g->names);
	if (glob(pattern, 0, NULL, &gl) == 0)
		for (size_t i = 0; i < gl.gl_pathc; i++)
			strvec_push(&g->names, gl.gl_pathv[i]);
	globfree(&gl);
	return g->names.n > 0 ? &g->names : NULL;
}

/* config_source_free - everything; src may be zeroed or half-read */
void
config_source_free(struct config_source *src)
{
	buf_free(&src->text);
	strvec_free(&src->files);
	for (size_t i = 0; i < src->nglobs; i++) {
		free(src->globs[i].pattern);
		strvec_free(&src->globs[i].names);
	}
	free(src->globs);
	free(src->map);
	memset(src, 0, sizeof *src);
}
