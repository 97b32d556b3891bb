/*
 * test_systemd.c - the systemd class against a fake systemd: a private dbus-daemon stands in
 * for the system bus (DBUS_SYSTEM_BUS_ADDRESS) and this process serves a small
 * org.freedesktop.systemd1 on it (LoadUnit, StartUnit, StopUnit, Subscribe, JobRemoved, unit
 * LoadState/ActiveState, ListUnitFiles). The fake runs in a thread of its own with its own
 * main context, so that the executor's synchronous calls are answered too. Skipped when
 * dbus-daemon is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>
#include <gio/gio.h>

#include "agents.h"
#include "exec.h"
#include "helpers.h"
#include "paceline/xalloc.h"

static const char manager_xml[] =
    "<node><interface name='org.freedesktop.systemd1.Manager'>"
    " <method name='LoadUnit'><arg type='s' direction='in'/><arg type='o' "
    "direction='out'/></method>"
    " <method name='StartUnit'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "  <arg type='o' direction='out'/></method>"
    " <method name='StopUnit'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "  <arg type='o' direction='out'/></method>"
    " <method name='ReloadOrRestartUnit'><arg type='s' direction='in'/><arg type='s' "
    "direction='in'/>"
    "  <arg type='o' direction='out'/></method>"
    " <method name='Subscribe'/>"
    " <method name='ListUnitFiles'><arg type='a(ss)' direction='out'/></method>"
    " <signal name='JobRemoved'><arg type='u'/><arg type='o'/><arg type='s'/><arg "
    "type='s'/></signal>"
    "</interface></node>";
static const char unit_xml[] = "<node><interface name='org.freedesktop.systemd1.Unit'>"
			       " <property name='LoadState' type='s' access='read'/>"
			       " <property name='ActiveState' type='s' access='read'/>"
			       "</interface></node>";

struct unit {
	char *name;
	bool loaded;
	const char *active;
};

static GDBusConnection *mock_conn;
static GMainContext *mock_ctx;
static GMainLoop *mock_loop;
static GThread *mock_thread;
static char bus_addr[512];
static GMutex mock_lock;
static GCond mock_cond;
static int mock_state; /* 0 starting, 1 ready, -1 failed */
static GDBusNodeInfo *manager_info, *unit_info;
static struct unit units[] = {
	{ "web.service", true, "inactive" },
	{ "bad.service", true, "inactive" },
	{ "slow.service", true, "inactive" },
	{ "nosuch.service", false, "inactive" },
};
static GPid bus_pid;
static guint32 job_seq;
static bool have_bus;

static struct unit *
unit_find(const char *name)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(units[i].name, name) == 0)
			return &units[i];
	return NULL;
}

