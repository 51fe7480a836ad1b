/*
 * fuzz_acns.c - libFuzzer harness for acns_parse_xml() (libxml2 and the
 * project's <Infringement> reader).
 */
#include <stdint.h>
#include <stddef.h>

#include "parse/acns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist kl;

	kvlist_init(&kl);
	(void)acns_parse_xml((const char *)data, size, &kl);
	kvlist_free(&kl);
	return 0;
}
