/*
 * fuzz_mime.c - libFuzzer harness for mime_parse() alone (GMime and the
 * project's mending, walking and text conversion), with a small and the
 * default max_body.
 */
#include <stdint.h>
#include <stddef.h>

#include "parse/message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed_msg m;

	(void)mime_parse((const char *)data, size, 2u << 20, &m);
	(void)parsed_msg_header(&m, "Subject");
	parsed_msg_free(&m);
	(void)mime_parse((const char *)data, size, 1024, &m);
	parsed_msg_free(&m);
	return 0;
}
