/*
 * exec_systemd.c - the systemd class: units driven through systemd's D-Bus API
 * (org.freedesktop.systemd1) with GDBus, asynchronously on the main loop.
 *
 *	start/stop/reload/restart:  StartUnit|StopUnit|ReloadOrRestartUnit(unit, "replace")
 *	                            -> wait for the Manager's JobRemoved signal for that unit
 *	                            -> result "done" is rc 0, anything else rc 1 with the result
 *	monitor/status:             LoadUnit(unit) -> Unit.ActiveState: active/reloading/
 *	                            activating rc 0, inactive/deactivating/failed rc 7;
 *	                            LoadState not-found rc 5 (not installed)
 *
 * Where systemd does not run (no /run/systemd/system, or no system bus), every action but
 * stop ends with rc 5 and status "not installed" and says so; stop is rc 0 (nothing of
 * systemd's can be running).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "exec.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

#define SD_NAME	   "org.freedesktop.systemd1"
#define SD_PATH	   "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT	   "org.freedesktop.systemd1.Unit"

struct sd_op {
	struct lrmd_action *a;
	char *unit;
	GCancellable *cancel;
	guint timer;
	guint signal_sub;
	uint64_t started_ms;
	int inflight;  /* D-Bus calls whose callback has not run yet */
	bool finished; /* the action has its result; op lives on for inflight calls */
};

static GDBusConnection *sd_bus;
static bool sd_subscribed;

bool
lrmd_systemd_running(void)
{
	const char *dir = getenv("PL_SYSTEMD_RUNDIR");

	return access(dir != NULL ? dir : "/run/systemd/system", F_OK) == 0;
}

static char *
sd_unit_name(const char *type)
{
	const char *dot = strrchr(type, '.');

	if (dot != NULL && strchr(dot, '@') == NULL && dot[1] != '\0')
		return xstrdup(type);
	return xasprintf("%s.service", type);
}

/* Free op once it is finished and no D-Bus callback can still reach it. (A cancelled call may
 * still complete normally, so callbacks never trust the cancellation alone.) */
static void
sd_release(struct sd_op *op)
{
	if (!op->finished || op->inflight > 0)
		return;
	g_object_unref(op->cancel);
	free(op->unit);
	free(op);
}

/* A callback arrived: false when the op already has its result (and may now be freed). */
static bool
sd_callback_live(struct sd_op *op, GVariant *v, GError *err)
{
	op->inflight--;
	if (!op->finished)
		return true;
	if (v != NULL)
		g_variant_unref(v);
	if (err != NULL)
		g_error_free(err);
	sd_release(op);
	return false;
}

static void
sd_call(struct sd_op *op, const char *path, const char *iface, const char *method, GVariant *args,
    const GVariantType *reply, GAsyncReadyCallback cb)
{
	op->inflight++;
	g_dbus_connection_call(sd_bus, SD_NAME, path, iface, method, args, reply,
	    G_DBUS_CALL_FLAGS_NONE, -1, op->cancel, cb, op);
}

static void sd_finish(struct sd_op *op, int rc, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
sd_finish(struct sd_op *op, int rc, int status, const char *fmt, ...)
{
	struct lrmd_action *a = op->a;
	va_list ap;

	if (op->timer != 0)
		g_source_remove(op->timer);
	op->timer = 0;
	if (op->signal_sub != 0)
		g_dbus_connection_signal_unsubscribe(sd_bus, op->signal_sub);
	op->signal_sub = 0;
	g_cancellable_cancel(op->cancel);
	op->finished = true;
	op->a = NULL;
	a->systemd = NULL;
	a->exec_ms = pl_mono_ms() - op->started_ms;
	a->rc = rc;
	a->status = status;
	free(a->exit_reason);
	a->exit_reason = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		a->exit_reason = xvasprintf(fmt, ap);
		va_end(ap);
	}
	a->running = false;
	sd_release(op);
	a->done(a, a->done_arg);
}

static gboolean
sd_timeout(gpointer arg)
{
	struct sd_op *op = arg;

	op->timer = 0;
	sd_finish(op, PL_OCF_ERR_GENERIC, PL_LRMD_TIMED_OUT, "%s of %s timed out", op->a->action,
	    op->unit);
	return G_SOURCE_REMOVE;
}

void
lrmd_systemd_cancel(struct lrmd_action *a)
{
	struct sd_op *op = a->systemd;

	if (op != NULL)
		sd_finish(op, PL_OCF_ERR_GENERIC, PL_LRMD_CANCELLED, NULL);
}

