/*
 * status_mon_rsc.c - crm_mon's resource lines: primitives, groups and clones as Pacemaker
 * 2.1.5 prints them ("Active Resources", "Full List of Resources", by node, "Inactive
 * Resources").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status_mon.h"

bool
mon_rsc_active(const struct pengine_rsc *r, bool all)
{
	if (r->kind == KIND_PRIMITIVE) {
		/* a managed resource on a node cleanly down is not active there (Pacemaker) */
		for (int i = 0; i < r->n_running; i++)
			if (r->running[i]->unclean || r->running[i]->online || !r->managed)
				return true;
		return false;
	}
	if (r->n_children == 0)
		return false;
	for (int i = 0; i < r->n_children; i++) {
		bool a = mon_rsc_active(r->children[i], all);
		if (all && !a)
			return false;
		if (!all && a)
			return true;
	}
	return all;
}

static void
agent(const struct pengine_rsc *r, struct pl_buf *b)
{
	pl_buf_addf(b, "(%s", r->cls ? r->cls : "");
	if (r->provider)
		pl_buf_addf(b, ":%s", r->provider);
	pl_buf_addf(b, ":%s)", r->type ? r->type : "");
}

/* the operation in flight on one of the nodes it runs on, as a state word */
static const char *
pending_word(const struct pengine_rsc *r, const struct pl_mon_opts *o)
{
	if (!o->pending)
		return NULL;
	for (int i = 0; i < r->n_running; i++) {
		const char *p = r->pn[r->running[i]->idx].pending;
		if (p == NULL)
			continue;
		if (!strcmp(p, "start"))
			return "Starting";
		if (!strcmp(p, "stop"))
			return "Stopping";
		if (!strcmp(p, "promote"))
			return "Promoting";
		if (!strcmp(p, "demote"))
			return "Demoting";
		if (!strcmp(p, "migrate"))
			return "Migrating";
	}
	return NULL;
}

/* a recurring monitor in flight where it runs */
static bool
monitoring(const struct pengine_rsc *r, const struct pl_mon_opts *o)
{
	for (int i = 0; o->pending && i < r->n_running; i++) {
		const char *p = r->pn[r->running[i]->idx].pending;
		if (p && !strcmp(p, "monitor"))
			return true;
	}
	return false;
}

static int
masked_on(const struct pengine_ws *ws, const struct pengine_rsc *r, const struct pengine_node *n)
{
	if (r->kind != KIND_PRIMITIVE || r->pn == NULL)
		return 0;
	for (int i = 0; i < ws->n_nodes; i++)
		if ((n == NULL || ws->nodes[i] == n) && r->pn[i].probe_masked)
			return r->pn[i].probe_masked;
	return 0;
}

int
mon_masked_probe(
    const struct pengine_ws *ws, const struct pengine_rsc *r, const struct pengine_node *n)
{
	const struct pengine_rsc *c = r->kind == KIND_CLONE ? r : r->parent;
	if (c && c->kind == KIND_CLONE && !c->unique) {
		for (int i = 0; i < c->n_children; i++) {
			int rc = masked_on(ws, c->children[i], n);
			if (rc)
				return rc;
		}
		return 0;
	}
	return masked_on(ws, r, n);
}

void
mon_stopped_lists(const struct pengine_ws *ws, const struct pengine_rsc *c,
    GPtrArray *stopped, void (*list)(void *data, const char *label, GPtrArray *nodes),
    void *data)
{
	/* nodes where a probe found it not installed are listed apart, by result (each
	 * node's result looked up once, the lists in increasing result) */
	int *rc = xcalloc(stopped->len ? stopped->len : 1, sizeof(int));
	for (guint i = 0; i < stopped->len; i++)
		rc[i] = mon_masked_probe(ws, c, stopped->pdata[i]);
	GPtrArray *some = g_ptr_array_new();
	for (int want = 0; want >= 0;) {
		int next = -1; /* the smallest result above this one */
		g_ptr_array_set_size(some, 0);
		for (guint i = 0; i < stopped->len; i++) {
			if (rc[i] == want)
				g_ptr_array_add(some, stopped->pdata[i]);
			else if (rc[i] > want && (next < 0 || rc[i] < next))
				next = rc[i];
		}
		char label[64];
		if (want == 0)
			snprintf(label, sizeof(label), "%s",
			    c->disabled ? "Stopped (disabled)" : "Stopped");
		else
			snprintf(label, sizeof(label), "Stopped (%s)", mon_ocf_str(want));
		list(data, label, some); /* (an empty list prints nothing) */
		want = next;
	}
	g_ptr_array_free(some, true);
	free(rc);
}

