/*
 * interval.c - time values to milliseconds (see include/paceline/interval.h).
 *
 * Arithmetic is in microseconds (the finest unit) with overflow checks, then truncated to ms.
 * The ISO 8601 part is a small duration-only parser; the full date/duration library used by
 * rules lives in iso8601.c (a later merge may route through it).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"

#define US_PER_MS  UINT64_C(1000)
#define US_PER_S   UINT64_C(1000000)
#define US_PER_MIN (60 * US_PER_S)
#define US_PER_H   (60 * US_PER_MIN)
#define US_PER_DAY (24 * US_PER_H)

static const char expected_text[] =
    "expected a number with an optional unit (ms, s, min, h) or an ISO 8601 duration";

struct unit {
	const char *name;
	uint64_t us;
};

static const struct unit units[] = {
	{ "ms", US_PER_MS },
	{ "msec", US_PER_MS },
	{ "msecs", US_PER_MS },
	{ "us", 1 },
	{ "usec", 1 },
	{ "usecs", 1 },
	{ "s", US_PER_S },
	{ "sec", US_PER_S },
	{ "secs", US_PER_S },
	{ "second", US_PER_S },
	{ "seconds", US_PER_S },
	{ "m", US_PER_MIN },
	{ "min", US_PER_MIN },
	{ "mins", US_PER_MIN },
	{ "minute", US_PER_MIN },
	{ "minutes", US_PER_MIN },
	{ "h", US_PER_H },
	{ "hr", US_PER_H },
	{ "hrs", US_PER_H },
	{ "hour", US_PER_H },
	{ "hours", US_PER_H },
};

/* A decimal number "12" or "1.25": whole part and up to 6 fraction digits (more are dropped:
 * a millionth of the unit is below a millisecond for every unit but hours and weeks). */
struct number {
	uint64_t whole;
	uint64_t frac;	     /* fraction digits as an integer ... */
	uint64_t frac_scale; /* ... over this power of ten (1 when there is no fraction) */
};

static const char *
scan_number(const char *p, struct number *n, bool *overflow)
{
	const char *start = p;

	*n = (struct number){ 0, 0, 1 };
	*overflow = false;
	for (; isdigit((unsigned char)*p); p++) {
		if (n->whole > (UINT64_MAX - 9) / 10)
			*overflow = true;
		else
			n->whole = n->whole * 10 + (uint64_t)(*p - '0');
	}
	if (p == start)
		return NULL;
	if (*p != '.')
		return p;
	if (!isdigit((unsigned char)p[1]))
		return NULL;
	for (p++; isdigit((unsigned char)*p); p++) {
		if (n->frac_scale < UINT64_C(1000000)) {
			n->frac = n->frac * 10 + (uint64_t)(*p - '0');
			n->frac_scale *= 10;
		}
	}
	return p;
}

/* *total += n * unit_us; false on overflow. */
static bool
add_scaled(uint64_t *total, const struct number *n, uint64_t unit_us)
{
	uint64_t v, frac_us;

	if (n->whole > UINT64_MAX / unit_us)
		return false;
	v = n->whole * unit_us;
	frac_us = n->frac * unit_us / n->frac_scale; /* frac < 1e6, unit_us < 1e12: fits */
	if (v > UINT64_MAX - frac_us || *total > UINT64_MAX - v - frac_us)
		return false;
	*total += v + frac_us;
	return true;
}

static bool
fail(struct pl_error *err, const char *text, const char *why)
{
	pl_error_set(err, PL_EXIT_CONFIG, "invalid interval '%s': %s", text, why);
	return false;
}

static const struct unit *
find_unit(const char *p, size_t len)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len && strncasecmp(units[i].name, p, len) == 0)
			return &units[i];
	return NULL;
}

