/*
 * fuzz.h - the one entry point every harness defines (libFuzzer's), so the same harness runs
 * under libFuzzer (scripts/fuzz, clang, by hand) and under our own mutation driver
 * (driver.c: any compiler, ctest's bounded smoke run, also under ASan/UBSan).
 *
 * A harness must never exit or print per input; a crash, a sanitizer report or a failed
 * FUZZ_CHECK (an oracle: "what was accepted must also decode", ...) is a finding.
 */
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                          \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

/* Input readers shared by the harnesses that turn bytes into messages: a short string (up to
 * 11 bytes, NULs replaced; at most size - 1) and a big-endian number of up to 4 bytes; each
 * consumes what it reads. */
static inline const char *
fuzz_field(const uint8_t **p, size_t *n, char *buf, size_t size)
{
	size_t k = *n > 0 ? (**p % 12) : 0;

	if (k > *n - (*n > 0 ? 1 : 0))
		k = *n > 0 ? *n - 1 : 0;
	if (*n > 0)
		(*p)++, (*n)--;
	if (k >= size)
		k = size - 1;
	memcpy(buf, *p, k);
	buf[k] = '\0';
	for (size_t i = 0; i < k; i++)
		if (buf[i] == '\0')
			buf[i] = 'x';
	*p += k;
	*n -= k;
	return buf;
}

static inline uint32_t
fuzz_number(const uint8_t **p, size_t *n)
{
	uint32_t v = 0;

	for (int i = 0; i < 4 && *n > 0; i++, (*p)++, (*n)--)
		v = v << 8 | **p;
	return v;
}

#endif
