/*
 * unpack.c - the unpack stage's driver (configuration, nodes, resources, then the status),
 * the helpers every stage uses (meta-attributes, roles, intervals, messages: pengine_warn for
 * unsupported features, pengine_input_error for ignored entries, pengine_fail to refuse the input) and
 * freeing a run's model.
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

void
pengine_warn(struct pengine_ws *ws, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pl_buf_vaddf(&ws->warnings, fmt, ap);
	va_end(ap);
	pl_buf_addc(&ws->warnings, '\n');
}

void
pengine_fail(struct pengine_ws *ws, int code, const char *fmt, ...)
{
	if (pengine_failed(ws))
		return;
	va_list ap;
	va_start(ap, fmt);
	char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	pl_error_set(&ws->error, code, "%s", text);
	g_free(text);
}

void
pengine_input_error(struct pengine_ws *ws, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pl_buf_vaddf(&ws->input_errors, fmt, ap);
	va_end(ap);
	pl_buf_addc(&ws->input_errors, '\n');
}

void
pengine_log(struct pengine_ws *ws, const char *fn, const char *level, const char *fmt, ...)
{
	va_list ap;
	pl_buf_addf(&ws->log, "%s \t%s: ", fn, level);
	va_start(ap, fmt);
	pl_buf_vaddf(&ws->log, fmt, ap);
	va_end(ap);
	pl_buf_addc(&ws->log, '\n');
}

void
pengine_config_err(struct pengine_ws *ws, const char *fn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	pengine_log(ws, fn, "error", "%s", text);
	pl_buf_addf(&ws->config_errors, "%s\n", text);
	free(text);
}

bool
pengine_is_true(const char *s)
{
	return s &&
	    (!strcasecmp(s, "true") || !strcasecmp(s, "on") || !strcasecmp(s, "yes") ||
		!strcasecmp(s, "y") || !strcmp(s, "1"));
}

/* Pacemaker's false words (an invalid value is neither: the default applies) */
bool
pengine_is_false(const char *s)
{
	return s &&
	    (!strcasecmp(s, "false") || !strcasecmp(s, "off") || !strcasecmp(s, "no") ||
		!strcasecmp(s, "n") || !strcmp(s, "0"));
}

enum pengine_role
pengine_role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_UNKNOWN;
	if (!strcasecmp(s, "Stopped"))
		return ROLE_STOPPED;
	if (!strcasecmp(s, "Started"))
		return ROLE_STARTED;
	if (!strcasecmp(s, "Slave") || !strcasecmp(s, "Unpromoted"))
		return ROLE_UNPROMOTED;
	if (!strcasecmp(s, "Master") || !strcasecmp(s, "Promoted"))
		return ROLE_PROMOTED;
	return ROLE_UNKNOWN;
}

const char *
pengine_role_str(enum pengine_role r)
{
	static const char *n[] = { "Unknown", "Stopped", "Started", "Unpromoted", "Promoted" };
	return n[r];
}

/* "10s", "5min", "PT10S", "1000ms", plain number = seconds. */
long long
pengine_interval_ms(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	if (s[0] == 'P') {
		struct pl_duration d;
		if (!pl_duration_parse(s, &d, NULL))
			return 0;
		return pl_duration_seconds(&d) * 1000;
	}
	char *end;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end == '\0' || !strcasecmp(end, "s") || !strcasecmp(end, "sec"))
		return (long long)(v * 1000);
	if (!strcasecmp(end, "ms") || !strcasecmp(end, "msec"))
		return (long long)v;
	if (!strcasecmp(end, "us") || !strcasecmp(end, "usec"))
		return (long long)(v / 1000);
	if (!strcasecmp(end, "m") || !strcasecmp(end, "min"))
		return (long long)(v * 60000);
	if (!strcasecmp(end, "h") || !strcasecmp(end, "hr"))
		return (long long)(v * 3600000);
	return 0;
}

const char *
pengine_meta(struct pengine_rsc *r, const char *name)
{
	for (; r; r = r->parent) {
		const char *v = g_hash_table_lookup(r->meta, name);
		if (v)
			return v;
	}
	return NULL;
}

