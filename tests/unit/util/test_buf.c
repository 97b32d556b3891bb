/* test_buf.c - string buffer growth, formatting and ownership transfer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/xalloc.h"

static void
test_empty(void **state)
{
	struct pl_buf b = PL_BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(pl_buf_str(&b), "");
	s = pl_buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
}

static void
test_grow_and_format(void **state)
{
	struct pl_buf b = PL_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		pl_buf_addf(&b, "%03d,", i);
	assert_int_equal(b.len, 4000);
	assert_int_equal(strlen(b.s), 4000);
	assert_memory_equal(b.s + 3996, "999,", 4);
	pl_buf_truncate(&b, 3);
	assert_string_equal(b.s, "000");
	pl_buf_addc(&b, '!');
	pl_buf_addn(&b, "xyz", 2);
	pl_buf_add(&b, "");
	assert_string_equal(b.s, "000!xy");
	pl_buf_free(&b);
	assert_null(b.s);
}

static void
test_steal(void **state)
{
	struct pl_buf b = PL_BUF_INIT;
	char *s;

	(void)state;
	pl_buf_add(&b, "hello");
	s = pl_buf_steal(&b);
	assert_string_equal(s, "hello");
	assert_int_equal(b.len, 0);
	assert_null(b.s);
	free(s);
}

static void
test_xalloc(void **state)
{
	char *s;

	(void)state;
	assert_null(xstrdup(NULL));
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xasprintf("%s-%d", "x", 7);
	assert_string_equal(s, "x-7");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_grow_and_format),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_xalloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
