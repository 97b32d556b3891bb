/*
 * iso8601.c - ISO 8601 date/duration parsing, calendar arithmetic and date_spec matching
 * (see iso8601.h). All arithmetic is done on days since the epoch (proleptic Gregorian), so
 * no dependence on the process time zone or on libc's mktime.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static bool
read_num(const char **p, int digits_min, int digits_max, long long *out)
{
	const char *s = *p;
	long long v = 0;
	int n = 0;
	while (isdigit((unsigned char)*s) && n < digits_max) {
		v = v * 10 + (*s - '0');
		s++, n++;
	}
	if (n < digits_min)
		return false;
	*p = s;
	*out = v;
	return true;
}

bool
pl_time_parse(const char *text, struct pl_time *out, struct pl_error *err)
{
	const char *p = text;
	long long y, a, b, h = 0, mi = 0, s = 0, days;
	int offset = 0;

	if (text == NULL || *text == '\0') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM, "empty date");
		return false;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '@') {
		p++;
		char *end;
		long long e = strtoll(p, &end, 10);
		if (end == p || *end) {
			pl_error_set(err, PL_EXIT_INVALID_PARAM, "invalid epoch date '%s'", text);
			return false;
		}
		out->epoch = e;
		out->offset = 0;
		return true;
	}
	if (!read_num(&p, 4, 4, &y))
		goto bad;
	if (*p == '-')
		p++;
	if (*p == 'W') { /* week date YYYY-Www-D */
		p++;
		if (!read_num(&p, 2, 2, &a))
			goto bad;
		b = 1;
		if (*p == '-')
			p++;
		if (isdigit((unsigned char)*p) && !read_num(&p, 1, 1, &b))
			goto bad;
		if (a < 1 || a > 53 || b < 1 || b > 7)
			goto bad;
		days = iso_week1_monday(y) + (a - 1) * 7 + (b - 1);
	} else {
		const char *q = p;
		if (!read_num(&p, 2, 3, &a))
			goto bad;
		if (p - q == 3) { /* ordinal YYYY-DDD */
			if (a < 1 || a > (is_leap(y) ? 366 : 365))
				goto bad;
			days = days_from_civil(y, 1, 1) + a - 1;
		} else {
			if (*p == '-')
				p++;
			if (!read_num(&p, 2, 2, &b))
				goto bad;
			if (a < 1 || a > 12 || b < 1 || b > days_in_month(y, (int)a))
				goto bad;
			days = days_from_civil(y, (int)a, (int)b);
		}
	}
	if (*p == 'T' || *p == ' ') {
		p++;
		while (*p == ' ')
			p++;
		if (*p) {
			if (!read_num(&p, 2, 2, &h))
				goto bad;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p)) {
				if (!read_num(&p, 2, 2, &mi))
					goto bad;
				if (*p == ':')
					p++;
				if (isdigit((unsigned char)*p) && !read_num(&p, 2, 2, &s))
					goto bad;
			}
			if (*p == '.' || *p == ',') { /* fractions are ignored */
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
			if (h > 24 || mi > 59 || s > 60)
				goto bad;
			if (*p == 'Z') {
				p++;
			} else if (*p == '+' || *p == '-') {
				int sign = *p == '-' ? -1 : 1;
				long long oh, om = 0;
				p++;
				if (!read_num(&p, 2, 2, &oh))
					goto bad;
				if (*p == ':')
					p++;
				if (isdigit((unsigned char)*p) && !read_num(&p, 2, 2, &om))
					goto bad;
				offset = sign * (int)(oh * 3600 + om * 60);
			}
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		goto bad;
	out->epoch = days * 86400 + h * 3600 + mi * 60 + s - offset;
	out->offset = offset;
	return true;
bad:
	pl_error_set(err, PL_EXIT_INVALID_PARAM,
	    "invalid ISO 8601 date '%s' (expected e.g. 2024-03-05 10:00:00)", text);
	return false;
}

