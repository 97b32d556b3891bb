/*
 * graph.c - the transition graph (required, runnable actions as synapses in Pacemaker's
 * order: resources in processing order, each resource's actions newest first, then node
 * actions) and its simulated execution: repeated passes over the synapses, each firing
 * every synapse whose inputs are confirmed; a fired action is confirmed at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "pengine_private.h"

static bool
in_graph(struct pengine_action *a)
{
	if (a->flags & AF_OPTIONAL)
		return false;
	if (!(a->flags & AF_RUNNABLE))
		return false;
	if (a->rsc && !(a->flags & AF_PSEUDO) && a->node == NULL)
		return false;
	return true;
}

const char *
pengine_graph_key(struct pengine_action *a, char *buf, size_t len)
{
	if (a->flags & (AF_FENCE | AF_UNFENCE))
		snprintf(buf, len, "stonith-%s-%s", a->node->uname,
		    (a->flags & AF_UNFENCE)	   ? "on"
			: a->node->guest_fence_off ? "off"
						   : "reboot");
	else if (a->rsc == NULL && a->node && !(a->flags & AF_PSEUDO))
		snprintf(buf, len, "%s-%s", a->task, a->node->uname);
	else if (a->rsc && a->task_id == TASK_CANCEL)
		snprintf(buf, len, "%s_monitor_%lld",
		    a->node && a->rsc->pn && a->rsc->pn[a->node->idx].lrm_name
			? a->rsc->pn[a->node->idx].lrm_name
			: a->rsc->id,
		    a->interval_ms);
	else if (a->rsc && a->node && a->rsc->pn && a->rsc->pn[a->node->idx].lrm_name)
		/* an anonymous clone instance goes by its history's name on that node */
		snprintf(buf, len, "%s%s", a->rsc->pn[a->node->idx].lrm_name,
		    a->key + strlen(a->rsc->id));
	else
		snprintf(buf, len, "%s", a->rsc ? a->key : a->task);
	return buf;
}

static void
add_rsc_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	/* a bundle expands its clone, then each replica's IP, container and connection; its
	 * own pseudo-actions come with the node actions, as Pacemaker adds them */
	if (r->kind == KIND_BUNDLE) {
		if (r->inner)
			add_rsc_actions(ws, r->inner);
		for (int i = 0; i < r->n_replicas; i++) {
			struct pengine_replica *rp = &r->replicas[i];
			if (rp->ip)
				add_rsc_actions(ws, rp->ip);
			add_rsc_actions(ws, rp->container);
			if (rp->remote)
				add_rsc_actions(ws, rp->remote);
		}
		return;
	}
	/* a clone expands its instances before itself, a group after itself */
	if (r->kind == KIND_CLONE)
		for (int c = 0; c < r->n_children; c++)
			add_rsc_actions(ws, r->children[c]);
	for (int i = (int)r->actions->len - 1; i >= 0; i--) {
		struct pengine_action *a = r->actions->pdata[i];
		if (in_graph(a) && a->synapse < 0) {
			a->synapse = ws->n_synapses++;
			a->flags |= AF_IN_GRAPH;
			g_ptr_array_add(ws->synapse_order, a);
		}
	}
	if (r->kind != KIND_CLONE)
		for (int c = 0; c < r->n_children; c++)
			add_rsc_actions(ws, r->children[c]);
}

void
pengine_build_graph(struct pengine_ws *ws)
{
	ws->synapse_order = g_ptr_array_new();
	for (int i = 0; i < ws->n_order; i++)
		add_rsc_actions(ws, ws->order[i]);
	for (guint i = 0; i < ws->idle_orphans->len; i++) /* their deletions */
		add_rsc_actions(ws, ws->idle_orphans->pdata[i]);
	for (int i = (int)ws->actions->len - 1; i >= 0; i--) {
		struct pengine_action *a = ws->actions->pdata[i];
		if ((a->rsc == NULL || a->rsc->kind == KIND_BUNDLE) && in_graph(a) && a->synapse < 0) {
			a->synapse = ws->n_synapses++;
			a->flags |= AF_IN_GRAPH;
			g_ptr_array_add(ws->synapse_order, a);
		}
	}
	pengine_load_break_loops(ws);
}

