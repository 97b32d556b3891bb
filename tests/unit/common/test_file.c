/* test_file.c - whole-file reads: content and length, empty files, and errors naming the path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"

static void test_read(void **state)
{
	char path[] = "/tmp/pl-filetest-XXXXXX";
	int fd = mkstemp(path);
	struct pl_error err = PL_ERROR_INIT;
	static char big[200000];
	size_t len = 1;
	char *text;

	(void)state;
	assert_true(fd >= 0);
	text = pl_read_file(path, &len, &err);	/* empty file: "" and length 0 */
	assert_non_null(text);
	assert_string_equal(text, "");
	assert_int_equal(len, 0);
	free(text);
	memset(big, 'x', sizeof(big));
	big[100] = '\0';			/* an inner NUL survives, the length says so */
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

static void test_errors(void **state)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_null(pl_read_file("/nonexistent/dir/x.conf", NULL, &err));
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_string_equal(err.text, "/nonexistent/dir/x.conf: cannot open: No such file or directory");
	pl_error_clear(&err);
	assert_null(pl_read_file("/", NULL, &err));	/* a directory opens but cannot be read */
	assert_int_equal(err.code, PL_EXIT_IOERR);
	assert_non_null(strstr(err.text, "/: read error: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