bool
pl_duration_parse(const char *text, struct pl_duration *out, struct pl_error *err)
{
	const char *p = text;
	bool in_time = false, any = false;

	memset(out, 0, sizeof(*out));
	if (text == NULL || *p != 'P')
		goto bad;
	p++;
	while (*p) {
		if (*p == 'T') {
			in_time = true;
			p++;
			continue;
		}
		long long v;
		if (!read_num(&p, 1, 18, &v))
			goto bad;
		switch (*p) {
		case 'Y':
			if (in_time)
				goto bad;
			out->years += (int)v;
			break;
		case 'M':
			if (in_time)
				out->seconds += v * 60;
			else
				out->months += (int)v;
			break;
		case 'W':
			if (in_time)
				goto bad;
			out->seconds += v * 7 * 86400;
			break;
		case 'D':
			if (in_time)
				goto bad;
			out->seconds += v * 86400;
			break;
		/* Pacemaker also takes hours and seconds without the T ("P30S") */
		case 'H': out->seconds += v * 3600; break;
		case 'S': out->seconds += v; break;
		default: goto bad;
		}
		p++;
		any = true;
	}
	if (!any)
		goto bad;
	return true;
bad:
	pl_error_set(err, PL_EXIT_INVALID_PARAM,
	    "invalid ISO 8601 duration '%s' (expected e.g. P1DT2H or PT30S)", text ? text : "");
	return false;
}

struct pl_time
pl_time_now(void)
{
	struct pl_time t = { (long long)time(NULL), 0 };
	return t;
}

struct pl_time
pl_time_add(struct pl_time t, const struct pl_duration *d)
{
	if (d->years || d->months) {
		long long local = t.epoch + t.offset;
		long long days = floordiv(local, 86400), sod = local - days * 86400, y;
		int m, md;
		civil_from_days(days, &y, &m, &md);
		long long mon = y * 12 + (m - 1) + d->years * 12LL + d->months;
		y = floordiv(mon, 12);
		m = (int)(mon - y * 12) + 1;
		if (md > days_in_month(y, m))
			md = days_in_month(y, m);
		t.epoch = days_from_civil(y, m, md) * 86400 + sod - t.offset;
	}
	t.epoch += d->seconds;
	return t;
}

int
pl_time_cmp(struct pl_time a, struct pl_time b)
{
	return a.epoch < b.epoch ? -1 : a.epoch > b.epoch;
}

const char *
pl_time_str(struct pl_time t, char *buf, size_t len)
{
	struct pl_time_fields f;
	pl_time_fields(t, &f);
	if (t.offset == 0)
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02dZ", f.year, f.month, f.mday,
		    f.hour, f.minute, f.second);
	else
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d %c%02d:%02d", f.year, f.month,
		    f.mday, f.hour, f.minute, f.second, t.offset < 0 ? '-' : '+',
		    abs(t.offset) / 3600, abs(t.offset) / 60 % 60);
	return buf;
}

/* "N" or "lo-hi" (either side may be empty: "-5", "3-"). */
static int
range_match(const char *name, const char *spec, long long v, struct pl_error *err)
{
	char *end;
	const char *p = spec;
	long long lo, hi;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-') {
		lo = -(1LL << 62);
	} else {
		lo = strtoll(p, &end, 10);
		if (end == p)
			goto bad;
		p = end;
	}
	if (*p == '-') {
		p++;
		if (*p == '\0') {
			hi = 1LL << 62;
		} else {
			hi = strtoll(p, &end, 10);
			if (end == p)
				goto bad;
			p = end;
		}
	} else {
		hi = lo;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		goto bad;
	return v >= lo && v <= hi;
bad:
	pl_error_set(err, PL_EXIT_INVALID_PARAM, "date_spec attribute %s has invalid range '%s'",
	    name, spec);
	return -1;
}

int
pl_date_spec_match(const xmlNode *spec, struct pl_time t, struct pl_error *err)
{
	struct pl_time_fields f;
	pl_time_fields(t, &f);
	const struct {
		const char *name;
		long long v;
	} fields[] = {
		{ "years", f.year },
		{ "months", f.month },
		{ "monthdays", f.mday },
		{ "hours", f.hour },
		{ "minutes", f.minute },
		{ "seconds", f.second },
		{ "yeardays", f.yday },
		{ "weekdays", f.wday },
		{ "weekyears", f.week_year },
		{ "weeks", f.week },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = pl_xml_attr(spec, fields[i].name);
		if (v == NULL)
			continue;
		int r = range_match(fields[i].name, v, fields[i].v, err);
		if (r <= 0)
			return r;
	}
	return 1;
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
			out->seconds += n * parts[i].mult;
		}
	}
	return true;
}
