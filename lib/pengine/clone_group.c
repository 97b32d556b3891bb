/*
 * clone_group.c - clones of a group: instances "GROUP:N" whose members are "MEMBER:N", and
 * the mapping of the history onto them, for the status (crm_mon, crm_resource). They are not
 * scheduled yet: such a clone is marked unsupported, so placement and actions pass it by.
 *
 * The history names an anonymous clone's members by their own id ("mysql-proxy"), a unique
 * clone's by the instance ("mysql-proxy:1"). An anonymous entry goes to the instance already
 * active on that node, else to the first instance none of whose members runs anywhere
 * (without an entry, lr NULL: the lookup crm_mon makes for a node's history).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pe_private.h"

static void
rename_rsc(struct pe_ws *ws, struct pe_rsc *r, int i)
{
	if (g_hash_table_lookup(ws->rsc_by_id, r->id) == r)
		g_hash_table_remove(ws->rsc_by_id, r->id);
	char *id = xasprintf("%s:%d", r->id, i);
	free(r->id);
	r->id = id;
	g_hash_table_insert(ws->rsc_by_id, r->id, r);
}

bool
pe_clone_of_group(xmlNode *clone)
{
	return pl_xml_first_child(clone, "primitive") == NULL &&
	    pl_xml_first_child(clone, "group") != NULL;
}

void
pe_clone_group_unpack(struct pe_ws *ws, struct pe_rsc *c, xmlNode *x)
{
	xmlNode *g = pl_xml_first_child(x, "group");
	int max;
	c->unsupported = true;
	ws->unsupported = true;
	c->promotable =
	    pl_xml_is(x, "master") || pe_is_true(g_hash_table_lookup(c->meta, "promotable"));
	c->unique = pe_is_true(g_hash_table_lookup(c->meta, "globally-unique"));
	c->notify = pe_is_true(g_hash_table_lookup(c->meta, "notify"));
	if (!pe_clone_count(ws, c, "clone-max", ws->nodes_known, &max) ||
	    !pe_clone_count(ws, c, "clone-node-max", 1, &c->clone_node_max))
		return;
	c->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*c->pn));
	c->promo = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	c->child_base = xstrdup(pl_xml_id(g));
	for (int i = 0; i < max; i++) {
		struct pe_rsc *inst = pe_unpack_group(ws, g, c);
		rename_rsc(ws, inst, i);
		for (int k = 0; k < inst->n_children; k++)
			rename_rsc(ws, inst->children[k], i);
		c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
		c->children[c->n_children++] = inst;
	}
}

static bool
group_active_on(const struct pe_rsc *g, const struct pe_node *n)
{
	for (int k = 0; k < g->n_children; k++)
		for (int j = 0; j < g->children[k]->n_running; j++)
			if (g->children[k]->running[j] == n)
				return true;
	return false;
}

static bool
group_active(const struct pe_rsc *g)
{
	for (int k = 0; k < g->n_children; k++)
		if (g->children[k]->n_running > 0)
			return true;
	return false;
}

struct pe_rsc *
pe_clone_group_member_for(struct pe_ws *ws, const char *lrm_id, const xmlNode *lr, struct pe_node *n)
{
	char *base = xstrdup(lrm_id), *colon = strchr(base, ':');
	int num = -1;
	if (colon) {
		*colon = '\0';
		num = atoi(colon + 1);
	}
	struct pe_rsc *found = NULL;
	for (int i = 0; i < ws->n_rscs && found == NULL; i++) {
		struct pe_rsc *c = ws->rscs[i];
		if (c->kind != KIND_CLONE || c->n_children == 0 || c->children[0]->kind != KIND_GROUP)
			continue;
		int m = -1;
		for (int k = 0; k < c->children[0]->n_children && m < 0; k++)
			if (!g_strcmp0(pl_xml_id(c->children[0]->children[k]->xml), base))
				m = k;
		if (m < 0)
			continue;
		struct pe_rsc *inst = NULL;
		if (num >= 0 && num < c->n_children)
			inst = c->children[num];
		for (int k = 0; inst == NULL && k < c->n_children; k++)
			if (group_active_on(c->children[k], n))
				inst = c->children[k];
		if (inst == NULL && lr && pe_history_inactive(lr))
			inst = c->children[0]; /* a probe that found nothing: known, not active */
		for (int k = 0; inst == NULL && k < c->n_children; k++)
			if (!group_active(c->children[k]))
				inst = c->children[k];
		if (inst && m < inst->n_children)
			found = inst->children[m];
	}
	free(base);
	return found;
}
