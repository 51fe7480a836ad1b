/*
 * evidence.h - what a complaint says: reported offender addresses, ports,
 * case id, reporter, time, and the fields of any structured report.
 *
 * Structured report parsers (arf.c, xarf.c, acns.c) add fields to
 * `fields` with these keys (looked up case-insensitively):
 *
 *   report          "arf", "xarf", "acns" (one entry per report found)
 *   arf.<Field>     RFC 5965 fields as named there: arf.Feedback-Type,
 *                   arf.User-Agent, arf.Version, arf.Source-IP,
 *                   arf.Arrival-Date (also from Received-Date),
 *                   arf.Reported-Domain, arf.Original-Mail-From,
 *                   arf.Original-Rcpt-To, arf.Reported-URI, arf.Incidents
 *   xarf.<Key>      X-ARF 0.1/0.2 keys: xarf.Reported-From, xarf.Category,
 *                   xarf.Report-Type, xarf.Service, xarf.Port, xarf.Date,
 *                   xarf.Source-Type, xarf.Source, xarf.Report-ID,
 *                   xarf.Schema-URL, xarf.Attachment; XARF v3 JSON is
 *                   mapped onto the same keys where they mean the same
 *   acns.<Leaf>     acns.Case-ID, acns.Entity, acns.Email, acns.TimeStamp,
 *                   acns.IP_Address, acns.Port, acns.Type, acns.Protocol,
 *                   acns.Title, acns.FileName, acns.Hash
 *
 * Rules can match any field by key (report_field = "arf.Feedback-Type").
 */
#ifndef ABUSE_EVIDENCE_H
#define ABUSE_EVIDENCE_H

#include <stddef.h>

#include "parse/message.h"
#include "util/util.h"

struct evidence {
	struct strvec ips;	/* reported offenders, canonical, in order found */
	int *ports;		/* reported ports, unique, in order found */
	size_t nports;
	char *case_id;		/* bare id, or NULL */
	char *reporter;		/* reporter's address, or NULL */
	char *timestamp;	/* ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ", or NULL */
	struct kvlist fields;	/* structured report fields, see above */
};

void evidence_init(struct evidence *ev);
void evidence_free(struct evidence *ev);

/* evidence_collect - run the report parsers and the free-text extractors
 * over a parsed message; structured fields win over free text. */
void evidence_collect(const struct parsed_msg *m, struct evidence *ev);

/* evidence_reports - run every report parser (ARF, X-ARF, ACNS) over m,
 * appending their fields; evidence_collect starts with this */
void evidence_reports(const struct parsed_msg *m, struct kvlist *fields);

/* evidence_addr_spec - rfc5322_addr_first (parse/rfc5322.h) under its
 * old name: the bare address of the first mailbox in a header value
 * ("Name <a@b>", "a@b (Name)", "<a@b>", lists), domain lower-cased,
 * malloc'd; NULL when none passes the RFC 5322 addr-spec grammar. New
 * code calls rfc5322_addr_first. */
char *evidence_addr_spec(const char *header_value);

#endif
