/*
 * file.c - whole-file and whole-stream reads (see include/paceline/file.h).
 *
 * The one reader of every file a tool or daemon is given: a FIFO would block the reader
 * forever and /dev/zero would feed it without end, so a path must name a regular file
 * (checked on the opened descriptor, opened without blocking) and every read is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > PL_FILE_MAX_BYTES) {
			pl_error_set(err, PL_EXIT_DATAERR, "%s: input larger than %u MB refused", name,
				     PL_FILE_MAX_BYTES >> 20);
			pl_buf_free(&b);
			return NULL;
		}
		pl_buf_addn(&b, chunk, n);
	}
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
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	FILE *f;
	char *text;

	if (fd < 0) {
		pl_error_set(err, PL_EXIT_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		pl_error_set(err, PL_EXIT_NOINPUT, "%s: not a regular file (a FIFO, device or "
			     "directory is not read)", path);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > PL_FILE_MAX_BYTES) {
		pl_error_set(err, PL_EXIT_DATAERR, "%s: %lld bytes, larger than %u MB: refused", path,
			     (long long)st.st_size, PL_FILE_MAX_BYTES >> 20);
		close(fd);
		return NULL;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
	    (f = fdopen(fd, "r")) == NULL) {
		pl_error_set(err, PL_EXIT_IOERR, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	text = pl_read_stream(f, path, len, err);
	fclose(f);
	return text;
}
