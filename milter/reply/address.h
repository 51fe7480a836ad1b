/*
 * address.h - what kind of address a reply would go to, as pure
 * functions of the bare address (no configuration, no state):
 * robots, lists and addresses no one outside reads; the organisation
 * an address belongs to; and the key the stored reply limits count by.
 * policy.c asks the first two, reply_queue.c the last two.
 *
 * Usage:
 *	const char *why = reply_addr_robot(addr, false);
 *	if (why != NULL) ... "suppressed: <why>" ...
 *	if (reply_addr_same_org(reply_to, from)) ...
 *	char *key = reply_addr_rate_key(rcpt, "+");	("Victim+1@X" -> "victim@x")
 *	char *org = reply_addr_org_domain(rcpt);	("a@mx.b.example" -> "b.example")
 *
 * Addresses are bare addr-specs as rfc5322_addr_extract returns them
 * (the domain lower-cased, the local part as written).
 *
 * Reasons of reply_addr_robot (static strings):
 *	"mailer-daemon"   the local part is MAILER-DAEMON
 *	"postmaster"      the local part is postmaster (RFC 5321 role that
 *	                  receives delivery reports)
 *	"list address"    a list or its manager: owner-*, *-request,
 *	                  *-return-*, listserv, majordomo,
 *	                  listproc, mailman, sympa; *-bounces too, but not
 *	                  on an envelope sender (feedback loops sign so;
 *	                  reply_addr_mailman_pair catches a list there)
 *	"bounce address"  bounce, bounces, bounce-*, bounces-*, ... (VERP
 *	                  return paths); not tested on an envelope sender,
 *	                  where it is how every bulk sender signs
 *	"routed address"  '%', '!' or '@' in the local part: a source route
 *	                  that relays through whoever answers it
 *	"address literal" the domain is [an IP address]
 *	"local address"   the domain has no dot, or is localhost or under
 *	                  localhost, localdomain, local, internal, lan,
 *	                  home.arpa, invalid, test
 * The local part is compared without case and without a "+detail".
 *
 * The organisational domain is a heuristic without the Public Suffix
 * List: the last two labels of the domain, or the last three when the
 * top-level label has two letters and the second one is a common
 * second-level label such as co, com, ac, gov, org, net ("x.co.uk",
 * "x.com.au"). A domain literal is its own organisation.
 */
#ifndef ABUSE_REPLY_ADDRESS_H
#define ABUSE_REPLY_ADDRESS_H

#include <stdbool.h>

/* reply_addr_robot - NULL for an address a person may read, else why
 * not; envelope: the address is an envelope sender (bounce addresses
 * are not a reason there) */
const char *reply_addr_robot(const char *addr, bool envelope);

/* reply_addr_org_domain - the organisational domain of an address (or
 * of a bare domain), lower-cased, malloc'd; NULL for NULL or an empty
 * domain */
char *reply_addr_org_domain(const char *addr);

/* reply_addr_same_org - do the domains of a and b (addresses or bare
 * domains) match exactly or by organisational domain? false when
 * either is NULL */
bool reply_addr_same_org(const char *a, const char *b);

/* reply_addr_mailman_pair - is envfrom "NAME-bounces@D" (or with a
 * +detail) and addr "NAME@D", the envelope and Reply-To a Mailman list
 * gives its posts? */
bool reply_addr_mailman_pair(const char *envfrom, const char *addr);

/* reply_addr_rate_key - the key the stored limits count a recipient
 * by: lower-cased, without angle brackets, and the local part cut at
 * the first character of separators that is not its first ("+" by
 * default: "Victim+1@X" -> "victim@x"; with "+-" also "victim-1@x" ->
 * "victim@x"). A quoted local part is left whole. malloc'd; NULL for
 * NULL. */
char *reply_addr_rate_key(const char *addr, const char *separators);

#endif
