/*
 * learn_cli.c - --learn and --forget; see learn_cli.h.
 *
 * Each message is parsed as the milter parses it (parse/mime.h, the same
 * max_body), its evidence collected and its tokens made
 * (classify/tokens.h); the tokens and the message's digest wait in a
 * batch, and a full batch is written in one transaction. Parsing happens
 * outside the transaction, so the write lock is held only for the
 * writing.
 *
 * With state { backend = "redis" } each message is also learned (or
 * forgotten) in Redis, by one script (ledger/redis_learned.h), and what
 * Redis says is what is counted: Redis is what every MX host's
 * classifier reads. The local tables are kept in step all the same, so
 * a host that cannot reach Redis at a reload still classifies with what
 * it was taught itself. Redis unreachable at the start: nothing is
 * learned (a lesson only this host knew would make the fleet disagree
 * without anyone noticing); failing half way: the batch is rolled back
 * locally and the run stops; learning again is harmless, a message
 * already learned counts once.
 *
 *	rc = learn_cli_run(cfg, "spam", false, paths, n, stdout);
 */
#include "cli/learn_cli.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "classify/tokens.h"
#include "cli/mailsrc.h"
#include "evidence/evidence.h"
#include "ledger/learned.h"
#include "ledger/redis_learned.h"
#include "parse/message.h"

/* learn_item - one parsed message waiting for the write */
struct learn_item {
	char *where;
	char *digest;
	const struct category *cat;	/* --learn: what it is learned as */
	struct strvec tokens;
};

/* learn_tally - what happened to the messages */
struct learn_tally {
	size_t done;		/* learned (or forgotten) */
	size_t moved;		/* of those, learned before as another */
	size_t same;		/* learned before as this: unchanged */
	size_t unknown;		/* --forget: never learned */
	size_t skipped;		/* nothing could be parsed */
	size_t unreadable;	/* files inside folders */
};

/* learn_job - one --learn or --forget run */
struct learn_job {
	const struct config *cfg;
	bool forget;
	const struct category *cat;	/* of the PATH being read */
	struct learned *db;		/* NULL: --forget, nothing learned */
	struct redis_learned *fleet;	/* state { backend = "redis" } */
	bool fleet_failed;		/* the last error was Redis's */
	struct learn_item *items;
	size_t n, cap;
	struct learn_tally t;
	size_t *percat;			/* [i]: learned as rules.cats[i] */
	int rc;
	bool failed;			/* the database failed: stop */
};

/* learn_item_free - one batch entry */
static void
learn_item_free(struct learn_item *it)
{
	free(it->where);
	free(it->digest);
	strvec_free(&it->tokens);
}

/* learn_add_one - --learn one message, locally and in Redis; Redis's
 * outcome when it is there */
static enum learned_outcome
learn_add_one(struct learn_job *j, struct learn_item *it)
{
	enum learned_outcome o = LEARNED_NEW;

	if (j->db != NULL && (o = learned_add(j->db, it->digest,
	    it->cat->name, &it->tokens)) == LEARNED_FAILED)
		return o;
	if (j->fleet != NULL && (o = redis_learned_add(j->fleet, it->digest,
	    it->cat->name, &it->tokens)) == LEARNED_FAILED)
		j->fleet_failed = true;
	return o;
}

/* learn_forget_one - --forget one message, as learn_add_one: 1 done
 * (*had its category), 0 not learned, -1 error */
static int
learn_forget_one(struct learn_job *j, struct learn_item *it, char **had)
{
	int rc = 0;

	if (j->db != NULL && (rc = learned_forget(j->db, it->digest, had)) < 0)
		return rc;
	if (j->fleet == NULL)
		return rc;
	free(*had);
	*had = NULL;
	if ((rc = redis_learned_forget(j->fleet, it->digest, had)) < 0)
		j->fleet_failed = true;
	return rc;
}

/* learn_write_one - one message of the batch; the outcome goes to the
 * batch's tally b; -1 on an error of either store */
static int
learn_write_one(struct learn_job *j, struct learn_item *it,
    struct learn_tally *b, size_t *percat)
{
	char *had = NULL;
	int rc;

