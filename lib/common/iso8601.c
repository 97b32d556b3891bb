/*
 * iso8601.c - ISO 8601 date/duration parsing, calendar arithmetic and date_spec matching
 * (see iso8601.h). All arithmetic is done on days since the epoch (proleptic Gregorian), so
 * no dependence on the process time zone or on libc's mktime.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/iso8601.h"
#include "paceline/xml.h"

static bool
is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(long long y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return (m == 2 && is_leap(y)) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long
days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, long long *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static long long
floordiv(long long a, long long b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* ISO weekday 1..7 of a day number (1970-01-01 was a Thursday). */
static int
iso_wday(long long days)
{
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

/* Day number of Monday of ISO week 1 of year y. */
static long long
iso_week1_monday(long long y)
{
	long long jan4 = days_from_civil(y, 1, 4);
	return jan4 - (iso_wday(jan4) - 1);
}

void
pl_time_fields(struct pl_time t, struct pl_time_fields *f)
{
	long long local = t.epoch + t.offset;
	long long days = floordiv(local, 86400);
	long long sod = local - days * 86400;
	long long y;
	civil_from_days(days, &y, &f->month, &f->mday);
	f->year = (int)y;
	f->hour = (int)(sod / 3600);
	f->minute = (int)(sod / 60 % 60);
	f->second = (int)(sod % 60);
	f->yday = (int)(days - days_from_civil(y, 1, 1)) + 1;
	f->wday = iso_wday(days);
	long long wy = y;
	if (days < iso_week1_monday(wy))
		wy--;
	else if (days >= iso_week1_monday(wy + 1))
		wy++;
	f->week_year = (int)wy;
	f->week = (int)((days - iso_week1_monday(wy)) / 7) + 1;
}

/*
 * Parsing follows Pacemaker 2.1.5's grammar, quirks included, because users' rules and
 * scripts were written against it: the date part is read with "%d-%d-%d", then "%4d%2d%2d",
 * then the ordinal "%d-%d", then the week date "%d-W%d-%d"; the time of day starts after the
 * first character that is not a digit, '-' or 'W' when that character is ' ' or 'T'; the zone
 * is whatever follows a 'Z' or the first space of the time part; a time without a zone is in
 * the local zone (the offset the machine has now), a date without a time is UTC. The error
 * texts are Pacemaker's, so scripts that match them keep working.
 */

/* A date as Pacemaker holds one while parsing: year, ordinal day, second of the day and the
 * offset it was written in (fields are local to that offset). */
struct cal {
	long long year;
	long long yday; /* 1..366 once valid */
	long long sod;	/* second of the day */
	int offset;
};

static int
year_days(long long y)
{
	return is_leap(y) ? 366 : 365;
}

static long long
cal_daynum(const struct cal *c)
{
	return days_from_civil(c->year, 1, 1) + c->yday - 1;
}

static void
cal_set_daynum(struct cal *c, long long dn)
{
	long long y;
	int m, d;
	civil_from_days(dn, &y, &m, &d);
	c->year = y;
	c->yday = dn - days_from_civil(y, 1, 1) + 1;
}

static struct pl_time
cal_to_time(const struct cal *c)
{
	struct pl_time t = { cal_daynum(c) * 86400 + c->sod - c->offset, c->offset };
	return t;
}

static struct cal
cal_from_time(struct pl_time t)
{
	struct cal c = { 0, 0, 0, t.offset };
	long long local = t.epoch + t.offset, dn = floordiv(local, 86400);
	cal_set_daynum(&c, dn);
	c.sod = local - dn * 86400;
	return c;
}

static int
local_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (int)tm.tm_gmtoff;
}

/* ISO weekday (1 = Monday) of January 1st. */
static int
jan1_wday(long long y)
{
	return iso_wday(days_from_civil(y, 1, 1));
}

static int
weeks_in_year(long long y)
{
	return (jan1_wday(y) == 4 || jan1_wday(y + 1) == 5) ? 53 : 52;
}