/* A D-Bus error as an agent result; true when it was one. */
static bool
sd_error(struct sd_op *op, GError *err, const char *what)
{
	if (err == NULL)
		return false;
	{
		char *remote = g_dbus_error_get_remote_error(err);
		bool missing = remote != NULL &&
		    (strstr(remote, "NoSuchUnit") != NULL || strstr(remote, "LoadFailed") != NULL);

		g_dbus_error_strip_remote_error(err);
		if (missing)
			sd_finish(op, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
			    "systemd unit %s not found", op->unit);
		else
			sd_finish(op, PL_OCF_ERR_GENERIC, PL_LRMD_ERROR, "%s %s: %s", what,
			    op->unit, err->message);
		g_free(remote);
	}
	g_error_free(err);
	return true;
}

/* --- monitor --- */

static void
sd_props_done(GObject *src, GAsyncResult *res, gpointer arg)
{
	struct sd_op *op = arg;
	GError *err = NULL;
	GVariant *v = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
	GVariant *props;
	const char *load = NULL, *active = NULL;

	if (!sd_callback_live(op, v, err))
		return;
	if (sd_error(op, err, "cannot read state of"))
		return;
	g_variant_get(v, "(@a{sv})", &props);
	g_variant_lookup(props, "LoadState", "&s", &load);
	g_variant_lookup(props, "ActiveState", "&s", &active);
	if (load != NULL && strcmp(load, "not-found") == 0)
		sd_finish(op, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "systemd unit %s not found", op->unit);
	else if (active != NULL &&
	    (strcmp(active, "active") == 0 || strcmp(active, "reloading") == 0 ||
		strcmp(active, "activating") == 0))
		sd_finish(op, PL_OCF_SUCCESS, PL_LRMD_DONE, NULL);
	else if (active != NULL && strcmp(active, "failed") == 0)
		sd_finish(
		    op, PL_OCF_NOT_RUNNING, PL_LRMD_DONE, "systemd unit %s has failed", op->unit);
	else
		sd_finish(op, PL_OCF_NOT_RUNNING, PL_LRMD_DONE, NULL);
	g_variant_unref(props);
	g_variant_unref(v);
}

static void
sd_load_done(GObject *src, GAsyncResult *res, gpointer arg)
{
	struct sd_op *op = arg;
	GError *err = NULL;
	GVariant *v = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);
	const char *path;

	if (!sd_callback_live(op, v, err))
		return;
	if (sd_error(op, err, "cannot load"))
		return;
	g_variant_get(v, "(&o)", &path);
	sd_call(op, path, "org.freedesktop.DBus.Properties", "GetAll",
	    g_variant_new("(s)", SD_UNIT), G_VARIANT_TYPE("(a{sv})"), sd_props_done);
	g_variant_unref(v);
}

/* --- jobs --- */

static void
sd_job_removed(GDBusConnection *conn, const char *sender, const char *path, const char *iface,
    const char *signal, GVariant *params, gpointer arg)
{
	struct sd_op *op = arg;
	guint32 id;
	const char *job, *unit, *result;

	(void)conn;
	(void)sender;
	(void)path;
	(void)iface;
	(void)signal;
	g_variant_get(params, "(u&o&s&s)", &id, &job, &unit, &result);
	if (strcmp(unit, op->unit) != 0)
		return;
	if (strcmp(result, "done") == 0)
		sd_finish(op, PL_OCF_SUCCESS, PL_LRMD_DONE, NULL);
	else
		sd_finish(op, PL_OCF_ERR_GENERIC, PL_LRMD_DONE, "systemd job %s of %s ended: %s",
		    op->a->action, unit, result);
}

static void
sd_job_queued(GObject *src, GAsyncResult *res, gpointer arg)
{
	struct sd_op *op = arg;
	GError *err = NULL;
	GVariant *v = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res, &err);

	if (!sd_callback_live(op, v, err))
		return;
	if (sd_error(op, err, "cannot queue job for"))
		return;
	/* Now JobRemoved decides. */
	g_variant_unref(v);
}

static void
sd_meta_data(struct lrmd_action *a, const char *unit)
{
	free(a->output);
	a->output = xasprintf(
	    "<?xml version=\"1.0\"?>\n"
	    "<resource-agent name=\"%s\" version=\"1.0\">\n"
	    "<version>1.1</version>\n"
	    "<longdesc lang=\"en\">systemd unit %s</longdesc>\n"
	    "<shortdesc lang=\"en\">systemd unit %s</shortdesc>\n"
	    "<parameters/>\n<actions>\n"
	    "<action name=\"start\" timeout=\"100s\"/>\n<action name=\"stop\" timeout=\"100s\"/>\n"
	    "<action name=\"status\" timeout=\"100s\"/>\n"
	    "<action name=\"monitor\" timeout=\"100s\" interval=\"60s\"/>\n"
	    "<action name=\"meta-data\" timeout=\"5s\"/>\n</actions>\n</resource-agent>\n",
	    a->type, unit, unit);
}

