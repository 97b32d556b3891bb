/*
 * rsc_ctl.c - the commands that need the running cluster: --cleanup and --refresh (the
 * controller forgets history: CRMD_REFRESH), --wait (until the policy engine, given the
 * current CIB, has nothing left to do; 124 on timeout), --restart (target-role Stopped,
 * wait, then the previous target-role back, wait) and --fail (not available: the controller
 * has no message for injecting a failure yet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm_resource.h"
#include "common-crmd/crmd_tool.h"
#include "paceline/exitcode.h"
#include "paceline/mtime.h"
#include "paceline/pengine.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"
#include "tool.h"

#define CRMD_REFRESH_FAILED_ONLY 1u /* crmd.def CRMD_REFRESH flag */

static int
timeout_ms(int dflt)
{
	int ms = dflt;

	if (opt.timeout && !crmdtool_timeout(opt.timeout, &ms))
		ms = dflt;
	return ms;
}

/* One CRMD_REFRESH; the controller answers once the status section is changed. */
static int
refresh(uint32_t flags)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct crmdtool_nodes nodes = { 0 };
	struct pl_ipc_conn *c;
	int rc = 0;

	if ((c = crmdtool_connect(&rsc_tool, 5000)) == NULL) /* it reports why */
		return PL_EXIT_DISCONNECT;
	pl_msg_pack(&p, PL_MSG_CRMD_REFRESH, opt.rsc ? opt.rsc : "", opt.node ? opt.node : "", flags);
	if (!pl_ipc_call(c, PL_MSG_CRMD_REFRESH, &p, PL_MSG_NONE, timeout_ms(60000), &m, &err)) {
		rc = err.code ? err.code : PL_EXIT_ERROR;
		out_fail(rc, "%s", err.text);
		goto out;
	}
	if (opt.quiet)
		goto out;
	if (opt.rsc && opt.node) {
		out_info("Cleaned up %s on %s", opt.rsc, opt.node);
	} else if (opt.rsc) {
		if (crmdtool_nodes(c, 10000, &nodes, &err) == 0)
			for (unsigned i = 0; i < nodes.n; i++)
				out_info("Cleaned up %s on %s", opt.rsc, nodes.v[i].name);
		crmdtool_nodes_clear(&nodes);
	} else if (opt.node) {
		out_info("Cleaned up all resources on %s", opt.node);
	} else {
		out_info("Cleaned up all resources on all nodes");
	}
	out_info("Waiting for 1 reply from the controller\n... got reply (done)");
out:
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return rc;
}

int
rsc_cmd_cleanup(void)
{
	return refresh(CRMD_REFRESH_FAILED_ONLY);
}

int
rsc_cmd_refresh(void)
{
	return refresh(0);
}

/* The node's state as the controller knows it: 0 member, 105 unknown, 102 not a member. */
static int
node_online(struct pl_ipc_conn *c, const char *node)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmdtool_nodes nodes = { 0 };
	int rc = PL_EXIT_NOSUCH;

	if (crmdtool_nodes(c, timeout_ms(10000), &nodes, &err) != 0)
		return 0; /* the controller decides */
	for (unsigned i = 0; i < nodes.n; i++)
		if (strcmp(nodes.v[i].name, node) == 0)
			rc = strcmp(nodes.v[i].state, "member") == 0 ? 0 : PL_EXIT_DISCONNECT;
	crmdtool_nodes_clear(&nodes);
	return rc;
}

/* Pacemaker's --fail: the controller records a failure of the resource on the node (a
 * failed "asyncmon", "Simulated failure"), which counts like any failure. Checks in
 * Pacemaker's order: -N, the controller, the resource (a primitive with class and type),
 * the node. Nothing is printed on success. */
