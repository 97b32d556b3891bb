/* test_error.c - error text with location prefixes, NULL tolerance, truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "paceline/error.h"

static void
test_set_prefix(void **state)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	assert_false(pl_error_isset(&e));
	pl_error_set(&e, 78, "bad value '%s'", "x");
	pl_error_prefix(&e, "%s:%d: ", "a.conf", 12);
	assert_true(pl_error_isset(&e));
	assert_int_equal(e.code, 78);
	assert_string_equal(e.text, "a.conf:12: bad value 'x'");
	pl_error_clear(&e);
	assert_false(pl_error_isset(&e));
	pl_error_set(NULL, 1, "ignored");
	pl_error_prefix(NULL, "ignored");
}

static void
test_truncation(void **state)
{
	struct pl_error e = PL_ERROR_INIT;
	char big[2000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pl_error_set(&e, 0, "%s", big);
	assert_int_equal(e.code, 1); /* an error is never code 0 */
	pl_error_prefix(&e, "%s", big);
	assert_int_equal(strlen(e.text), sizeof(e.text) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_prefix),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