/* A primitive's flags: "UNCLEAN" (its one node, unless listed under it), "disabled",
 * "Monitoring", "blocked" or "unmanaged", "failure ignored"; comma-separated into flags. */
static void
prim_flags(const struct pengine_rsc *r, const struct pl_mon_opts *o, const struct pengine_node *at,
    bool by_node, struct pl_buf *flags)
{
#define FLAG(s) pl_buf_addf(flags, "%s%s", flags->len ? ", " : "", s)
	if (r->n_running == 1 && !by_node && at->unclean && !at->online)
		FLAG("UNCLEAN");
	if (r->disabled) /* its meta-attributes' target-role: its own, else inherited */
		FLAG("disabled");
	if (monitoring(r, o))
		FLAG("Monitoring");
	if (mon_rsc_blocked(r))
		FLAG("blocked");
	else if (!r->managed)
		FLAG("unmanaged");
	if (r->failure_ignored)
		FLAG("failure ignored");
#undef FLAG
}

/* A primitive's state: "ORPHANED " first for an orphan; "Stopped" (with the masked probe's
 * " (reason) "), else "FAILED" ("FAILED Promoted"), the operation in flight ("Starting") or
 * the role. */
static void
prim_state(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    struct pl_buf *out)
{
	if (r->orphan)
		pl_buf_add(out, "ORPHANED ");
	if (r->n_running == 0) {
		int masked = mon_masked_probe(ws, r, NULL);

		pl_buf_add(out, r->failed ? "FAILED" : "Stopped"); /* failed, yet stopped */
		if (masked)
			pl_buf_addf(out, " (%s) ", mon_ocf_str(masked));
		return;
	}
	enum pengine_role role = r->role <= ROLE_STOPPED ? ROLE_STARTED : r->role;
	const char *pw = pending_word(r, o);
	if (r->failed)
		pl_buf_add(out, role == ROLE_PROMOTED ? "FAILED Promoted" : "FAILED");
	else if (pw)
		pl_buf_add(out, pw);
	else
		pl_buf_add(out, pengine_role_str(role));
}

void
mon_prim_state(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    struct pl_buf *out)
{
	struct pl_buf flags = PL_BUF_INIT;

	prim_state(ws, r, o, out);
	prim_flags(r, o, NULL, true, &flags);
	if (flags.len)
		pl_buf_addf(out, " (%s)", flags.s);
	pl_buf_free(&flags);
}

/* "* id\t(agent):\t STATE [node] (flags)"; by_node: the nodes it runs on are not named;
 * `name` and `host` (when set) replace its name and the node it runs on (a bundle's replica
 * line names the replica and its container's node) */
static void
prim_line_as(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    const char *indent, bool by_node, const char *name, const struct pengine_node *host,
    struct pl_buf *out)
{
	struct pl_buf flags = PL_BUF_INIT;
	int cnt = r->n_running;
	const struct pengine_node *at = host ? host : cnt == 1 ? r->running[0] : NULL;