static void
sim_set_running(struct pengine_rsc *r, struct pengine_node *n, bool on)
{
	for (int i = 0; i < r->n_sim_running; i++) {
		if (r->sim_running[i] == n) {
			if (!on) {
				r->sim_running[i] = r->sim_running[--r->n_sim_running];
			}
			return;
		}
	}
	if (on) {
		r->sim_running =
		    xreallocarray(r->sim_running, r->n_sim_running + 1, sizeof(*r->sim_running));
		r->sim_running[r->n_sim_running++] = n;
	}
}

/* Pacemaker names a clone instance by the name its history on that node uses. */
const char *
pengine_exec_name(struct pengine_action *a)
{
	struct pengine_rsc *r = a->rsc;
	if (r->pn && a->node && r->pn[a->node->idx].lrm_name)
		return r->pn[a->node->idx].lrm_name;
	/* an anonymous clone's instance unknown on the node goes by the cloned primitive's id
	 * when the history names instances so (Pacemaker 2 does), else by "id:N" */
	if (r->parent && r->parent->kind == KIND_CLONE && !r->parent->unique && r->parent->base_named)
		return r->parent->child_base;
	/* a member of an anonymous clone's group instance likewise goes by its own id */
	struct pengine_rsc *c = r->parent ? r->parent->parent : NULL;
	if (c && pengine_clone_of_groups(c) && !c->unique && c->base_named)
		return pl_xml_id(r->xml);
	return r->id;
}

/* fail counts of an anonymous clone's instances are kept under the cloned resource's id */
static const char *
failcount_name(const struct pengine_rsc *r)
{
	for (const struct pengine_rsc *p = r->parent; p; p = p->parent)
		if (p->kind == KIND_CLONE)
			return p->unique ? r->id : pl_xml_id(r->xml);
	return r->id;
}

static void
log_action(struct pengine_ws *ws, struct pengine_action *a)
{
	struct pl_buf *b = &ws->exec_log;
	if ((a->flags & AF_FENCE) && (a->flags & AF_PSEUDO)) { /* a guest's */
		char kb[512];
		pl_buf_addf(b, "  * Pseudo action:   %s on %s\n",
		    pengine_graph_key(a, kb, sizeof(kb)), a->node->uname);
	} else if (a->flags & (AF_FENCE | AF_UNFENCE)) {
		pl_buf_addf(b, "  * Fencing %s (%s)\n", a->node->uname,
		    (a->flags & AF_UNFENCE) ? "on" : "reboot");
	} else if (a->rsc == NULL && (a->flags & AF_PSEUDO)) {
		pl_buf_addf(b, "  * Pseudo action:   %s\n", a->task);
	} else if (a->flags & AF_CLUSTER) {
		pl_buf_addf(b, "  * Cluster action:  %s for %s on %s\n", a->task,
		    a->task_id == TASK_CLEAR_FAILCOUNT ? failcount_name(a->rsc)
						       : pengine_exec_name(a),
		    a->node->uname);
	} else if (a->rsc == NULL) {
		pl_buf_addf(
		    b, "  * Cluster action:  %s on %s\n", a->task, a->node ? a->node->uname : "");
	} else if (a->flags & AF_PSEUDO) {
		char kb[512];
		pl_buf_addf(b, "  * Pseudo action:   %s\n", pengine_graph_key(a, kb, sizeof(kb)));
	} else if (a->notify) {
		pl_buf_addf(b, "  * Resource action: %-15s notify on %s\n", pengine_exec_name(a),
		    a->node->uname);
	} else if (a->interval_ms > 0) {
		pl_buf_addf(b, "  * Resource action: %-15s %s=%lld on %s\n", pengine_exec_name(a),
		    a->task, a->interval_ms, a->node->uname);
	} else {
		pl_buf_addf(b, "  * Resource action: %-15s %s on %s\n", pengine_exec_name(a),
		    a->task, a->node->uname);
	}
}

