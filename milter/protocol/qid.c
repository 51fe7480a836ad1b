/*
 * qid.c - a queue id for a message whose MTA sent none, see qid.h.
 */
#include "protocol/qid.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

/* qid_base36 - v in upper-case base 36, appended at *p */
static char *
qid_base36(char *p, unsigned long long v)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char tmp[16];
	size_t n = 0;

	do {
		tmp[n++] = digits[v % 36];
		v /= 36;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* qid_format - see qid.h */
void
qid_format(char out[QID_MAX], time_t t, pid_t pid, unsigned long n)
{
	char *p = out;

	memcpy(p, QID_PREFIX, sizeof(QID_PREFIX) - 1);
	p += sizeof(QID_PREFIX) - 1;
	p = qid_base36(p, (unsigned long long)(t < 0 ? 0 : t));
	*p++ = '.';
	p = qid_base36(p, (unsigned long long)(pid < 0 ? 0 : pid));
	*p++ = '.';
	p = qid_base36(p, n);
	*p = '\0';
}

/* qid_generate - see qid.h; the time is taken once, with the first id,
 * so that the ids of one process differ only in the count */
char *
qid_generate(void)
{
	static atomic_ulong count;
	static _Atomic time_t start;
	unsigned long n = atomic_fetch_add(&count, 1) + 1;
	time_t t = atomic_load(&start), none = 0;
	char out[QID_MAX];

	if (t == 0) {
		t = time(NULL);
		if (!atomic_compare_exchange_strong(&start, &none, t))
			t = none;	/* another thread was first */
	}
	qid_format(out, t, getpid(), n);
	return xstrdup(out);
}
