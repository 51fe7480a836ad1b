/*
 * mailsrc.c - read the messages of a file, an mbox, a Maildir or a
 * folder; see mailsrc.h for what each PATH is taken to be.
 *
 * Files are read whole (util_read_file); an mbox is then cut in place
 * and only a message with ">From " lines is copied to undo the quoting.
 *
 *	struct mailsrc_sink s = {on_message, on_unreadable, arg};
 *	mailsrc_read("~/Maildir/.dmca", &s);
 */
#include "cli/mailsrc.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* mailsrc_cmp - strcmp for qsort over char * */
static int
mailsrc_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mailsrc_entries - see mailsrc.h */
int
mailsrc_entries(const char *dir, bool dots, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' || (dots && strcmp(e->d_name, ".") != 0
		    && strcmp(e->d_name, "..") != 0))
			strvec_push(out, e->d_name);
	closedir(d);
	if (out->n > 0)		/* an empty directory: v may be NULL */
		qsort(out->v, out->n, sizeof(*out->v), mailsrc_cmp);
	return 0;
}

/* mailsrc_is_from - does p (at a line start, end bytes on) start a From_
 * line? */
static bool
mailsrc_is_from(const char *p, const char *end)
{
	return end - p >= 5 && memcmp(p, "From ", 5) == 0;
}

/* mailsrc_unquote - the message of an mbox without the ">" of its
 * ">From " lines, into b */
static void
mailsrc_unquote(struct buf *b, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	buf_reset(b);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *eol = nl != NULL ? nl + 1 : end;

		while (q < eol && *q == '>')
			q++;
		if (q > p && mailsrc_is_from(q, eol))
			p++;		/* one ">" less */
		buf_append(b, p, (size_t)(eol - p));
		p = eol;
	}
}

/* mailsrc_mbox_one - hand out the message s[0..n) of an mbox */
static void
mailsrc_mbox_one(const struct mailsrc_sink *s, const char *file, size_t k,
    const char *m, size_t n, struct buf *b)
{
	char *where = xasprintf("%s:%zu", file, k);

	/* the empty line before the next From_ line is the separator's */
	if (n > 0 && m[n - 1] == '\n')
		n--;
	if (n > 0 && m[n - 1] == '\r')
		n--;
	mailsrc_unquote(b, m, n);
	s->message(s->arg, where, b->s, b->len);
	free(where);
}

/* mailsrc_next_from - the next From_ line from p on that comes after
 * an empty line (p starts a line), or end */
static const char *
mailsrc_next_from(const char *p, const char *end)
{
	bool blank = false;	/* the line before p was empty */

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl + 1 : end;

		if (blank && mailsrc_is_from(p, end))
			return p;
		blank = eol - p == 1 || (eol - p == 2 && *p == '\r');
		p = eol;
	}
	return end;
}

/* mailsrc_mbox - split an mbox (raw[0..len), starting "From ") */
static void
mailsrc_mbox(const struct mailsrc_sink *s, const char *file,
    const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len;
	struct buf b;
	size_t k = 0;

	buf_init(&b);
	while (p < end) {
		const char *body = memchr(p, '\n', (size_t)(end - p)), *next;

		body = body != NULL ? body + 1 : end;	/* past the From_ line */
		next = mailsrc_next_from(body, end);
		mailsrc_mbox_one(s, file, ++k, body, (size_t)(next - body), &b);
		p = next;
	}
	buf_free(&b);
}

/* mailsrc_looks_like_mail - does raw start with a header field or a
 * From_ line? (a folder's README or LABELS.tsv does not) */
static bool
mailsrc_looks_like_mail(const char *raw, size_t len)
{
	size_t i = 0;

	if (mailsrc_is_from(raw, raw + len))
		return true;
	/* field-name: printable ASCII but ":" and space, then ":" */
	while (i < len && raw[i] > ' ' && raw[i] < 127 && raw[i] != ':')
		i++;
	return i > 0 && i < len && raw[i] == ':';
}

/* mailsrc_file - one file: an mbox or a message; sniff: only when it
 * looks like mail. 0 or -1 (errno) */
static int
mailsrc_file(const char *path, bool sniff, const struct mailsrc_sink *s)
{
	size_t len = 0;
	char *raw = util_read_file(path, &len);

	if (raw == NULL)
		return -1;
	if (sniff && !mailsrc_looks_like_mail(raw, len))
		;
	else if (mailsrc_is_from(raw, raw + len))
		mailsrc_mbox(s, path, raw, len);
	else
		s->message(s->arg, path, raw, len);
	free(raw);
	return 0;
}

/* mailsrc_in_folder - is name one a folder's messages have for sure?
 * (others are read when they look like mail) */
static bool
mailsrc_in_folder(const char *name)
{
	if (str_has_suffix_nocase(name, ".eml") ||
	    str_has_suffix_nocase(name, ".mbox"))
		return true;
	return name[strspn(name, "0123456789")] == '\0';
}

/* mailsrc_dir - the files of dir (those a folder has, unless all) */
static int
mailsrc_dir(const char *dir, bool all, const struct mailsrc_sink *s)
{
	struct strvec names;
	struct stat st;

	strvec_init(&names);
	if (mailsrc_entries(dir, false, &names) != 0)
		return -1;
	for (size_t i = 0; i < names.n; i++) {
		char *path;

		path = xasprintf("%s/%s", dir, names.v[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (mailsrc_file(path, !all &&
			    !mailsrc_in_folder(names.v[i]), s) != 0)
				s->unreadable(s->arg, path, errno);
		}
		free(path);
	}
	strvec_free(&names);
	return 0;
}

/* mailsrc_is_dir - path/sub is a directory */
static bool
mailsrc_is_dir(const char *path, const char *sub)
{
	char *p = xasprintf("%s/%s", path, sub);
	struct stat st;
	bool yes = stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return yes;
}

/* mailsrc_maildir - cur/ then new/ of a Maildir */
static int
mailsrc_maildir(const char *path, const struct mailsrc_sink *s)
{
	static const char *const subs[] = {"cur", "new"};

	for (size_t i = 0; i < 2; i++) {
		char *sub = xasprintf("%s/%s", path, subs[i]);

		if (mailsrc_is_dir(path, subs[i]) && mailsrc_dir(sub, true, s)
		    != 0)
			s->unreadable(s->arg, sub, errno);
		free(sub);
	}
	return 0;
}

/* mailsrc_read - see mailsrc.h */
int
mailsrc_read(const char *path, const struct mailsrc_sink *s)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return mailsrc_file(path, false, s);
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return mailsrc_file(path, false, s);
	if (mailsrc_is_dir(path, "cur") || mailsrc_is_dir(path, "new"))
		return mailsrc_maildir(path, s);
	return mailsrc_dir(path, false, s);
}
