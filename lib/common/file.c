/*
 * file.c - whole-file and whole-stream reads (see include/paceline/file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"

char *pl_read_stream(FILE *f, const char *name, size_t *len, struct pl_error *err)
{
	struct pl_buf b = PL_BUF_INIT;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		pl_buf_addn(&b, chunk, n);
	if (ferror(f)) {
		pl_error_set(err, PL_EXIT_IOERR, "%s: read error: %s", name, strerror(errno));
		pl_buf_free(&b);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return pl_buf_steal(&b);
}

char *pl_read_file(const char *path, size_t *len, struct pl_error *err)
{
	FILE *f = fopen(path, "r");
	char *text;

	if (f == NULL) {
		pl_error_set(err, PL_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	text = pl_read_stream(f, path, len, err);
	fclose(f);
	return text;
}