static bool
sd_connect(GError **err)
{
	if (sd_bus != NULL)
		return true;
	sd_bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, err);
	if (sd_bus == NULL)
		return false;
	g_dbus_connection_set_exit_on_close(sd_bus, false);
	return true;
}

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
lrmd_systemd_list(void)
{
	GPtrArray *v = g_ptr_array_new();
	GError *err = NULL;
	GVariant *r = NULL, *files;
	GVariantIter it;
	const char *path, *state;

	/* A catalogue request is rare and answered at once: a bounded synchronous call. */
	if (lrmd_systemd_running() && sd_connect(&err))
		r = g_dbus_connection_call_sync(sd_bus, SD_NAME, SD_PATH, SD_MANAGER, "ListUnitFiles",
		    NULL, G_VARIANT_TYPE("(a(ss))"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &err);
	if (err != NULL) {
		log_warnx("cannot list systemd units: %s", err->message);
		g_error_free(err);
	}
	if (r != NULL) {
		files = g_variant_get_child_value(r, 0);
		g_variant_iter_init(&it, files);
		while (g_variant_iter_next(&it, "(&s&s)", &path, &state)) {
			const char *base = strrchr(path, '/');
			size_t len;

			base = base != NULL ? base + 1 : path;
			len = strlen(base);
			/* services only, without templates; named as resources name them */
			if (len > 8 && strcmp(base + len - 8, ".service") == 0 &&
			    strchr(base, '@') == NULL)
				g_ptr_array_add(v, g_strndup(base, len - 8));
		}
		g_variant_unref(files);
		g_variant_unref(r);
	}
	g_ptr_array_sort(v, str_cmp);
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, false);
}

void
lrmd_systemd_start(struct lrmd_action *a)
{
	const char *method = NULL;
	struct sd_op *op;
	GError *err = NULL;
	char *unit = sd_unit_name(a->type);

	if (strcmp(a->action, "meta-data") == 0) {
		sd_meta_data(a, unit);
		lrmd_exec_finish_later(a, PL_OCF_SUCCESS, PL_LRMD_DONE, NULL);
		free(unit);
		return;
	}
	if (!lrmd_systemd_running()) {
		if (strcmp(a->action, "stop") == 0)
			lrmd_exec_finish_later(a, PL_OCF_SUCCESS, PL_LRMD_DONE, NULL);
		else
			lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
			    "systemd is not running on this host, cannot %s %s", a->action, unit);
		free(unit);
		return;
	}
	if (!sd_connect(&err)) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "cannot reach systemd on the system bus: %s", err->message);
		g_error_free(err);
		free(unit);
		return;
	}

	if (strcmp(a->action, "start") == 0)
		method = "StartUnit";
	else if (strcmp(a->action, "stop") == 0)
		method = "StopUnit";
	else if (strcmp(a->action, "reload") == 0 || strcmp(a->action, "restart") == 0)
		method = "ReloadOrRestartUnit";
	else if (strcmp(a->action, "monitor") != 0 && strcmp(a->action, "status") != 0) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_UNIMPLEMENTED, PL_LRMD_NOT_SUPPORTED,
		    "systemd units have no %s action", a->action);
		free(unit);
		return;
	}

	op = XNEW(struct sd_op);
	op->a = a;
	op->unit = unit;
	op->cancel = g_cancellable_new();
	op->started_ms = pl_mono_ms();
	a->systemd = op;
	op->timer = g_timeout_add(
	    a->timeout_ms != 0 ? a->timeout_ms : lrmd_conf.default_timeout_ms, sd_timeout, op);

	if (method == NULL) {
		sd_call(op, SD_PATH, SD_MANAGER, "LoadUnit", g_variant_new("(s)", unit),
		    G_VARIANT_TYPE("(o)"), sd_load_done);
		return;
	}
	if (!sd_subscribed) {
		/* systemd sends job signals only to subscribers. */
		g_dbus_connection_call(sd_bus, SD_NAME, SD_PATH, SD_MANAGER, "Subscribe", NULL,
		    NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
		sd_subscribed = true;
	}
	op->signal_sub = g_dbus_connection_signal_subscribe(sd_bus, SD_NAME, SD_MANAGER,
	    "JobRemoved", SD_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, sd_job_removed, op, NULL);
	sd_call(op, SD_PATH, SD_MANAGER, method, g_variant_new("(ss)", unit, "replace"),
	    G_VARIANT_TYPE("(o)"), sd_job_queued);
}