static int
month_days(int m, long long y)
{
	return (m < 1 || m > 12) ? 0 : days_in_month(y, m);
}

/* "hh:mm:ss" or "hhmmss" (minutes and seconds optional); 24:00:00 is allowed. */
static bool
parse_sec(const char *s, long long *out, struct pl_error *err)
{
	int h = 0, m = 0, sec = 0;
	int rc = sscanf(s, "%d:%d:%d", &h, &m, &sec);
	if (rc == 1)
		rc = sscanf(s, "%2d%2d%2d", &h, &m, &sec);
	if (rc == 0) {
		pl_error_set(
		    err, PL_EXIT_INVALID_PARAM, "%s is not a valid ISO 8601 time specification", s);
		return false;
	}
	if (!(h == 24 && m == 0 && sec == 0) && (unsigned)h >= 24) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "%s is not a valid ISO 8601 time specification because %d is not a valid hour",
		    s, h);
		return false;
	}
	if ((unsigned)m >= 60) {
		pl_error_set(err,
		    PL_EXIT_INVALID_PARAM, "%s is not a valid ISO 8601 time specification because %d is not a valid minute",
		    s, m);
		return false;
	}
	if ((unsigned)sec >= 60) {
		pl_error_set(err,
		    PL_EXIT_INVALID_PARAM, "%s is not a valid ISO 8601 time specification because %d is not a valid second",
		    s, sec);
		return false;
	}
	*out = h * 3600LL + m * 60 + sec;
	return true;
}

static bool
parse_offset(const char *s, int *out, struct pl_error *err)
{
	if (s == NULL) {
		*out = local_offset();
		return true;
	}
	*out = 0;
	if (*s == '+' || *s == '-' || isdigit((unsigned char)*s)) {
		bool neg = *s == '-';
		long long v;
		if (*s == '+' || *s == '-')
			s++;
		if (!parse_sec(s, &v, err))
			return false;
		*out = (int)(neg ? -v : v);
	}
	return true; /* 'Z' and anything else: UTC */
}

static bool
parse_timeofday(const char *s, struct cal *c, struct pl_error *err)
{
	if (!parse_sec(s, &c->sod, err))
		return false;
	const char *zone = strstr(s, "Z");
	if (zone == NULL && (zone = strstr(s, " ")) != NULL)
		while (isspace((unsigned char)*zone))
			zone++;
	if (!parse_offset(zone, &c->offset, err))
		return false;
	if (c->sod == 86400) {
		c->sod = 0;
		cal_set_daynum(c, cal_daynum(c) + 1);
	}
	return true;
}

static bool
bad_date(const char *text, struct pl_error *err)
{
	pl_error_set(err, PL_EXIT_INVALID_PARAM,
	    "'%s' is not a valid ISO 8601 date/time specification", text);
	return false;
}

/* The date part: calendar, ordinal or week date (the time of day is read after it). */
static bool
parse_calendar(const char *text, struct cal *c, struct pl_error *err)
{
	int y = 0, mo = 0, d = 0, w = 0;
	int rc = sscanf(text, "%d-%d-%d", &y, &mo, &d);
	if (rc == 1)
		rc = sscanf(text, "%4d%2d%2d", &y, &mo, &d);
	if (rc == 3) {
		if (mo > 12) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 date/time specification because '%d' is "
			    "not a valid month",
			    text, mo);
			return false;
		}
		if (d > month_days(mo, y)) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 date/time specification because '%d' is "
			    "not a valid day of the month",
			    text, d);
			return false;
		}
		c->year = y;
		c->yday = d;
		for (int i = 1; i < mo; i++)
			c->yday += month_days(i, y);
		return true;
	}
	if (sscanf(text, "%d-%d", &y, &d) == 2) {
		if (d > year_days(y)) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 date/time specification because '%d' is "
			    "not a valid day of the year (max %d)",
			    text, d, year_days(y));
			return false;
		}
		c->year = y;
		c->yday = d;
		return true;
	}
	if (sscanf(text, "%d-W%d-%d", &y, &w, &d) == 3) {
		if (w > weeks_in_year(y)) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 date/time specification because '%d' is "
			    "not a valid week of the year (max %d)",
			    text, w, weeks_in_year(y));
			return false;
		}
		if (d < 1 || d > 7) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 date/time specification because '%d' is "
			    "not a valid day of the week",
			    text, d);
			return false;
		}
		cal_set_daynum(c, iso_week1_monday(y) + (w - 1) * 7LL + d - 1);
		return true;
	}
	return bad_date(text, err);
}

