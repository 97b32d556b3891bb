/* test_iso8601.c - ISO 8601 dates and durations, calendar arithmetic, date_spec matching,
 * and errors that name the bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	assert_int_equal(parse("2024-03-05T12:00:00 +02:00").epoch, 1709632800);
	/* Pacemaker reads a zone only after 'Z' or a space: a glued "+02:00" is ignored */
	assert_int_equal(parse("2024-03-05T10:00:00+02:00").epoch, 1709632800);
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
	assert_int_equal(d.days, 1);
	assert_int_equal(d.seconds, 7200);
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

/* Pacemaker's texts: what scripts and the iso8601 tool print. */
static void
test_format_and_periods(void **state)
{
	struct pl_duration d;
	struct pl_time a, b;
	struct pl_error e = PL_ERROR_INIT;
	char buf[256];
	(void)state;
	assert_true(pl_duration_parse("P1Y2M3DT4H5M6S", &d, &e));
	assert_string_equal(pl_duration_str(&d, buf, sizeof(buf)),
	    "   1 year  2 months  3 days 14706 seconds (4 hours 5 minutes 6 seconds)");
	assert_true(pl_duration_parse("PT0S", &d, &e));
	assert_string_equal(pl_duration_str(&d, buf, sizeof(buf)), "0 seconds");
	struct pl_time t = parse("2009-03-31 01:00:00 +01:00");
	assert_true(pl_duration_parse("P-1M", &d, &e));
	t = pl_time_add(t, &d);
	assert_string_equal(pl_time_str(t, buf, sizeof(buf)), "2009-02-28 01:00:00 +01:00");
	assert_string_equal(pl_time_format(t, PL_TIME_DATE | PL_TIME_TIMEOFDAY, buf, sizeof(buf)),
	    "2009-02-28 00:00:00Z");
	assert_string_equal(
	    pl_time_format(parse("2010-01-03"), PL_TIME_DATE | PL_TIME_WEEKS, buf, sizeof(buf)),
	    "2009-W53-7");
	assert_string_equal(
	    pl_time_format(parse("2005-02-09"), PL_TIME_DATE | PL_TIME_ORDINAL, buf, sizeof(buf)),
	    "2005-040");
	/* years keep the day of the year, then months clamp: 2020-02-29 + P1Y1M = 2021-04-01 */
	assert_true(pl_duration_parse("P1Y1M", &d, &e));
	assert_int_equal(pl_time_add(parse("2020-02-29"), &d).epoch, parse("2021-04-01").epoch);
	assert_true(pl_period_parse("P1M/2021-03-31", &a, &b, &e));
	assert_int_equal(a.epoch, parse("2021-02-28").epoch);
	assert_int_equal(b.epoch, parse("2021-03-31").epoch);
	assert_false(pl_period_parse("PT2S/P1M", &a, &b, &e));
	assert_string_equal(
	    e.text, "'PT2S/P1M' is not a valid ISO 8601 time period because it has two durations");
	assert_false(pl_period_parse("2019-01-01 00:00:00Z", &a, &b, &e));
	assert_false(pl_time_parse("2019-10-01T24:00:01Z", &t, &e));
	assert_string_equal(e.text,
	    "24:00:01Z is not a valid ISO 8601 time specification "
	    "because 24 is not a valid hour");
	assert_int_equal(parse("2019-12-31 24:00:00Z").epoch, parse("2020-01-01").epoch);
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
	setenv("TZ", "UTC", 1); /* a time without a zone is local, as in Pacemaker */
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_format_and_periods),
		cmocka_unit_test(test_date_spec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