	prim_flags(r, o, at, by_node, &flags);
	pl_buf_addf(out, "%s* %s\t", indent, name ? name : mon_rsc_name(r, false));
	agent(r, out);
	pl_buf_add(out, ":\t ");
	prim_state(ws, r, o, out);
	if (cnt == 0) {
		if (host && !by_node)
			pl_buf_addf(out, " %s", host->uname);
	} else {
		if (cnt == 1 && !by_node)
			pl_buf_addf(out, " %s", host ? host->uname : r->running[0]->uname);
		/* under its node, the description stands where the node's name would */
		const char *desc = r->xml ? pl_xml_attr(r->xml, "description") : NULL;
		if (by_node && desc && *desc)
			pl_buf_addf(out, " %s", desc);
	}
	if (flags.len)
		pl_buf_addf(out, " (%s)", flags.s);
	if (cnt > 1 && !by_node) {
		pl_buf_add(out, " [");
		for (int i = 0; i < cnt; i++)
			pl_buf_addf(out, " %s", r->running[i]->uname);
		pl_buf_add(out, " ]");
	}
	pl_buf_add(out, "\n");
	pl_buf_free(&flags);
}

static void
prim_line(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    const char *indent, bool by_node, struct pl_buf *out)
{
	prim_line_as(ws, r, o, indent, by_node, NULL, NULL, out);
}

/* "Container bundle set: ID [IMAGE]:" then a line a replica (the bundled primitive's state,
 * on its container's node), or with -R or when only some of its parts are asked for, each
 * replica's parts under "Replica[i]" */
static void
render_bundle(struct pengine_ws *ws, struct pengine_rsc *b, const struct pl_mon_opts *o,
    const char *indent, struct pl_buf *out)
{
	char sub[32], subsub[40];
	bool all = mon_rsc_everything(ws, o, b);
	struct pl_mon_opts unfiltered = *o; /* a named collective shows all of itself */
	if (all && o->only_rsc) {
		unfiltered.only_rsc = NULL;
		o = &unfiltered;
	}
	snprintf(sub, sizeof(sub), "%s  ", indent);
	snprintf(subsub, sizeof(subsub), "%s    ", indent);
	/* (Pacemaker 2.1.5 does not say "disabled" of a bundle) */
	pl_buf_addf(out, "%s* Container bundle%s: %s [%s]%s%s:\n", indent,
	    b->n_replicas > 1 ? " set" : "", b->id, b->image ? b->image : "",
	    b->clone_node_max > 1 ? " (unique)" : "", b->managed ? "" : " (unmanaged)");
	for (int i = 0; i < b->n_replicas; i++) {
		struct pengine_replica *rp = &b->replicas[i];
		struct pengine_rsc *parts[] = { rp->ip, rp->child, rp->container, rp->remote };
		bool shown = false;
		for (size_t k = 0; k < 4; k++)
			shown |= parts[k] && !mon_rsc_hidden(ws, o, parts[k], all);
		/* --node: a replica whose container runs elsewhere is left out */
		if (!shown ||
		    (rp->container->n_running > 0 && !mon_rsc_on_shown_node(ws, o, rp->container)))
			continue;
		if (o->details || !all) {
			if (b->n_replicas > 1) /* one replica: its parts without the heading */
				pl_buf_addf(out, "%s* Replica[%d]\n", sub, i);
			for (size_t k = 0; k < 4; k++)
				if (parts[k] && !mon_rsc_hidden(ws, o, parts[k], all))
					prim_line(ws, parts[k], o, subsub, false, out);
			continue;
		}
		if (rp->child == NULL) {
			prim_line(ws, rp->container, o, sub, false, out);
			continue;
		}
		char *name = rp->address ? g_strdup_printf("%s-%d (%s)", b->id, i, rp->address)
					 : g_strdup_printf("%s-%d", b->id, i);
		const struct pengine_node *host =
		    rp->container->n_running == 1 ? rp->container->running[0] : NULL;
		prim_line_as(ws, rp->child, o, sub, false, name, host, out);
		g_free(name);
	}
}

/* --brief: primitives summed up by agent, as "N\t(agent):\tActive NODE" per node where
 * they run (sorted by agent, nodes in order), "A/T" when inactive ones count too; `node` set:
 * the list of what runs on that node, without its name */
static char *
agent_key(const struct pengine_rsc *r)
{
	struct pl_buf b = PL_BUF_INIT;
	agent(r, &b);
	char *k = xstrdup(pl_buf_str(&b));
	pl_buf_free(&b);
	return k;
}

