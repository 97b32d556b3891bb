/*
 * rsc_agents.c - the agent catalogue and local agent runs, through lrmd's own code (linked,
 * no daemon): --list-standards, --list-ocf-providers, --list-agents, --list-ocf-alternatives,
 * --show-metadata, and --validate / --force-{start,stop,check,promote,demote} that run the
 * agent on this node as Pacemaker's crm_resource does, with the resource's parameters (-r)
 * or the ones given (--class/--provider/--agent NAME=VALUE...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "crm_resource.h"
#include "agents.h"
#include "exec.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/lrmd_client.h"
#include "paceline/pengine_rsc.h"

/* lrmd's settings (OCF_ROOT, the LSB directory) from the environment, once */
static void
conf(void)
{
	static bool done;

	if (!done)
		lrmd_conf_init();
	done = true;
}

static void
print_list(char **v, const char *name)
{
	if (out_xml()) {
		xmlNode *l = xmlNewChild(out_root(), NULL, (const xmlChar *)"list", NULL);
		xmlSetProp(l, (const xmlChar *)"name", (const xmlChar *)name);
		for (int i = 0; v && v[i]; i++)
			xmlNewTextChild(l, NULL, (const xmlChar *)"item", (const xmlChar *)v[i]);
		return;
	}
	for (int i = 0; v && v[i]; i++)
		out_info("%s", v[i]);
}

int
rsc_cmd_list_standards(void)
{
	char **v;

	static const char *order[] = { "ocf", "lsb", "service", "systemd", "upstart", "nagios" };
	GPtrArray *l = g_ptr_array_new();

	conf();
	v = lrmd_agents_classes();
	/* Pacemaker's order, stonith last */
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (v && g_strv_contains((const char *const *)v, order[i]))
			g_ptr_array_add(l, (void *)order[i]);
	g_ptr_array_add(l, "stonith");
	g_ptr_array_add(l, NULL);
	print_list((char **)l->pdata, "Resource Standards");
	g_ptr_array_free(l, true);
	g_strfreev(v);
	return PL_EXIT_OK;
}

int
rsc_cmd_list_providers(void)
{
	char **v;
	int rc;

	conf();
	v = lrmd_agents_providers();
	rc = v && v[0] ? PL_EXIT_OK : PL_EXIT_NOSUCH;
	if (rc == PL_EXIT_OK)
		print_list(v, "OCF providers");
	else
		rc = out_fail(rc, "No OCF providers found");
	g_strfreev(v);
	return rc;
}

int
rsc_cmd_list_alternatives(void)
{
	char **prov;
	GPtrArray *has = g_ptr_array_new();
	int rc = PL_EXIT_OK;

	conf();
	prov = lrmd_agents_providers();
	for (int i = 0; prov && prov[i]; i++) {
		char **a = lrmd_agents_list("ocf", prov[i]);
		for (int j = 0; a && a[j]; j++)
			if (!strcmp(a[j], opt.cmd_arg))
				g_ptr_array_add(has, prov[i]);
		g_strfreev(a);
	}
	g_ptr_array_add(has, NULL);
	if (has->len > 1)
		print_list((char **)has->pdata, "Providers");
	else
		rc = out_fail(PL_EXIT_NOSUCH, "No OCF providers found for %s", opt.cmd_arg);
	g_ptr_array_free(has, true);
	g_strfreev(prov);
	return rc;
}

static int
by_text(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* fence agents: the fence_* programs of FENCE_DIR (default /usr/sbin), sorted */
static char **
fence_agents(void)
{
	const char *dir = getenv("PL_FENCE_DIR") ? getenv("PL_FENCE_DIR") : "/usr/sbin";
	GDir *d = g_dir_open(dir, 0, NULL);
	GPtrArray *a = g_ptr_array_new();
	const char *n;

	while (d && (n = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, n, NULL);
		if (g_str_has_prefix(n, "fence_") && g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
			g_ptr_array_add(a, g_strdup(n));
		g_free(path);
	}
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(a, by_text);
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, false);
}

/* a fence agent's meta-data: AGENT -o metadata */
static char *
fence_metadata(const char *agent)
{
	const char *dir = getenv("PL_FENCE_DIR") ? getenv("PL_FENCE_DIR") : "/usr/sbin";
	char *path = g_build_filename(dir, agent, NULL);
	char *argv[] = { path, "-o", "metadata", NULL };
	char *out = NULL;
	int status = -1;

	if (strchr(agent, '/') ||
	    !g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
		&status, NULL) ||
	    !g_spawn_check_wait_status(status, NULL) || out == NULL || *out == '\0') {
		g_free(out);
		out = NULL;
	}
	g_free(path);
	return out;
}

