/*
 * te_fence.c - the DC's count of failed fencing per target (stonith-max-attempts), as
 * Pacemaker's controller keeps it: every failed fencing of a target counts; once a target
 * has failed stonith-max-attempts times the DC stops asking by itself (the graph ends
 * without a new one: "Too many failures to fence T, giving up"); a change that asks for a
 * new transition (a CIB change, a node joining, a tool) tries once more. A successful
 * fencing of the target resets its count. The counts belong to this controller (a new DC
 * starts from zero, as Pacemaker's does).
 */
#include <stdlib.h>
#include <string.h>

#include "fsm_int.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

static struct crmd_fence_fail *
find(struct crmd *c, const char *target)
{
	for (size_t i = 0; i < c->n_fence_fails; i++)
		if (strcmp(c->fence_fails[i].target, target) == 0)
			return &c->fence_fails[i];
	return NULL;
}

bool
crmd_fence_count_failure(struct crmd *c, const char *target)
{
	struct crmd_fence_fail *f = find(c, target);
	uint32_t max = c->opt.stonith_max_attempts ? c->opt.stonith_max_attempts : 10;

	if (f == NULL) {
		c->fence_fails =
		    xreallocarray(c->fence_fails, c->n_fence_fails + 1, sizeof(*c->fence_fails));
		f = &c->fence_fails[c->n_fence_fails++];
		f->target = xstrdup(target);
		f->count = 0;
	}
	f->count++;
	if (f->count < max)
		return false;
	crmd_logf(c, PL_LOG_WARNING,
	    "Too many failures (%u) to fence %s, giving up (stonith-max-attempts=%u; a "
	    "configuration change or a successful fencing of %s tries again)",
	    f->count, target, max, target);
	return true;
}

void
crmd_fence_count_reset(struct crmd *c, const char *target)
{
	struct crmd_fence_fail *f = find(c, target);

	if (f == NULL)
		return;
	free(f->target);
	*f = c->fence_fails[--c->n_fence_fails];
}

uint32_t
crmd_fence_failures(const struct crmd *c, const char *target)
{
	for (size_t i = 0; i < c->n_fence_fails; i++)
		if (strcmp(c->fence_fails[i].target, target) == 0)
			return c->fence_fails[i].count;
	return 0;
}

void
crmd_fence_counts_free(struct crmd *c)
{
	for (size_t i = 0; i < c->n_fence_fails; i++)
		free(c->fence_fails[i].target);
	free(c->fence_fails);
	c->fence_fails = NULL;
	c->n_fence_fails = 0;
}
