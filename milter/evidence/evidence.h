/*
 * evidence.h - what a complaint says: reported offender addresses, ports,
 * case id, reporter, time, and the fields of any structured report.
 *
 * Structured report parsers (arf.c, xarf.c, acns.c, extract_csv.c) add
 * fields to `fields` with these keys (looked up case-insensitively):
 *
 *   report          "arf", "xarf", "acns", "csv" (one entry per report)
 *   offenders       how many offender addresses were found ("0", "1", ...):
 *                   one entry, always present
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
 *   csv.<Key>       CSV tables attached (also inside .zip/.gz):
 *                   csv.Source (each offender, at most 256), csv.Port,
 *                   csv.Timestamp (the first row's, UTC)
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

/* evidence_reports - run every report parser (ARF, X-ARF, ACNS, CSV)
 * over m, appending their fields; evidence_collect starts with this */
void evidence_reports(const struct parsed_msg *m, struct kvlist *fields);

#endif