/* "10", "1.5s", "500 ms": p is past leading spaces, end before trailing ones. */
static bool
parse_plain(const char *text, const char *p, const char *end, uint64_t *us, struct pl_error *err)
{
	struct number n;
	const struct unit *u = NULL;
	bool overflow;
	char why[160];

	p = scan_number(p, &n, &overflow);
	if (p == NULL)
		return fail(err, text, expected_text);
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && (u = find_unit(p, (size_t)(end - p))) == NULL) {
		snprintf(why, sizeof(why), "unknown unit '%.*s' (expected ms, us, s, min or h)",
		    (int)(end - p) > 40 ? 40 : (int)(end - p), p);
		return fail(err, text, why);
	}
	*us = 0;
	if (overflow || !add_scaled(us, &n, u != NULL ? u->us : US_PER_S))
		return fail(err, text, "too large");
	return true;
}

/* ISO 8601 duration designators in the order they must appear. */
struct designator {
	char c;
	bool time_part; /* after 'T' */
	uint64_t us;
};

static const struct designator designators[] = {
	{ 'W', false, 7 * US_PER_DAY },
	{ 'D', false, US_PER_DAY },
	{ 'H', true, US_PER_H },
	{ 'M', true, US_PER_MIN },
	{ 'S', true, US_PER_S },
};

#define N_DESIGNATORS (sizeof(designators) / sizeof(designators[0]))

static int
find_designator(char c, bool in_time, size_t from)
{
	for (size_t i = from; i < N_DESIGNATORS; i++)
		if (designators[i].c == c && designators[i].time_part == in_time)
			return (int)i;
	return -1;
}

static const char iso_form[] =
    "not an ISO 8601 duration (expected PnW, PnD, PTnH, PTnM, PTnS or a combination "
    "like P1DT2H30M)";

/* One "<number><designator>" step; *next is the first designator allowed after it. */
static bool
iso_component(const char *text, const char **pp, bool in_time, size_t *next, uint64_t *us,
    struct pl_error *err)
{
	struct number n;
	bool overflow;
	int d;
	const char *p = scan_number(*pp, &n, &overflow);

	if (p == NULL)
		return fail(err, text, iso_form);
	if (!in_time && (*p == 'Y' || *p == 'M'))
		return fail(err, text, "years and months have no fixed length; use weeks or days");
	d = find_designator(*p, in_time, *next);
	if (d < 0)
		return fail(err, text, iso_form);
	if (n.frac_scale > 1 && designators[d].c != 'S')
		return fail(err, text, "only seconds may have a fraction in an ISO 8601 duration");
	if (overflow || !add_scaled(us, &n, designators[d].us))
		return fail(err, text, "too large");
	*next = (size_t)d + 1;
	*pp = p + 1;
	return true;
}

static bool
parse_iso(const char *text, const char *p, const char *end, uint64_t *us, struct pl_error *err)
{
	bool in_time = false;
	size_t next = 0, components = 0;

	*us = 0;
	for (p++; p < end; components++) {
		if (*p == 'T' && !in_time) {
			in_time = true;
			p++;
			if (p == end)
				return fail(err, text, iso_form);
			continue;
		}
		if (!iso_component(text, &p, in_time, &next, us, err))
			return false;
	}
	if (components == 0)
		return fail(err, text, iso_form);
	return true;
}

bool
pl_interval_parse_ms(const char *text, uint64_t *ms, struct pl_error *err)
{
	const char *p, *end;
	uint64_t us;
	bool ok;

	if (text == NULL)
		return fail(err, "", "empty");
	p = text;
	while (isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p == end)
		return fail(err, text, "empty");
	if (*p == 'P')
		ok = parse_iso(text, p, end, &us, err);
	else
		ok = parse_plain(text, p, end, &us, err);
	if (ok)
		*ms = us / US_PER_MS;
	return ok;
}

void
pl_interval_format(uint64_t ms, char *buf, unsigned long size)
{
	if (ms == 0)
		snprintf(buf, size, "0");
	else if (ms % (US_PER_H / US_PER_MS) == 0)
		snprintf(buf, size, "%lluh", (unsigned long long)(ms / (US_PER_H / US_PER_MS)));
	else if (ms % (US_PER_MIN / US_PER_MS) == 0)
		snprintf(buf, size, "%llumin", (unsigned long long)(ms / (US_PER_MIN / US_PER_MS)));
	else if (ms % 1000 == 0)
		snprintf(buf, size, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, size, "%llums", (unsigned long long)ms);
}
