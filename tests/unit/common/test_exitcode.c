/* test_exitcode.c - Pacemaker's exit codes and return codes: names, descriptions, edges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

#include "paceline/exitcode.h"

static void
test_exit_table(void **state)
{
	size_t n;
	const struct pl_exit_entry *t = pl_exit_table(&n);

	(void)state;
	assert_int_equal(n, 43);
	for (size_t i = 1; i < n; i++)
		assert_true(t[i - 1].code < t[i].code);
	assert_int_equal(PL_EXIT_NOSUCH, 105);
	assert_int_equal(PL_EXIT_TIMEOUT, 124);
	assert_int_equal(PL_EXIT_CONFIG, 78);
	assert_int_equal(PL_EXIT_DISCONNECT, 102);
	assert_string_equal(pl_exit_name(105), "CRM_EX_NOSUCH");
	assert_string_equal(pl_exit_str(105), "No such object");
	assert_string_equal(pl_exit_str(193), "No exit status available");
	assert_true(pl_exit_known(0));
	assert_false(pl_exit_known(12));
}

static void
test_exit_unknown(void **state)
{
	(void)state;
	assert_string_equal(pl_exit_name(999), "CRM_EX_UNKNOWN");
	assert_string_equal(pl_exit_str(999), "Unknown exit status");
	assert_string_equal(pl_exit_str(-1), "Unknown exit status");
	assert_string_equal(pl_exit_name(255), "CRM_EX_UNKNOWN");
	assert_string_equal(pl_exit_str(255), "Error occurred"); /* Pacemaker's quirk */
}

static void
test_exit_by_name(void **state)
{
	(void)state;
	assert_int_equal(pl_exit_by_name("CRM_EX_NOSUCH"), 105);
	assert_int_equal(pl_exit_by_name("TIMEOUT"), 124);
	assert_int_equal(pl_exit_by_name("CRM_EX_BOGUS"), -1);
	assert_int_equal(pl_exit_by_name(NULL), -1);
}

static void
test_rc_codes(void **state)
{
	(void)state;
	assert_string_equal(pl_rc_name(0), "pcmk_rc_ok");
	assert_string_equal(pl_rc_name(105), "ENOBUFS");
	assert_string_equal(pl_rc_name(-1005), "pcmk_rc_node_unknown");
	assert_string_equal(pl_rc_str(-1033), "Two or more XML elements have the same ID");
	assert_string_equal(pl_rc_name(-5), "Unknown");
	assert_string_equal(pl_rc_str(-5), "Error");
	assert_string_equal(pl_rc_name(41), "Unknown"); /* not an errno on Linux */
}

static void
test_legacy_codes(void **state)
{
	(void)state;
	assert_string_equal(pl_legacy_rc_name(-5), "EIO");
	assert_string_equal(pl_legacy_rc_str(-5), "Input/output error");
	assert_string_equal(pl_legacy_rc_name(-201), "pcmk_err_generic");
	assert_string_equal(pl_legacy_rc_str(211), "Schema is already the latest available");
	assert_string_equal(pl_legacy_rc_name(211), "Unknown");
	assert_string_equal(pl_legacy_rc_str(INT_MIN), "Error");
	assert_string_equal(pl_legacy_rc_name(0), "pcmk_rc_ok");
	assert_string_equal(pl_legacy_rc_str(0), "OK");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_table),
		cmocka_unit_test(test_exit_unknown),
		cmocka_unit_test(test_exit_by_name),
		cmocka_unit_test(test_rc_codes),
		cmocka_unit_test(test_legacy_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
