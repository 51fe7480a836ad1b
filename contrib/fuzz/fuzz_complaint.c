/*
 * fuzz_complaint.c - libFuzzer harness for the whole analysis pipeline:
 * complaint_analyze() (mime_parse -> evidence_collect -> classify ->
 * reply_policy_decide) on each input, with the shipped configuration
 * loaded once. Run from the source root (the config's relative paths
 * resolve against the working directory); ABUSE_FUZZ_CONF overrides the
 * config path. See README.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint/complaint.h"
#include "config/config.h"

static struct config *fuzz_cfg;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("ABUSE_FUZZ_CONF");
	char err[1024];

	(void)argc;
	(void)argv;
	if (path == NULL)
		path = "etc/abuse-milter.conf";
	if ((fuzz_cfg = config_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_complaint: %s\n", err);
		exit(1);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct complaint c;
	char *ips;

	complaint_analyze(fuzz_cfg, (const char *)data, size, NULL, &c);
	ips = complaint_ips_joined(&c, 200);	/* leaked before 25a4df0 (F1) */
	free(ips);
	complaint_free(&c);
	/* a known envelope sender takes other branches of the reply policy */
	complaint_analyze(fuzz_cfg, (const char *)data, size,
	    "reporter@example.net", &c);
	complaint_free(&c);
	return 0;
}
