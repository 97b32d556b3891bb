/*
 * exec.c - one resource agent action: where the agent is, its environment, running it
 * (pl_child, lib/common/child.c) and mapping what happened to rc + execution status + exit reason.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

extern char **environ;

struct lrmd_config lrmd_conf;

void
lrmd_conf_init(void)
{
	const char *v;

	lrmd_conf_free();
	v = getenv("OCF_ROOT");
	/* absolute, so it survives the daemon's chdir("/") */
	lrmd_conf.ocf_root = v != NULL && *v != '\0' ? realpath(v, NULL) : NULL;
	if (lrmd_conf.ocf_root == NULL)
		lrmd_conf.ocf_root = xstrdup(v != NULL && *v != '\0' ? v : "/usr/lib/ocf");
	v = getenv("PL_LSB_DIR");
	lrmd_conf.lsb_dir = xstrdup(v != NULL && *v != '\0' ? v : "/etc/init.d");
	lrmd_conf.kill_grace_ms = 2000;
	v = getenv("PL_LRMD_KILL_GRACE_MS");
	if (v != NULL && *v != '\0')
		lrmd_conf.kill_grace_ms = (uint32_t)strtoul(v, NULL, 10);
	lrmd_conf.output_max = 64 * 1024;
	lrmd_conf.default_timeout_ms = 20000;
}

void
lrmd_conf_free(void)
{
	free(lrmd_conf.ocf_root);
	free(lrmd_conf.lsb_dir);
	memset(&lrmd_conf, 0, sizeof(lrmd_conf));
}

struct lrmd_action *
lrmd_action_new(const char *rsc_id, const char *rclass, const char *provider, const char *type,
    const char *action, uint32_t interval_ms, uint32_t timeout_ms)
{
	struct lrmd_action *a = XNEW(struct lrmd_action);

	a->rsc_id = xstrdup(rsc_id);
	a->rclass = xstrdup(rclass);
	a->provider = xstrdup(provider != NULL && *provider != '\0' ? provider : NULL);
	a->type = xstrdup(type);
	a->action = xstrdup(action);
	a->interval_ms = interval_ms;
	a->timeout_ms = timeout_ms;
	a->status = PL_LRMD_PENDING;
	a->child.fd[0] = a->child.fd[1] = -1;
	return a;
}

void
lrmd_action_reset(struct lrmd_action *a)
{
	free(a->exit_reason);
	free(a->output);
	a->exit_reason = NULL;
	a->output = NULL;
	a->rc = PL_OCF_ERR_GENERIC;
	a->status = PL_LRMD_PENDING;
	a->exec_ms = 0;
}

void
lrmd_action_free(struct lrmd_action *a)
{
	if (a == NULL)
		return;
	/* Callers cancel first; freeing a running action would leave its sources behind. */
	if (a->running || a->idle_src != 0)
		fatalx("lrmd: freeing action %s_%s_%u while it is in flight", a->rsc_id, a->action,
		    a->interval_ms);
	free(a->rsc_id);
	free(a->rclass);
	free(a->provider);
	free(a->type);
	free(a->action);
	pl_lrmd_params_free(&a->params);
	pl_lrmd_params_free(&a->meta);
	free(a->exit_reason);
	free(a->output);
	free(a);
}

/* --- environment --- */

static bool
env_name_ok(const char *name)
{
	if (*name == '\0')
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (*p == '=' || !isgraph((unsigned char)*p))
			return false;
	return true;
}

static bool
env_inherited_ocf(const char *entry)
{
	return strncmp(entry, "OCF_", 4) == 0 || strncmp(entry, "PL_", 3) == 0;
}

