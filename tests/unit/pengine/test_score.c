/* test_score.c - score arithmetic with INFINITY semantics, parsing and printing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "paceline/score.h"

#define INF PL_SCORE_INFINITY

static void
test_add(void **state)
{
	(void)state;
	assert_int_equal(pl_score_add(1, 2), 3);
	assert_int_equal(pl_score_add(INF, -INF), -INF); /* a ban wins */
	assert_int_equal(pl_score_add(-INF, INF), -INF);
	assert_int_equal(pl_score_add(INF, -5), INF);
	assert_int_equal(pl_score_add(-INF, 5), -INF);
	assert_int_equal(pl_score_add(999999, 5), INF); /* finite sums clamp */
	assert_int_equal(pl_score_add(-999999, -5), -INF);
	assert_int_equal(pl_score_clamp(5000000000LL), INF);
}

static void
test_parse(void **state)
{
	bool ok;
	(void)state;
	assert_int_equal(pl_score_parse("INFINITY"), INF);
	assert_int_equal(pl_score_parse("+INFINITY"), INF);
	assert_int_equal(pl_score_parse("-INFINITY"), -INF);
	assert_int_equal(pl_score_parse("infinity"), INF);
	assert_int_equal(pl_score_parse("100"), 100);
	assert_int_equal(pl_score_parse("-100"), -100);
	assert_int_equal(pl_score_parse("2.0"), 2); /* Pacemaker reads the integer part */
	assert_int_equal(pl_score_parse("12345678"), INF);
	assert_int_equal(pl_score_parse(NULL), 0);
	assert_int_equal(pl_score_parse_ok("bogus", &ok), 0);
	assert_false(ok);
	assert_int_equal(pl_score_parse_ok("7", &ok), 7);
	assert_true(ok);
}

static void
test_print(void **state)
{
	char b[PL_SCORE_BUFLEN];
	(void)state;
	assert_string_equal(pl_score_str(INF, b), "INFINITY");
	assert_string_equal(pl_score_str(-INF, b), "-INFINITY");
	assert_string_equal(pl_score_str(-7, b), "-7");
	assert_string_equal(pl_score_str(2000000, b), "INFINITY");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
