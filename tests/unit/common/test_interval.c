/* test_interval.c - time values: plain numbers with units, ISO 8601 durations, every error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"

static uint64_t
ms_of(const char *text)
{
	struct pl_error err = PL_ERROR_INIT;
	uint64_t ms = 12345;

	if (!pl_interval_parse_ms(text, &ms, &err))
		fail_msg("'%s' rejected: %s", text, err.text);
	return ms;
}

static void
expect_error(const char *text, const char *message)
{
	struct pl_error err = PL_ERROR_INIT;
	uint64_t ms = 777;

	assert_false(pl_interval_parse_ms(text, &ms, &err));
	assert_int_equal(ms, 777); /* untouched on error */
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_string_equal(err.text, message);
}

static void
test_plain(void **state)
{
	(void)state;
	assert_int_equal(ms_of("10"), 10000); /* seconds by default, as Pacemaker */
	assert_int_equal(ms_of("0"), 0);
	assert_int_equal(ms_of("10s"), 10000);
	assert_int_equal(ms_of(" 10 s "), 10000);
	assert_int_equal(ms_of("\t10sec\n"), 10000);
	assert_int_equal(ms_of("10seconds"), 10000);
	assert_int_equal(ms_of("500ms"), 500);
	assert_int_equal(ms_of("500MSEC"), 500);
	assert_int_equal(ms_of("10Ms"), 10);
	assert_int_equal(ms_of("1500us"), 1);
	assert_int_equal(ms_of("10usec"), 0);
	assert_int_equal(ms_of("1m"), 60000);
	assert_int_equal(ms_of("1min"), 60000);
	assert_int_equal(ms_of("10 minutes"), 600000);
	assert_int_equal(ms_of("1h"), 3600000);
	assert_int_equal(ms_of("2hr"), 7200000);
	assert_int_equal(ms_of("1hours"), 3600000);
	assert_int_equal(ms_of("007"), 7000);
}

static void
test_fractions(void **state)
{
	(void)state;
	assert_int_equal(ms_of("1.5s"), 1500);
	assert_int_equal(ms_of("1.9"), 1900);
	assert_int_equal(ms_of("0.25min"), 15000);
	assert_int_equal(ms_of("1.0005s"), 1000);   /* truncated to ms */
	assert_int_equal(ms_of("0.1234567s"), 123); /* digits past 6 dropped */
	assert_int_equal(ms_of("2.5h"), 9000000);
}

static void
test_iso(void **state)
{
	(void)state;
	assert_int_equal(ms_of("PT10S"), 10000);
	assert_int_equal(ms_of("PT1M30S"), 90000);
	assert_int_equal(ms_of("PT1H"), 3600000);
	assert_int_equal(ms_of("P1D"), 86400000);
	assert_int_equal(ms_of("P1DT2H"), 93600000);
	assert_int_equal(ms_of("P1W"), 604800000);
	assert_int_equal(ms_of("P2W1D"), 15 * 86400000ULL);
	assert_int_equal(ms_of("PT0.5S"), 500);
	assert_int_equal(ms_of(" PT10S "), 10000);
	assert_int_equal(ms_of("PT0S"), 0);
	assert_int_equal(ms_of("P0D"), 0);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("abc",
	    "invalid interval 'abc': expected a number with an optional unit "
	    "(ms, s, min, h) or an ISO 8601 duration");
	expect_error("", "invalid interval '': empty");
	expect_error("   ", "invalid interval '   ': empty");
	expect_error(NULL, "invalid interval '': empty");
	expect_error(
	    "10x", "invalid interval '10x': unknown unit 'x' (expected ms, us, s, min or h)");
	expect_error("1d", "invalid interval '1d': unknown unit 'd' (expected ms, us, s, min or h)");
	expect_error("10s junk",
	    "invalid interval '10s junk': unknown unit 's junk' "
	    "(expected ms, us, s, min or h)");
	expect_error("-10",
	    "invalid interval '-10': expected a number with an optional unit "
	    "(ms, s, min, h) or an ISO 8601 duration");
	expect_error("+10",
	    "invalid interval '+10': expected a number with an optional unit "
	    "(ms, s, min, h) or an ISO 8601 duration");
	expect_error("1.s",
	    "invalid interval '1.s': expected a number with an optional unit "
	    "(ms, s, min, h) or an ISO 8601 duration");
	expect_error(
	    "1e3", "invalid interval '1e3': unknown unit 'e3' (expected ms, us, s, min or h)");
	expect_error("99999999999999999999", "invalid interval '99999999999999999999': too large");
	expect_error("18446744073709551h", "invalid interval '18446744073709551h': too large");
}

static void
test_iso_errors(void **state)
{
	static const char form[] = "not an ISO 8601 duration (expected PnW, PnD, PTnH, PTnM, "
				   "PTnS or a combination like P1DT2H30M)";
	char want[256];
	const char *bad[] = { "P", "PT", "P10S", "PT10D", "PT1S1M", "P1DT", "PTS", "pt10s", "P1D2W",
		"PT10S5", "PT1H1H" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pl_error err = PL_ERROR_INIT;
		uint64_t ms;

		snprintf(want, sizeof(want), "invalid interval '%s': %s", bad[i],
		    bad[i][0] == 'p' ? "expected a number with an optional unit (ms, s, "
				       "min, h) or an ISO 8601 duration"
				     : form);
		assert_false(pl_interval_parse_ms(bad[i], &ms, &err));
		assert_string_equal(err.text, want);
	}
	expect_error("P1M",
	    "invalid interval 'P1M': years and months have no fixed length; "
	    "use weeks or days");
	expect_error("P1Y",
	    "invalid interval 'P1Y': years and months have no fixed length; "
	    "use weeks or days");
	expect_error("P1.5D",
	    "invalid interval 'P1.5D': only seconds may have a fraction in an "
	    "ISO 8601 duration");
	expect_error("P99999999999999W", "invalid interval 'P99999999999999W': too large");
}

static void
test_format(void **state)
{
	char buf[32];
	const struct {
		uint64_t ms;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 500, "500ms" },
		{ 10000, "10s" },
		{ 90000, "90s" },
		{ 120000, "2min" },
		{ 10800000, "3h" },
		{ 1500, "1500ms" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pl_interval_format(cases[i].ms, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
		assert_int_equal(ms_of(buf), cases[i].ms); /* round trip */
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_fractions),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_iso_errors),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
