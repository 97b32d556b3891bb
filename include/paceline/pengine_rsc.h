/*
 * pengine_rsc.h - what crm_resource asks of the unpacked status (lib/pengine/status_rsc.c):
 * which resources exist, where they are active and in which role, and crm_mon's rendering of
 * one resource or of all. Run the policy engine with opts.status_only first.
 *
 *	struct pl_pengine_run *run = pl_pengine_run(doc, &(struct pl_pengine_opts){
 *		.status_only = true }, &err);
 *	GArray *w = pl_pengine_rsc_where(run, "web");	// struct pl_rsc_where
 */
#ifndef PACELINE_PENGINE_RSC_H
#define PACELINE_PENGINE_RSC_H

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

struct pl_buf;
struct pl_pengine_run;

enum pl_rsc_kind { PL_RSC_NONE, PL_RSC_PRIMITIVE, PL_RSC_GROUP, PL_RSC_CLONE, PL_RSC_BUNDLE };

/* What `id` names: a resource, a clone instance ("rsc:1") or a clone's primitive (its
 * instances). PL_RSC_NONE when nothing. */
enum pl_rsc_kind pl_pengine_rsc_kind(struct pl_pengine_run *run, const char *id);
/* the id of the top-level resource holding id (itself at the top), or NULL */
const char *pl_pengine_rsc_top(struct pl_pengine_run *run, const char *id);
/* id's parent (group or clone), NULL at the top */
const char *pl_pengine_rsc_parent(struct pl_pengine_run *run, const char *id);
/* id is a promotable clone, its primitive or an instance of it */
bool pl_pengine_rsc_promotable(struct pl_pengine_run *run, const char *id);

struct pl_rsc_where {
	const char *node; /* owned by the run */
	bool promoted;
};
/* Where id (every instance of a clone) is active, in the order Pacemaker lists it; free
 * with g_array_free(a, true). */
GArray *pl_pengine_rsc_where(struct pl_pengine_run *run, const char *id);

/* Every instantiated resource's id, as Pacemaker's --list-raw prints them: the top-level
 * resources in its order, each by its leaves (a clone by its instances "rsc:N", a bundle by
 * each replica's container, IP and connection, then its bundled instances). The ids are
 * owned by the run. */
void pl_pengine_rsc_raw_ids(struct pl_pengine_run *run, GPtrArray *out);
/* The top-level resources' ids in Pacemaker's order (orphans of the history included). */
void pl_pengine_rsc_top_ids(struct pl_pengine_run *run, GPtrArray *out);
/* Pacemaker's lookup of a resource name with pe_find_anon: the resource of that id, else,
 * inside an anonymous clone, the first instance named so with ":N" ("grp" -> "grp:0", a
 * member "fs" -> "fs:0"); walked in the top-level order, depth first. The id found (owned by
 * the run) or NULL. */
const char *pl_pengine_rsc_find_instance(struct pl_pengine_run *run, const char *name);
/* For a history entry named lrm_id (--list-operations): the name Pacemaker prints for the
 * resource it belongs to (an anonymous clone's instance by its configured id) and, appended
 * to state, that resource's state and flags as crm_mon shows them with operations in flight
 * ("Started", "Unpromoted", "Starting", "Stopped (disabled)", "Started (Monitoring)",
 * "FAILED", "ORPHANED Stopped"...). False when no resource has that name. */
bool pl_pengine_rsc_history_state(
    struct pl_pengine_run *run, const char *lrm_id, const char **name, struct pl_buf *state);

/* An operation's op-status as Pacemaker's --list-operations prints it ("pending",
 * "complete", "Error", "Timed Out", ...). */
const char *pl_pengine_exec_status_text(int status);

/* a node of that name (uname or id) exists */
bool pl_pengine_node_known(struct pl_pengine_run *run, const char *name);
/* the node's uname for a name or id, or NULL */
const char *pl_pengine_node_name(struct pl_pengine_run *run, const char *name);

/* the node's health keeps resources off it (node-health-strategy and #health-* attributes);
 * *strategy gets the strategy's name */
bool pl_pengine_node_unhealthy(struct pl_pengine_run *run, const char *name, const char **strategy);

/* stonith-enabled is on and no stonith resource is configured: Pacemaker's unpacker logs
 * three errors about it whenever a tool reads the status */
bool pl_pengine_stonith_unset(struct pl_pengine_run *run);

/* crm_mon's "Full List of Resources:" block (inactive ones included) */
void pl_pengine_rsc_list_text(struct pl_pengine_run *run, struct pl_buf *out);
/* one resource's line(s), as in that list (without the header and the leading "* ") */
void pl_pengine_rsc_text(struct pl_pengine_run *run, const char *id, struct pl_buf *out);
/* crm_mon's XML element(s) for every top-level resource (id NULL) or one, under parent */
void pl_pengine_rsc_xml(struct pl_pengine_run *run, const char *id, xmlNode *parent);

/* a primitive's agent: class, provider (may be NULL), type; false if id is no primitive */
bool pl_pengine_rsc_agent(struct pl_pengine_run *run, const char *id, const char **cls,
    const char **provider, const char **type);
/* the resource's meta-attributes and utilization (name -> value, owned by the run), or NULL */
GHashTable *pl_pengine_rsc_meta(struct pl_pengine_run *run, const char *id);
GHashTable *pl_pengine_rsc_utilization(struct pl_pengine_run *run, const char *id);
/* the primitive's resolved parameters (name -> value, owned by the run), or NULL */
GHashTable *pl_pengine_rsc_params(struct pl_pengine_run *run, const char *id);

/* The primitive's instance attributes evaluated on node (rules with #uname ...), in a new
 * table the caller destroys (name -> value); NULL if id is no primitive or node unknown. */
GHashTable *pl_pengine_rsc_node_params(struct pl_pengine_run *run, const char *id, const char *node);

#endif
