/*
 * learned.h - what the desk taught the learner (`--learn`), stored in
 * the ledger's SQLite file (state_db) in tables of its own:
 *
 *	learn_meta(key, value)			"version" = LEARNED_VERSION
 *	learn_categories(id, name, messages)	messages learned per category
 *	learn_tokens(id, token)			every token ever counted
 *	learn_counts(token, category, n)	messages of the category that
 *						have the token (n > 0)
 *	learn_messages(digest, category, time, tokens)
 *						one row per learned message:
 *						its token ids (4 bytes each,
 *						little-endian), so --forget
 *						takes back exactly what was
 *						counted
 *
 * The ledger's own tables and its PRAGMA user_version are left alone;
 * either side creates its tables on first use.
 *
 * Writing (learned.c, for --learn and --forget): a handle, batches inside
 * learned_begin / learned_commit. A message is known by its digest:
 * learning it again under the same category changes nothing, under
 * another one moves it; forgetting takes its counts back.
 *
 * Reading (learned_read.c, for the classifier's snapshot and
 * --learn-stats): never creates or writes anything. No file, or a file
 * without the tables, is "nothing learned". A database in use by a
 * writer (its -wal file is there) is read through SQLite's read-only
 * mode, in one read transaction; otherwise it is opened immutable, which
 * leaves no -wal or -shm file behind.
 *
 * Usage:
 *	struct learned *l = learned_open(cfg->state_db, err, sizeof err);
 *	learned_begin(l);
 *	switch (learned_add(l, digest, "spam", &tokens)) ...
 *	learned_commit(l);
 *	learned_close(l);
 *
 *	struct learned_reader r = {.category = on_cat, .token = on_tok};
 *	rc = learned_read(cfg->state_db, &r, arg, err, sizeof err);
 */
#ifndef ABUSE_LEARNED_H
#define ABUSE_LEARNED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

#define LEARNED_VERSION		1
#define LEARNED_BUSY_MS		5000	/* offline: wait for the milter */

struct learned;

/* learned_open - open (or create, with its directory) the database for
 * writing, with the learner's tables; NULL with a message in err */
struct learned *learned_open(const char *path, char *err, size_t errlen);
void learned_close(struct learned *l);

/* learned_begin, learned_commit, learned_rollback - a write transaction
 * around a batch; 0 or -1 (message in learned_error) */
int learned_begin(struct learned *l);
int learned_commit(struct learned *l);
void learned_rollback(struct learned *l);

/* learned_error - the last error's text */
const char *learned_error(const struct learned *l);

enum learned_outcome {
	LEARNED_NEW,		/* counted */
	LEARNED_SAME,		/* known under this category: unchanged */
	LEARNED_MOVED,		/* known under another one: moved here */
	LEARNED_FAILED,		/* database error (learned_error) */
};

/* learned_add - count one message's tokens (unique, as tokens.h makes
 * them) under category; inside a transaction */
enum learned_outcome learned_add(struct learned *l, const char *digest,
    const char *category, const struct strvec *tokens);

/* learned_forget - take one message back; 1 done (*category, when not
 * NULL, gets the category it had, malloc'd), 0 not learned, -1 error */
int learned_forget(struct learned *l, const char *digest, char **category);

/* learned_reader - what learned_read hands out; either may be NULL */
struct learned_reader {
	/* each category: messages learned, distinct tokens counted */
	void (*category)(void *arg, const char *name, long messages,
	    long tokens);
	/* each count: so many messages of category have token */
	void (*token)(void *arg, const char *token, const char *category,
	    long n);
};

/* learned_read - every category, then (when r->token is set) every
 * count; 0 read, 1 nothing learned (no file, no tables), -1 error with
 * a message in err */
int learned_read(const char *path, const struct learned_reader *r,
    void *arg, char *err, size_t errlen);

#endif