static void
brief_list(struct pengine_ws *ws, const struct pl_mon_opts *o, GPtrArray *prims, bool print_all,
    const struct pengine_node *node, const char *indent, struct pl_buf *out)
{
	GPtrArray *agents = g_ptr_array_new_with_free_func(free);
	for (guint i = 0; i < prims->len; i++) {
		char *k = agent_key(prims->pdata[i]);
		bool seen = false;
		for (guint j = 0; j < agents->len && !seen; j++)
			seen = !strcmp(agents->pdata[j], k);
		if (seen)
			free(k);
		else
			g_ptr_array_add(agents, k);
	}
	g_ptr_array_sort(agents, (GCompareFunc)mon_cmp_str);
	for (guint j = 0; j < agents->len; j++) {
		const char *k = agents->pdata[j];
		int total = 0, any = 0;
		for (guint i = 0; i < prims->len; i++) {
			char *ak = agent_key(prims->pdata[i]);
			total += !strcmp(ak, k);
			free(ak);
		}
		for (int n = 0; n < ws->n_nodes; n++) {
			const struct pengine_node *nd = ws->nodes[n];
			int active = 0;
			if ((node && nd != node) || (!node && !mon_node_shown(ws, o, nd)))
				continue;
			for (guint i = 0; i < prims->len; i++) {
				const struct pengine_rsc *r = prims->pdata[i];
				char *ak = agent_key(r);
				for (int m = 0; !strcmp(ak, k) && m < r->n_running; m++)
					active += r->running[m] == nd;
				free(ak);
			}
			if (active == 0)
				continue;
			any++;
			pl_buf_addf(out, "%s* %d", indent, active);
			if (print_all)
				pl_buf_addf(out, "/%d", total);
			pl_buf_addf(out, "\t%s:\tActive %s\n", k, node ? "" : nd->uname);
		}
		if (any == 0 && print_all)
			pl_buf_addf(out, "%s* 0/%d\t%s:\tActive\n", indent, total, k);
	}
	g_ptr_array_free(agents, true);
}

static void
node_list(struct pl_buf *out, const char *indent, const char *label, GPtrArray *nodes)
{
	if (nodes->len == 0)
		return;
	pl_buf_addf(out, "%s* %s: [", indent, label);
	for (guint i = 0; i < nodes->len; i++)
		pl_buf_addf(out, " %s", ((struct pengine_node *)nodes->pdata[i])->uname);
	pl_buf_add(out, " ]\n");
}

struct stopped_list_ctx {
	struct pl_buf *out;
	const char *indent;
};

static void
stopped_list(void *data, const char *label, GPtrArray *nodes)
{
	struct stopped_list_ctx *ctx = data;
	node_list(ctx->out, ctx->indent, label, nodes);
}

static bool
plain_instance(const struct pengine_rsc *r, const struct pl_mon_opts *o)
{
	return r->n_running == 1 && !r->failed && r->managed && !r->orphan &&
	    !(r->running[0]->unclean && !r->running[0]->online) && !pending_word(r, o) &&
	    !r->failure_ignored;
}

static void render_rsc(struct pengine_ws *ws, struct pengine_rsc *r, const struct pl_mon_opts *o,
    const char *indent, struct pl_buf *out);

/* A clone's instance (a primitive, or a group whose members run together): the node it
 * runs on as a whole (NULL: stopped, split or on several), whether it goes in the compact
 * node lists, and its role there. */
static const struct pengine_node *
inst_node(const struct pengine_rsc *r)
{
	if (r->kind == KIND_PRIMITIVE)
		return r->n_running == 1 ? r->running[0] : NULL;
	const struct pengine_node *on = NULL;
	for (int k = 0; k < r->n_children; k++) {
		const struct pengine_rsc *m = r->children[k];
		if (m->n_running != 1 || (on && m->running[0] != on))
			return NULL;
		on = m->running[0];
	}
	return on;
}

static bool
inst_plain(const struct pengine_rsc *r, const struct pl_mon_opts *o)
{
	if (r->kind == KIND_PRIMITIVE)
		return plain_instance(r, o);
	if (inst_node(r) == NULL)
		return false;
	for (int k = 0; k < r->n_children; k++)
		if (!plain_instance(r->children[k], o))
			return false;
	return true;
}