/* Without quorum, for a resource that needs it: requires="nothing" (its own or its
 * parents', or from rsc_defaults) starts and stays whatever no-quorum-policy says. */
bool
pengine_no_quorum(const struct pengine_ws *ws, struct pengine_rsc *r)
{
	if (ws->have_quorum)
		return false;
	const char *req = r ? pengine_meta(r, "requires") : NULL;
	return !(req && !strcmp(req, "nothing"));
}

/* Without quorum, whether r stops for it: no-quorum-policy=stop, or demote for what is not
 * a promotable instance (those are demoted, no_quorum_demote) */
bool
pengine_quorum_stops(const struct pengine_ws *ws, struct pengine_rsc *r)
{
	if (!pengine_no_quorum(ws, r))
		return false;
	return ws->no_quorum_policy == NQP_STOP ||
	    (ws->no_quorum_policy == NQP_DEMOTE && !pengine_promotable_instance(r));
}

/* Whether target-role=Stopped keeps r stopped: a group's or clone's own (or inherited)
 * target-role does not when its first member or instance says Started itself, as the
 * members follow their own meta-attributes in Pacemaker. */
bool
pengine_role_stopped(const struct pengine_rsc *r)
{
	return r->disabled && (r->n_children == 0 || r->children[0]->disabled);
}

/* Whether r's start waits for the fencing of a node it may be active on (Pacemaker's
 * requires=fencing or unfencing, the default with fencing enabled except for fence devices);
 * requires="quorum" or "nothing" do not wait, and neither does the stop the fencing implies. */
bool
pengine_needs_fencing(struct pengine_rsc *r)
{
	const char *req = pengine_meta(r, "requires");
	if (req)
		return !strcmp(req, "fencing") || !strcmp(req, "unfencing");
	return !(r->cls && !strcmp(r->cls, "stonith"));
}

void
pengine_unpack(struct pengine_ws *ws)
{
	ws->config = pl_xml_first_child(ws->cib, "configuration");
	ws->status = pl_xml_first_child(ws->cib, "status");
	ws->rsc_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	ws->node_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	ws->colocs = g_ptr_array_new();
	ws->locations = g_ptr_array_new();
	ws->loc_log = g_array_new(false, false, sizeof(struct pengine_loc_entry));
	ws->orders = g_ptr_array_new();
	ws->one_or_more = g_ptr_array_new();
	ws->idle_orphans = g_ptr_array_new();
	ws->actions = g_ptr_array_new();
	ws->action_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	ws->strings = g_ptr_array_new_with_free_func(free);
	ws->clone_by_child = g_hash_table_new(g_str_hash, g_str_equal);
	ws->clone_by_member = g_hash_table_new(g_str_hash, g_str_equal);
	pengine_unpack_config(ws);
	pengine_unpack_nodes(ws);
	pengine_unpack_resources(ws);
	if (!pengine_failed(ws) && ws->stream == NULL) /* else stream.c hands it over */
		pengine_unpack_status(ws);
}

void
pengine_one_or_more_free(struct pengine_one_or_more *o)
{
	free(o->id);
	free(o->action);
	free(o->next_action);
	if (o->members)
		g_ptr_array_free(o->members, true);
	if (o->next)
		g_ptr_array_free(o->next, true);
	free(o);
}

const char *
pengine_keep(struct pengine_ws *ws, char *s)
{
	g_ptr_array_add(ws->strings, s);
	return s;
}

static void
free_rsc(struct pengine_ws *ws, struct pengine_rsc *r)
{
	free(r->id);
	free(r->cls);
	free(r->provider);
	free(r->type);
	g_hash_table_destroy(r->meta);
	g_hash_table_destroy(r->params);
	g_ptr_array_free(r->actions, true);
	free(r->children);
	free(r->running);
	free(r->sim_running);
	for (int i = 0; r->pn && i < ws->n_nodes; i++) {
		if (r->pn[i].recurring)
			g_ptr_array_free(r->pn[i].recurring, true);
		if (r->pn[i].hist_ops)
			g_array_free(r->pn[i].hist_ops, true);
		if (r->pn[i].ever)
			g_array_free(r->pn[i].ever, true);
		free(r->pn[i].lrm_name);
	}
	free(r->pn);
	free(r->score);
	free(r->discover);
	free(r->wsort);
	free(r->wfinal);
	free(r->inst_order);
	for (int i = 0; i < r->n_ops; i++) {
		free(r->ops[i].name);
		free(r->ops[i].role);
	}
	free(r->ops);
	free(r->stop_reason);
	free(r->child_base);
	free(r->container_type);
	free(r->image);
	for (int i = 0; i < r->n_replicas; i++)
		free(r->replicas[i].address);
	free(r->replicas);
	if (r->util)
		g_hash_table_destroy(r->util);
	free(r->promo);
	free(r->restart_reason);
	free(r);
}

