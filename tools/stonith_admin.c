/*
 * stonith_admin - the fencer's command line (Pacemaker 2.1.5's options, text, XML and exit
 * codes), over paceline-stonithd's local IPC (stonithd.def):
 *   -L / -l HOST / -s DEVICE / -I    registered devices, those able to fence HOST, the
 *                                    targets a device lists, the installed agents
 *   -F / -B / -U HOST, --confirm HOST   fence (off), reboot, unfence (on), confirm by hand
 *   -H HOST|'*' [--verbose] [--cleanup] [-q], -h HOST   history, last fencing
 *   -M -a AGENT, -Q DEVICE, -R DEVICE -a AGENT -o K=V..., -D DEVICE
 * Exit codes: 0, 1 fencing failed, 64 usage, 102 no fencer, 105 no such device or no device
 * able to fence, 124 timeout.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "paceline/buf.h"
#include "paceline/child.h"
#include "paceline/error.h"
#include "tool.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/ipc.h"
#include "paceline/mtime.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"

static struct {
	gboolean list_registered, list_installed, metadata, quiet;
	gboolean cleanup, broadcast, as_node_id;
	char *list, *list_targets, *query, *history, *last, *fence, *reboot, *unfence, *confirm;
	char *reg, *dereg, *agent, *timeout, *tolerance;
	char *reg_level, *dereg_level;
	gboolean validate;
	int index, delay;
	char **options, **env_options, **devices;
	GPtrArray *params; /* NAME, VALUE, ... from --option and --env-option, in order */
} opt;