char **
lrmd_env_build(const struct lrmd_action *a, char *const *base, const char **bad)
{
	GPtrArray *env = g_ptr_array_new();
	bool ocf = strcmp(a->rclass, "ocf") == 0;
	uint32_t timeout = a->timeout_ms != 0 ? a->timeout_ms : lrmd_conf.default_timeout_ms;

	*bad = NULL;
	/* What the daemon was started with, minus anything OCF-shaped: an agent must see only
	 * its own resource's variables. (PL_* are Paceline's internal switches.) */
	for (char *const *e = base; e != NULL && *e != NULL; e++)
		if (!env_inherited_ocf(*e))
			g_ptr_array_add(env, xstrdup(*e));
	if (!ocf)
		goto out;

	for (size_t i = 0; i < a->params.n; i++) {
		if (!env_name_ok(a->params.name[i])) {
			*bad = a->params.name[i];
			g_ptr_array_set_free_func(env, free);
			g_ptr_array_free(env, true);
			return NULL;
		}
		g_ptr_array_add(
		    env, xasprintf("OCF_RESKEY_%s=%s", a->params.name[i], a->params.value[i]));
	}
	for (size_t i = 0; i < a->meta.n; i++) {
		char *name;

		if (!env_name_ok(a->meta.name[i])) {
			*bad = a->meta.name[i];
			g_ptr_array_set_free_func(env, free);
			g_ptr_array_free(env, true);
			return NULL;
		}
		/* Set from the request itself below. */
		if (strcmp(a->meta.name[i], "timeout") == 0 ||
		    strcmp(a->meta.name[i], "interval") == 0)
			continue;
		/* Pacemaker's convention: meta attribute clone-max -> OCF_RESKEY_CRM_meta_clone_max */
		name = xstrdup(a->meta.name[i]);
		for (char *p = name; *p != '\0'; p++)
			if (*p == '-')
				*p = '_';
		g_ptr_array_add(env, xasprintf("OCF_RESKEY_CRM_meta_%s=%s", name, a->meta.value[i]));
		free(name);
	}
	g_ptr_array_add(env, xasprintf("OCF_RESKEY_CRM_meta_timeout=%u", timeout));
	g_ptr_array_add(env, xasprintf("OCF_RESKEY_CRM_meta_interval=%u", a->interval_ms));
	g_ptr_array_add(env, xstrdup("OCF_RA_VERSION_MAJOR=1"));
	g_ptr_array_add(env, xstrdup("OCF_RA_VERSION_MINOR=1"));
	g_ptr_array_add(env, xasprintf("OCF_ROOT=%s", lrmd_conf.ocf_root));
	g_ptr_array_add(env, xasprintf("OCF_FUNCTIONS_DIR=%s/lib/heartbeat", lrmd_conf.ocf_root));
	g_ptr_array_add(env, xasprintf("OCF_RESOURCE_INSTANCE=%s", a->rsc_id));
	g_ptr_array_add(env, xasprintf("OCF_RESOURCE_TYPE=%s", a->type));
	if (a->provider != NULL)
		g_ptr_array_add(env, xasprintf("OCF_RESOURCE_PROVIDER=%s", a->provider));
out:
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, false);
}

/* --- exit codes --- */

int
lrmd_map_ocf_exit(int code, const char **why)
{
	*why = NULL;
	if (pl_ocf_rc_valid(code))
		return code;
	*why = "not an OCF exit code";
	return PL_OCF_ERR_GENERIC;
}

int
lrmd_map_lsb_exit(const char *action, int code)
{
	if (strcmp(action, "status") == 0 || strcmp(action, "monitor") == 0) {
		/* LSB status: 0 running, 1 dead with pid file, 2 dead with lock file, 3 not
		 * running, 4 unknown; 150/151 are the not-installed/no-privilege codes some
		 * distributions use. */
		switch (code) {
		case 0: return PL_OCF_SUCCESS;
		case 1:
		case 2:
		case 3: return PL_OCF_NOT_RUNNING;
		case 150: return PL_OCF_ERR_INSTALLED;
		case 151: return PL_OCF_ERR_PERM;
		default: return PL_OCF_ERR_GENERIC;
		}
	}
	/* Other actions: 0-7 mean what OCF's 0-7 mean. */
	if (code >= 0 && code <= 7)
		return code;
	return PL_OCF_ERR_GENERIC;
}

