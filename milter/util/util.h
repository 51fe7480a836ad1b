/*
 * util.h - allocation that never returns NULL, growable arrays and
 * strings, string vectors, key/value lists and small string tests. Every
 * module uses these instead of fixed buffers for input data (and
 * util/utf8.h to read and write UTF-8).
 *
 * Allocation failure ends the process in one place (util_oom), so callers
 * never test for NULL.
 */
#ifndef ABUSE_UTIL_H
#define ABUSE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* xgrow - the growable array: p (capacity *cap elements of size bytes)
 * with room for at least n elements, moved if need be. The capacity
 * doubles, so n pushes cost O(n). Push one element with
 *	v = xgrow(v, &cap, len + 1, sizeof(*v));
 *	v[len++] = x;
 * p may be NULL with *cap 0. */
void *xgrow(void *p, size_t *cap, size_t n, size_t size);

/* buf - a growable, always NUL-terminated byte string */
struct buf {
	char *s;	/* never NULL after buf_init */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);	/* len = 0, keeps memory */
/* buf_reserve - room for n more bytes (and the NUL) past b->len, for a
 * writer that fills b->s itself (then sets b->len) */
void buf_reserve(struct buf *b, size_t n);
/* buf_cap_for - the capacity b will have after buf_reserve(b, n), to
 * account for memory before it is taken */
size_t buf_cap_for(const struct buf *b, size_t n);
void buf_append(struct buf *b, const char *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* buf_vprintf - buf_printf for a va_list (the caller's va_end) */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
char *buf_steal(struct buf *b);	/* returns s; b then owns nothing (buf_init to reuse) */

/* strvec - a growable vector of owned strings */
struct strvec {
	char **v;
	size_t n;
	size_t cap;
};

void strvec_init(struct strvec *sv);
void strvec_free(struct strvec *sv);
void strvec_push(struct strvec *sv, const char *s);	/* copies */
void strvec_push_owned(struct strvec *sv, char *s);
bool strvec_contains(const struct strvec *sv, const char *s);
bool strvec_contains_nocase(const struct strvec *sv, const char *s);
/* strvec_push_unique - push a copy unless already present; true if added */
bool strvec_push_unique(struct strvec *sv, const char *s);

/* kvlist - ordered list of owned key/value pairs; keys may repeat */
struct kv {
	char *key;
	char *val;
};

struct kvlist {
	struct kv *v;
	size_t n;
	size_t cap;
};

void kvlist_init(struct kvlist *kl);
void kvlist_free(struct kvlist *kl);
void kvlist_add(struct kvlist *kl, const char *key, const char *val);
/* kvlist_get - first value whose key matches case-insensitively, or NULL */
const char *kvlist_get(const struct kvlist *kl, const char *key);

/* util_read_file - a whole file ("-": standard input) into a malloc'd,
 * NUL-terminated buffer; *len gets its length (it may hold NULs). NULL
 * with errno set when it cannot be opened or read. */
char *util_read_file(const char *path, size_t *len);

/* str helpers */
bool str_has_prefix_nocase(const char *s, const char *prefix);
/* str_has_suffix_nocase - s (NULL: false) ends with suffix, any case */
bool str_has_suffix_nocase(const char *s, const char *suffix);
/* str_in_list - s equals a word of the NULL-terminated list */
bool str_in_list(const char *s, const char *const *list);
/* str_in_list_nocase - the same, ASCII case ignored */
bool str_in_list_nocase(const char *s, const char *const *list);
char *str_trim(char *s);	/* trims ASCII white space in place */
char *str_lower(char *s);	/* ASCII lower-case in place */

#endif