static char *
unit_path(const char *name)
{
	GString *p = g_string_new("/org/freedesktop/systemd1/unit/");

	for (const char *c = name; *c != '\0'; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(p, *c);
		else
			g_string_append_printf(p, "_%02x", (unsigned char)*c);
	return g_string_free(p, false);
}

static GVariant *
unit_get(GDBusConnection *c, const gchar *sender, const gchar *path, const gchar *iface,
    const gchar *prop, GError **err, gpointer arg)
{
	struct unit *u = arg;

	(void)c;
	(void)sender;
	(void)path;
	(void)iface;
	(void)err;
	if (strcmp(prop, "LoadState") == 0)
		return g_variant_new_string(u->loaded ? "loaded" : "not-found");
	return g_variant_new_string(u->active);
}

struct job {
	guint32 id;
	char *path, *unit, *result;
};

static gboolean
job_done(gpointer arg)
{
	struct job *j = arg;

	g_dbus_connection_emit_signal(mock_conn, NULL, "/org/freedesktop/systemd1",
	    "org.freedesktop.systemd1.Manager", "JobRemoved",
	    g_variant_new("(uoss)", j->id, j->path, j->unit, j->result), NULL);
	g_free(j->path);
	g_free(j->unit);
	g_free(j);
	return G_SOURCE_REMOVE;
}

static void
manager_call(GDBusConnection *c, const gchar *sender, const gchar *path, const gchar *iface,
    const gchar *method, GVariant *params, GDBusMethodInvocation *inv, gpointer arg)
{
	static const GDBusInterfaceVTable unit_vt = { NULL, unit_get, NULL, { 0 } };
	const char *name = NULL, *mode;
	struct unit *u;
	struct job *j;

	(void)c;
	(void)sender;
	(void)path;
	(void)iface;
	(void)arg;
	if (strcmp(method, "Subscribe") == 0) {
		g_dbus_method_invocation_return_value(inv, NULL);
		return;
	}
	if (strcmp(method, "ListUnitFiles") == 0) {
		GVariantBuilder b;

		g_variant_builder_init(&b, G_VARIANT_TYPE("a(ss)"));
		g_variant_builder_add(&b, "(ss)", "/lib/systemd/system/web.service", "enabled");
		g_variant_builder_add(&b, "(ss)", "/lib/systemd/system/getty@.service", "enabled");
		g_variant_builder_add(&b, "(ss)", "/lib/systemd/system/basic.target", "static");
		g_variant_builder_add(&b, "(ss)", "/etc/systemd/system/bad.service", "disabled");
		g_dbus_method_invocation_return_value(inv, g_variant_new("(a(ss))", &b));
		return;
	}
	if (strcmp(method, "LoadUnit") == 0)
		g_variant_get(params, "(&s)", &name);
	else
		g_variant_get(params, "(&s&s)", &name, &mode);
	u = unit_find(name);
	if (strcmp(method, "LoadUnit") == 0) {
		char *p = unit_path(name);

		if (u == NULL) {
			g_dbus_method_invocation_return_dbus_error(
			    inv, "org.freedesktop.systemd1.NoSuchUnit", "no such unit");
			g_free(p);
			return;
		}
		/* registering twice fails harmlessly */
		g_dbus_connection_register_object(
		    mock_conn, p, unit_info->interfaces[0], &unit_vt, u, NULL, NULL);
		g_dbus_method_invocation_return_value(inv, g_variant_new("(o)", p));
		g_free(p);
		return;
	}
	if (u == NULL || !u->loaded) {
		g_dbus_method_invocation_return_dbus_error(
		    inv, "org.freedesktop.systemd1.NoSuchUnit", "Unit not found.");
		return;
	}
	j = g_new0(struct job, 1);
	j->id = ++job_seq;
	j->path = g_strdup_printf("/org/freedesktop/systemd1/job/%u", j->id);
	j->unit = g_strdup(name);
	if (strcmp(name, "bad.service") == 0) {
		j->result = "failed";
		u->active = "failed";
	} else {
		j->result = "done";
		u->active = strcmp(method, "StopUnit") == 0 ? "inactive" : "active";
	}
	g_dbus_method_invocation_return_value(inv, g_variant_new("(o)", j->path));
	if (strcmp(name, "slow.service") == 0) {
		/* never finishes */
		g_free(j->path);
		g_free(j->unit);
		g_free(j);
		return;
	}
	{
		GSource *src = g_timeout_source_new(20);

		g_source_set_callback(src, job_done, j, NULL);
		g_source_attach(src, mock_ctx);
		g_source_unref(src);
	}
}

static void
mock_ready(int st)
{
	g_mutex_lock(&mock_lock);
	mock_state = st;
	g_cond_signal(&mock_cond);
	g_mutex_unlock(&mock_lock);
}

static gpointer
mock_main(gpointer arg)
{
	static const GDBusInterfaceVTable manager_vt = { manager_call, NULL, NULL, { 0 } };
	GError *err = NULL;
	GVariant *v;

	(void)arg;
	g_main_context_push_thread_default(mock_ctx);
	mock_conn = g_dbus_connection_new_for_address_sync(bus_addr,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL, NULL, &err);
	if (mock_conn == NULL) {
		mock_ready(-1);
		return NULL;
	}
	manager_info = g_dbus_node_info_new_for_xml(manager_xml, NULL);
	unit_info = g_dbus_node_info_new_for_xml(unit_xml, NULL);
	g_dbus_connection_register_object(mock_conn, "/org/freedesktop/systemd1",
	    manager_info->interfaces[0], &manager_vt, NULL, NULL, NULL);
	v = g_dbus_connection_call_sync(mock_conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	    "org.freedesktop.DBus", "RequestName",
	    g_variant_new("(su)", "org.freedesktop.systemd1", 0), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
	    NULL, &err);
	if (v == NULL) {
		mock_ready(-1);
		return NULL;
	}
	g_variant_unref(v);
	mock_ready(1);
	g_main_loop_run(mock_loop);
	g_main_context_pop_thread_default(mock_ctx);
	return NULL;
}

static int
group_setup(void **state)
{
	gchar *argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL };
	gint out_fd;
	ssize_t n;

	(void)state;
	if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &bus_pid,
		NULL, &out_fd, NULL, NULL))
		return 0; /* no dbus-daemon: every test skips */
	n = read(out_fd, bus_addr, sizeof(bus_addr) - 1);
	close(out_fd);
	if (n <= 0)
		return 0;
	bus_addr[n] = '\0';
	bus_addr[strcspn(bus_addr, "\n")] = '\0';
	setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_addr, 1);
	mock_ctx = g_main_context_new();
	mock_loop = g_main_loop_new(mock_ctx, false);
	mock_thread = g_thread_new("fake-systemd", mock_main, NULL);
	g_mutex_lock(&mock_lock);
	while (mock_state == 0)
		g_cond_wait(&mock_cond, &mock_lock);
	g_mutex_unlock(&mock_lock);
	if (mock_state < 0)
		return -1;
	have_bus = true;
	return 0;
}

