/*
 * iso8601.h - ISO 8601 dates and durations as Pacemaker's rules use them, and date_spec
 * matching.
 *
 * A time is seconds since the epoch (UTC) plus the UTC offset it was written with, so that
 * date_spec fields ("hours", "weekdays", ...) are evaluated in the writer's local time.
 * Parsing follows Pacemaker 2.1.5's grammar and error texts (see iso8601.c): "2024-03-05",
 * "20240305", "2024-03-05 10:00:00", "2024-03-05T10:00:00Z", "2024-03-05 10:00:00 +02:00",
 * ordinal "2024-065", week dates "2024-W10-2", "epoch", a time alone ("T10:00", today), and,
 * as an extension, an epoch number prefixed by "@". A time without a zone is local, a date
 * without a time UTC. Durations: "P1Y2M3DT4H5M6S", "P2W", "PT90S", signed parts ("P-1M"),
 * and, like Pacemaker, "P30S". Years and months are calendar steps (adding P1M to Jan 31
 * gives the last day of February); a period is "START/END", "START/DURATION" or
 * "DURATION/END".
 *
 *	struct pl_time t; struct pl_error e = PL_ERROR_INIT;
 *	if (!pl_time_parse("2024-03-05 10:00:00", &t, &e)) puts(e.text);
 */
#ifndef PACELINE_ISO8601_H
#define PACELINE_ISO8601_H

#include <stdbool.h>
#include <libxml/tree.h>

struct pl_error;

struct pl_time {
	long long epoch; /* seconds since 1970-01-01T00:00:00Z */
	int offset;	 /* seconds east of UTC in which the time was written */
};

struct pl_duration {
	int years, months; /* calendar part */
	long long days;	   /* weeks folded in */
	long long seconds; /* hours, minutes and seconds folded together */
};

/* pl_time_format flags (Pacemaker's crm_time_log_* / crm_time_* print options). */
enum pl_time_flag {
	PL_TIME_DATE = 1 << 0,	    /* 2024-03-05 */
	PL_TIME_TIMEOFDAY = 1 << 1, /* 10:00:00Z */
	PL_TIME_WITH_TZ = 1 << 2,   /* in the time's own offset (" +02:00"), else in UTC */
	PL_TIME_ORDINAL = 1 << 3,   /* 2024-065 */
	PL_TIME_WEEKS = 1 << 4,	    /* 2024-W10-2 */
	PL_TIME_SECONDS = 1 << 5,   /* seconds since 0001-01-01 00:00:00Z */
	PL_TIME_EPOCH = 1 << 6,	    /* seconds since 1970-01-01 00:00:00Z */
};

/* Broken-down fields in the time's own offset. */
struct pl_time_fields {
	int year, month, mday, hour, minute, second;
	int yday;	     /* 1..366 */
	int wday;	     /* ISO: 1 = Monday .. 7 = Sunday */
	int week_year, week; /* ISO 8601 week-numbering year and week 1..53 */
};

bool pl_time_parse(const char *text, struct pl_time *out, struct pl_error *err);
bool pl_duration_parse(const char *text, struct pl_duration *out, struct pl_error *err);
bool pl_period_parse(
    const char *text, struct pl_time *start, struct pl_time *end, struct pl_error *err);
struct pl_time pl_time_now(void); /* in the local offset */
struct pl_time pl_time_add(struct pl_time t, const struct pl_duration *d);
struct pl_time pl_time_sub(struct pl_time t, const struct pl_duration *d);
/* Approximate length (a month is 30 days, a year 365) for intervals and timeouts. */
long long pl_duration_seconds(const struct pl_duration *d);
/* buf >= 64 bytes. */
const char *pl_time_format(struct pl_time t, unsigned flags, char *buf, size_t len);
/* Pacemaker's duration text: "   1 year  2 months  3 days 14706 seconds (4 hours 5 minutes 6
 * seconds)"; buf >= 128 bytes. */
const char *pl_duration_str(const struct pl_duration *d, char *buf, size_t len);
void pl_time_fields(struct pl_time t, struct pl_time_fields *f);
/* "2024-03-05 10:00:00Z" style (Pacemaker's crm_time text with offset); buf >= 40 bytes. */
const char *pl_time_str(struct pl_time t, char *buf, size_t len);
int pl_time_cmp(struct pl_time a, struct pl_time b); /* -1, 0, 1 by instant */

/* How a time relates to a date expression or date_spec (Pacemaker's pcmk_rc_*_range). */
enum pl_date_result {
	PL_DATE_WITHIN,	      /* within the range of a start/end expression */
	PL_DATE_OK,	      /* a date_spec is satisfied */
	PL_DATE_BEFORE,	      /* not yet in effect */
	PL_DATE_AFTER,	      /* expired */
	PL_DATE_UNDETERMINED, /* the expression lacks what its operation needs */
};

/* A <date_spec> element: each present attribute (years, months, monthdays, hours, minutes,
 * seconds, yeardays, weekyears, weeks, weekdays) is a number or "lo-hi" range ("-hi",
 * "lo-") the time must match, checked in that order; the first field out of its range says
 * whether the time is before or after. Unparsable values are ignored, as in Pacemaker. */
enum pl_date_result pl_date_spec_check(const xmlNode *spec, struct pl_time t);
/* The same as 1 match, 0 no match, or -1 when a value is not a range (err names the
 * attribute and value). */
int pl_date_spec_match(const xmlNode *spec, struct pl_time t, struct pl_error *err);
/* A <duration> element's attributes (years, months, weeks, days, hours, minutes, seconds). */
bool pl_duration_from_xml(const xmlNode *dur, struct pl_duration *out, struct pl_error *err);

#endif
