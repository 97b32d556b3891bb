/*
 * xalloc.h - allocation that never returns NULL: on failure the process logs and aborts.
 * Out of memory is not a condition any daemon can recover from sensibly.
 */
#ifndef PACELINE_XALLOC_H
#define PACELINE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s); /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#define XNEW(type) ((type *)xcalloc(1, sizeof(type)))

#endif