static gboolean
mock_quit(gpointer arg)
{
	(void)arg;
	g_main_loop_quit(mock_loop);
	return G_SOURCE_REMOVE;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (mock_thread != NULL) {
		/* from inside the loop, so it cannot be lost before the loop runs */
		g_main_context_invoke(mock_ctx, mock_quit, NULL);
		g_thread_join(mock_thread);
	}
	if (bus_pid > 0)
		kill(bus_pid, SIGTERM);
	return 0;
}

static int
setup(void **state)
{
	*state = helper_root_new();
	/* "systemd runs": the marker directory exists */
	setenv("PL_SYSTEMD_RUNDIR", *state, 1);
	return 0;
}

static int
teardown(void **state)
{
	unsetenv("PL_SYSTEMD_RUNDIR");
	helper_root_free(*state);
	return 0;
}

static bool done_flag;

static void
on_done(struct lrmd_action *a, void *arg)
{
	(void)a;
	(void)arg;
	done_flag = true;
}

static struct lrmd_action *
run(const char *rclass, const char *type, const char *action, uint32_t timeout_ms)
{
	struct lrmd_action *a = lrmd_action_new("u", rclass, NULL, type, action, 0, timeout_ms);

	done_flag = false;
	lrmd_exec_start(a, on_done, NULL);
	assert_true(helper_run_until(&done_flag, 5000));
	return a;
}

#define EXPECT(rclass, type, action, want_rc, want_status)                \
	do {                                                              \
		struct lrmd_action *a_ = run(rclass, type, action, 5000); \
		assert_int_equal(a_->rc, want_rc);                        \
		assert_int_equal(a_->status, want_status);                \
		lrmd_action_free(a_);                                     \
	} while (0)

static void
test_unit_life(void **state)
{
	(void)state;
	if (!have_bus)
		skip();
	EXPECT("systemd", "web", "monitor", PL_OCF_NOT_RUNNING, PL_LRMD_DONE);
	EXPECT("systemd", "web", "start", PL_OCF_SUCCESS, PL_LRMD_DONE);
	EXPECT("systemd", "web.service", "monitor", PL_OCF_SUCCESS, PL_LRMD_DONE);
	EXPECT("service", "web", "monitor", PL_OCF_SUCCESS, PL_LRMD_DONE); /* no LSB script */
	EXPECT("systemd", "web", "stop", PL_OCF_SUCCESS, PL_LRMD_DONE);
	EXPECT("systemd", "web", "monitor", PL_OCF_NOT_RUNNING, PL_LRMD_DONE);
	EXPECT("systemd", "web", "promote", PL_OCF_ERR_UNIMPLEMENTED, PL_LRMD_NOT_SUPPORTED);
}

static void
test_failures(void **state)
{
	struct lrmd_action *a;

	(void)state;
	if (!have_bus)
		skip();
	a = run("systemd", "bad", "start", 5000);
	assert_int_equal(a->rc, PL_OCF_ERR_GENERIC);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_non_null(strstr(a->exit_reason, "failed"));
	lrmd_action_free(a);
	EXPECT("systemd", "bad", "monitor", PL_OCF_NOT_RUNNING, PL_LRMD_DONE);
	EXPECT("systemd", "nosuch", "monitor", PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED);
	EXPECT("systemd", "nosuch", "start", PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED);
	EXPECT("systemd", "unknown-to-the-mock", "monitor", PL_OCF_ERR_INSTALLED,
	    PL_LRMD_NOT_INSTALLED);
	/* a job that never ends times out */
	a = run("systemd", "slow", "start", 300);
	assert_int_equal(a->status, PL_LRMD_TIMED_OUT);
	lrmd_action_free(a);
}

static void
test_list(void **state)
{
	char **v;

	(void)state;
	if (!have_bus)
		skip();
	v = lrmd_agents_list("systemd", NULL);
	assert_string_equal(v[0], "bad");
	assert_string_equal(v[1], "web");
	assert_null(v[2]);
	g_strfreev(v);
	v = lrmd_agents_classes();
	assert_true(g_strv_contains((const gchar *const *)v, "systemd"));
	g_strfreev(v);
}

static void
test_cancel_in_flight(void **state)
{
	struct lrmd_action *a = lrmd_action_new("u", "systemd", NULL, "slow", "start", 0, 5000);

	(void)state;
	if (!have_bus) {
		lrmd_action_free(a);
		skip();
	}
	done_flag = false;
	lrmd_exec_start(a, on_done, NULL);
	lrmd_exec_cancel(a); /* before the StartUnit reply came back */
	assert_true(done_flag);
	assert_int_equal(a->status, PL_LRMD_CANCELLED);
	lrmd_action_free(a);
	/* the late reply must find nothing freed (ASan checks) */
	done_flag = false;
	helper_run_until(&done_flag, 200);
	assert_false(done_flag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unit_life, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_in_flight, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
