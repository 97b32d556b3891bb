/*
 * error.c - filling struct pl_error (see include/paceline/error.h).
 * A NULL error pointer is allowed everywhere: the caller does not want the details.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "paceline/error.h"

void
pl_error_set(struct pl_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	e->code = code != 0 ? code : 1;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

void
pl_error_prefix(struct pl_error *e, const char *fmt, ...)
{
	char prefix[512], old[sizeof(e->text)];
	size_t n;
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(old, sizeof(old), "%s", e->text);
	n = strlen(prefix);
	if (n >= sizeof(e->text))
		n = sizeof(e->text) - 1;
	memcpy(e->text, prefix, n);
	memcpy(e->text + n, old, strnlen(old, sizeof(e->text) - 1 - n));
	e->text[n + strnlen(old, sizeof(e->text) - 1 - n)] = '\0';
}

void
pl_error_clear(struct pl_error *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->text[0] = '\0';
}