int
rsc_cmd_fail(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_ipc_conn *c;
	xmlNode *rsc;
	const char *cls, *type, *provider;
	int rc;

	if (opt.node == NULL)
		return out_fail(PL_EXIT_USAGE, "Must supply a node name with -N");
	c = pl_ipc_connect(PL_SVC_CRMD, 5000, &err);
	if (c == NULL)
		return out_fail(
		    PL_EXIT_DISCONNECT, "Error connecting to the controller: Connection refused");
	rsc = rsc_cib_find_rsc(opt.rsc);
	cls = rsc ? pl_xml_attr(rsc, "class") : NULL;
	type = rsc ? pl_xml_attr(rsc, "type") : NULL;
	provider = rsc ? pl_xml_attr(rsc, "provider") : NULL;
	if (rsc == NULL) {
		out_err("Resource %s not found", opt.rsc);
		rc = PL_EXIT_NOSUCH;
	} else if (!pl_xml_is(rsc, "primitive")) {
		out_err("We can only process primitive resources, not %s", opt.rsc);
		rc = PL_EXIT_INVALID_PARAM;
	} else if (cls == NULL || type == NULL) {
		out_err("Resource %s does not have a class and type", opt.rsc);
		rc = PL_EXIT_INVALID_PARAM;
	} else if ((rc = node_online(c, opt.node)) != 0) {
		out_err(
		    rc == PL_EXIT_NOSUCH ? "Node %s not found" : "Node %s is not online", opt.node);
	} else {
		pl_msg_pack(
		    &p, PL_MSG_CRMD_FAIL, opt.rsc, opt.node, cls, provider ? provider : "", type);
		if (!pl_ipc_call(c, PL_MSG_CRMD_FAIL, &p, PL_MSG_NONE, timeout_ms(60000), &m, &err)) {
			rc = err.code ? err.code : PL_EXIT_ERROR;
			out_err("%s", err.text);
		}
	}
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return rc;
}

/* the number of actions the policy engine would still run on this CIB */
static int
pending_actions(struct pl_error *err)
{
	struct pl_pengine_opts po = { 0 };
	struct pl_pengine_run *run;
	char *g;
	int n = 0;

	run = pl_pengine_run(rsc_cib_root()->doc, &po, err);
	if (run == NULL)
		return -1;
	g = pl_pengine_graph_xml(run);
	for (const char *s = g; (s = strstr(s, "<synapse")) != NULL; s++)
		n++;
	free(g);
	pl_pengine_free(run);
	return n;
}

/* poll (fresh CIB each time) until nothing is pending or the deadline passes */
static int
settle(long long deadline)
{
	struct pl_error err = PL_ERROR_INIT;
	int n;

	for (;;) {
		rsc_cib_close();
		if (rsc_cib_open() != PL_EXIT_OK)
			return PL_EXIT_DISCONNECT;
		if ((n = pending_actions(&err)) < 0)
			return out_fail(err.code ? err.code : PL_EXIT_ERROR, "%s", err.text);
		if (n == 0)
			return PL_EXIT_OK;
		if (pl_deadline_left((uint64_t)deadline) == 0)
			return out_fail(
			    PL_EXIT_TIMEOUT, "Timeout occurred while waiting for the cluster to settle (%d pending actions)",
			    n);
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL); /* poll interval, bounded by the deadline above */
	}
}

int
rsc_cmd_wait(void)
{
	return settle((long long)pl_deadline((uint64_t)timeout_ms(60000)));
}

static const char *
own_target_role(void)
{
	xmlNode *x = rsc_cib_find_rsc(opt.rsc);

	PL_XML_FOREACH_CHILD(x, "meta_attributes", set)
	PL_XML_FOREACH_CHILD(set, "nvpair", nv)
	if (!g_strcmp0(pl_xml_attr(nv, "name"), "target-role"))
		return pl_xml_attr(nv, "value");
	return NULL;
}

int
rsc_cmd_restart(void)
{
	long long deadline = (long long)pl_deadline((uint64_t)timeout_ms(120000));
	char *old;
	int rc = rsc_require(opt.rsc);

	if (rc != PL_EXIT_OK)
		return rc;
	old = g_strdup(own_target_role());
	opt.attr_set_type = "meta_attributes";
	opt.cmd_arg = g_strdup("target-role");
	opt.value = "Stopped";
	opt.force = TRUE;
	opt.quiet = TRUE;
	if ((rc = rsc_cmd_set_param()) == PL_EXIT_OK)
		rc = settle(deadline);
	/* restore whatever happened */
	rsc_cib_close();
	if (rsc_cib_open() == PL_EXIT_OK) {
		int r;
		if (old) {
			opt.value = old;
			r = rsc_cmd_set_param();
		} else {
			r = rsc_cmd_delete_param();
		}
		if (rc == PL_EXIT_OK)
			rc = r;
	}
	if (rc == PL_EXIT_OK)
		rc = settle(deadline);
	g_free(old);
	return rc;
}
