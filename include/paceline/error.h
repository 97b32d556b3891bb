/*
 * error.h - a recoverable error: a Pacemaker exit code plus one human sentence that says what
 * was wrong and where ("paceline.conf:12: unterminated section 'totem' (opened at line 3)").
 *
 * The function that detects an error fills it (the location is part of the text); callers
 * pass it up unchanged and the outermost one prints or logs it once.
 */
#ifndef PACELINE_ERROR_H
#define PACELINE_ERROR_H

#include <stdbool.h>

struct pl_error {
	int code; /* a PL_EXIT_* code (include/paceline/exitcode.h); 0 = no error */
	char text[1024];
};

#define PL_ERROR_INIT \
	{             \
		0, "" \
	}

void pl_error_set(struct pl_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix the existing text with a location or context: "FILE: " + text. */
void pl_error_prefix(struct pl_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_error_clear(struct pl_error *e);
static inline bool
pl_error_isset(const struct pl_error *e)
{
	return e != NULL && e->code != 0;
}

#endif
