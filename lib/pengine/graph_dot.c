/*
 * graph_dot.c - the transition graph as Graphviz DOT, in the layout Pacemaker 2.1.5's
 * `crm_simulate -D` writes: one node line per shown action (newest action first), then for
 * each shown action in the same order one edge line per shown predecessor.
 *
 * Shown are the actions in the graph (bold green) and the required actions that cannot run
 * (dashed red); optional actions left out of the graph are not shown. Pseudo-actions have an
 * orange label. An edge is bold when both ends are in the graph, dashed otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "pengine_private.h"

static bool
dot_shown(struct pengine_action *a)
{
	if (a->flags & AF_IN_GRAPH)
		return true;
	if (a->flags & (AF_OPTIONAL | AF_RUNNABLE))
		return false;
	/* a blocked or unmanaged resource's actions that cannot run are not drawn */
	return !(a->rsc && a->rsc->kind == KIND_PRIMITIVE && (a->rsc->blocked || !a->rsc->managed));
}

static void
dot_label(struct pengine_action *a, struct pl_buf *b)
{
	char kb[512];
	if (a->flags & (AF_FENCE | AF_UNFENCE)) {
		pl_buf_addf(b, "\"stonith '%s' %s\"", (a->flags & AF_UNFENCE) ? "on" : "reboot",
		    a->node->uname);
		return;
	}
	if (a->rsc == NULL && a->node && !(a->flags & AF_PSEUDO)) {
		pl_buf_addf(b, "\"%s %s\"", a->task, a->node->uname);
		return;
	}
	pengine_graph_key(a, kb, sizeof(kb));
	if (a->rsc && !(a->flags & AF_PSEUDO) && a->node == NULL)
		pl_buf_addf(b, "\"%s <none>\"", kb); /* a resource action nobody could take */
	else if (a->rsc && a->task_id == TASK_CANCEL && a->node)
		pl_buf_addf(b, "\"Cancel %s %s\"", kb, a->node->uname);
	else if (a->node)
		pl_buf_addf(b, "\"%s %s\"", kb, a->node->uname);
	else
		pl_buf_addf(b, "\"%s\"", kb);
}

/* a node's predecessors are listed oldest action first */
static gint
by_id(gconstpointer x, gconstpointer y)
{
	const struct pengine_action *a = *(struct pengine_action *const *)x,
				    *b = *(struct pengine_action *const *)y;
	return (a->id > b->id) - (a->id < b->id);
}

char *
pengine_graph_dot(struct pengine_ws *ws)
{
	struct pl_buf b = PL_BUF_INIT;
	pl_buf_add(&b, " digraph \"g\" {\n");
	for (int i = (int)ws->actions->len - 1; i >= 0; i--) {
		struct pengine_action *a = ws->actions->pdata[i];
		if (!dot_shown(a))
			continue;
		bool in = a->flags & AF_IN_GRAPH;
		dot_label(a, &b);
		pl_buf_addf(&b, " [ style=%s color=\"%s\" fontcolor=\"%s\"]\n",
		    in ? "bold" : "dashed", in ? "green" : "red",
		    (a->flags & AF_PSEUDO) ? "orange" : "black");
	}
	for (int i = (int)ws->actions->len - 1; i >= 0; i--) {
		struct pengine_action *a = ws->actions->pdata[i];
		if (!dot_shown(a))
			continue;
		GPtrArray *first = g_ptr_array_new();
		for (guint j = 0; j < a->before->len; j++) {
			struct pengine_action *p =
			    g_array_index(a->before, struct pengine_edge, j).other;
			if (dot_shown(p))
				g_ptr_array_add(first, p);
		}
		g_ptr_array_sort(first, by_id);
		for (guint j = 0; j < first->len; j++) {
			struct pengine_action *p = first->pdata[j];
			if (j > 0 && p == first->pdata[j - 1])
				continue; /* one line per ordered pair */
			dot_label(p, &b);
			pl_buf_add(&b, " -> ");
			dot_label(a, &b);
			pl_buf_addf(&b, " [ style = %s]\n",
			    (a->flags & AF_IN_GRAPH) && (p->flags & AF_IN_GRAPH) ? "bold" : "dashed");
		}
		g_ptr_array_free(first, true);
	}
	pl_buf_add(&b, "}\n");
	return pl_buf_steal(&b);
}
