/* test_file.c - whole-file reads: content and length, empty files, and errors naming the path;
 * atomic writes: content, mode, replacement, no temporary left behind, errors naming the path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"

static void
test_read(void **state)
{
	char path[] = "/tmp/pl-filetest-XXXXXX";
	int fd = mkstemp(path);
	struct pl_error err = PL_ERROR_INIT;
	static char big[200000];
	size_t len = 1;
	char *text;

	(void)state;
	assert_true(fd >= 0);
	text = pl_read_file(path, &len, &err); /* empty file: "" and length 0 */
	assert_non_null(text);
	assert_string_equal(text, "");
	assert_int_equal(len, 0);
	free(text);
	memset(big, 'x', sizeof(big));
	big[100] = '\0'; /* an inner NUL survives, the length says so */
	assert_int_equal(write(fd, big, sizeof(big)), sizeof(big));
	close(fd);
	text = pl_read_file(path, &len, &err);
	assert_non_null(text);
	assert_int_equal(len, sizeof(big));
	assert_memory_equal(text, big, sizeof(big));
	assert_int_equal(text[len], '\0');
	free(text);
	unlink(path);
}

static void
test_errors(void **state)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_null(pl_read_file("/nonexistent/dir/x.conf", NULL, &err));
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_string_equal(
	    err.text, "/nonexistent/dir/x.conf: cannot open: No such file or directory");
	pl_error_clear(&err);
	assert_null(pl_read_file("/", NULL, &err)); /* a directory is not read */
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_string_equal(
	    err.text, "/: not a regular file (a FIFO, device or directory is not read)");
}

/* issue 17, defect 8: a FIFO no writer opens must not block the reader; /dev/zero must not
 * feed it forever. Both are refused at once. */
static void
test_not_regular(void **state)
{
	char dir[] = "/tmp/pl-filetest-XXXXXX", fifo[64];
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* a regression blocks here: fail instead of hanging */
	assert_null(pl_read_file(fifo, NULL, &err));
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_non_null(strstr(err.text, "not a regular file"));
	pl_error_clear(&err);
	assert_null(pl_read_file("/dev/zero", NULL, &err));
	assert_non_null(strstr(err.text, "/dev/zero: not a regular file"));
	alarm(0);
	unlink(fifo);
	rmdir(dir);
}

/* A stream is bounded too (standard input from /dev/zero). */
static void
test_stream_bounded(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	FILE *f = fopen("/dev/zero", "r");

	(void)state;
	assert_non_null(f);
	assert_null(pl_read_stream(f, "standard input", NULL, &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_string_equal(err.text, "standard input: input larger than 256 MB refused");
	fclose(f);
}

static unsigned
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
test_write_atomic(void **state)
{
	char dir[] = "/tmp/pl-writetest-XXXXXX";
	struct pl_error err = PL_ERROR_INIT;
	struct stat st;
	char *path, *text, *bad;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = malloc(strlen(dir) + 16);
	sprintf(path, "%s/f", dir);
	assert_int_equal(pl_write_file_atomic(path, "one\n", 4, 0600, 0, &err), 0);
	assert_int_equal(pl_write_file_atomic(path, "two", 3, 0640, 0, &err), 0);
	text = pl_read_file(path, NULL, &err);
	assert_string_equal(text, "two"); /* replaced, not appended */
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(pl_write_file_atomic(path, "", 0, 0400, PL_WRITE_NOSYNC, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(count_entries(dir), 1); /* no temporary file left */

	/* errors name the path, keep the old content */
	bad = malloc(strlen(dir) + 32);
	sprintf(bad, "%s/missing/f", dir);
	assert_int_equal(pl_write_file_atomic(bad, "x", 1, 0600, 0, &err), PL_EXIT_CANTCREAT);
	assert_non_null(strstr(err.text, bad));
	assert_int_equal(pl_write_file_sync(bad, "x", 1, 0600, &err), PL_EXIT_CANTCREAT);
	assert_int_equal(pl_fsync_dir(bad, &err), PL_EXIT_IOERR);
	assert_int_equal(pl_write_file_sync(path, "sync", 4, 0600, &err), 0);
	text = pl_read_file(path, NULL, &err);
	assert_string_equal(text, "sync");
	free(text);
	assert_int_equal(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
	free(bad);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_stream_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
