/*
 * buf.c - growable NUL-terminated string buffer (see include/paceline/buf.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/xalloc.h"

void
pl_buf_reserve(struct pl_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
pl_buf_addn(struct pl_buf *b, const void *p, size_t n)
{
	pl_buf_reserve(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
pl_buf_add(struct pl_buf *b, const char *s)
{
	pl_buf_addn(b, s, strlen(s));
}

void
pl_buf_addc(struct pl_buf *b, char c)
{
	pl_buf_addn(b, &c, 1);
}

void
pl_buf_vaddf(struct pl_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n <= 0) {
		pl_buf_reserve(b, 0);
		b->s[b->len] = '\0';
		return;
	}
	pl_buf_reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
pl_buf_addf(struct pl_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pl_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
pl_buf_truncate(struct pl_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

const char *
pl_buf_str(const struct pl_buf *b)
{
	return b->s != NULL ? b->s : "";
}

char *
pl_buf_steal(struct pl_buf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
pl_buf_free(struct pl_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
