/* test_iso8601.c - ISO 8601 dates and durations, calendar arithmetic, date_spec matching,
 * and errors that name the bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/iso8601.h"
#include "paceline/xml.h"

static struct pl_time
parse(const char *s)
{
	struct pl_time t;
	struct pl_error e = PL_ERROR_INIT;
	assert_true(pl_time_parse(s, &t, &e));
	return t;
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(parse("1970-01-01").epoch, 0);
	assert_int_equal(parse("2024-03-05 10:00:00").epoch, 1709632800);
	assert_int_equal(parse("2024-03-05T10:00:00Z").epoch, 1709632800);
	assert_int_equal(parse("2024-03-05T12:00:00+02:00").epoch, 1709632800);
	assert_int_equal(parse("2024-065").epoch, parse("2024-03-05").epoch);	/* ordinal */
	assert_int_equal(parse("2024-W10-2").epoch, parse("2024-03-05").epoch); /* week date */
	assert_int_equal(parse("@1709632800").epoch, 1709632800);
	char buf[64];
	assert_string_equal(
	    pl_time_str(parse("2018-05-09 09:54:39Z"), buf, sizeof(buf)), "2018-05-09 09:54:39Z");
}

static void
test_bad_dates(void **state)
{
	struct pl_time t;
	struct pl_error e = PL_ERROR_INIT;
	(void)state;
	assert_false(pl_time_parse("2024-02-30", &t, &e));
	assert_non_null(strstr(e.text, "2024-02-30"));
	assert_false(pl_time_parse("yesterday", &t, &e));
	assert_non_null(strstr(e.text, "'yesterday'"));
	assert_false(pl_time_parse("2024-03-05 25:00", &t, &e));
	assert_false(pl_time_parse("", &t, &e));
}

static void
test_durations(void **state)
{
	struct pl_duration d;
	struct pl_error e = PL_ERROR_INIT;
	(void)state;
	assert_true(pl_duration_parse("P1DT2H", &d, &e));
	assert_int_equal(d.seconds, 86400 + 7200);
	assert_true(pl_duration_parse("PT90S", &d, &e));
	assert_int_equal(d.seconds, 90);
	assert_true(pl_duration_parse("P1M", &d, &e));
	struct pl_time t = pl_time_add(parse("2024-01-31"), &d); /* clamps to Feb 29 */
	assert_int_equal(t.epoch, parse("2024-02-29").epoch);
	assert_true(pl_duration_parse("P30S", &d, &e)); /* Pacemaker accepts it */
	assert_int_equal(d.seconds, 30);
	assert_false(pl_duration_parse("P1X", &d, &e));
	assert_non_null(strstr(e.text, "P1X"));
	assert_false(pl_duration_parse("P", &d, &e));
	assert_false(pl_duration_parse("10s", &d, &e));
}

static int
spec(const char *xml, const char *when)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *d = pl_xml_parse_string(xml, "t", &e);
	assert_non_null(d);
	int r = pl_date_spec_match(pl_xml_root(d), parse(when), &e);
	xmlFreeDoc(d);
	return r;
}

static void
test_date_spec(void **state)
{
	(void)state;
	/* 2024-03-05 is a Tuesday (ISO weekday 2), week 10, yearday 65 */
	assert_int_equal(
	    spec("<date_spec hours=\"9-17\" weekdays=\"1-5\"/>", "2024-03-05 10:00:00"), 1);
	assert_int_equal(spec("<date_spec hours=\"9-17\"/>", "2024-03-05 18:00:00"), 0);
	assert_int_equal(spec("<date_spec weeks=\"10\" yeardays=\"65\"/>", "2024-03-05"), 1);
	assert_int_equal(spec("<date_spec weekdays=\"6-7\"/>", "2024-03-05"), 0);
	assert_int_equal(spec("<date_spec years=\"2024-\"/>", "2030-01-01"), 1);
	assert_int_equal(spec("<date_spec months=\"x\"/>", "2024-03-05"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_date_spec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
