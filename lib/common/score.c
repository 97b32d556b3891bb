/*
 * score.c - score arithmetic with Pacemaker's INFINITY semantics (see score.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/score.h"

int
pl_score_clamp(long long v)
{
	if (v >= PL_SCORE_INFINITY)
		return PL_SCORE_INFINITY;
	if (v <= -PL_SCORE_INFINITY)
		return -PL_SCORE_INFINITY;
	return (int)v;
}

int
pl_score_add(int a, int b)
{
	if (a <= -PL_SCORE_INFINITY || b <= -PL_SCORE_INFINITY)
		return -PL_SCORE_INFINITY;
	if (a >= PL_SCORE_INFINITY || b >= PL_SCORE_INFINITY)
		return PL_SCORE_INFINITY;
	return pl_score_clamp((long long)a + b);
}

int
pl_score_parse_ok(const char *s, bool *ok)
{
	if (ok)
		*ok = true;
	if (s == NULL)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	if (strcasecmp(s, "INFINITY") == 0 || strcasecmp(s, "+INFINITY") == 0)
		return PL_SCORE_INFINITY;
	if (strcasecmp(s, "-INFINITY") == 0)
		return -PL_SCORE_INFINITY;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s) {
		if (ok)
			*ok = false;
		return 0;
	}
	if (errno == ERANGE)
		return v < 0 ? -PL_SCORE_INFINITY : PL_SCORE_INFINITY;
	return pl_score_clamp(v);
}

bool
pl_score_parse_strict(const char *s, int *out, struct pl_error *err)
{
	const char *p = s;
	char *end;
	bool ok;

	if (s != NULL) {
		*out = pl_score_parse_ok(s, &ok);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '+' || *p == '-')
			p++;
		if (isdigit((unsigned char)*p)) {
			(void)strtoll(s, &end, 10);
			while (isspace((unsigned char)*end))
				end++;
			if (*end == '\0')
				return true;
		} else if (ok && *p != '\0') {
			return true; /* one of the INFINITY words */
		}
	}
	pl_error_set(err, PL_EXIT_CONFIG,
	    "invalid score '%s': expected an integer, INFINITY, +INFINITY or -INFINITY",
	    s != NULL ? s : "");
	return false;
}

const char *
pl_score_str(int score, char *buf)
{
	if (score >= PL_SCORE_INFINITY)
		snprintf(buf, PL_SCORE_BUFLEN, "INFINITY");
	else if (score <= -PL_SCORE_INFINITY)
		snprintf(buf, PL_SCORE_BUFLEN, "-INFINITY");
	else
		snprintf(buf, PL_SCORE_BUFLEN, "%d", score);
	return buf;
}
