/*
 * score.h - Pacemaker's score arithmetic: integers clamped to [-INFINITY, +INFINITY] where
 * INFINITY is 1000000, and -INFINITY wins over +INFINITY (a ban beats any preference).
 *
 *	int s = pl_score_add(pl_score_parse("INFINITY"), -5);   // still PL_SCORE_INFINITY
 *	char buf[PL_SCORE_BUFLEN]; pl_score_str(s, buf);          // "INFINITY"
 */
#ifndef PACELINE_SCORE_H
#define PACELINE_SCORE_H

#include <stdbool.h>

struct pl_error;

#define PL_SCORE_INFINITY 1000000
#define PL_SCORE_BUFLEN	  16

/* Sum with Pacemaker's rules: -INF + anything = -INF, +INF + finite = +INF, finite sums clamp. */
int pl_score_add(int a, int b);
/* Clamp any integer into the score range. */
int pl_score_clamp(long long v);
/* Parse "INFINITY", "+INFINITY", "-INFINITY" (any case), "red"/"yellow"/"green" are NOT known
 * here (node health is the caller's business); integers with optional sign, clamped. Unknown
 * text gives 0 and *ok = false when ok is not NULL (Pacemaker also treats it as 0). NULL gives 0. */
int pl_score_parse_ok(const char *s, bool *ok);
static inline int
pl_score_parse(const char *s)
{
	return pl_score_parse_ok(s, 0);
}
/* Strict, for validation: the whole text (surrounding spaces allowed) must be an integer or one
 * of the INFINITY words; out-of-range integers clamp. Otherwise false, with err (code
 * PL_EXIT_CONFIG) "invalid score 'TEXT': expected an integer, INFINITY, +INFINITY or -INFINITY". */
bool pl_score_parse_strict(const char *s, int *out, struct pl_error *err);
/* "INFINITY", "-INFINITY" or the decimal number; buf must hold PL_SCORE_BUFLEN bytes. */
const char *pl_score_str(int score, char *buf);

#endif