int
rsc_cmd_list_agents(void)
{
	char *std = g_strdup(opt.cmd_arg), *prov = strchr(std, ':');
	char **v;
	int rc = PL_EXIT_OK;

	conf();
	if (prov)
		*prov++ = '\0';
	v = !strcmp(std, "stonith") ? fence_agents()
				    : lrmd_agents_list(std, prov && *prov ? prov : NULL);
	if (v && !prov && !strcmp(std, "ocf")) { /* "PROVIDER:TYPE" -> TYPE, sorted, unique */
		GPtrArray *t = g_ptr_array_new();
		for (int i = 0; v[i]; i++) {
			const char *c = strchr(v[i], ':');
			g_ptr_array_add(t, (void *)(c ? c + 1 : v[i]));
		}
		g_ptr_array_sort(t, by_text);
		GPtrArray *u = g_ptr_array_new();
		for (guint i = 0; i < t->len; i++)
			if (i == 0 || strcmp(t->pdata[i], t->pdata[i - 1]))
				g_ptr_array_add(u, t->pdata[i]);
		g_ptr_array_add(u, NULL);
		print_list((char **)u->pdata, "Resource Agents");
		g_ptr_array_free(u, true);
		g_ptr_array_free(t, true);
	} else if (v && v[0]) {
		print_list(v, "Resource Agents");
	} else {
		rc = out_fail(PL_EXIT_NOSUCH, "No agents found for standard '%s'", opt.cmd_arg);
	}
	g_strfreev(v);
	g_free(std);
	return rc;
}

/* "class:provider:type" or "class:type" */
static bool
split_spec(const char *spec, char **cls, char **prov, char **type)
{
	char **p = g_strsplit(spec, ":", 3);
	unsigned n = g_strv_length(p);
	bool ok = n == 3 || n == 2;

	*cls = ok ? g_strdup(p[0]) : NULL;
	*prov = n == 3 ? g_strdup(p[1]) : NULL;
	*type = ok ? g_strdup(p[n - 1]) : NULL;
	g_strfreev(p);
	return ok;
}

struct md_wait {
	bool done;
	char *xml;
};

static void
md_done(const char *xml, int rc, int status, const char *reason, void *arg)
{
	struct md_wait *w = arg;

	(void)rc;
	(void)status;
	(void)reason;
	w->xml = xml ? g_strdup(xml) : NULL;
	w->done = true;
}

int
rsc_cmd_metadata(void)
{
	char *cls, *prov, *type;
	struct md_wait w = { 0 };
	int rc = PL_EXIT_OK;

	if (!split_spec(opt.cmd_arg, &cls, &prov, &type))
		return out_fail(
		    PL_EXIT_INVALID_PARAM, "'%s' is not a valid agent specification", opt.cmd_arg);
	conf();
	if (!strcmp(cls, "stonith")) {
		w.xml = fence_metadata(type);
	} else {
		lrmd_agents_metadata(cls, prov, type, md_done, &w);
		while (!w.done)
			g_main_context_iteration(NULL, true);
	}
	if (w.xml == NULL) {
		rc = out_fail(PL_EXIT_NOSUCH,
		    "Metadata query for %s failed: No such device or address", opt.cmd_arg);
	} else if (out_xml()) {
		xmlNode *m = xmlNewChild(out_root(), NULL, (const xmlChar *)"metadata", NULL);
		xmlAddChild(m, xmlNewCDataBlock(m->doc, (const xmlChar *)w.xml, (int)strlen(w.xml)));
	} else {
		fputs(w.xml, out_stream());
		if (*w.xml && w.xml[strlen(w.xml) - 1] != '\n')
			fputc('\n', out_stream());
	}
	g_free(w.xml);
	g_free(cls);
	g_free(prov);
	g_free(type);
	return rc;
}

static void
action_done(struct lrmd_action *a, void *arg)
{
	(void)a;
	*(bool *)arg = true;
}