bool
pl_time_parse(const char *text, struct pl_time *out, struct pl_error *err)
{
	struct cal c = { 0, 0, 0, 0 };
	const char *time_s = NULL;

	if (text == NULL || *text == '\0') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM, "No ISO 8601 date/time specification given");
		return false;
	}
	if (text[0] == '@') { /* an extension: seconds since the epoch */
		char *end;
		long long e = strtoll(text + 1, &end, 10);
		if (end == text + 1 || *end)
			return bad_date(text, err);
		out->epoch = e;
		out->offset = 0;
		return true;
	}
	if (text[0] == 'T' || (strlen(text) > 2 && text[2] == ':')) {
		/* a time of day alone: today (local) */
		c = cal_from_time((struct pl_time){ (long long)time(NULL), local_offset() });
		time_s = text[0] == 'T' ? text + 1 : text;
	} else if (strncasecmp(text, "epoch", 5) == 0 &&
	    (text[5] == '\0' || text[5] == '/' || isspace((unsigned char)text[5]))) {
		out->epoch = 0;
		out->offset = 0;
		return true;
	} else {
		if (!parse_calendar(text, &c, err))
			return false;
		time_s = text + strspn(text, "0123456789-W");
		if (*time_s == ' ' || *time_s == 'T')
			time_s++;
		else
			time_s = NULL;
	}
	if (time_s != NULL && !parse_timeofday(time_s, &c, err))
		return false;
	if (c.yday < 1 || c.yday > year_days(c.year) || c.sod < 0 || c.sod >= 86400)
		return bad_date(text, err);
	*out = cal_to_time(&c);
	return true;
}

/* Optional sign and digits; returns the characters read (0: no digits). */
static int
parse_int(const char *s, long long *out)
{
	int i = (*s == '-' || *s == '+') ? 1 : 0, start = i;
	long long v = 0;
	while (isdigit((unsigned char)s[i]) && v < 1000000000LL)
		v = v * 10 + (s[i++] - '0');
	if (i == start)
		return 0;
	*out = *s == '-' ? -v : v;
	return i;
}

bool
pl_duration_parse(const char *text, struct pl_duration *out, struct pl_error *err)
{
	bool in_time = false;

	memset(out, 0, sizeof(*out));
	if (text == NULL || *text == '\0') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM, "No ISO 8601 time duration given");
		return false;
	}
	if (text[0] != 'P') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "'%s' is not a valid ISO 8601 time duration because it does not start with a "
		    "'P'",
		    text);
		return false;
	}
	if (text[1] == '\0' || isspace((unsigned char)text[1])) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "'%s' is not a valid ISO 8601 time duration because nothing follows 'P'", text);
		return false;
	}
	for (const char *p = text + 1; *p && *p != '/' && !isspace((unsigned char)*p); p++) {
		long long v;
		int n;
		if (*p == 'T') { /* separates months from minutes; not required */
			in_time = true;
			continue;
		}
		if ((n = parse_int(p, &v)) == 0) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 time duration because no integer at '%s'",
			    text, p);
			return false;
		}
		p += n;
		switch (*p) {
		case 'Y': out->years = (int)v; break;
		case 'M':
			if (in_time)
				out->seconds += v * 60;
			else
				out->months = (int)v;
			break;
		case 'W': out->days += v * 7; break;
		case 'D': out->days += v; break;
		case 'H': out->seconds += v * 3600; break;
		case 'S': out->seconds += v; break;
		case '\0':
			pl_error_set(err,
			    PL_EXIT_INVALID_PARAM, "'%s' is not a valid ISO 8601 time duration because no units after %lld",
			    text, v);
			return false;
		default:
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "'%s' is not a valid ISO 8601 time duration because '%c' is not a "
			    "valid "
			    "time unit",
			    text, *p);
			return false;
		}
	}
	return true;
}