static void
apply(struct pengine_ws *ws, struct pengine_action *a)
{
	if (a->flags & AF_FENCE) {
		a->node->fenced_later = true;
		/* a fenced node runs nothing afterwards (its history is erased), even what
		 * had no stop scheduled there (multiply-active-stonith) */
		for (int i = 0; i < ws->n_rscs; i++)
			if (ws->rscs[i]->kind == KIND_PRIMITIVE)
				sim_set_running(ws->rscs[i], a->node, false);
		return;
	}
	if (a->rsc == NULL || a->rsc->kind != KIND_PRIMITIVE || a->node == NULL)
		return;
	if (a->task_id == TASK_STOP) {
		if (!(a->rsc->pn && a->rsc->pn[a->node->idx].dup_active))
			sim_set_running(a->rsc, a->node, false);
		if (a->rsc->n_sim_running == 0)
			a->rsc->sim_failed = false;
	} else if (a->task_id == TASK_START) {
		sim_set_running(a->rsc, a->node, true);
		a->rsc->sim_failed = false;
		a->rsc->sim_role =
		    pengine_promotable_instance(a->rsc) ? ROLE_UNPROMOTED : ROLE_STARTED;
	} else if (a->task_id == TASK_PROMOTE) {
		a->rsc->sim_role = ROLE_PROMOTED;
		if (pengine_demote_on_fail(a->rsc)) /* re-promoted: recovered */
			a->rsc->sim_failed = false;
	} else if (a->task_id == TASK_DEMOTE) {
		a->rsc->sim_role = ROLE_UNPROMOTED;
	} else if (a->task_id == TASK_MONITOR && a->interval_ms > 0 && a->op &&
	    pengine_role_parse(a->op->role) == ROLE_PROMOTED) {
		/* a Promoted-role monitor expects (and in the simulation gets) "running
		 * promoted" */
		a->rsc->sim_role = ROLE_PROMOTED;
	}
}

int
pengine_action_target_rc(struct pengine_action *a)
{
	if (a->rsc == NULL || a->task == NULL || strcmp(a->task, "monitor") != 0)
		return 0;
	if (a->interval_ms == 0)
		return 7;
	return a->op && pengine_role_parse(a->op->role) == ROLE_PROMOTED ? 8 : 0;
}

/* crm_simulate -F: does a result other than the expected one apply to this action? */
static bool
pretend_failure(struct pengine_ws *ws, struct pengine_action *a, int *rc)
{
	if (a->rsc == NULL || a->node == NULL || (a->flags & (AF_PSEUDO | AF_FENCE)))
		return false;
	for (int i = 0; i < ws->n_op_fail; i++) {
		const struct pl_pengine_op_fail *f = &ws->op_fail[i];
		if (f->interval_ms != a->interval_ms ||
		    strcmp(f->task, a->notify ? "notify" : a->task))
			continue;
		if (strcmp(f->node, a->node->uname) && strcmp(f->node, a->node->id))
			continue;
		if (strcmp(f->rsc, pengine_exec_name(a)) && strcmp(f->rsc, a->rsc->id))
			continue;
		*rc = f->rc;
		return true;
	}
	return false;
}

void
pengine_simulate(struct pengine_ws *ws)
{
	ws->exec_fired = g_ptr_array_new();
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		r->n_sim_running = 0;
		for (int k = 0; k < r->n_running; k++)
			sim_set_running(r, r->running[k], true);
		r->sim_failed = r->failed;
		r->sim_role = r->role;
	}
	GPtrArray *s = ws->synapse_order;
	for (guint i = 0; i < s->len; i++) {
		struct pengine_action *a = s->pdata[i];
		a->n_unconfirmed = 0;
		for (guint j = 0; j < a->before->len; j++) {
			struct pengine_edge *e = &g_array_index(a->before, struct pengine_edge, j);
			if (e->other->flags & AF_IN_GRAPH)
				a->n_unconfirmed++;
		}
	}
	/* Passes are needed only to reproduce Pacemaker's printing order; each pass visits the
	 * remaining synapses in graph order. A worklist keeps this linear in practice. */
	guint remaining = s->len;
	GPtrArray *todo = g_ptr_array_sized_new(s->len);
	for (guint i = 0; i < s->len; i++)
		g_ptr_array_add(todo, s->pdata[i]);
	while (remaining > 0) {
		bool fired = false;
		GPtrArray *next = g_ptr_array_sized_new(todo->len);
		for (guint i = 0; i < todo->len; i++) {
			struct pengine_action *a = todo->pdata[i];
			if (a->n_unconfirmed > 0) {
				g_ptr_array_add(next, a);
				continue;
			}
			log_action(ws, a);
			g_ptr_array_add(ws->exec_fired, a);
			int rc;
			if (pretend_failure(ws, a, &rc)) {
				/* as Pacemaker's simulation: the transition stops at the failed action */
				pl_buf_addf(&ws->exec_log,
				    "Pretending action %d failed with rc=%d\n", a->id, rc);
				ws->failed = a;
				ws->failed_rc = rc;
				remaining = 0;
				break;
			}
			apply(ws, a);
			a->flags |= AF_CONFIRMED;
			remaining--;
			fired = true;
			for (guint j = 0; j < a->after->len; j++) {
				struct pengine_edge *e =
				    &g_array_index(a->after, struct pengine_edge, j);
				if (e->other->flags & AF_IN_GRAPH)
					e->other->n_unconfirmed--;
			}
		}
		g_ptr_array_free(todo, true);
		todo = next;
		if (!fired)
			break; /* a cycle: Pacemaker would stall the transition too */
	}
	g_ptr_array_free(todo, true);
	/* groups mirror their members */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *g = ws->rscs[i];
		if (g->kind != KIND_GROUP && g->kind != KIND_CLONE)
			continue;
		g->n_sim_running = 0;
		g->sim_failed = false;
		for (int c = 0; c < g->n_children; c++) {
			struct pengine_rsc *ch = g->children[c];
			for (int k = 0; k < ch->n_sim_running; k++)
				sim_set_running(g, ch->sim_running[k], true);
			if (ch->sim_failed)
				g->sim_failed = true;
		}
	}
}