	if (!j->forget) {
		switch (learn_add_one(j, it)) {
		case LEARNED_FAILED: return -1;
		case LEARNED_SAME: b->same++; return 0;
		case LEARNED_MOVED: b->moved++; break;
		case LEARNED_NEW: break;
		}
		b->done++;
		percat[it->cat - j->cfg->rules.cats]++;
		return 0;
	}
	if ((rc = learn_forget_one(j, it, &had)) < 0) {
		free(had);
		return -1;
	}
	if (rc == 0)
		b->unknown++;
	else
		b->done++;
	if (rc == 1 && strcmp(had, j->cat->name) != 0)
		fprintf(stderr, "abuse-milter: %s: was learned as %s; "
		    "forgotten\n", it->where, had);
	free(had);
	return 0;
}

/* learn_tally_add - the tally of a committed batch */
static void
learn_tally_add(struct learn_tally *t, const struct learn_tally *b)
{
	t->done += b->done;
	t->moved += b->moved;
	t->same += b->same;
	t->unknown += b->unknown;
}

/* learn_batch - the batch in one local transaction; 0, or -1 after
 * the message on stderr (rolled back) */
static int
learn_batch(struct learn_job *j, struct learn_tally *b, size_t *percat)
{
	size_t i = 0;

	if (j->db == NULL || learned_begin(j->db) == 0)
		for (i = 0; i < j->n; i++)
			if (learn_write_one(j, &j->items[i], b, percat))
				break;
	if (i == j->n && (j->db == NULL || learned_commit(j->db) == 0))
		return 0;
	if (j->fleet_failed)
		fprintf(stderr, "abuse-milter: redis %s: unavailable; stopped, "
		    "this batch not %s here\n", redis_learned_where(j->fleet),
		    j->forget ? "forgotten" : "learned");
	else
		fprintf(stderr, "abuse-milter: %s\n", learned_error(j->db));
	if (j->db != NULL)
		learned_rollback(j->db);
	return -1;
}

/* learn_flush - write the batch */
static void
learn_flush(struct learn_job *j)
{
	size_t ncats = j->cfg->rules.ncats;
	size_t *percat = xcalloc(ncats + 1, sizeof(*percat));
	struct learn_tally b = {0};
	size_t i;

	if (j->db == NULL && j->fleet == NULL) {	/* --forget, nothing
							 * learned yet */
		b.unknown = j->n;
	} else if (!j->failed && j->n > 0 && learn_batch(j, &b, percat) != 0) {
		j->failed = true;
		j->rc = EX_IOERR;
	}
	if (!j->failed) {
		learn_tally_add(&j->t, &b);
		for (i = 0; i < ncats; i++)
			j->percat[i] += percat[i];
	}
	for (i = 0; i < j->n; i++)
		learn_item_free(&j->items[i]);
	j->n = 0;
	free(percat);
}

/* learn_on_message - mailsrc: one message, parsed and tokenised */
static void
learn_on_message(void *arg, const char *where, const char *raw, size_t len)
{
	struct learn_job *j = arg;
	struct learn_item *it;
	struct parsed_msg m;
	struct evidence ev;

	if (j->failed)
		return;
	if (mime_parse_scan(raw, len, j->cfg->max_body, j->cfg->max_scan,
	    &m) != 0) {
		fprintf(stderr, "abuse-milter: %s: no message, skipped\n", where);
		j->t.skipped++;
		parsed_msg_free(&m);
		return;
	}
	j->items = xgrow(j->items, &j->cap, j->n + 1, sizeof(*j->items));
	it = &j->items[j->n++];
	it->where = xstrdup(where);
	it->cat = j->cat;
	it->digest = tokens_digest(&m);
	evidence_init(&ev);
	evidence_collect(&m, &ev);
	strvec_init(&it->tokens);
	tokens_of(&m, &ev, NULL, &it->tokens);
	evidence_free(&ev);
	parsed_msg_free(&m);
	if (j->n >= LEARN_CLI_BATCH)
		learn_flush(j);
}

