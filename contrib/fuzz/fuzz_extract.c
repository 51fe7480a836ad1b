/*
 * fuzz_extract.c - libFuzzer harness for the free-text extractors:
 * extract_ips, extract_ports, extract_timestamp, timestamp_normalize,
 * extract_case_id_subject, extract_case_id_text, extract_own_text. They
 * take NUL-terminated text, so the input is copied and terminated (an
 * embedded NUL just ends the text early, as it would in a parsed part).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct strvec ips;
	int *ports = NULL;
	size_t nports = 0;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	strvec_init(&ips);
	extract_ips(text, &ips);
	strvec_free(&ips);
	extract_ports(text, &ports, &nports);
	free(ports);
	free(extract_timestamp(text));
	if (size < 256)
		free(timestamp_normalize(text));
	free(extract_case_id_subject(text));
	free(extract_case_id_text(text));
	free(extract_own_text(text));
	free(text);
	return 0;
}