static struct tool tool = { .name = "stonith_admin", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
static bool xml_out;

static GOptionEntry query_entries[] = {
	{ "list", 'l', 0, G_OPTION_ARG_STRING, &opt.list,
	    "List devices that can terminate the specified host.\n"
	    "                             Optional: --timeout",
	    "HOST" },
	{ "list-registered", 'L', 0, G_OPTION_ARG_NONE, &opt.list_registered,
	    "List all registered devices. Optional: --timeout.", NULL },
	{ "list-installed", 'I', 0, G_OPTION_ARG_NONE, &opt.list_installed,
	    "List all installed devices. Optional: --timeout.", NULL },
	{ "list-targets", 's', 0, G_OPTION_ARG_STRING, &opt.list_targets,
	    "List the targets that can be fenced by the\n"
	    "                             named device. Optional: --timeout.",
	    "DEVICE" },
	{ "metadata", 'M', 0, G_OPTION_ARG_NONE, &opt.metadata,
	    "Show agent metadata. Requires: --agent.\n"
	    "                             Optional: --timeout.",
	    NULL },
	{ "query", 'Q', 0, G_OPTION_ARG_STRING, &opt.query,
	    "Check the named device's status. Optional: --timeout.", "DEVICE" },
	{ "history", 'H', 0, G_OPTION_ARG_STRING, &opt.history,
	    "Show last successful fencing operation for named node\n"
	    "                             (or '*' for all nodes). Optional: --timeout, --cleanup,\n"
	    "                             --quiet (show only the operation's epoch timestamp),\n"
	    "                             --verbose (show all recorded and pending operations),\n"
	    "                             --broadcast (update history from all nodes available).",
	    "NODE" },
	{ "last", 'h', 0, G_OPTION_ARG_STRING, &opt.last,
	    "Indicate when the named node was last fenced.\n"
	    "                             Optional: --as-node-id.",
	    "NODE" },
	{ "validate", 'K', 0, G_OPTION_ARG_NONE, &opt.validate,
	    "Validate a fence device configuration.\n"
	    "                             Requires: --agent. Optional: --option, --env-option,\n"
	    "                             --quiet (print no output, only return status).",
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry fence_entries[] = {
	{ "fence", 'F', 0, G_OPTION_ARG_STRING, &opt.fence,
	    "Fence named host. Optional: --timeout, --tolerance, --delay.", "HOST" },
	{ "unfence", 'U', 0, G_OPTION_ARG_STRING, &opt.unfence,
	    "Unfence named host. Optional: --timeout, --tolerance, --delay.", "HOST" },
	{ "reboot", 'B', 0, G_OPTION_ARG_STRING, &opt.reboot,
	    "Reboot named host. Optional: --timeout, --tolerance, --delay.", "HOST" },
	{ "confirm", 'C', 0, G_OPTION_ARG_STRING, &opt.confirm,
	    "Tell cluster that named host is now safely down.", "HOST" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry device_entries[] = {
	{ "register", 'R', 0, G_OPTION_ARG_STRING, &opt.reg,
	    "Register the named stonith device. Requires: --agent.\n"
	    "                             Optional: --option, --env-option.",
	    "DEVICE" },
	{ "deregister", 'D', 0, G_OPTION_ARG_STRING, &opt.dereg,
	    "De-register the named stonith device.", "DEVICE" },
	{ "register-level", 'r', 0, G_OPTION_ARG_STRING, &opt.reg_level,
	    "Register a stonith level for the named target,\n"
	    "                             specified as one of NAME, @PATTERN, or ATTR=VALUE.\n"
	    "                             Requires: --index and one or more --device entries.",
	    "TARGET" },
	{ "deregister-level", 'd', 0, G_OPTION_ARG_STRING, &opt.dereg_level,
	    "Unregister a stonith level for the named target,\n"
	    "                             specified as for --register-level. Requires: --index",
	    "TARGET" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "cleanup", 'c', 0, G_OPTION_ARG_NONE, &opt.cleanup,
	    "Cleanup wherever appropriate. Requires --history.", NULL },
	{ "broadcast", 'b', 0, G_OPTION_ARG_NONE, &opt.broadcast, "Broadcast wherever appropriate.",
	    NULL },
	{ "agent", 'a', 0, G_OPTION_ARG_STRING, &opt.agent,
	    "The agent to use (for example, fence_xvm;\n"
	    "                             with --register, --metadata, --validate).",
	    "AGENT" },
	{ "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &opt.options,
	    "Specify a device configuration parameter as NAME=VALUE\n"
	    "                             (may be specified multiple times; with --register,\n"
	    "                             --validate).",
	    "PARAM" },
	{ "env-option", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opt.env_options,
	    "Specify a device configuration parameter with the\n"
	    "                             specified name, using the value of the\n"
	    "                             environment variable of the same name prefixed with\n"
	    "                             OCF_RESKEY_ (may be specified multiple times;\n"
	    "                             with --register, --validate).",
	    "PARAM" },
	{ "device", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &opt.devices,
	    "Device ID (with --register-level, device to associate with\n"
	    "                             a given host and level; may be specified multiple "
	    "times)\n"
	    "                             (with --validate, name to use to load CIB secrets).",
	    "DEVICE" },
	{ "index", 'i', 0, G_OPTION_ARG_INT, &opt.index,
	    "The stonith level (1-9) (with --register-level,\n"
	    "                             --deregister-level).",
	    "LEVEL" },
	{ "delay", 'y', 0, G_OPTION_ARG_INT, &opt.delay,
	    "Apply a fencing delay in seconds. Any static/random delays from\n"
	    "                             pcmk_delay_base/max will be added, otherwise all\n"
	    "                             disabled with the value -1\n"
	    "                             (default 0; with --fence, --reboot, --unfence).",
	    "SECONDS" },
	{ "timeout", 't', 0, G_OPTION_ARG_STRING, &opt.timeout,
	    "Operation timeout in seconds (default 120;\n"
	    "                             used with most commands).",
	    "SECONDS" },
	{ "tolerance", 0, 0, G_OPTION_ARG_STRING, &opt.tolerance,
	    "(Advanced) Do nothing if an equivalent --fence request\n"
	    "                             succeeded less than this many seconds earlier\n"
	    "                             (with --fence, --unfence, --reboot).",
	    "SECONDS" },
	{ "as-node-id", 'n', 0, G_OPTION_ARG_NONE, &opt.as_node_id,
	    "(Advanced) The supplied node is the corosync node ID\n"
	    "                             (with --last).",
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Be less descriptive in output.", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* ---- output ---------------------------------------------------------------------------- */

/* The end of every command: errors through the tool layer (stderr, or <errors> in XML). */
static int
finish(int rc, const char *text)
{
	if (rc != 0 && text && *text)
		tool_error(&tool, "stonith_admin: %s", text);
	return rc;
}

/* Pacemaker's lists: <list name="registered fence devices" count="N"><item name="device">
 * in XML; one a line then "N fence devices found" in text. */
static void
xml_list(const char *name, const char *item, char **v, size_t n)
{
	xmlNode *l = pl_xml_add_child(tool_xml_result(&tool), "list");

	pl_xml_set_attr(l, "name", name);
	pl_xml_set_attr_int(l, "count", (long long)n);
	for (size_t i = 0; i < n; i++) {
		xmlNode *it = xmlNewTextChild(l, NULL, BAD_CAST "item", BAD_CAST v[i]);
		pl_xml_set_attr(it, "name", item);
	}
}

static void
device_list(char **v, size_t n, const char *what)
{
	if (xml_out) {
		xml_list(what, "device", v, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(tool.out, "%s\n", v[i]);
	fprintf(tool.out, "%zu fence device%s found\n", n, n == 1 ? "" : "s");
}

/* ---- the fencer ------------------------------------------------------------------------ */

static struct pl_ipc_conn *
connect_fencer(int timeout_ms, int *rc, struct pl_error *err)
{
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_STONITHD, timeout_ms, err);

	if (c == NULL)
		*rc = PL_EXIT_DISCONNECT;
	return c;
}

static int
call(int timeout_ms, enum pl_msg_type type, struct pl_pack *p, enum pl_msg_type reply_type,
    struct pl_ipc_msg *reply, struct pl_error *err)
{
	int rc = 0;
	struct pl_ipc_conn *c = connect_fencer(timeout_ms, &rc, err);

	if (c == NULL)
		return rc;
	if (!pl_ipc_call(c, type, p, reply_type, timeout_ms, reply, err))
		rc = err->code ? err->code : PL_EXIT_ERROR;
	pl_ipc_disconnect(c);
	return rc;
}

static char **
copy_strv(const char **v, uint32_t n)
{
	char **out = calloc(n + 1, sizeof(*out));

	if (out == NULL)
		abort();
	for (uint32_t i = 0; i < n; i++)
		out[i] = g_strdup(v[i]);
	return out;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_free(v[i]);
	free(v);
}

static int
devices(const char *target, int timeout_ms, char ***out, size_t *n, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char **v = NULL;
	uint32_t nv = 0;
	int32_t code = 0;
	int rc;

	pl_msg_pack(&p, PL_MSG_STONITHD_DEVICES, target);
	rc = call(
	    timeout_ms, PL_MSG_STONITHD_DEVICES, &p, PL_MSG_STONITHD_DEVICES_REPLY, &reply, err);
	pl_pack_free(&p);
	*out = NULL;
	*n = 0;
	if (rc == 0 && pl_msg_unpack(&reply, PL_MSG_STONITHD_DEVICES_REPLY, &code, &v, &nv)) {
		*out = copy_strv(v, nv);
		*n = nv;
	}
	free(v);
	pl_ipc_msg_clear(&reply);
	return rc;
}

static int
cmd_devices(const char *target, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	char **v;
	size_t n;
	int rc = devices(target, timeout_ms, &v, &n, &err);

	if (rc != 0)
		return finish(rc, err.text);
	device_list(v, n, "registered fence devices");
	free_strv(v, n);
	return finish(0, NULL);
}

/* A device's list / monitor action, run by the local fencer. */
static int
device_action(const char *dev, const char *action, int timeout_ms, int32_t *agent_rc, char **output,
    struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *text = "";
	int32_t code = 0;
	int rc;

	pl_msg_pack(&p, PL_MSG_STONITHD_DEVICE_ACTION, dev, action);
	rc = call(timeout_ms, PL_MSG_STONITHD_DEVICE_ACTION, &p,
	    PL_MSG_STONITHD_DEVICE_ACTION_REPLY, &reply, err);
	pl_pack_free(&p);
	*output = NULL;
	if (rc == 0 &&
	    pl_msg_unpack(&reply, PL_MSG_STONITHD_DEVICE_ACTION_REPLY, &code, agent_rc, &text)) {
		*output = g_strdup(text);
		if (code != 0) {
			pl_error_set(err, code, "%s", text);
			rc = code;
		}
	}
	pl_ipc_msg_clear(&reply);
	return rc;
}

static int
cmd_list_targets(const char *dev, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	char *out = NULL;
	int32_t arc = 0;
	int rc = device_action(dev, "list", timeout_ms, &arc, &out, &err);
	GPtrArray *t = g_ptr_array_new_with_free_func(g_free);

	if (rc == 0 && arc != 0) {
		rc = PL_EXIT_ERROR;
		pl_error_set(&err, rc, "Couldn't list targets: %s", out ? out : "");
	}
	if (rc != 0) {
		g_free(out);
		g_ptr_array_free(t, TRUE);
		return finish(rc, err.text);
	}
	gchar **lines = g_strsplit(out, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		size_t w = strcspn(*l, ", \t");
		if (w > 0)
			g_ptr_array_add(t, g_strndup(*l, w));
	}
	g_strfreev(lines);
	if (xml_out) {
		xml_list("fence targets", "target", (char **)t->pdata, t->len);
	} else {
		for (guint i = 0; i < t->len; i++)
			fprintf(tool.out, "%s\n", (char *)g_ptr_array_index(t, i));
		fprintf(tool.out, "%u fence target%s found\n", t->len, t->len == 1 ? "" : "s");
	}
	g_ptr_array_free(t, TRUE);
	g_free(out);
	return finish(0, NULL);
}

static int
cmd_query(const char *dev, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	char *out = NULL;
	int32_t arc = 0;
	int rc = device_action(dev, "monitor", timeout_ms, &arc, &out, &err);

	g_free(out);
	if (rc != 0)
		return finish(rc, err.text);
	if (arc != 0)
		return finish(PL_EXIT_ERROR, "Device not active");
	return finish(0, NULL); /* Pacemaker prints nothing: the exit code says it */
}

/* ---- fencing ----------------------------------------------------------------------------- */

#define F_ALLOW_SELF 0x1u
#define F_MANUAL     0x2u

static int
fence(const char *target, const char *action, uint32_t flags, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	struct pl_ipc_conn *c;
	uint64_t id = 0, deadline;
	int32_t code = 0;
	const char *text = "";
	char client[64];
	int rc = 0;

	c = connect_fencer(timeout_ms, &rc, &err);
	if (c == NULL)
		return finish(rc, err.text);
	if (!pl_ipc_call(c, PL_MSG_STONITHD_SUBSCRIBE, &p, PL_MSG_STONITHD_SUBSCRIBE_REPLY,
		timeout_ms, &reply, &err)) {
		pl_ipc_disconnect(c);
		return finish(err.code ? err.code : PL_EXIT_ERROR, err.text);
	}
	pl_ipc_msg_clear(&reply);
	snprintf(client, sizeof(client), "stonith_admin.%d", (int)getpid());
	pl_msg_pack(&p, PL_MSG_STONITHD_FENCE, target, action, client, (uint32_t)timeout_ms, flags,
	    (uint32_t)(opt.delay > 0 ? opt.delay * 1000 : 0));
	if (!pl_ipc_call(c, PL_MSG_STONITHD_FENCE, &p, PL_MSG_STONITHD_FENCE_REPLY, timeout_ms,
		&reply, &err) ||
	    !pl_msg_unpack(&reply, PL_MSG_STONITHD_FENCE_REPLY, &code, &id, &text) || code != 0) {
		rc = code ? code : err.code ? err.code : PL_EXIT_ERROR;
		char *t = g_strdup(code ? text : err.text);
		pl_ipc_msg_clear(&reply);
		pl_pack_free(&p);
		pl_ipc_disconnect(c);
		rc = finish(rc, t);
		g_free(t);
		return rc;
	}
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	/* the fencer's own deadline ends the request; ours leaves it room to say so */
	deadline = pl_mono_ms() + (uint64_t)timeout_ms + 5000 +
	    (uint64_t)(opt.delay > 0 ? opt.delay : 0) * 1000;
	for (;;) {
		struct pl_ipc_msg ev = PL_IPC_MSG_INIT;
		uint64_t eid, completed, now = pl_mono_ms();
		const char *t, *a, *cl, *origin, *delegate, *device, *reason;
		int32_t result;

		if (now >= deadline) {
			rc = finish(PL_EXIT_TIMEOUT, "Timeout occurred");
			break;
		}
		if (!pl_ipc_wait_event(c, (int)(deadline - now), &ev, &err)) {
			rc = finish(err.code == PL_EXIT_TIMEOUT ? PL_EXIT_TIMEOUT : PL_EXIT_DISCONNECT,
			    err.text);
			break;
		}
		if (!pl_msg_unpack(&ev, PL_MSG_STONITHD_RESULT, &eid, &t, &a, &cl, &origin,
			&delegate, &device, &result, &reason, &completed) ||
		    eid != id) {
			pl_ipc_msg_clear(&ev);
			continue;
		}
		const char *why;
		switch (result) {
		case 0: rc = 0, why = ""; break;
		case 2: rc = PL_EXIT_NOSUCH, why = "No such device"; break;
		case 3: rc = PL_EXIT_TIMEOUT, why = "Timer expired"; break;
		default: rc = PL_EXIT_ERROR, why = *reason ? reason : "Error occurred";
		}
		if (rc == 0) {
			rc = finish(0, NULL);
		} else {
			/* Pacemaker's sentence */
			tool_error(&tool, "stonith_admin: Couldn't %s %s: %s",
			    strcmp(action, "on") == 0 ? "unfence" : "fence", target, why);
		}
		pl_ipc_msg_clear(&ev);
		break;
	}
	pl_ipc_disconnect(c);
	return rc;
}

/* ---- history ----------------------------------------------------------------------------- */

/* Pacemaker: "2026-12-03 14:07:33Z", else "... +08:00" */
static char *
when_text(uint64_t ms)
{
	char *s = pl_pengine_fence_time((unsigned long long)ms);
	char *g = g_strdup(s);
	free(s);
	return g;
}

static xmlDoc *
history_doc(const char *target, int timeout_ms, int *rc, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *xml = NULL;
	int32_t code = 0;
	xmlDoc *doc = NULL;

	pl_msg_pack(&p, PL_MSG_STONITHD_HISTORY, target);
	*rc = call(
	    timeout_ms, PL_MSG_STONITHD_HISTORY, &p, PL_MSG_STONITHD_HISTORY_REPLY, &reply, err);
	pl_pack_free(&p);
	if (*rc == 0 && pl_msg_unpack(&reply, PL_MSG_STONITHD_HISTORY_REPLY, &code, &xml))
		doc = pl_xml_parse_string(xml, "fence history", err);
	if (*rc == 0 && doc == NULL)
		*rc = PL_EXIT_PROTOCOL;
	pl_ipc_msg_clear(&reply);
	return doc;
}

static uint64_t
attr_u64(xmlNode *x, const char *name)
{
	const char *v = pl_xml_attr(x, name);
	return v ? strtoull(v, NULL, 10) : 0;
}

static bool
status_is(xmlNode *e, const char *what)
{
	const char *s = pl_xml_attr(e, "status");
	return s && strcmp(s, what) == 0;
}

/* One event, as Pacemaker's fencer history prints it for stonith_admin (the technical form:
 * "reboot of n1 successful: delegate=n2, client=..., origin=n3, completed='...'"). */
static void
print_event(GPtrArray *ev, xmlNode *list, xmlNode *e, bool full)
{
	bool ok = status_is(e, "success"), pending = status_is(e, "pending");
	char *when = pending ? NULL : when_text(attr_u64(e, "completed-ms"));
	/* Pacemaker's fencer names a delegate only for a fencing that worked */
	const char *delegate = ok ? pl_xml_attr(e, "delegate") : NULL;

	if (delegate && *delegate == '\0')
		delegate = NULL;
	if (xml_out) {
		static const char *attrs[] = { "action", "target", "client", "origin", NULL };
		xmlNode *x = pl_xml_add_child(list, "fence_event");
		for (const char **a = attrs; *a; a++)
			pl_xml_set_attr(x, *a, pl_xml_attr(e, *a));
		pl_xml_set_attr(x, "status", pending ? "pending" : ok ? "success" : "failed");
		if (pending)
			pl_xml_set_attr(x, "extended-status", "0");
		if (delegate)
			pl_xml_set_attr(x, "delegate", delegate);
		if (when)
			pl_xml_set_attr(x, "completed", when);
	} else {
		char *line = pl_pengine_fence_text(ev, e, full, true);
		fprintf(tool.out, "%s\n", line);
		free(line);
	}
	g_free(when);
}

static int
cmd_history(const char *target, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *t = strcmp(target, "*") == 0 ? "" : target;
	xmlNode *latest = NULL;
	xmlDoc *doc;
	int rc;

	if (opt.cleanup) {
		struct pl_pack p = PL_PACK_INIT;
		struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
		pl_msg_pack(&p, PL_MSG_STONITHD_CLEANUP, t);
		rc = call(timeout_ms, PL_MSG_STONITHD_CLEANUP, &p, PL_MSG_STONITHD_CLEANUP_REPLY,
		    &reply, &err);
		pl_pack_free(&p);
		pl_ipc_msg_clear(&reply);
		if (rc != 0)
			return finish(rc, err.text);
		if (!xml_out && !opt.quiet)
			fprintf(tool.out, "cleaning up fencing-history%s%s\n",
			    *t ? " for node " : "", t);
		return finish(0, NULL);
	}
	doc = history_doc(t, timeout_ms, &rc, &err);
	if (doc == NULL)
		return finish(rc, err.text);
	/* pending first, then newest first, as Pacemaker lists them */
	GPtrArray *ev = pl_pengine_fence_sorted(pl_xml_root(doc));
	/* Pacemaker 2.1.5 keeps the last success it meets walking the list newest first (the
	 * oldest success: what its crm_mon-less -H shows) */
	for (guint i = 0; i < ev->len; i++)
		if (status_is(g_ptr_array_index(ev, i), "success"))
			latest = g_ptr_array_index(ev, i);
	xmlNode *list = xml_out ? pl_xml_add_child(tool_xml_result(&tool), "list") : NULL;
	unsigned shown = 0;
	if (opt.quiet) {
		/* the epoch of the last success only (Pacemaker then says "0 events found") */
		if (latest && !xml_out)
			fprintf(tool.out, "%llu\n",
			    (unsigned long long)(attr_u64(latest, "completed-ms") / 1000));
	} else if (tool.verbose) {
		for (guint i = 0; i < ev->len; i++, shown++)
			print_event(ev, list, g_ptr_array_index(ev, i), true);
	} else if (latest) {
		print_event(ev, list, latest, false);
		shown++;
	}
	if (list) {
		pl_xml_set_attr(list, "name", "fencing history");
		pl_xml_set_attr_int(list, "count", shown);
	} else {
		fprintf(tool.out, "%u event%s found\n", shown, shown == 1 ? "" : "s");
	}
	g_ptr_array_free(ev, TRUE);
	xmlFreeDoc(doc);
	return finish(0, NULL);
}

static int
cmd_last(const char *target, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	uint64_t when = 0;
	int rc;
	xmlDoc *doc = history_doc(target, timeout_ms, &rc, &err);

	if (doc == NULL)
		return finish(rc, err.text);
	PL_XML_FOREACH_CHILD(pl_xml_root(doc), "fence_event", e)
	{
		const char *s = pl_xml_attr(e, "status");
		if (s && strcmp(s, "success") == 0 && attr_u64(e, "completed-ms") > when)
			when = attr_u64(e, "completed-ms");
	}
	xmlFreeDoc(doc);
	if (xml_out) {
		xmlNode *x = pl_xml_add_child(tool_xml_result(&tool), "last-fenced");
		pl_xml_set_attr(x, "target", target);
		if (when) {
			char *w = when_text(when);
			pl_xml_set_attr(x, "when", w);
			g_free(w);
		}
	} else if (when) {
		time_t t = (time_t)(when / 1000);
		char buf[64];
		strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", localtime(&t));
		fprintf(tool.out, "Node %s last fenced at: %s\n", target, buf);
	} else {
		fprintf(tool.out, "Node %s has never been fenced\n", target);
	}
	return finish(0, NULL);
}

/* ---- agents ------------------------------------------------------------------------------ */

static const char *
agent_dir(void)
{
	const char *d = getenv("PL_FENCE_AGENT_DIR");
	return d && *d ? d : "/usr/sbin";
}

static const char *
stonith_cmd(void)
{
	const char *c = getenv("PL_STONITH_CMD");
	return c && *c ? c : "/usr/sbin/stonith";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_installed(void)
{
	GPtrArray *v = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(agent_dir());
	struct dirent *de;
	char *out = NULL;

	while (d && (de = readdir(d)) != NULL) {
		char *path = g_strdup_printf("%s/%s", agent_dir(), de->d_name);
		if (strncmp(de->d_name, "fence_", 6) == 0 && access(path, X_OK) == 0)
			g_ptr_array_add(v, g_strdup(de->d_name));
		g_free(path);
	}
	if (d)
		closedir(d);
	const char *argv[] = { stonith_cmd(), "-L", NULL };
	if (access(stonith_cmd(), X_OK) == 0 &&
	    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
		NULL, NULL, NULL) &&
	    out) {
		gchar **lines = g_strsplit(out, "\n", -1);
		for (gchar **l = lines; *l; l++)
			if (**l)
				g_ptr_array_add(v, g_strdup(*l));
		g_strfreev(lines);
	}
	g_free(out);
	qsort(v->pdata, v->len, sizeof(char *), cmp_str);
	device_list((char **)v->pdata, v->len, "installed fence devices");
	g_ptr_array_free(v, TRUE);
	return finish(0, NULL);
}

static int
cmd_metadata(const char *agent, int timeout_ms)
{
	char *out = NULL, *path = NULL;
	int status = 0;
	bool ok;

	(void)timeout_ms;
	if (strncmp(agent, "fence_", 6) == 0) {
		path = g_strdup_printf("%s/%s", agent_dir(), agent);
		const char *argv[] = { path, "-o", "metadata", NULL };
		ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
		    &out, NULL, &status, NULL);
	} else {
		const char *argv[] = { stonith_cmd(), "-t", agent, "-m", NULL };
		ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
		    &out, NULL, &status, NULL);
	}
	g_free(path);
	if (!ok || !g_spawn_check_wait_status(status, NULL) || out == NULL || *out == '\0') {
		g_free(out);
		tool_error(&tool, "Can't get fence agent meta-data: No such device");
		return PL_EXIT_NOSUCH;
	}
	if (xml_out) {
		xmlNode *m = pl_xml_add_child(tool_xml_result(&tool), "metadata");
		xmlAddChild(m, xmlNewCDataBlock(m->doc, BAD_CAST out, (int)strlen(out)));
	} else {
		fputs(out, tool.out);
	}
	g_free(out);
	return finish(0, NULL);
}

static int
cmd_register(const char *id, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	GPtrArray *kv = g_ptr_array_new_with_free_func(g_free);
	int rc;

	if (opt.agent == NULL)
		return finish(PL_EXIT_USAGE, "Please specify an agent to register with --agent");
	for (guint i = 0; i < opt.params->len; i++)
		g_ptr_array_add(kv, g_strdup(g_ptr_array_index(opt.params, i)));
	g_ptr_array_add(kv, NULL);
	pl_msg_pack(&p, PL_MSG_STONITHD_REGISTER, id, opt.agent, (const char *const *)kv->pdata);
	rc = call(
	    timeout_ms, PL_MSG_STONITHD_REGISTER, &p, PL_MSG_STONITHD_REGISTER_REPLY, &reply, &err);
	if (rc == 0 && reply.code != 0) {
		rc = reply.code;
		pl_error_set(&err, rc, "Can't register device %s using agent %s: %s", id, opt.agent,
		    pl_exit_str(rc));
	}
	pl_pack_free(&p);
	pl_ipc_msg_clear(&reply);
	g_ptr_array_free(kv, TRUE);
	return finish(rc, err.text);
}

static int
cmd_deregister(const char *id, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *text = "";
	int32_t code = 0;
	int rc;

	pl_msg_pack(&p, PL_MSG_STONITHD_DEREGISTER, id);
	rc = call(timeout_ms, PL_MSG_STONITHD_DEREGISTER, &p, PL_MSG_STONITHD_DEREGISTER_REPLY,
	    &reply, &err);
	if (rc == 0 && pl_msg_unpack(&reply, PL_MSG_STONITHD_DEREGISTER_REPLY, &code, &text) &&
	    code != 0) {
		rc = code;
		pl_error_set(&err, rc, "Can't unregister device %s: %s", id, text);
	}
	pl_pack_free(&p);
	pl_ipc_msg_clear(&reply);
	return finish(rc, err.text);
}

/* ---- topology levels ---------------------------------------------------------------------- */

static int
cmd_level(const char *spec, bool add, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *const none[] = { NULL };
	const char *text = "";
	int32_t code = 0;
	int rc;

	pl_msg_pack(&p, PL_MSG_STONITHD_LEVEL, spec, (uint32_t)(opt.index < 0 ? 1000 : opt.index),
	    (uint32_t)add, opt.devices ? (const char *const *)opt.devices : none);
	rc = call(timeout_ms, PL_MSG_STONITHD_LEVEL, &p, PL_MSG_STONITHD_LEVEL_REPLY, &reply, &err);
	if (rc == 0 && pl_msg_unpack(&reply, PL_MSG_STONITHD_LEVEL_REPLY, &code, &text) && code != 0)
		rc = code;
	if (rc == PL_EXIT_SOFTWARE) /* the fencer refused the index */
		pl_error_set(&err, rc, "Can't %sregister topology level %d for %s: %s",
		    add ? "" : "un", opt.index, spec, *text ? text : "Invalid argument");
	pl_pack_free(&p);
	pl_ipc_msg_clear(&reply);
	if (rc != 0 && err.text[0] != '\0' && strncmp(err.text, "Can't", 5) == 0) {
		tool_error(&tool, "%s", err.text); /* Pacemaker's line has no program prefix */
		return rc;
	}
	return finish(rc, err.text);
}

/* ---- validate ---------------------------------------------------------------------------- */

struct validate_run {
	GMainLoop *loop;
	struct pl_child child;
};

static void
validate_done(struct pl_child *c, void *arg)
{
	(void)c;
	g_main_loop_quit(((struct validate_run *)arg)->loop);
}

static bool
is_glue_plugin(const char *agent)
{
	char *out = NULL;
	bool found = false;
	const char *argv[] = { stonith_cmd(), "-L", NULL };

	if (access(stonith_cmd(), X_OK) != 0 ||
	    !g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
		NULL, NULL, NULL))
		return false;
	gchar **lines = g_strsplit(out ? out : "", "\n", -1);
	for (gchar **l = lines; *l && !found; l++)
		found = strcmp(*l, agent) == 0;
	g_strfreev(lines);
	g_free(out);
	return found;
}

static void
validate_output(int code, bool valid, const char *out, const char *errout)
{
	if (xml_out) {
		xmlNode *v = pl_xml_add_child(tool_xml_result(&tool), "validate");
		pl_xml_set_attr(v, "agent", opt.agent);
		pl_xml_set_attr(v, "valid", valid ? "true" : "false");
		xmlNode *c = pl_xml_add_child(v, "command");
		pl_xml_set_attr_int(c, "code", code);
		if (out && *out) {
			xmlNode *o = xmlNewTextChild(c, NULL, BAD_CAST "output", BAD_CAST out);
			pl_xml_set_attr(o, "source", "stdout");
		}
		if (errout && *errout) {
			xmlNode *o = xmlNewTextChild(c, NULL, BAD_CAST "output", BAD_CAST errout);
			pl_xml_set_attr(o, "source", "stderr");
		}
		return;
	}
	fprintf(tool.out, "Validation of %s %s\n", opt.agent, valid ? "succeeded" : "failed");
	if (out && *out)
		fprintf(tool.out, "%s\n", out);
	if (errout && *errout)
		fprintf(tool.out, "%s\n", errout);
}

/* --validate: the agent's validate-all action run here, with no fencer (as Pacemaker's
 * library does): key=value lines on stdin, the target "node1" as its host argument unless
 * the parameters name one. cluster-glue plugins cannot be validated. */
static int
cmd_validate(int timeout_ms)
{
	struct validate_run r = { 0 };
	GString *in = g_string_new("action=validate-all\n");
	const char *host_arg = "port";
	bool has_host = false;
	char *path;

	path = g_strdup_printf("%s/%s", agent_dir(), opt.agent);
	if (strchr(opt.agent, '/') != NULL || access(path, X_OK) != 0) {
		g_free(path);
		g_string_free(in, TRUE);
		if (is_glue_plugin(opt.agent)) {
			validate_output(-95, false, NULL, NULL);
			fprintf(
			    stderr, "Cannot validate Linux-HA fence agents: Operation not supported (95)\n");
			return PL_EXIT_UNIMPLEMENT_FEATURE;
		}
		char *why = g_strdup_printf("Agent %s not found", opt.agent);
		validate_output(-2, false, NULL, why);
		g_free(why);
		return PL_EXIT_NOSUCH;
	}
	for (guint i = 0; opt.params && i + 1 < opt.params->len; i += 2)
		if (strcmp(g_ptr_array_index(opt.params, i), "pcmk_host_argument") == 0)
			host_arg = g_ptr_array_index(opt.params, i + 1);
	for (guint i = 0; opt.params && i + 1 < opt.params->len; i += 2) {
		const char *k = g_ptr_array_index(opt.params, i);
		if (strncmp(k, "pcmk_", 5) == 0)
			continue; /* the cluster's, never the agent's */
		if (strcmp(k, host_arg) == 0)
			has_host = true;
		g_string_append_printf(
		    in, "%s=%s\n", k, (char *)g_ptr_array_index(opt.params, i + 1));
	}
	if (!has_host && strcmp(host_arg, "none") != 0)
		g_string_append_printf(in, "%s=node1\n", host_arg);
	char *argv[] = { path, NULL };
	extern char **environ;
	r.loop = g_main_loop_new(NULL, FALSE);
	if (!pl_child_spawn_input(&r.child, argv, environ, in->str, in->len, (uint32_t)timeout_ms,
		2000, 1024 * 1024, validate_done, &r)) {
		char *why = g_strdup_printf(
		    "Agent %s could not run: %s", opt.agent, g_strerror(r.child.spawn_errno));
		validate_output(-2, false, NULL, why);
		g_free(why);
		g_main_loop_unref(r.loop);
		g_free(path);
		g_string_free(in, TRUE);
		return PL_EXIT_NOSUCH;
	}
	g_main_loop_run(r.loop);
	g_main_loop_unref(r.loop);
	int rc, code;
	if (r.child.timed_out) {
		rc = PL_EXIT_TIMEOUT, code = -62;
	} else if (!r.child.exited || r.child.exit_code != 0) {
		rc = PL_EXIT_ERROR, code = -201;
	} else {
		rc = 0, code = 0;
	}
	if (!opt.quiet || xml_out)
		validate_output(
		    code, rc == 0, pl_buf_str(&r.child.out[0]), pl_buf_str(&r.child.out[1]));
	pl_child_clear(&r.child);
	g_free(path);
	g_string_free(in, TRUE);
	return rc;
}

/* --option NAME=VALUE and --env-option NAME (its value from OCF_RESKEY_NAME), checked as
 * Pacemaker checks them: the first bad one is a usage error. */
static int
collect_params(void)
{
	opt.params = g_ptr_array_new_with_free_func(g_free);
	for (char **o = opt.options; o && *o; o++) {
		char *eq = strchr(*o, '=');
		if (eq == NULL || eq == *o) {
			tool_error(&tool,
			    "stonith_admin: Invalid option: -o %s: Operation not permitted", *o);
			return PL_EXIT_USAGE;
		}
		g_ptr_array_add(opt.params, g_strndup(*o, (gsize)(eq - *o)));
		g_ptr_array_add(opt.params, g_strdup(eq + 1));
	}
	for (char **e = opt.env_options; e && *e; e++) {
		char *var = g_strdup_printf("OCF_RESKEY_%s", *e);
		const char *v = getenv(var);
		g_free(var);
		if (v == NULL || **e == '\0' || strchr(*e, '=') != NULL) {
			tool_error(&tool, "stonith_admin: Invalid option: -e %s", *e);
			return PL_EXIT_USAGE;
		}
		g_ptr_array_add(opt.params, g_strdup(*e));
		g_ptr_array_add(opt.params, g_strdup(v));
	}
	return 0;
}

/* ---- main -------------------------------------------------------------------------------- */

static int
run(int timeout_ms)
{
	if (opt.list_registered)
		return cmd_devices("", timeout_ms);
	if (opt.list)
		return cmd_devices(opt.list, timeout_ms);
	if (opt.list_installed)
		return cmd_installed();
	if (opt.list_targets)
		return cmd_list_targets(opt.list_targets, timeout_ms);
	if (opt.query)
		return cmd_query(opt.query, timeout_ms);
	if (opt.metadata)
		return opt.agent ? cmd_metadata(opt.agent, timeout_ms)
				 : finish(PL_EXIT_USAGE,
				       "Please specify an agent to query using -a,--agent [value]");
	if (opt.history)
		return cmd_history(opt.history, timeout_ms);
	if (opt.last)
		return cmd_last(opt.last, timeout_ms);
	if (opt.fence)
		return fence(opt.fence, "off", 0, timeout_ms);
	if (opt.reboot)
		return fence(opt.reboot, "reboot", 0, timeout_ms);
	if (opt.unfence)
		return fence(opt.unfence, "on", 0, timeout_ms);
	if (opt.confirm)
		return fence(opt.confirm, "off", F_MANUAL, timeout_ms);
	if (opt.reg)
		return cmd_register(opt.reg, timeout_ms);
	if (opt.reg_level)
		return cmd_level(opt.reg_level, true, timeout_ms);
	if (opt.dereg_level)
		return cmd_level(opt.dereg_level, false, timeout_ms);
	if (opt.validate) {
		if (opt.agent == NULL) {
			tool_error(
			    &tool, "Please specify an agent to query using -a,--agent [value]");
			return PL_EXIT_USAGE;
		}
		return cmd_validate(timeout_ms);
	}
	return cmd_deregister(opt.dereg, timeout_ms);
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new("<command> [<options>]");
	int timeout_ms = 120000, commands, rc;
	uint64_t v;
	struct pl_error err = PL_ERROR_INIT;

	g_option_context_set_summary(ctx, "Access the Pacemaker fencing API");
	tool_add_group(ctx, "query", "Queries:", "Show query help", query_entries);
	tool_add_group(ctx, "fence", "Fencing Commands:", "Show fence help", fence_entries);
	tool_add_group(ctx, "definition",
	    "Device Definition Commands:", "Show device definition help", device_entries);
	tool_add_group(ctx, "additional", "Additional Options:", "Show additional options",
	    additional_entries);
	rc = tool_parse(&tool, ctx, main_entries, &argc, &argv);
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;
	xml_out = tool.format == TOOL_FMT_XML;
	if (opt.timeout) {
		char *end;
		long s = strtol(opt.timeout, &end, 10);
		if (*end == '\0' && s > 0 && s < 86400)
			timeout_ms = (int)(s * 1000);
		else if (pl_interval_parse_ms(opt.timeout, &v, &err) && v > 0 && v < 86400000)
			timeout_ms = (int)v;
		else {
			tool_error(&tool,
			    "stonith_admin: --timeout: '%s' is not a number of seconds", opt.timeout);
			return tool_finish(&tool, PL_EXIT_USAGE);
		}
	}
	commands = !!opt.list_registered + !!opt.list_installed + !!opt.metadata + !!opt.list +
	    !!opt.list_targets + !!opt.query + !!opt.history + !!opt.last + !!opt.fence +
	    !!opt.reboot + !!opt.unfence + !!opt.confirm + !!opt.reg + !!opt.dereg +
	    !!opt.reg_level + !!opt.dereg_level + !!opt.validate;
	if ((rc = collect_params()) != 0)
		return tool_finish(&tool, rc);
	if (commands != 1) {
		tool_error(&tool, "stonith_admin: %s",
		    commands ? "only one command may be given at a time"
			     : "Please specify a valid command (see --help)");
		return tool_finish(&tool, PL_EXIT_USAGE);
	}
	return tool_finish(&tool, run(timeout_ms));
}
