/*
 * file.c - whole-file and whole-stream reads, atomic writes (see include/paceline/file.h).
 *
 * The one reader of every file a tool or daemon is given: a FIFO would block the reader
 * forever and /dev/zero would feed it without end, so a path must name a regular file
 * (checked on the opened descriptor, opened without blocking) and every read is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"

char *
pl_read_stream(FILE *f, const char *name, size_t *len, struct pl_error *err)
{
	struct pl_buf b = PL_BUF_INIT;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > PL_FILE_MAX_BYTES) {
			pl_error_set(err, PL_EXIT_DATAERR, "%s: input larger than %u MB refused",
			    name, PL_FILE_MAX_BYTES >> 20);
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

char *
pl_read_file(const char *path, size_t *len, struct pl_error *err)
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
		pl_error_set(err, PL_EXIT_NOINPUT,
		    "%s: not a regular file (a FIFO, device or "
		    "directory is not read)",
		    path);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > PL_FILE_MAX_BYTES) {
		pl_error_set(err, PL_EXIT_DATAERR, "%s: %lld bytes, larger than %u MB: refused",
		    path, (long long)st.st_size, PL_FILE_MAX_BYTES >> 20);
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

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write, optionally fsync and close fd; on failure err names path and the step. */
static int
finish_fd(int fd, const char *path, const void *data, size_t len, bool sync, struct pl_error *err)
{
	const char *step = NULL;

	if (write_all(fd, data, len) != 0)
		step = "write failed";
	else if (sync && fsync(fd) != 0)
		step = "fsync failed";
	if (step != NULL) {
		int saved = errno;

		close(fd);
		errno = saved;
	} else if (close(fd) != 0) {
		step = "close failed";
	}
	if (step == NULL)
		return 0;
	pl_error_set(err, PL_EXIT_IOERR, "%s: %s: %s", path, step, strerror(errno));
	return PL_EXIT_IOERR;
}

int
pl_write_file_sync(const char *path, const void *data, size_t len, mode_t mode, struct pl_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0) {
		pl_error_set(err, PL_EXIT_CANTCREAT, "%s: cannot create: %s", path, strerror(errno));
		return PL_EXIT_CANTCREAT;
	}
	int rc = finish_fd(fd, path, data, len, true, err);

	if (rc != 0)
		unlink(path);
	return rc;
}

int
pl_fsync_dir(const char *dir, struct pl_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		pl_error_set(
		    err, PL_EXIT_IOERR, "%s: directory fsync failed: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return PL_EXIT_IOERR;
	}
	close(fd);
	return 0;
}

int
pl_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode, unsigned flags,
    struct pl_error *err)
{
	bool sync = (flags & PL_WRITE_NOSYNC) == 0;
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC), rc;

	if (fd < 0) {
		pl_error_set(err, PL_EXIT_CANTCREAT, "%s: cannot create a temporary file: %s", path,
		    strerror(errno));
		free(tmp);
		return PL_EXIT_CANTCREAT;
	}
	if (fchmod(fd, mode) != 0) {
		pl_error_set(err, PL_EXIT_IOERR, "%s: cannot set mode %o: %s", tmp, (unsigned)mode,
		    strerror(errno));
		close(fd);
		rc = PL_EXIT_IOERR;
	} else {
		rc = finish_fd(fd, tmp, data, len, sync, err);
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		pl_error_set(err, PL_EXIT_IOERR, "%s: rename failed: %s", path, strerror(errno));
		rc = PL_EXIT_IOERR;
	}
	if (rc != 0) {
		unlink(tmp);
	} else if (sync) {
		char *d = xstrdup(path);

		rc = pl_fsync_dir(dirname(d), err);
		free(d);
	}
	free(tmp);
	return rc;
}
