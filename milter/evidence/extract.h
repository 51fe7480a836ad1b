/*
 * extract.h - free-text evidence extraction: offender IP addresses
 * (extract_ip.c) and ports (extract_port.c), incident timestamps
 * (extract_time.c), case/ticket ids and the complaint's own text without
 * quoted earlier mail (extract_id.c).
 *
 * All functions take NUL-terminated UTF-8 text (invalid bytes tolerated)
 * and never fail: anything they cannot read counts as absent.
 */
#ifndef ABUSE_EXTRACT_H
#define ABUSE_EXTRACT_H

#include <stddef.h>

#include "util/util.h"

/* extract_ip.c */

/* extract_ips - append canonical offender IPs found in text, unique, in
 * order of appearance */
void extract_ips(const char *text, struct strvec *offenders);

/* extract_port.c */

/* extract_ports - append unique reported ports (1..65535) to *ports
 * (grown with xrealloc; *ports may start NULL with *nports 0) */
void extract_ports(const char *text, int **ports, size_t *nports);

/* extract_time.c */

/* extract_timestamp - first incident time in text, as a malloc'd
 * "YYYY-MM-DDTHH:MM:SSZ", or NULL */
char *extract_timestamp(const char *text);

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