static gint
name_cmp(gconstpointer x, gconstpointer y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* <attributes>: the action's timeout and interval, and for a resource's real action the
 * parameters it runs with (what the controller passes to the agent), sorted by name. */
static void
graph_attributes(struct pengine_ws *ws, struct pengine_action *a, struct pl_buf *b)
{
	long long timeout = 20000;
	GHashTable *params = NULL;

	if (a->rsc && !(a->flags & AF_PSEUDO) && a->rsc->kind == KIND_PRIMITIVE && a->task)
		params = pengine_op_params(ws, a->rsc, a->task, a->interval_ms, &timeout);
	pl_buf_add(b, "        <attributes");
	if (a->interval_ms)
		pl_buf_addf(b, " CRM_meta_interval=\"%lld\"", a->interval_ms);
	/* a cancel names the operation it cancels (the controller cancels that operation of
	 * that interval: without it nothing was cancelled, and a Unpromoted-role monitor left
	 * running after a promotion failed with "promoted", recovered, and looped) */
	if (a->task_id == TASK_CANCEL)
		pl_buf_add(b, " CRM_meta_name=\"monitor\" CRM_meta_operation=\"monitor\"");
	/* a probe expects "not running"; a monitor of the Promoted role expects "promoted" */
	bool promoted_monitor = params && a->interval_ms > 0 && !strcmp(a->task, "monitor") &&
	    a->op && pengine_role_parse(a->op->role) == ROLE_PROMOTED;
	if (params && a->interval_ms == 0 && !strcmp(a->task, "monitor"))
		pl_buf_add(b, " CRM_meta_op_target_rc=\"7\"");
	else if (promoted_monitor)
		pl_buf_add(b, " CRM_meta_op_target_rc=\"8\" CRM_meta_role=\"Promoted\"");
	if (a->flags & (AF_FENCE | AF_UNFENCE)) { /* what the controller asks the fencer */
		pl_buf_addf(b, " CRM_meta_on_node=\"%s\" CRM_meta_on_node_uuid=\"%s\"",
		    a->node->uname, a->node->id);
		long long delay =
		    (a->flags & AF_FENCE) ? pengine_priority_fencing_delay(ws, a->node) : -1;
		if (delay >= 0)
			pl_buf_addf(b, " CRM_meta_priority_fencing_delay=\"%lld\"", delay);
		pl_buf_addf(b, " CRM_meta_stonith_action=\"%s\"",
		    (a->flags & AF_UNFENCE) ? "on" : "reboot");
	}
	pl_buf_addf(b, " CRM_meta_timeout=\"%lld\"", timeout);
	if (params) {
		GPtrArray *names = g_ptr_array_new();
		GHashTableIter it;
		gpointer k;

		g_hash_table_iter_init(&it, params);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_ptr_array_add(names, k);
		g_ptr_array_sort(names, name_cmp);
		for (guint i = 0; i < names->len; i++) {
			pl_buf_addf(b, " %s=\"", (const char *)names->pdata[i]);
			pengine_buf_add_escaped(b, g_hash_table_lookup(params, names->pdata[i]));
			pl_buf_addc(b, '"');
		}
		g_ptr_array_free(names, true);
		g_hash_table_destroy(params);
	}
	pl_buf_add(b, "/>\n");
}

char *
pengine_graph_xml(struct pengine_ws *ws)
{
	struct pl_buf b = PL_BUF_INIT;
	pl_buf_addf(&b,
	    "<transition_graph cluster-delay=\"60s\" stonith-timeout=\"60s\" "
	    "failed-stop-offset=\"INFINITY\" failed-start-offset=\"INFINITY\" "
	    "transition_id=\"0\">\n");
	for (guint i = 0; i < ws->synapse_order->len; i++) {
		struct pengine_action *a = ws->synapse_order->pdata[i];
		pl_buf_addf(&b, "  <synapse id=\"%u\">\n    <action_set>\n", i);
		const char *el = (a->flags & AF_PSEUDO)	 ? "pseudo_event"
		    : a->rsc && !(a->flags & AF_CLUSTER) ? "rsc_op"
							 : "crm_event";
		char kb[512];
		pl_buf_addf(&b, "      <%s id=\"%d\" operation=\"%s\" operation_key=\"%s\"", el,
		    a->id, a->task, pengine_graph_key(a, kb, sizeof(kb)));
		if (a->node && !(a->flags & AF_PSEUDO))
			pl_buf_addf(
			    &b, " on_node=\"%s\" on_node_uuid=\"%s\"", a->node->uname, a->node->id);
		pl_buf_addf(&b, ">\n");
		if (a->rsc && !(a->flags & AF_PSEUDO)) {
			struct pengine_rsc *r = a->rsc;
			/* as Pacemaker's graphs: an anonymous clone's instance is executed under the
			 * cloned primitive's id (long-id: the instance), so that its name on a node, its
			 * agent's OCF_RESOURCE_INSTANCE and the attributes the agent sets (master-ID)
			 * do not change when the scheduler numbers the instances differently */
			if (r->parent && r->parent->kind == KIND_CLONE && !r->parent->unique &&
			    r->parent->child_base && strcmp(r->parent->child_base, r->id) != 0) {
				const char *ln =
				    r->pn && a->node ? r->pn[a->node->idx].lrm_name : NULL;
				pl_buf_addf(&b, "        <primitive id=\"%s\" long-id=\"%s\"",
				    r->parent->child_base,
				    ln && strcmp(ln, r->parent->child_base) != 0 ? ln : r->id);
			} else {
				pl_buf_addf(&b, "        <primitive id=\"%s\"", r->id);
			}
			pl_buf_addf(&b, " class=\"%s\"", r->cls ? r->cls : "");
			if (r->provider)
				pl_buf_addf(&b, " provider=\"%s\"", r->provider);
			pl_buf_addf(&b, " type=\"%s\"/>\n", r->type ? r->type : "");
		}
		graph_attributes(ws, a, &b);
		pl_buf_addf(&b, "      </%s>\n    </action_set>\n    <inputs>\n", el);
		for (guint j = 0; j < a->before->len; j++) {
			struct pengine_action *p =
			    g_array_index(a->before, struct pengine_edge, j).other;
			if (!(p->flags & AF_IN_GRAPH))
				continue;
			const char *pel = (p->flags & AF_PSEUDO) ? "pseudo_event"
			    : p->rsc				 ? "rsc_op"
								 : "crm_event";
			pl_buf_addf(
			    &b, "      <trigger>\n        <%s id=\"%d\" operation=\"%s\" operation_key=\"%s\"",
			    pel, p->id, p->task, pengine_graph_key(p, kb, sizeof(kb)));
			if (p->node && !(p->flags & AF_PSEUDO))
				pl_buf_addf(&b, " on_node=\"%s\" on_node_uuid=\"%s\"",
				    p->node->uname, p->node->id);
			pl_buf_addf(&b, "/>\n      </trigger>\n");
		}
		pl_buf_addf(&b, "    </inputs>\n  </synapse>\n");
	}
	pl_buf_addf(&b, "</transition_graph>\n");
	return pl_buf_steal(&b);
}