void
pengine_free(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++)
		free_rsc(ws, ws->rscs[i]);
	for (int i = 0; i < ws->n_nodes; i++) {
		free(ws->nodes[i]->id);
		free(ws->nodes[i]->uname);
		free(ws->nodes[i]->conn);
		if (ws->nodes[i]->util)
			g_hash_table_destroy(ws->nodes[i]->util);
		if (ws->nodes[i]->util_used)
			g_hash_table_destroy(ws->nodes[i]->util_used);
		g_hash_table_destroy(ws->nodes[i]->attrs);
		free(ws->nodes[i]);
	}
	for (guint i = 0; ws->actions && i < ws->actions->len; i++) {
		struct pengine_action *a = ws->actions->pdata[i];
		free(a->task);
		free(a->key);
		g_array_free(a->before, true);
		g_array_free(a->after, true);
		free(a);
	}
	for (guint i = 0; ws->colocs && i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		free(c->id);
		free(c->node_attr);
		free(c);
	}
	for (guint i = 0; ws->orders && i < ws->orders->len; i++) {
		struct pengine_order *o = ws->orders->pdata[i];
		free(o->first_task);
		free(o->then_task);
		free(o);
	}
	for (guint i = 0; ws->one_or_more && i < ws->one_or_more->len; i++) {
		pengine_one_or_more_free(ws->one_or_more->pdata[i]);
	}
	if (ws->one_or_more)
		g_ptr_array_free(ws->one_or_more, true);
	if (ws->idle_orphans)
		g_ptr_array_free(ws->idle_orphans, true);
	if (ws->actions)
		g_ptr_array_free(ws->actions, true);
	if (ws->colocs)
		g_ptr_array_free(ws->colocs, true);
	if (ws->orders)
		g_ptr_array_free(ws->orders, true);
	if (ws->locations)
		g_ptr_array_free(ws->locations, true);
	if (ws->loc_log)
		g_array_free(ws->loc_log, true);
	if (ws->synapse_order)
		g_ptr_array_free(ws->synapse_order, true);
	if (ws->exec_fired)
		g_ptr_array_free(ws->exec_fired, true);
	if (ws->strings)
		g_ptr_array_free(ws->strings, true);
	if (ws->action_by_key)
		g_hash_table_destroy(ws->action_by_key);
	if (ws->rsc_by_id)
		g_hash_table_destroy(ws->rsc_by_id);
	if (ws->clone_by_child)
		g_hash_table_destroy(ws->clone_by_child);
	if (ws->clone_by_member)
		g_hash_table_destroy(ws->clone_by_member);
	if (ws->orphan_defs)
		xmlFreeNode(ws->orphan_defs);
	if (ws->failed_ops)
		xmlFreeNode(ws->failed_ops);
	if (ws->tickets && ws->tickets_copied)
		xmlFreeNode(ws->tickets);
	if (ws->node_by_name)
		g_hash_table_destroy(ws->node_by_name);
	free(ws->rscs);
	free(ws->nodes);
	free(ws->top);
	free(ws->order);
	free(ws->placement_strategy);
	free(ws->health_strategy);
	free(ws->dc_uuid);
	pl_buf_free(&ws->warnings);
	pl_buf_free(&ws->input_errors);
	pl_buf_free(&ws->log);
	pl_buf_free(&ws->config_errors);
	pl_buf_free(&ws->exec_log);
	pl_buf_free(&ws->scores);
}
