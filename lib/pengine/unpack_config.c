/*
 * unpack_config.c - cluster options from crm_config (rules evaluated), rsc_defaults and
 * op_defaults.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

GHashTable *
pengine_strtab(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
}

/* ---- cluster options ---- */

void
pengine_unpack_config(struct pengine_ws *ws)
{
	GHashTable *o = pengine_strtab();
	xmlNode *crm = pl_xml_first_child(ws->config, "crm_config");
	pengine_unpack_nvpairs(ws, crm, "cluster_property_set", NULL, o);
	const char *v;
	ws->stonith_enabled =
	    (v = g_hash_table_lookup(o, "stonith-enabled")) ? pengine_is_true(v) : true;
	ws->have_watchdog = pengine_is_true(g_hash_table_lookup(o, "have-watchdog"));
	ws->symmetric = (v = g_hash_table_lookup(o, "symmetric-cluster")) ? pengine_is_true(v) : true;
	ws->stop_all = pengine_is_true(g_hash_table_lookup(o, "stop-all-resources"));
	ws->concurrent_fencing =
	    (v = g_hash_table_lookup(o, "concurrent-fencing")) ? pengine_is_true(v) : true;
	ws->health_strategy =
	    xstrdup((v = g_hash_table_lookup(o, "node-health-strategy")) ? v : "none");
	ws->health_green = pl_score_parse(g_hash_table_lookup(o, "node-health-green"));
	ws->health_yellow = pl_score_parse(g_hash_table_lookup(o, "node-health-yellow"));
	ws->health_red = pl_score_parse(g_hash_table_lookup(o, "node-health-red"));
	ws->maintenance = pengine_is_true(g_hash_table_lookup(o, "maintenance-mode"));
	ws->startup_fencing =
	    (v = g_hash_table_lookup(o, "startup-fencing")) ? pengine_is_true(v) : true;
	ws->start_failure_fatal =
	    (v = g_hash_table_lookup(o, "start-failure-is-fatal")) ? pengine_is_true(v) : true;
	ws->stop_orphans =
	    (v = g_hash_table_lookup(o, "stop-orphan-resources")) ? pengine_is_true(v) : true;
	ws->stop_orphan_actions =
	    (v = g_hash_table_lookup(o, "stop-orphan-actions")) ? pengine_is_true(v) : true;
	ws->default_stickiness =
	    pl_score_parse(g_hash_table_lookup(o, "default-resource-stickiness"));
	ws->placement_strategy =
	    xstrdup((v = g_hash_table_lookup(o, "placement-strategy")) ? v : "default");
	ws->utilization = strcmp(ws->placement_strategy, "default") != 0;
	ws->balanced = !strcmp(ws->placement_strategy, "balanced");
	ws->minimal = !strcmp(ws->placement_strategy, "minimal");
	v = g_hash_table_lookup(o, "no-quorum-policy");
	ws->no_quorum_policy = NQP_STOP;
	if (v && !strcasecmp(v, "ignore"))
		ws->no_quorum_policy = NQP_IGNORE;
	else if (v && !strcasecmp(v, "freeze"))
		ws->no_quorum_policy = NQP_FREEZE;
	else if (v && !strcasecmp(v, "suicide"))
		ws->no_quorum_policy = NQP_SUICIDE;
	else if (v && !strcasecmp(v, "demote"))
		ws->no_quorum_policy = NQP_DEMOTE;
	g_hash_table_destroy(o);
	ws->have_quorum = pengine_is_true(pl_xml_attr(ws->cib, "have-quorum"));
	/* suicide needs fencing, and a cluster that had quorum (or lost it: the controller
	 * sets no-quorum-panic); else it is stop, as Pacemaker resets it
	 * (suicide-not-needed-never-quorate) */
	if (ws->no_quorum_policy == NQP_SUICIDE &&
	    (!ws->stonith_enabled ||
		!(ws->have_quorum || pengine_is_true(pl_xml_attr(ws->cib, "no-quorum-panic")))))
		ws->no_quorum_policy = NQP_STOP;
	ws->dc_uuid = xstrdup(pl_xml_attr(ws->cib, "dc-uuid"));
	ws->rsc_defaults = pl_xml_first_child(ws->config, "rsc_defaults");
	ws->op_defaults = pl_xml_first_child(ws->config, "op_defaults");
}
