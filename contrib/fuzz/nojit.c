/*
 * nojit.c - LD_PRELOAD shim for valgrind runs: pcre2_jit_compile_8()
 * fails with PCRE2_ERROR_JIT_BADOPTION, so classify.c and extract_id.c
 * fall back to the interpreter (they ignore the JIT's failure on
 * purpose) and valgrind no longer reports the JIT's 16-byte SIMD reads
 * past the subject as "Invalid read of size 16" at ???.
 *
 *	cc -shared -fPIC contrib/fuzz/nojit.c -o /tmp/nojit.so
 *	LD_PRELOAD=/tmp/nojit.so valgrind --leak-check=full \
 *	    milter/abuse-milter -c etc/abuse-milter.conf --classify *.eml
 */
#include <stdint.h>

int pcre2_jit_compile_8(void *code, uint32_t options);

int
pcre2_jit_compile_8(void *code, uint32_t options)
{
	(void)code;
	(void)options;
	return -45;	/* PCRE2_ERROR_JIT_BADOPTION */
}
