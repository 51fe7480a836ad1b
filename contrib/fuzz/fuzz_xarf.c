/*
 * fuzz_xarf.c - libFuzzer harness for xarf_parse_json() (json-c, XARF
 * v3/v4) and xarf_parse_text() (libyaml, with the "Key: value" fallback
 * for X-ARF 0.1/0.2 report.txt parts); both get every input.
 */
#include <stdint.h>
#include <stddef.h>

#include "parse/xarf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist kl;

	kvlist_init(&kl);
	(void)xarf_parse_json((const char *)data, size, &kl);
	kvlist_free(&kl);
	kvlist_init(&kl);
	(void)xarf_parse_text((const char *)data, size, &kl);
	kvlist_free(&kl);
	return 0;
}