char *
lrmd_parse_exit_reason(const char *errout)
{
	static const char tag[] = "ocf-exit-reason:";
	const char *last = NULL, *p = errout;
	size_t len;
	char *r;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, tag, sizeof(tag) - 1) == 0)
			last = p + sizeof(tag) - 1;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (last == NULL)
		return NULL;
	while (*last == ' ' || *last == '\t')
		last++;
	len = strcspn(last, "\n");
	while (len > 0 && isspace((unsigned char)last[len - 1]))
		len--;
	if (len == 0)
		return NULL;
	if (len > LRMD_EXIT_REASON_MAX)
		len = LRMD_EXIT_REASON_MAX;
	r = xstrndup(last, len);
	for (char *q = r; *q != '\0'; q++)
		if (iscntrl((unsigned char)*q))
			*q = ' ';
	return r;
}

/* --- locating agents --- */

static bool
agent_name_ok(const char *s)
{
	return s != NULL && *s != '\0' && strchr(s, '/') == NULL && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0;
}

char *
lrmd_agent_path(const char *rclass, const char *provider, const char *type)
{
	if (!agent_name_ok(type))
		return NULL;
	if (strcmp(rclass, "ocf") == 0) {
		if (!agent_name_ok(provider))
			return NULL;
		return xasprintf("%s/resource.d/%s/%s", lrmd_conf.ocf_root, provider, type);
	}
	if (strcmp(rclass, "lsb") == 0)
		return xasprintf("%s/%s", lrmd_conf.lsb_dir, type);
	return NULL;
}

const char *
lrmd_service_class(const char *type)
{
	char *lsb = lrmd_agent_path("lsb", NULL, type);
	bool have_lsb = lsb != NULL && access(lsb, X_OK) == 0;

	free(lsb);
	if (!have_lsb && lrmd_systemd_running())
		return "systemd";
	return "lsb";
}

/* --- running --- */

static gboolean
exec_finish_idle(gpointer arg)
{
	struct lrmd_action *a = arg;

	a->idle_src = 0;
	a->done(a, a->done_arg);
	return G_SOURCE_REMOVE;
}

void
lrmd_exec_finish_later(struct lrmd_action *a, int rc, int status, const char *reason, ...)
{
	va_list ap;

	a->rc = rc;
	a->status = status;
	free(a->exit_reason);
	a->exit_reason = NULL;
	if (reason != NULL) {
		va_start(ap, reason);
		a->exit_reason = xvasprintf(reason, ap);
		va_end(ap);
	}
	a->running = false;
	a->idle_src = g_idle_add(exec_finish_idle, a);
}

static void
exec_child_done(struct pl_child *c, void *arg)
{
	struct lrmd_action *a = arg;
	const char *why = NULL;
	bool lsb = strcmp(a->rclass, "ocf") != 0;

	a->running = false;
	a->exec_ms = c->elapsed_ms;
	free(a->exit_reason);
	a->exit_reason = lrmd_parse_exit_reason(pl_buf_str(&c->out[1]));
	free(a->output);
	a->output = c->out[0].len > 0 ? pl_buf_steal(&c->out[0]) : NULL;

	if (c->killed) {
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_CANCELLED;
	} else if (c->timed_out) {
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_TIMED_OUT;
		free(a->exit_reason);
		a->exit_reason = xasprintf("%s timed out after %ums", a->action,
		    a->timeout_ms != 0 ? a->timeout_ms : lrmd_conf.default_timeout_ms);
	} else if (!c->exited) {
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_ERROR;
		free(a->exit_reason);
		a->exit_reason = xasprintf(
		    "agent killed by signal %d (%s)", c->term_signal, strsignal(c->term_signal));
	} else {
		a->status = PL_LRMD_DONE;
		if (lsb) {
			a->rc = lrmd_map_lsb_exit(a->action, c->exit_code);
		} else {
			a->rc = lrmd_map_ocf_exit(c->exit_code, &why);
			if (why != NULL) {
				free(a->exit_reason);
				a->exit_reason =
				    xasprintf("agent exited with %d, %s", c->exit_code, why);
			}
		}
	}
	if (c->dropped[0] + c->dropped[1] > 0)
		log_info("%s_%s_%u: agent output beyond %zu bytes dropped (%zu stdout, %zu stderr)",
		    a->rsc_id, a->action, a->interval_ms, c->output_max, c->dropped[0],
		    c->dropped[1]);
	if (a->rc != PL_OCF_SUCCESS && c->out[1].len > 0)
		log_debug("%s_%s_%u stderr: %.512s", a->rsc_id, a->action, a->interval_ms,
		    pl_buf_str(&c->out[1]));
	pl_child_clear(c);
	a->done(a, a->done_arg);
}