bool
pl_period_parse(const char *text, struct pl_time *start, struct pl_time *end, struct pl_error *err)
{
	struct pl_duration d;
	bool have_start = false, have_end = false, have_dur = false;

	if (text == NULL || *text == '\0') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM, "No ISO 8601 time period given");
		return false;
	}
	if (text[0] == 'P') {
		if (!pl_duration_parse(text, &d, err))
			return false;
		have_dur = true;
	} else {
		if (!pl_time_parse(text, start, err))
			return false;
		have_start = true;
	}
	const char *second = strchr(text, '/');
	if (second != NULL) {
		second++;
		if (second[0] == 'P') {
			if (have_dur) {
				pl_error_set(err, PL_EXIT_INVALID_PARAM,
				    "'%s' is not a valid ISO 8601 time period because it has two "
				    "durations",
				    text);
				return false;
			}
			if (!pl_duration_parse(second, &d, err))
				return false;
			have_dur = true;
		} else {
			if (!pl_time_parse(second, end, err))
				return false;
			have_end = true;
		}
	} else if (have_dur) {
		*start = pl_time_now(); /* a duration alone starts now */
		have_start = true;
	} else {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "'%s' is not a valid ISO 8601 time period because it has no duration or ending "
		    "time",
		    text);
		return false;
	}
	if (!have_start)
		*start = pl_time_sub(*end, &d);
	else if (!have_end)
		*end = pl_time_add(*start, &d);
	return true;
}

struct pl_time
pl_time_now(void)
{
	struct pl_time t = { (long long)time(NULL), local_offset() };
	return t;
}

/* Calendar steps as Pacemaker takes them: years (keeping the day of the year), then months
 * (keeping the day of the month where the month has it), then days, then seconds. */
struct pl_time
pl_time_add(struct pl_time t, const struct pl_duration *d)
{
	struct cal c = cal_from_time(t);
	if (d->years) {
		c.year += d->years;
		if (c.yday > year_days(c.year))
			c.yday = year_days(c.year);
	}
	if (d->months) {
		long long y, mon;
		int m, md;
		civil_from_days(cal_daynum(&c), &y, &m, &md);
		mon = y * 12 + (m - 1) + d->months;
		y = floordiv(mon, 12);
		m = (int)(mon - y * 12) + 1;
		if (md > days_in_month(y, m))
			md = days_in_month(y, m);
		cal_set_daynum(&c, days_from_civil(y, m, md));
	}
	t = cal_to_time(&c);
	t.epoch += d->days * 86400 + d->seconds;
	return t;
}

struct pl_time
pl_time_sub(struct pl_time t, const struct pl_duration *d)
{
	struct pl_duration neg = { -d->years, -d->months, -d->days, -d->seconds };
	return pl_time_add(t, &neg);
}

long long
pl_duration_seconds(const struct pl_duration *d)
{
	return d->years * 365LL * 86400 + d->months * 30LL * 86400 + d->days * 86400 + d->seconds;
}

int
pl_time_cmp(struct pl_time a, struct pl_time b)
{
	return a.epoch < b.epoch ? -1 : a.epoch > b.epoch;
}

#define SECONDS_TO_EPOCH 62135596800LL /* from 0001-01-01 00:00:00Z, Pacemaker's origin */