/* learn_on_unreadable - mailsrc: a file inside a folder */
static void
learn_on_unreadable(void *arg, const char *where, int err)
{
	struct learn_job *j = arg;

	fprintf(stderr, "abuse-milter: %s: %s\n", where, strerror(err));
	j->t.unreadable++;
}

/* learn_path - every message of one PATH as category cat */
static void
learn_path(struct learn_job *j, const char *path, const struct category *cat)
{
	struct mailsrc_sink s = {learn_on_message, learn_on_unreadable, j};

	j->cat = cat;
	if (mailsrc_read(path, &s) != 0) {
		fprintf(stderr, "abuse-milter: %s: %s\n", path, strerror(errno));
		if (j->rc == 0)
			j->rc = EX_NOINPUT;
	}
	learn_flush(j);		/* the next PATH may be another category */
}

/* learn_cli_dir_category - see learn_cli.h */
const struct category *
learn_cli_dir_category(const struct config *cfg, const char *name)
{
	char *n = xstrdup(name[0] == '.' ? name + 1 : name), *dot;
	const struct category *found = NULL;
	size_t len = strlen(n);

	if (len > 5 && strcasecmp(n + len - 5, ".mbox") == 0)
		n[len - 5] = '\0';
	for (int pass = 0; pass < 2 && found == NULL; pass++) {
		const char *want = n;

		if (pass == 1) {
			if ((dot = strrchr(n, '.')) == NULL)
				break;
			want = dot + 1;
		}
		for (size_t i = 0; i < cfg->rules.ncats && found == NULL; i++)
			if (strcasecmp(cfg->rules.cats[i].name, want) == 0)
				found = &cfg->rules.cats[i];
	}
	free(n);
	return found;
}

/* learn_dirs - auto-dirs: each entry of dir as the category it names */
static void
learn_dirs(struct learn_job *j, const char *dir)
{
	static const char *const maildir_own[] = {"cur", "new", "tmp", NULL};
	struct strvec names;

	strvec_init(&names);
	/* Maildir++ folders start with "."; the root's own cur, new and
	 * tmp are no category */
	if (mailsrc_entries(dir, true, &names) != 0) {
		fprintf(stderr, "abuse-milter: %s: %s\n", dir, strerror(errno));
		if (j->rc == 0)
			j->rc = EX_NOINPUT;
	}
	for (size_t i = 0; i < names.n && !j->failed; i++) {
		const struct category *c = learn_cli_dir_category(j->cfg,
		    names.v[i]);
		char *path = xasprintf("%s/%s", dir, names.v[i]);

		if (c == NULL && str_in_list(names.v[i], maildir_own))
			;
		else if (c != NULL)
			learn_path(j, path, c);
		else
			fprintf(stderr, "abuse-milter: %s: no category of that "
			    "name, skipped\n", path);
		free(path);
	}
	strvec_free(&names);
}

/* learn_give - as root, give what this run created (state_db and its
 * directory) to the configured user, as the daemon does with the
 * directories it makes: the milter must be able to open it */
static void
learn_give(const struct config *cfg, bool dir_existed, bool file_existed)
{
	struct passwd *pw;
	struct group *gr;
	char *copy;
	gid_t gid;

	if (geteuid() != 0 || cfg->user == NULL ||
	    (pw = getpwnam(cfg->user)) == NULL)
		return;
	gid = pw->pw_gid;
	if (cfg->group != NULL && (gr = getgrnam(cfg->group)) != NULL)
		gid = gr->gr_gid;
	copy = xstrdup(cfg->state_db);
	if (!dir_existed && chown(dirname(copy), pw->pw_uid, gid) != 0)
		fprintf(stderr, "abuse-milter: cannot chown %s: %s\n", copy,
		    strerror(errno));
	if (!file_existed && chown(cfg->state_db, pw->pw_uid, gid) != 0)
		fprintf(stderr, "abuse-milter: cannot chown %s: %s\n",
		    cfg->state_db, strerror(errno));
	free(copy);
}