void
lrmd_exec_start(struct lrmd_action *a, lrmd_action_done_fn done, void *arg)
{
	const char *rclass = a->rclass, *bad = NULL, *arg1 = a->action;
	char *path = NULL, **env = NULL;
	struct stat st;

	lrmd_action_reset(a);
	a->done = done;
	a->done_arg = arg;
	a->running = true;

	if (strcmp(rclass, "service") == 0)
		rclass = lrmd_service_class(a->type);
	if (strcmp(rclass, "stonith") == 0) {
		lrmd_stonith_start(a);
		return;
	}
	if (strcmp(rclass, "systemd") == 0) {
		lrmd_systemd_start(a);
		return;
	}
	if (strcmp(rclass, "ocf") != 0 && strcmp(rclass, "lsb") != 0) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_CONFIGURED, PL_LRMD_NOT_SUPPORTED,
		    "unknown resource class '%s' (ocf, lsb, systemd, service, stonith)", rclass);
		return;
	}
	path = lrmd_agent_path(rclass, a->provider, a->type);
	if (path == NULL) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "invalid agent %s:%s:%s (names may not be empty or contain '/')", rclass,
		    a->provider != NULL ? a->provider : "", a->type);
		return;
	}
	if (stat(path, &st) < 0) {
		lrmd_exec_finish_later(
		    a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED, "agent %s not found", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "agent %s is not an executable file", path);
		goto out;
	}
	if (strcmp(rclass, "lsb") == 0) {
		if (strcmp(a->action, "monitor") == 0)
			arg1 = "status";
		else if (strcmp(a->action, "meta-data") == 0) {
			/* init scripts have no meta-data action: agents.c synthesises it */
			lrmd_exec_finish_later(a, PL_OCF_ERR_UNIMPLEMENTED, PL_LRMD_NOT_SUPPORTED,
			    "LSB scripts have no meta-data action");
			goto out;
		}
	}
	env = lrmd_env_build(a, environ, &bad);
	if (env == NULL) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_CONFIGURED, PL_LRMD_ERROR,
		    "parameter name '%s' cannot be passed in the environment", bad);
		goto out;
	}
	{
		char *argv[] = { path, (char *)arg1, NULL };
		uint32_t timeout = a->timeout_ms != 0 ? a->timeout_ms : lrmd_conf.default_timeout_ms;

		/* meta-data is XML that must arrive whole */
		size_t max = strcmp(a->action, "meta-data") == 0 && lrmd_conf.output_max < 512 * 1024
		    ? 512 * 1024
		    : lrmd_conf.output_max;

		if (!pl_child_spawn(&a->child, argv, env, timeout, lrmd_conf.kill_grace_ms, max,
			exec_child_done, a))
			lrmd_exec_finish_later(a, PL_OCF_ERR_GENERIC, PL_LRMD_ERROR,
			    "cannot run %s: %s", path, strerror(a->child.spawn_errno));
	}
out:
	g_strfreev(env);
	free(path);
}

void
lrmd_exec_cancel(struct lrmd_action *a)
{
	if (a->idle_src != 0) {
		/* Known result not delivered yet: deliver "cancelled" instead. */
		g_source_remove(a->idle_src);
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_CANCELLED;
		a->idle_src = g_idle_add(exec_finish_idle, a);
		return;
	}
	if (!a->running)
		return;
	if (a->systemd != NULL)
		lrmd_systemd_cancel(a);
	else
		pl_child_kill(&a->child);
}
