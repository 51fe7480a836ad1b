/*
 * rxcheck.c - time every regex of a configuration on hostile text.
 *
 *	cc -O2 contrib/fuzz/rxcheck.c -lpcre2-8 -o rxcheck
 *	./rxcheck etc/abuse-milter.conf [KB [SECONDS]]
 *
 * Each single-quoted pattern after "match =", "body =" or
 * "envelope_from =" is compiled as classify.c compiles it (UTF,
 * MATCH_INVALID_UTF, JIT) and matched against KB kilobytes (default 64)
 * of each of the shapes below. A match that takes more than SECONDS
 * (default 0.2) is printed with its line; the exit status is 1 if any
 * did. Found F4: PCRE2's JIT does not honour the match limit inside a
 * character-class repeat, so a quadratic pattern runs unbounded.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const shapes[] = {
	"1.", "1,", "1", "a", "a ", " ", "\t", "-", "a-", "a.", "1:", "a@",
	"a/", "#1", "[", "<", "> ", "a\n", " \n", "1.2.3.4 ", "ticket # 1 ",
	"re: ", "=?", "\xc3\xa9", "\xff", NULL
};

/* fill - n bytes of the shape repeated */
static char *
fill(const char *shape, size_t n)
{
	char *s = malloc(n + 1);
	size_t k = strlen(shape);

	for (size_t i = 0; i < n; i++)
		s[i] = shape[i % k];
	s[n] = '\0';
	return s;
}

/* pattern_of - the quoted pattern on a config line, or NULL */
static char *
pattern_of(char *line)
{
	static const char *const keys[] = { "match", "body", "envelope_from",
	    NULL };
	char *p, *q, *e;

	for (int i = 0; keys[i]; i++) {
		if ((p = strstr(line, keys[i])) == NULL)
			continue;
		for (q = p + strlen(keys[i]); *q == ' ' || *q == '\t'; q++)
			;
		if (*q++ != '=')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '\'' || (e = strrchr(q + 1, '\'')) == NULL)
			continue;
		*e = '\0';
		return q + 1;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	size_t n = (argc > 2 ? strtoul(argv[2], NULL, 10) : 64) * 1024;
	double limit = argc > 3 ? strtod(argv[3], NULL) : 0.2;
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	char line[65536], **text;
	int ln = 0, slow = 0, nshapes = 0, npat = 0;
	FILE *f;

	if (argc < 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: rxcheck CONF [KB [SECONDS]]\n");
		return 2;
	}
	pcre2_set_match_limit(mc, 1000000);	/* as classify.c */
	pcre2_set_depth_limit(mc, 10000);
	while (shapes[nshapes])
		nshapes++;
	text = calloc((size_t)nshapes, sizeof(*text));
	for (int i = 0; i < nshapes; i++)
		text[i] = fill(shapes[i], n);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *pat;
		pcre2_code *re;
		int err;
		PCRE2_SIZE off;

		ln++;
		if (line[strspn(line, " \t")] == '#' ||
		    (pat = pattern_of(line)) == NULL)
			continue;
		re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		if (re == NULL)
			continue;
		npat++;
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		for (int i = 0; i < nshapes; i++) {
			clock_t t0 = clock();
			double dt;

			pcre2_match(re, (PCRE2_SPTR)text[i], n, 0, 0, md, mc);
			dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
			if (dt > limit) {
				printf("%s:%d: %.2f s on %zu KB of \"%s\": "
				    "%.120s\n", argv[1], ln, dt, n / 1024,
				    shapes[i][0] == '\n' ? "\\n" : shapes[i],
				    pat);
				slow = 1;
			}
		}
		pcre2_code_free(re);
	}
	fclose(f);
	fprintf(stderr, "rxcheck: %d patterns x %d shapes of %zu KB: %s\n",
	    npat, nshapes, n / 1024, slow ? "SLOW ones above" : "all fast");
	return slow;
}
