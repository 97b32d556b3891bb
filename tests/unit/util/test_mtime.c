/* test_mtime.c - monotonic clock and deadlines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <time.h>

#include "paceline/mtime.h"

static void
test_monotonic(void **state)
{
	uint64_t a = pl_mono_ns(), b = pl_mono_ns();

	(void)state;
	assert_true(b >= a);
	assert_true(pl_mono_ms() <= pl_mono_us() / 1000 + 1);
	assert_true(pl_wall_s() > 1600000000);
}

static void
test_deadline(void **state)
{
	uint64_t d = pl_deadline(10000);

	(void)state;
	assert_true(pl_deadline_left(d) > 9000);
	assert_int_equal(pl_deadline_left(pl_mono_ms() - 1), 0);
	d = pl_deadline(5);
	while (pl_deadline_left(d) > 0)
		; /* polls the condition: the clock must move forward */
	assert_int_equal(pl_deadline_left(d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