const char *
pl_time_format(struct pl_time t, unsigned flags, char *buf, size_t len)
{
	struct pl_time_fields f;
	size_t o = 0;

	if (flags & PL_TIME_SECONDS) {
		snprintf(buf, len, "%lld", t.epoch + SECONDS_TO_EPOCH);
		return buf;
	}
	if (flags & PL_TIME_EPOCH) {
		snprintf(buf, len, "%lld", t.epoch);
		return buf;
	}
	if (!(flags & PL_TIME_WITH_TZ))
		t.offset = 0;
	pl_time_fields(t, &f);
	buf[0] = '\0';
	if (flags & PL_TIME_DATE) {
		if (flags & PL_TIME_WEEKS)
			o += snprintf(buf + o, len - o, "%d-W%02d-%d", f.week_year, f.week, f.wday);
		else if (flags & PL_TIME_ORDINAL)
			o += snprintf(buf + o, len - o, "%d-%03d", f.year, f.yday);
		else
			o += snprintf(buf + o, len - o, "%04d-%02d-%02d", f.year, f.month, f.mday);
	}
	if ((flags & PL_TIME_TIMEOFDAY) && o < len) {
		o += snprintf(
		    buf + o, len - o, "%s%02d:%02d:%02d", o ? " " : "", f.hour, f.minute, f.second);
		if (o < len && t.offset != 0)
			snprintf(buf + o, len - o, " %c%02d:%02d", t.offset < 0 ? '-' : '+',
			    abs(t.offset) / 3600, abs(t.offset) / 60 % 60);
		else if (o < len)
			snprintf(buf + o, len - o, "Z");
	}
	return buf;
}

const char *
pl_time_str(struct pl_time t, char *buf, size_t len)
{
	return pl_time_format(t, PL_TIME_DATE | PL_TIME_TIMEOFDAY | PL_TIME_WITH_TZ, buf, len);
}

static const char *
plural(long long n)
{
	return n == 1 ? "" : "s";
}

const char *
pl_duration_str(const struct pl_duration *d, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	if (d->years)
		o += snprintf(buf + o, len - o, "%4d year%s ", d->years, plural(d->years));
	if (d->months && o < len)
		o += snprintf(buf + o, len - o, "%2d month%s ", d->months, plural(d->months));
	if (d->days && o < len)
		o += snprintf(buf + o, len - o, "%2lld day%s ", d->days, plural(d->days));
	if (o >= len)
		return buf;
	if ((o == 0 || d->seconds != 0) && d->seconds > -60 && d->seconds < 60) {
		snprintf(buf + o, len - o, "%lld second%s", d->seconds, plural(d->seconds));
	} else if (d->seconds) {
		long long s = d->seconds < 0 ? -d->seconds : d->seconds;
		long long h = s / 3600, m = s / 60 % 60;
		s %= 60;
		o += snprintf(buf + o, len - o, "%lld seconds (", d->seconds);
		if (h && o < len)
			o += snprintf(
			    buf + o, len - o, "%lld hour%s%s", h, plural(h), (m || s) ? " " : "");
		if (m && o < len)
			o += snprintf(
			    buf + o, len - o, "%lld minute%s%s", m, plural(m), s ? " " : "");
		if (s && o < len)
			o += snprintf(buf + o, len - o, "%lld second%s", s, plural(s));
		if (o < len)
			snprintf(buf + o, len - o, ")");
	}
	return buf;
}

/* Pacemaker's range: "N", "lo-hi", "-hi" or "lo-" (-1 stands for an open side). false when
 * the text is none of these. */
