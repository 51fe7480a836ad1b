/*
 * fuzz_archive.c - libFuzzer harness for the readers of attachments
 * and forwarded headers: archive_expand() (zip and gzip through
 * libarchive, with the member, size and ratio limits), rcvd_chain_read()
 * and extract_origin() (the Received: chain), and
 * extract_timestamp_sent() with the input's first line as Date header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/extract.h"
#include "evidence/ipaddr.h"
#include "parse/archive.h"
#include "parse/received.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arch_member *mem;
	struct rcvd_chain ch;
	char ip[IP_CANON_MAX], *date, *text, *nl;
	bool damaged;
	size_t n;

	n = archive_expand((const char *)data, size, "f.zip", &mem, &damaged);
	archive_members_free(mem, n);
	rcvd_chain_init(&ch);
	rcvd_chain_read((const char *)data, size, &ch);
	rcvd_chain_free(&ch);
	if (extract_origin((const char *)data, size, "example.org", ip,
	    sizeof(ip), &date))
		free(date);
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl != NULL) {
		*nl = '\0';
		free(extract_timestamp_sent(nl + 1, text));
	}
	free(text);
	return 0;
}
