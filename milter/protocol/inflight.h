/*
 * inflight.h - one budget for the bytes that all messages in flight
 * hold at once (max_inflight), so that many large complaints arriving
 * together cannot take the machine's memory.
 */
#ifndef INFLIGHT_H
#define INFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

/* inflight_take - charge n more bytes to the budget when the total stays
 * within cap (cap 0: no limit); false, and nothing charged, otherwise */
bool inflight_take(size_t n, size_t cap);

/* inflight_give - return n bytes taken before */
void inflight_give(size_t n);

/* inflight_held - the bytes charged now, for logs and tests */
size_t inflight_held(void);

#endif