static bool
parse_range(const char *spec, long long *lo, long long *hi)
{
	char *end;
	*lo = *hi = -1;
	if (spec == NULL || *spec == '\0' || strcmp(spec, "-") == 0)
		return false;
	if (*spec == '-') {
		*hi = strtoll(spec + 1, &end, 10);
		return end != spec + 1 && *end == '\0';
	}
	*lo = strtoll(spec, &end, 10);
	if (end == spec)
		return false;
	if (*end == '\0') {
		*hi = *lo;
		return true;
	}
	if (*end != '-')
		return false;
	if (end[1] == '\0')
		return true;
	const char *h = end + 1;
	*hi = strtoll(h, &end, 10);
	return end != h && *end == '\0';
}

/* One field: within, before or after its range, or undetermined (absent or unparsable). */
static enum pl_date_result
check_field(const char *spec, long long v)
{
	long long lo, hi;
	if (!parse_range(spec, &lo, &hi))
		return PL_DATE_UNDETERMINED;
	if (lo != -1 && v < lo)
		return PL_DATE_BEFORE;
	if (hi != -1 && v > hi)
		return PL_DATE_AFTER;
	return PL_DATE_WITHIN;
}

#define DATE_SPEC_FIELDS(f)                                                                       \
	{ "years", f.year }, { "months", f.month }, { "monthdays", f.mday }, { "hours", f.hour }, \
	    { "minutes", f.minute }, { "seconds", f.second }, { "yeardays", f.yday },             \
	    { "weekyears", f.week_year }, { "weeks", f.week },                                    \
	{                                                                                         \
		"weekdays", f.wday                                                                \
	}

enum pl_date_result
pl_date_spec_check(const xmlNode *spec, struct pl_time t)
{
	struct pl_time_fields f;
	pl_time_fields(t, &f);
	const struct {
		const char *name;
		long long v;
	} fields[] = { DATE_SPEC_FIELDS(f) };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		enum pl_date_result r = check_field(pl_xml_attr(spec, fields[i].name), fields[i].v);
		if (r == PL_DATE_BEFORE || r == PL_DATE_AFTER)
			return r;
	}
	return PL_DATE_OK;
}

int
pl_date_spec_match(const xmlNode *spec, struct pl_time t, struct pl_error *err)
{
	struct pl_time_fields f;
	pl_time_fields(t, &f);
	const struct {
		const char *name;
		long long v;
	} fields[] = { DATE_SPEC_FIELDS(f) };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = pl_xml_attr(spec, fields[i].name);
		long long lo, hi;
		if (v != NULL && !parse_range(v, &lo, &hi)) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM,
			    "date_spec attribute %s has invalid range '%s'", fields[i].name, v);
			return -1;
		}
	}
	return pl_date_spec_check(spec, t) == PL_DATE_OK;
}

bool
pl_duration_from_xml(const xmlNode *dur, struct pl_duration *out, struct pl_error *err)
{
	static const struct {
		const char *name;
		long long mult;
	} parts[] = {
		{ "weeks", 7 * 86400 },
		{ "days", 86400 },
		{ "hours", 3600 },
		{ "minutes", 60 },
		{ "seconds", 1 },
	};
	memset(out, 0, sizeof(*out));
	const char *names[] = { "years", "months" };
	for (int i = 0; i < 2; i++) {
		const char *v = pl_xml_attr(dur, names[i]);
		if (v) {
			char *end;
			long n = strtol(v, &end, 10);
			if (end == v || *end) {
				pl_error_set(err, PL_EXIT_INVALID_PARAM,
				    "duration attribute %s is not a number: '%s'", names[i], v);
				return false;
			}
			if (i == 0)
				out->years = (int)n;
			else
				out->months = (int)n;
		}
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *v = pl_xml_attr(dur, parts[i].name);
		if (v) {
			char *end;
			long long n = strtoll(v, &end, 10);
			if (end == v || *end) {
				pl_error_set(err, PL_EXIT_INVALID_PARAM,
				    "duration attribute %s is not a number: '%s'", parts[i].name, v);
				return false;
			}
			if (parts[i].mult >= 86400)
				out->days += n * (parts[i].mult / 86400);
			else
				out->seconds += n * parts[i].mult;
		}
	}
	return true;
}
