/*
 * reply_decide.c - Redis first, the local ledger as fallback and as
 * this host's memory; see reply_decide.h.
 */
#include "ledger/reply_decide.h"



/* decide_mirror - record a reply Redis allowed in the local ledger:
 * only its case is checked there (the limits were Redis's to apply).
 * NULL when recorded, else why it must not be sent now. */
static const char *
decide_mirror(struct ledger *local, const struct ledger_reply *r)
{
	static const struct ledger_limits none = { 0, 0, 0, 0 };
	const char *why = NULL;

	if (ledger_reply_allow(local, r, &none, &why))
		return NULL;
	return why ? why : "state unavailable";
}

/* reply_decide_allow - see reply_decide.h */
bool
reply_decide_allow(struct ledger *local, struct redis_state *rs,
    const struct ledger_reply *r, const struct ledger_limits *lim,
    enum reply_decided *where, const char **reason)
{
	const char *why = NULL;

	*where = DECIDED_NONE;
	switch (rs ? redis_state_reply_allow(rs, r, lim, 0, &why) :
	    REDIS_UNAVAILABLE) {
	case REDIS_REFUSED:
		*reason = why;
		return false;
	case REDIS_ALLOWED:
		if ((why = decide_mirror(local, r)) != NULL) {
			/* answered here while Redis was away, or no local
			 * memory of it: the fleet must not count it */
			redis_state_reply_forget(rs, r);
			*reason = why;
			return false;
		}
		*where = DECIDED_REDIS;
		*reason = NULL;
		return true;
	case REDIS_UNAVAILABLE:
		break;
	}
	if (!ledger_reply_allow(local, r, lim, reason))
		return false;
	*where = DECIDED_LOCAL;
	return true;
}

/* reply_decide_forget - see reply_decide.h */
int
reply_decide_forget(struct ledger *local, struct redis_state *rs,
    const struct ledger_reply *r, enum reply_decided where)
{
	int rc = 0;

	if (where == DECIDED_REDIS && redis_state_reply_forget(rs, r) != 0)
		rc = -1;
	if (where != DECIDED_NONE && ledger_reply_forget(local, r) != 0)
		rc = -1;
	return rc;
}

/* reply_decide_complaint - see reply_decide.h */
int
reply_decide_complaint(struct ledger *local, struct redis_state *rs,
    const struct ledger_complaint *c)
{
	int here = ledger_record_complaint(local, c);
	int there = rs ? redis_state_record_complaint(rs, c) : -1;

	return here == 0 || there == 0 ? 0 : -1;
}