static const char *
ocf_rc_text(int rc)
{
	static const char *t[] = { "ok", "error", "invalid parameter", "unimplemented feature",
		"insufficient privileges", "not installed", "not configured", "not running",
		"promoted", "promoted (failed)" };

	return rc >= 0 && rc < 10 ? t[rc]
	    : rc == 190		  ? "degraded"
	    : rc == 191		  ? "promoted (degraded)"
				  : "unknown";
}

int
rsc_cmd_agent_action(void)
{
	const char *action = !strcmp(opt.cmd, "validate") ? "validate-all" : opt.cmd + 6;
	const char *cls = opt.cls, *prov = opt.provider, *type = opt.agent;
	GHashTable *params = NULL;
	bool done = false;
	int ms = 20000, rc;
	struct lrmd_action *a;

	if (!strcmp(action, "check"))
		action = "monitor";
	if (opt.rsc) {
		int r = rsc_cib_open();
		if (r != PL_EXIT_OK || (r = rsc_require(opt.rsc)) != PL_EXIT_OK)
			return r;
		if (!pl_pengine_rsc_agent(rsc_status(), opt.rsc, &cls, &prov, &type))
			return out_fail(
			    PL_EXIT_INVALID_PARAM, "Resource '%s' is not a primitive", opt.rsc);
		params = pl_pengine_rsc_params(rsc_status(), opt.rsc);
	} else if (cls == NULL || type == NULL) {
		return out_fail(PL_EXIT_USAGE,
		    "--class, --agent, and --provider are required with "
		    "--%s when no resource is given",
		    opt.cmd);
	}
	if (opt.timeout) {
		uint64_t t;
		struct pl_error err = PL_ERROR_INIT;
		if (pl_interval_parse_ms(opt.timeout, &t, &err) && t > 0 && t < 86400000)
			ms = (int)t;
	}
	conf();
	a = lrmd_action_new(opt.rsc ? opt.rsc : type, cls, prov, type, action, 0, (uint32_t)ms);
	if (params) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, params);
		while (g_hash_table_iter_next(&it, &k, &v))
			pl_lrmd_params_set(&a->params, k, v);
	}
	for (char **w = opt.extra; w && *w; w++) {
		char *eq = strchr(*w, '=');
		char *name = g_strndup(*w, (gsize)(eq - *w));
		pl_lrmd_params_set(&a->params, name, eq + 1);
		g_free(name);
	}
	lrmd_exec_start(a, action_done, &done);
	while (!done)
		g_main_context_iteration(NULL, true);
	rc = a->rc;
	if (out_xml()) {
		xmlNode *x =
		    xmlNewChild(out_root(), NULL, (const xmlChar *)"resource-agent-action", NULL);
		char buf[16];
		xmlSetProp(x, (const xmlChar *)"action", (const xmlChar *)action);
		xmlSetProp(x, (const xmlChar *)"class", (const xmlChar *)cls);
		xmlSetProp(x, (const xmlChar *)"type", (const xmlChar *)type);
		if (prov)
			xmlSetProp(x, (const xmlChar *)"provider", (const xmlChar *)prov);
		if (opt.rsc)
			xmlSetProp(x, (const xmlChar *)"rsc", (const xmlChar *)opt.rsc);
		xmlNode *o = xmlNewChild(x, NULL, (const xmlChar *)"overrides", NULL);
		(void)o;
		xmlNode *ag = xmlNewChild(x, NULL, (const xmlChar *)"agent-status", NULL);
		snprintf(buf, sizeof(buf), "%d", rc);
		xmlSetProp(ag, (const xmlChar *)"code", (const xmlChar *)buf);
		xmlSetProp(ag, (const xmlChar *)"message", (const xmlChar *)ocf_rc_text(rc));
		xmlSetProp(ag, (const xmlChar *)"execution_code", (const xmlChar *)"0");
		xmlSetProp(ag, (const xmlChar *)"execution_message", (const xmlChar *)"complete");
		xmlSetProp(ag, (const xmlChar *)"reason", (const xmlChar *)"");
	} else {
		out_info("Operation %s%s%s (%s%s%s:%s) returned %d (%s)",
		    !strcmp(action, "validate-all") ? "validate" : action, opt.rsc ? " for " : "",
		    opt.rsc ? opt.rsc : "", cls, prov ? ":" : "", prov ? prov : "", type, rc,
		    ocf_rc_text(rc));
		if (a->exit_reason)
			out_info("%s", a->exit_reason);
	}
	lrmd_action_free(a);
	/* the agent's code is crm_resource's exit code */
	return rc;
}