static enum pengine_role
inst_role(const struct pengine_rsc *r)
{
	return r->kind == KIND_PRIMITIVE ? r->role
	    : r->n_children		 ? r->children[0]->role
					 : ROLE_STOPPED;
}

static void
inst_render(struct pengine_ws *ws, struct pengine_rsc *r, const struct pl_mon_opts *o,
    const char *indent, struct pl_buf *out)
{
	if (r->kind == KIND_PRIMITIVE)
		prim_line(ws, r, o, indent, false, out);
	else
		render_rsc(ws, r, o, indent, out);
}

static void
inst_busy(const struct pengine_rsc *r, bool *busy)
{
	for (int k = 0; k < r->n_running; k++)
		busy[r->running[k]->idx] = true;
	for (int k = 0; k < r->n_children; k++)
		inst_busy(r->children[k], busy);
}

static void
render_clone(struct pengine_ws *ws, struct pengine_rsc *c, const struct pl_mon_opts *o,
    const char *indent, struct pl_buf *out)
{
	struct pl_buf fl = PL_BUF_INIT;
	char sub[32];
	snprintf(sub, sizeof(sub), "%s  ", indent);
	if (c->promotable)
		pl_buf_add(&fl, "promotable");
	if (c->unique)
		pl_buf_addf(&fl, "%sunique", fl.len ? ", " : "");
	if (!c->managed)
		pl_buf_addf(&fl, "%sunmanaged", fl.len ? ", " : "");
	if (c->disabled)
		pl_buf_addf(&fl, "%sdisabled", fl.len ? ", " : "");
	pl_buf_addf(out, "%s* Clone Set: %s [%s]%s%s%s:\n", indent, c->id,
	    c->child_base ? c->child_base : "", fl.len ? " (" : "", pl_buf_str(&fl),
	    fl.len ? ")" : "");
	pl_buf_free(&fl);
	bool all = mon_rsc_everything(ws, o, c);
	struct pl_mon_opts unfiltered = *o; /* a named collective shows all of itself */
	if (all && o->only_rsc) {
		unfiltered.only_rsc = NULL;
		o = &unfiltered;
	}
	if (c->unique || o->details) { /* -R: every instance on its own line */
		for (int i = 0; i < c->n_children; i++)
			if (!mon_rsc_hidden(ws, o, c->children[i], all) &&
			    !(c->children[i]->orphan && !mon_rsc_active(c->children[i], false)) &&
			    (c->unique || o->inactive ||
				(o->details && c->children[i]->kind == KIND_PRIMITIVE) ||
				mon_rsc_active(c->children[i], false)))
				inst_render(ws, c->children[i], o, sub, out);
		return;
	}
	GPtrArray *started = g_ptr_array_new(), *stopped = g_ptr_array_new();
	GPtrArray *promoted = g_ptr_array_new();
	bool *busy = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		inst_busy(r, busy);
		if (mon_rsc_active(r, false) && !inst_plain(r, o) && !mon_rsc_hidden(ws, o, r, all))
			inst_render(ws, r, o, sub, out);
	}
	for (int n = 0; n < ws->n_nodes; n++) {
		if (!mon_node_shown(ws, o, ws->nodes[n]))
			continue;
		for (int i = 0; i < c->n_children; i++) {
			struct pengine_rsc *r = c->children[i];
			if (mon_rsc_hidden(ws, o, r, all))
				continue;
			if (inst_plain(r, o) && inst_node(r) == ws->nodes[n])
				g_ptr_array_add(inst_role(r) == ROLE_PROMOTED ? promoted : started,
				    ws->nodes[n]);
		}
		if (!busy[n] && pengine_clone_lists_node(ws->nodes[n]))
			g_ptr_array_add(stopped, ws->nodes[n]);
	}
	node_list(out, sub, "Promoted", promoted);
	node_list(out, sub, c->promotable ? "Unpromoted" : "Started", started);
	bool some_inactive = false;
	for (int i = 0; i < c->n_children; i++) /* orphans beyond clone-max do not count */
		if (!mon_rsc_active(c->children[i], false) && !c->children[i]->orphan)
			some_inactive = true;
	if (o->inactive && some_inactive) {
		struct stopped_list_ctx ctx = { out, sub };
		mon_stopped_lists(ws, c, stopped, stopped_list, &ctx);
	}
	g_ptr_array_free(promoted, true);
	g_ptr_array_free(started, true);
	g_ptr_array_free(stopped, true);
	free(busy);
}