/* learn_exists - does path (or, dir, its directory) exist? */
static bool
learn_exists(const char *path, bool dir)
{
	char *copy = xstrdup(path);
	struct stat st;
	bool yes = stat(dir ? dirname(copy) : path, &st) == 0;

	free(copy);
	return yes;
}

/* learn_summary - the line (and with auto-dirs the lines) on out */
static void
learn_summary(const struct learn_job *j, bool dirs, FILE *out)
{
	const struct learn_tally *t = &j->t;

	fprintf(out, "%s %zu message%s", j->forget ? "forgot" : "learned",
	    t->done, t->done == 1 ? "" : "s");
	if (t->moved)
		fprintf(out, " (%zu moved from another category)", t->moved);
	if (t->same)
		fprintf(out, ", %zu already learned", t->same);
	if (t->unknown)
		fprintf(out, ", %zu not learned", t->unknown);
	if (t->skipped)
		fprintf(out, ", %zu not messages", t->skipped);
	if (t->unreadable)
		fprintf(out, ", %zu unreadable", t->unreadable);
	fputc('\n', out);
	for (size_t i = 0; dirs && i < j->cfg->rules.ncats; i++)
		if (j->percat[i] > 0)
			fprintf(out, "  %s: %zu\n", j->cfg->rules.cats[i].name,
			    j->percat[i]);
}

/* learn_open_fleet - with state { backend = "redis" }, Redis, reachable
 * now; false (j->rc set) when it is not */
static bool
learn_open_fleet(struct learn_job *j)
{
	char err[512];

	if (j->cfg->state.backend != STATE_REDIS)
		return true;
	j->fleet = redis_learned_open(&j->cfg->state.redis);
	if (redis_learned_check(j->fleet, err, sizeof(err)) == 0)
		return true;
	fprintf(stderr, "abuse-milter: %s\nabuse-milter: redis unreachable: "
	    "nothing %s (the other MX hosts would not know)\n", err,
	    j->forget ? "forgotten" : "learned");
	j->rc = EX_UNAVAILABLE;
	return false;
}

/* learn_open - the stores for this run; false (j->rc set) when one
 * cannot be opened. --forget does not create a database. */
static bool
learn_open(struct learn_job *j)
{
	bool dir_existed = learn_exists(j->cfg->state_db, true);
	bool file_existed = learn_exists(j->cfg->state_db, false);
	char err[512];

	if (!learn_open_fleet(j))
		return false;
	if (j->forget && !file_existed)
		return true;
	if ((j->db = learned_open(j->cfg->state_db, err, sizeof(err))) == NULL) {
		fprintf(stderr, "abuse-milter: %s\n", err);
		j->rc = EX_CANTCREAT;
		return false;
	}
	learn_give(j->cfg, dir_existed, file_existed);
	return true;
}

/* learn_cli_run - see learn_cli.h */
int
learn_cli_run(const struct config *cfg, const char *category, bool forget,
    char **paths, int npaths, FILE *out)
{
	const struct category *cat = ruleset_find(&cfg->rules, category);
	bool dirs = cat == NULL && strcmp(category, LEARN_CLI_AUTO_DIRS) == 0;
	struct learn_job j = {.cfg = cfg, .forget = forget};

	if (cat == NULL && !dirs) {
		fprintf(stderr, "abuse-milter: %s: no such category in %s\n",
		    category, cfg->path);
		return EX_USAGE;
	}
	if (npaths < 1) {
		fprintf(stderr, "abuse-milter: --%s %s: which messages? "
		    "(FILE, mbox, Maildir or folder)\n", forget ? "forget" :
		    "learn", category);
		return EX_USAGE;
	}
	if (!learn_open(&j)) {
		redis_learned_close(j.fleet);
		return j.rc;
	}
	j.percat = xcalloc(cfg->rules.ncats + 1, sizeof(*j.percat));
	for (int i = 0; i < npaths && !j.failed; i++) {
		if (dirs)
			learn_dirs(&j, paths[i]);
		else
			learn_path(&j, paths[i], cat);
	}
	learned_close(j.db);
	redis_learned_close(j.fleet);
	learn_summary(&j, dirs, out);
	free(j.percat);
	free(j.items);
	return j.rc;
}
