/* test_log.c - logging: role tag, levels, debug switch, trace categories, file sink. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/log.h"

static char last[512];
static int lines;

static void
hook(enum pl_log_level level, const char *line, void *arg)
{
	(void)arg;
	(void)level;
	snprintf(last, sizeof(last), "%s", line);
	lines++;
}

static int
setup(void **state)
{
	(void)state;
	log_init("testrole");
	log_set_stderr(false);
	log_set_level(PL_LOG_INFO);
	log_set_hook(hook, NULL);
	lines = 0;
	last[0] = '\0';
	return 0;
}

static void
test_levels(void **state)
{
	(void)state;
	log_debug("hidden %d", 1);
	assert_int_equal(lines, 0);
	log_info("shown %d", 2);
	assert_int_equal(lines, 1);
	assert_string_equal(last, "shown 2");
	log_set_debug(true);
	log_debug("now shown");
	assert_int_equal(lines, 2);
	log_set_debug(false);
	log_debug("hidden again");
	assert_int_equal(lines, 2);
}

static void
test_warn_appends_errno(void **state)
{
	(void)state;
	errno = ENOENT;
	log_warn("open %s", "/x");
	assert_string_equal(last, "open /x: No such file or directory");
	assert_int_equal(errno, ENOENT);
	log_warnx("plain");
	assert_string_equal(last, "plain");
}

static void
test_newlines_flattened(void **state)
{
	(void)state;
	log_info("a\nb\nc");
	assert_string_equal(last, "a b c");
}

static void
test_trace_categories(void **state)
{
	(void)state;
	log_trace("ipc", "off");
	assert_int_equal(lines, 0);
	log_trace_enable("ipc");
	log_trace("ipc", "on %d", 3);
	assert_int_equal(lines, 1);
	assert_string_equal(last, "[ipc] on 3");
	log_trace("totem", "still off");
	assert_int_equal(lines, 1);
}

static void
test_file_sink_has_role(void **state)
{
	char path[] = "/tmp/pl-logtest-XXXXXX", buf[512] = "";
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_true(log_set_file(path));
	log_set_timestamp(false);
	log_notice("to the file");
	log_set_file(NULL);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
	assert_non_null(strstr(buf, "testrole["));
	assert_non_null(strstr(buf, "]: notice: to the file\n"));
	assert_false(log_set_file("/nonexistent-dir/x.log"));
}

static void
test_syslog_facility(void **state)
{
	(void)state;
	assert_false(log_set_syslog(true, "nonsense"));
	assert_true(log_set_syslog(true, "local3"));
	assert_true(log_set_syslog(false, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_levels, setup),
		cmocka_unit_test_setup(test_warn_appends_errno, setup),
		cmocka_unit_test_setup(test_newlines_flattened, setup),
		cmocka_unit_test_setup(test_trace_categories, setup),
		cmocka_unit_test_setup(test_file_sink_has_role, setup),
		cmocka_unit_test_setup(test_syslog_facility, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
