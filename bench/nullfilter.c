/*
 * nullfilter - the reference filter of the Postfix benchmark: registers
 * every callback and does nothing (SMFIS_CONTINUE everywhere), so that
 * "abuse-milter vs a filter that costs nothing but the protocol" is
 * measured on the same machine in the same run.
 *
 *   cc -O2 -o nullfilter nullfilter.c -lmilter -lpthread
 *   nullfilter SOCKET        (unix:/path or inet:PORT@HOST)
 */
#include <libmilter/mfapi.h>
#include <stdio.h>
#include <stdlib.h>

static sfsistat
nf_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	(void)ctx; (void)host; (void)sa;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_helo(SMFICTX *ctx, char *helo)
{
	(void)ctx; (void)helo;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_argv(SMFICTX *ctx, char **argv)
{
	(void)ctx; (void)argv;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx; (void)name; (void)value;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_ctx(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_body(SMFICTX *ctx, unsigned char *b, size_t n)
{
	(void)ctx; (void)b; (void)n;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_unknown(SMFICTX *ctx, const char *cmd)
{
	(void)ctx; (void)cmd;
	return SMFIS_CONTINUE;
}

static sfsistat
nf_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	(void)ctx; (void)f1; (void)f2; (void)f3;
	*pf0 = f0;	/* every action offered */
	*pf1 = 0;	/* no step skipped: every callback runs */
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

int
main(int argc, char **argv)
{
	struct smfiDesc d = {
		"nullfilter", SMFI_VERSION, SMFIF_ADDHDRS | SMFIF_CHGHDRS,
		nf_connect, nf_helo, nf_argv, nf_argv, nf_header, nf_ctx,
		nf_body, nf_ctx, nf_ctx, nf_ctx, nf_unknown, nf_ctx,
		nf_negotiate,
	};

	if (argc != 2) {
		fprintf(stderr, "usage: nullfilter SOCKET\n");
		return 2;
	}
	if (smfi_setconn(argv[1]) == MI_FAILURE ||
	    smfi_register(d) == MI_FAILURE)
		return 1;
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
