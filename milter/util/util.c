/*
 * util.c - allocation, growable strings, vectors and key/value lists.
 * See util.h.
 */
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* util_oom - the one place where running out of memory ends the process */
static void
util_oom(void)
{
	static const char msg[] = "abuse-milter: fatal: out of memory\n";

	(void)!write(2, msg, sizeof(msg) - 1);
	abort();
}

/* xmalloc - malloc that never returns NULL (0 bytes: 1) */
void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		util_oom();
	return p;
}

/* xcalloc - zeroed calloc that never returns NULL */
void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		util_oom();
	return p;
}

/* xrealloc - realloc that never returns NULL */
void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		util_oom();
	return q;
}

/* xgrow - see util.h; the first allocation holds 8 elements */
void *
xgrow(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap;

	if (n <= c)
		return p;
	if (c == 0)
		c = 8;
	while (c < n) {
		if (c > SIZE_MAX / 2)
			util_oom();
		c *= 2;
	}
	if (size != 0 && c > SIZE_MAX / size)
		util_oom();
	*cap = c;
	return xrealloc(p, c * size);
}

/* xstrdup - a copy of s */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* xstrndup - a NUL-terminated copy of s[0..n) */
char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* xasprintf - a formatted string of its own */
char *
xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.s;
}

/* buf_init - an empty string */
void
buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

/* buf_free - release the bytes; b is empty and unusable until buf_init */
void
buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* buf_reset - empty the string, keep its memory */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->s[0] = '\0';
}

/* buf_cap_for - the capacity buf_reserve(b, n) leaves: doubled until
 * the n bytes and the terminator fit */
size_t
buf_cap_for(const struct buf *b, size_t n)
{
	size_t cap = b->cap;

	if (n > SIZE_MAX - b->len - 1)
		util_oom();
	while (b->len + n + 1 > cap) {
		if (cap > SIZE_MAX / 2)
			util_oom();
		cap *= 2;
	}
	return cap;
}

/* buf_reserve - make room for n more bytes plus the terminator */
void
buf_reserve(struct buf *b, size_t n)
{
	size_t cap = buf_cap_for(b, n);

	if (cap == b->cap)
		return;
	b->cap = cap;
	b->s = xrealloc(b->s, b->cap);
}

/* buf_append - append n bytes (NULs allowed) */
void
buf_append(struct buf *b, const char *data, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* buf_puts - append a NUL-terminated string */
void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

/* buf_putc - append one byte */
void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

/* buf_vprintf - append formatted text: measure, make room, write */
void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		util_oom();
	buf_reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
}

/* buf_printf - append formatted text */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* buf_steal - hand the bytes to the caller */
char *
buf_steal(struct buf *b)
{
	char *s = b->s;

	/* nothing left to free: a fresh buffer here was a leak waiting
	 * for every caller that returned right after stealing */
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/* strvec_init - an empty vector */
void
strvec_init(struct strvec *sv)
{
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* strvec_free - release every string and the vector */
void
strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	strvec_init(sv);
}

/* strvec_push_owned - append s, which the vector now owns */
void
strvec_push_owned(struct strvec *sv, char *s)
{
	sv->v = xgrow(sv->v, &sv->cap, sv->n + 1, sizeof(*sv->v));
	sv->v[sv->n++] = s;
}

/* strvec_push - append a copy of s */
void
strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_owned(sv, xstrdup(s));
}

/* strvec_contains - s is in the vector, exactly */
bool
strvec_contains(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* strvec_contains_nocase - s is in the vector, any case */
bool
strvec_contains_nocase(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcasecmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* strvec_push_unique - append a copy unless present */
bool
strvec_push_unique(struct strvec *sv, const char *s)
{
	if (strvec_contains(sv, s))
		return false;
	strvec_push(sv, s);
	return true;
}

/* kvlist_init - an empty list */
void
kvlist_init(struct kvlist *kl)
{
	kl->v = NULL;
	kl->n = kl->cap = 0;
}

/* kvlist_free - release every pair and the list */
void
kvlist_free(struct kvlist *kl)
{
	for (size_t i = 0; i < kl->n; i++) {
		free(kl->v[i].key);
		free(kl->v[i].val);
	}
	free(kl->v);
	kvlist_init(kl);
}

/* kvlist_add - append copies of key and val */
void
kvlist_add(struct kvlist *kl, const char *key, const char *val)
{
	kl->v = xgrow(kl->v, &kl->cap, kl->n + 1, sizeof(*kl->v));
	kl->v[kl->n].key = xstrdup(key);
	kl->v[kl->n].val = xstrdup(val);
	kl->n++;
}

/* kvlist_get - the first value whose key matches, any case */
const char *
kvlist_get(const struct kvlist *kl, const char *key)
{
	for (size_t i = 0; i < kl->n; i++)
		if (strcasecmp(kl->v[i].key, key) == 0)
			return kl->v[i].val;
	return NULL;
}

/* str_has_prefix_nocase - s starts with prefix, any case */
bool
str_has_prefix_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* str_has_suffix_nocase - file names: "REPORT.TXT" ends with ".txt" */
bool
str_has_suffix_nocase(const char *s, const char *suffix)
{
	size_t n, k = strlen(suffix);

	if (s == NULL || (n = strlen(s)) < k)
		return false;
	return strcasecmp(s + n - k, suffix) == 0;
}

/* str_in_list - one word against a NULL-terminated list */
bool
str_in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* str_in_list_nocase - one word against a list, ASCII case ignored */
bool
str_in_list_nocase(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(s, *list) == 0)
			return true;
	return false;
}

/* str_trim - s without leading and trailing white space, in place */
char *
str_trim(char *s)
{
	char *end;

	while (*s && isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* str_lower - s in ASCII lower case, in place */
char *
str_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* util_read_file - a whole file into memory; see util.h */
char *
util_read_file(const char *path, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;
	int failed, saved;

	if (fp == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	failed = ferror(fp);
	saved = errno;
	if (fp != stdin)
		fclose(fp);
	if (failed) {
		buf_free(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	*len = b.len;
	return b.s;
}
