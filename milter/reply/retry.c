/*
 * retry.c - the bounded in-memory queue of replies to try again; see
 * retry.h.
 *
 * An array in arrival order: at most REPLY_RETRY_MAX items, so a linear
 * scan for the due one is cheaper than keeping a heap in order, and
 * taking the first due item in arrival order is fair.
 */
#include "reply/retry.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct reply_retry {
	pthread_mutex_t lock;
	struct reply_retry_item **v;
	size_t n, max;
};

/* reply_retry_new - an empty queue for at most max items */
struct reply_retry *
reply_retry_new(size_t max)
{
	struct reply_retry *q = xcalloc(1, sizeof(*q));

	pthread_mutex_init(&q->lock, NULL);
	q->max = max;
	q->v = xcalloc(max > 0 ? max : 1, sizeof(*q->v));
	return q;
}

/* reply_retry_item_free - see retry.h */
void
reply_retry_item_free(struct reply_retry_item *it)
{
	if (it == NULL)
		return;
	free(it->qid);
	free(it->rcpt);
	free(it->rate_key);
	free(it->domain);
	free(it->category);
	free(it->reporter);
	free(it->case_id);
	free(it->msg);
	free(it);
}

/* reply_retry_free - see retry.h */
void
reply_retry_free(struct reply_retry *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n; i++)
		reply_retry_item_free(q->v[i]);
	free(q->v);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* reply_retry_add - append when there is room; call locked */
static bool
reply_retry_add(struct reply_retry *q, struct reply_retry_item *it)
{
	if (q->n >= q->max)
		return false;
	q->v[q->n++] = it;
	return true;
}

/* reply_retry_push - see retry.h */
bool
reply_retry_push(struct reply_retry *q, struct reply_retry_item *it,
    time_t now)
{
	bool ok;

	if (it->first == 0)
		it->first = now;
	it->attempts = 1;
	it->next_try = now + REPLY_RETRY_FIRST;
	pthread_mutex_lock(&q->lock);
	ok = reply_retry_add(q, it);
	pthread_mutex_unlock(&q->lock);
	return ok;
}

/* reply_retry_remove - the first item (in arrival order) that is due,
 * or any when all is true, out of the queue; NULL when none */
static struct reply_retry_item *
reply_retry_remove(struct reply_retry *q, time_t now, bool all)
{
	struct reply_retry_item *it = NULL;

	pthread_mutex_lock(&q->lock);
	for (size_t i = 0; i < q->n; i++) {
		if (!all && q->v[i]->next_try > now)
			continue;
		it = q->v[i];
		memmove(q->v + i, q->v + i + 1, (q->n - i - 1) * sizeof(*q->v));
		q->n--;
		break;
	}
	pthread_mutex_unlock(&q->lock);
	return it;
}

/* reply_retry_take - see retry.h */
struct reply_retry_item *
reply_retry_take(struct reply_retry *q, time_t now)
{
	return reply_retry_remove(q, now, false);
}

/* reply_retry_pop - see retry.h */
struct reply_retry_item *
reply_retry_pop(struct reply_retry *q)
{
	return reply_retry_remove(q, 0, true);
}

/* reply_retry_back - see retry.h */
bool
reply_retry_back(struct reply_retry *q, struct reply_retry_item *it,
    time_t now)
{
	long wait = REPLY_RETRY_FIRST;
	bool ok;

	if (now - it->first >= REPLY_RETRY_MAX_AGE)
		return false;
	it->attempts++;
	for (unsigned i = 1; i < it->attempts && wait < REPLY_RETRY_BACKOFF_MAX;
	    i++)
		wait *= 2;
	if (wait > REPLY_RETRY_BACKOFF_MAX)
		wait = REPLY_RETRY_BACKOFF_MAX;
	it->next_try = now + wait;
	pthread_mutex_lock(&q->lock);
	ok = reply_retry_add(q, it);
	pthread_mutex_unlock(&q->lock);
	return ok;
}

/* reply_retry_next - see retry.h */
time_t
reply_retry_next(struct reply_retry *q)
{
	time_t next = 0;

	pthread_mutex_lock(&q->lock);
	for (size_t i = 0; i < q->n; i++)
		if (next == 0 || q->v[i]->next_try < next)
			next = q->v[i]->next_try;
	pthread_mutex_unlock(&q->lock);
	return next;
}

/* reply_retry_len - see retry.h */
size_t
reply_retry_len(struct reply_retry *q)
{
	size_t n;

	pthread_mutex_lock(&q->lock);
	n = q->n;
	pthread_mutex_unlock(&q->lock);
	return n;
}