static void
render_rsc(struct pengine_ws *ws, struct pengine_rsc *r, const struct pl_mon_opts *o,
    const char *indent, struct pl_buf *out)
{
	char sub[32];
	snprintf(sub, sizeof(sub), "%s  ", indent);
	if (r->kind == KIND_PRIMITIVE) {
		prim_line(ws, r, o, indent, false, out);
	} else if (r->kind == KIND_GROUP) {
		bool dis = mon_rsc_disabled(r);
		int inactive = 0;
		struct pl_buf fl = PL_BUF_INIT;
		for (int c = 0; c < r->n_children; c++)
			if (r->children[c]->n_running == 0)
				inactive++;
		if (!o->inactive && inactive)
			pl_buf_addf(&fl, "%d member%s inactive", inactive, inactive == 1 ? "" : "s");
		if (!r->managed)
			pl_buf_addf(&fl, "%sunmanaged", fl.len ? ", " : "");
		if (dis)
			pl_buf_addf(&fl, "%sdisabled", fl.len ? ", " : "");
		pl_buf_addf(out, "%s* Resource Group: %s%s%s%s:\n", indent, r->id,
		    fl.len ? " (" : "", pl_buf_str(&fl), fl.len ? ")" : "");
		pl_buf_free(&fl);
		bool all = mon_rsc_everything(ws, o, r);
		struct pl_mon_opts unfiltered = *o; /* a named collective shows all of itself */
		if (all && o->only_rsc) {
			unfiltered.only_rsc = NULL;
			o = &unfiltered;
		}
		GPtrArray *members = g_ptr_array_new();
		for (int c = 0; c < r->n_children; c++)
			if ((o->inactive || r->children[c]->n_running > 0 || o->brief) &&
			    !mon_rsc_hidden(ws, o, r->children[c], all))
				g_ptr_array_add(members, r->children[c]);
		if (o->brief)
			brief_list(ws, o, members, true, NULL, sub, out);
		for (guint c = 0; !o->brief && c < members->len; c++)
			prim_line(ws, members->pdata[c], o, sub, false, out);
		g_ptr_array_free(members, true);
	} else if (pengine_clone_supported(r) ||
	    (r->kind == KIND_CLONE && r->n_children && r->children[0]->kind == KIND_GROUP)) {
		render_clone(ws, r, o, indent, out);
	} else if (r->kind == KIND_BUNDLE) {
		render_bundle(ws, r, o, indent, out);
	} else {
		pl_buf_addf(out, "%s* %s %s: (not supported yet)\n", indent,
		    r->kind == KIND_BUNDLE ? "Container bundle set" : "Clone Set", r->id);
	}
}

/* a top-level resource passes --resource, and --node when it is (partly) active */
bool
mon_top_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r)
{
	if (mon_rsc_hidden(ws, o, r, true))
		return false;
	return !mon_rsc_active(r, false) || mon_rsc_on_shown_node(ws, o, r);
}


