/*
 * buf.h - a growable string buffer, always NUL-terminated.
 *
 *	struct pl_buf b = PL_BUF_INIT;
 *	pl_buf_addf(&b, "%d nodes", n);
 *	puts(b.s);
 *	pl_buf_free(&b);
 */
#ifndef PACELINE_BUF_H
#define PACELINE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pl_buf {
	char *s; /* "" until something is added; never NULL after the first add */
	size_t len;
	size_t cap;
};

#define PL_BUF_INIT        \
	{                  \
		NULL, 0, 0 \
	}

void pl_buf_add(struct pl_buf *b, const char *s);
void pl_buf_addn(struct pl_buf *b, const void *p, size_t n);
void pl_buf_addc(struct pl_buf *b, char c);
void pl_buf_addf(struct pl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pl_buf_vaddf(struct pl_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void pl_buf_reserve(struct pl_buf *b, size_t extra);
void pl_buf_truncate(struct pl_buf *b, size_t len);
const char *pl_buf_str(const struct pl_buf *b); /* "" for an empty buffer */
char *pl_buf_steal(struct pl_buf *b);		/* caller frees; the buffer is empty again */
void pl_buf_free(struct pl_buf *b);

#endif
