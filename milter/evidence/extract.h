/*
 * extract.h - free-text evidence extraction: offender IP addresses
 * (extract_ip.c) and ports (extract_port.c), the origin of a forwarded
 * message (extract_origin.c), incident timestamps
 * (extract_time.c), case/ticket ids and the complaint's own text without
 * quoted earlier mail (extract_id.c).
 *
 * All functions take NUL-terminated UTF-8 text (invalid bytes tolerated)
 * and never fail: anything they cannot read counts as absent.
 */
#ifndef ABUSE_EXTRACT_H
#define ABUSE_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct parsed_msg;

/* extract_ip.c */

/* extract_ips - append canonical offender IPs found in text, unique, in
 * order of appearance */
void extract_ips(const char *text, struct strvec *offenders);

/* extract_port.c */

/* extract_ports - append unique reported ports (1..65535) to *ports
 * (grown with xrealloc; *ports may start NULL with *nports 0) */
void extract_ports(const char *text, int **ports, size_t *nports);

/* extract_port_append - append port to *ports unless it is there */
void extract_port_append(int **ports, size_t *nports, int port);

/* extract_csv.c */

/* csv_report - the "csv" report of the ev_reports table: for CSV table
 * parts, "report" = "csv" and csv.Source (each offender), csv.Port,
 * csv.Timestamp fields; false when no table names an offender */
bool csv_report(const struct parsed_msg *m, struct kvlist *fields);

/* extract_origin.c */

/* extract_origin - the offender of a forwarded or attached message: the
 * client of the first hop of the Received: chain in text[0..len) that
 * no receiver trusted by the complainant recorded as internal (reporter:
 * the complainant's mail domain, or NULL), else its X-Originating-IP;
 * canonical into canon (csize bytes). *date gets that hop's date as
 * written (malloc'd) or NULL. False when there is none. */
bool extract_origin(const char *text, size_t len, const char *reporter,
    char *canon, size_t csize, char **date);

/* extract_origins - append the origin of each message a complaint
 * forwards (message/rfc822, text/rfc822-headers parts; else the first
 * block of header lines pasted or quoted in its text) to ips, unique;
 * none for an auto-reply, which quotes our own mail. *date gets the
 * first origin's date as written (malloc'd) or NULL. Returns how many
 * addresses were added. */
size_t extract_origins(const struct parsed_msg *m, struct strvec *ips,
    char **date);

/* extract_time.c */

/* extract_timestamp - first incident time in text, as a malloc'd
 * "YYYY-MM-DDTHH:MM:SSZ", or NULL */
char *extract_timestamp(const char *text);

/* extract_timestamp_sent - the same, with the complaint's Date header
 * (NULL: none) to settle what the text leaves open: the year of a
 * syslog stamp, day or month first in "01/12/2026", the offset of a
 * time written without zone (extract_time_sent.c) */
char *extract_timestamp_sent(const char *text, const char *date);

/* timestamp_normalize - one structured date value (ACNS, ARF, X-ARF forms)
 * -> malloc'd "YYYY-MM-DDTHH:MM:SSZ", or NULL */
char *timestamp_normalize(const char *value);

/* extract_id.c */

/* extract_case_id_subject - bare case id from a Subject, or NULL */
char *extract_case_id_subject(const char *subject);

/* extract_case_id_text - bare case id from free text, or NULL */
char *extract_case_id_text(const char *text);

/* extract_own_text - malloc'd copy of text without quoted earlier mail */
char *extract_own_text(const char *text);

#endif
