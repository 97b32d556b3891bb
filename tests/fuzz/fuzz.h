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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                          \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

#endif