void
mon_render_resources(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	bool any = false;
	if (o->by_node) {
		if (!o->inactive) /* grouped by node, inactive ones only with -r */
			return;
		pl_buf_add(out, "Inactive Resources:\n");
		for (int i = 0; i < ws->n_top; i++) {
			struct pengine_rsc *r = ws->top[i];
			if (mon_rsc_active(r, true))
				continue;
			if (!o->inactive && !mon_rsc_active(r, false))
				continue;
			if (!mon_top_shown(ws, o, r) || r->implicit) /* implicit: XML only */
				continue;
			render_rsc(ws, r, o, "  ", out);
			any = true;
		}
		if (!any)
			pl_buf_add(out, "  * No inactive resources\n");
		return;
	}
	pl_buf_add(out, o->inactive ? "Full List of Resources:\n" : "Active Resources:\n");
	if (o->brief) { /* the primitives first, summed up */
		GPtrArray *prims = g_ptr_array_new();
		for (int i = 0; i < ws->n_top; i++) {
			struct pengine_rsc *r = ws->top[i];
			if (r->kind != KIND_PRIMITIVE || r->orphan)
				continue;
			if ((!o->inactive && !mon_rsc_active(r, false)) ||
			    !mon_top_shown(ws, o, r) || r->implicit)
				continue;
			g_ptr_array_add(prims, r);
		}
		brief_list(ws, o, prims, o->inactive, NULL, "  ", out);
		any = prims->len > 0;
		g_ptr_array_free(prims, true);
	}
	for (int i = 0; i < ws->n_top; i++) {
		struct pengine_rsc *r = ws->top[i];
		if (o->brief && r->kind == KIND_PRIMITIVE && !r->orphan)
			continue;
		if (!o->inactive && !mon_rsc_active(r, false))
			continue;
		if (!mon_top_shown(ws, o, r) || r->implicit) /* implicit: XML only */
			continue;
		render_rsc(ws, r, o, "  ", out);
		any = true;
	}
	if (!any)
		pl_buf_add(out, o->inactive ? "  * No resources\n" : "  * No active resources\n");
}

/* what runs on a node, in the order of its history (as Pacemaker lists it), passing
 * --resource; the caller frees the array */
GPtrArray *
mon_node_running(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n)
{
	GPtrArray *here = g_ptr_array_new();
	GHashTable *done = g_hash_table_new(g_direct_hash, g_direct_equal);
	xmlNode *st = NULL;
	PL_XML_FOREACH_CHILD(ws->status, "node_state", s)
	if (!g_strcmp0(pl_xml_id(s), n->id) && st == NULL)
		st = s;
	xmlNode *lrm = st ? pl_xml_first_child(st, "lrm") : NULL;
	xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
	PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
	{
		const char *id = pl_xml_id(lr);
		struct pengine_rsc *r = id ? mon_history_rsc(ws, n, id) : NULL;
		if (r == NULL || mon_rsc_hidden(ws, o, r, true))
			continue;
		/* a clone instance is listed where its last entry is: an inactive entry of the
		 * clone may come before the one that made it active there */
		if (g_hash_table_contains(done, r)) {
			if (r->parent && r->parent->kind == KIND_CLONE && g_ptr_array_remove(here, r))
				g_ptr_array_add(here, r);
			continue;
		}
		for (int k = 0; k < r->n_running; k++)
			if (r->running[k] == n) {
				g_hash_table_add(done, r);
				g_ptr_array_add(here, r);
				break;
			}
	}
	g_hash_table_destroy(done);
	return here;
}

void
mon_node_resources(
    struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n, struct pl_buf *out)
{
	GPtrArray *here = mon_node_running(ws, o, n);
	pl_buf_add(out, "    * Resources:\n");
	if (o->brief) /* the brief list counts a guest node's connection too */
		brief_list(ws, o, here, false, n, "      ", out);
	for (guint i = 0; !o->brief && i < here->len; i++) {
		struct pengine_rsc *r = here->pdata[i];
		/* a guest node's connection (a bundle's or a container's) is not listed */
		if (!r->implicit &&
		    !(r->parent && r->parent->kind == KIND_BUNDLE && !g_strcmp0(r->type, "remote")))
			prim_line(ws, r, o, "      ", true, out);
	}
	g_ptr_array_free(here, true);
}

/* crm_simulate's status: a bundle as crm_mon -1 -r shows it */
void
mon_render_bundle_plain(struct pengine_ws *ws, struct pengine_rsc *b, struct pl_buf *out)
{
	struct pl_mon_opts o = { .show = PL_MON_RESOURCES, .inactive = true };
	render_bundle(ws, b, &o, "    ", out);
}
