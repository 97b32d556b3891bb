/*
 * lrmd_names.c - names of OCF exit codes and execution statuses, and the parameter list
 * shared by paceline-lrmd and its clients.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/lrmd_client.h"
#include "paceline/xalloc.h"

const char *
pl_ocf_rc_name(int rc)
{
	switch (rc) {
	case PL_OCF_SUCCESS: return "ok";
	case PL_OCF_ERR_GENERIC: return "error";
	case PL_OCF_ERR_ARGS: return "invalid parameter";
	case PL_OCF_ERR_UNIMPLEMENTED: return "unimplemented feature";
	case PL_OCF_ERR_PERM: return "insufficient privileges";
	case PL_OCF_ERR_INSTALLED: return "not installed";
	case PL_OCF_ERR_CONFIGURED: return "not configured";
	case PL_OCF_NOT_RUNNING: return "not running";
	case PL_OCF_RUNNING_PROMOTED: return "promoted";
	case PL_OCF_FAILED_PROMOTED: return "promoted (failed)";
	case PL_OCF_DEGRADED: return "OCF_DEGRADED";
	case PL_OCF_DEGRADED_PROMOTED: return "promoted (degraded)";
	default: return "unknown";
	}
}

bool
pl_ocf_rc_valid(int rc)
{
	return (rc >= 0 && rc <= 9) || rc == PL_OCF_DEGRADED || rc == PL_OCF_DEGRADED_PROMOTED;
}

const char *
pl_lrmd_status_name(int status)
{
	switch (status) {
	case PL_LRMD_PENDING: return "pending";
	case PL_LRMD_DONE: return "done";
	case PL_LRMD_CANCELLED: return "cancelled";
	case PL_LRMD_TIMED_OUT: return "timed out";
	case PL_LRMD_NOT_SUPPORTED: return "not supported";
	case PL_LRMD_ERROR: return "error";
	case PL_LRMD_NOT_INSTALLED: return "not installed";
	default: return "unknown";
	}
}

void
pl_lrmd_params_set(struct pl_lrmd_params *p, const char *name, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->name[i], name) == 0) {
			free(p->value[i]);
			p->value[i] = xstrdup(value);
			return;
		}
	}
	p->name = xreallocarray(p->name, p->n + 1, sizeof(*p->name));
	p->value = xreallocarray(p->value, p->n + 1, sizeof(*p->value));
	p->name[p->n] = xstrdup(name);
	p->value[p->n] = xstrdup(value);
	p->n++;
}

const char *
pl_lrmd_params_get(const struct pl_lrmd_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->value[i];
	return NULL;
}

void
pl_lrmd_params_copy(struct pl_lrmd_params *dst, const struct pl_lrmd_params *src)
{
	for (size_t i = 0; i < src->n; i++)
		pl_lrmd_params_set(dst, src->name[i], src->value[i]);
}

bool
pl_lrmd_params_equal(const struct pl_lrmd_params *a, const struct pl_lrmd_params *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const char *v = pl_lrmd_params_get(b, a->name[i]);
		if (v == NULL || strcmp(v, a->value[i]) != 0)
			return false;
	}
	return true;
}

void
pl_lrmd_params_free(struct pl_lrmd_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->name[i]);
		free(p->value[i]);
	}
	free(p->name);
	free(p->value);
	p->n = 0;
	p->name = p->value = NULL;
}
