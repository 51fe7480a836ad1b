/*
 * inflight.c - the process-wide byte budget of messages in flight.
 *
 * libmilter runs each connection in a thread of its own, so the total
 * is an atomic counter: a compare-and-swap loop charges only when the
 * sum stays within the cap, and no lock is held while mail is read.
 */
#include "protocol/inflight.h"

#include <stdatomic.h>

static atomic_size_t inflight_total;

/* inflight_take - see inflight.h */
bool
inflight_take(size_t n, size_t cap)
{
	size_t now = atomic_load(&inflight_total);

	do {
		if (cap != 0 && (n > cap || now > cap - n))
			return false;
	} while (!atomic_compare_exchange_weak(&inflight_total, &now,
	    now + n));
	return true;
}

/* inflight_give - see inflight.h */
void
inflight_give(size_t n)
{
	atomic_fetch_sub(&inflight_total, n);
}

/* inflight_held - see inflight.h */
size_t
inflight_held(void)
{
	return atomic_load(&inflight_total);
}
