/*
 * status_mon.h - shared by crm_mon's renderers (status_mon.c text, status_mon_rsc.c
 * resources, status_mon_xml.c XML): helpers over the unpacked model.
 */
#ifndef STATUS_MON_H
#define STATUS_MON_H

#include "paceline/pengine.h"
#include "pengine_private.h"

void mon_ctime(long long t, char *buf, size_t len);	/* "Thu Dec  3 11:19:35 2026" */
void mon_interval(long long ms, char *buf, size_t len); /* "1m30s", "30.160s" */
const char *mon_ocf_str(int rc);			/* "not running" */
const char *mon_exec_str(int status);			/* "Timed Out" */
GHashTable *mon_cluster_options(struct pengine_ws *ws); /* crm_config, evaluated */
struct pengine_node *mon_dc(struct pengine_ws *ws);
/* Whether the nodes' #feature-set attributes differ (Pacemaker's "MIXED-VERSION"). */
bool mon_mixed_version(struct pengine_ws *ws);
bool mon_rsc_disabled(const struct pengine_rsc *r);
/* blocked from further action: a failure with on-fail=block, or active on several nodes
 * with multiple-active=block */
bool mon_rsc_blocked(const struct pengine_rsc *r);
void mon_rsc_counts(struct pengine_ws *ws, int *total, int *disabled, int *blocked);
const char *mon_rsc_name(const struct pengine_rsc *r, bool details);
/* A primitive's state and flags as crm_mon's line shows them without its nodes
 * ("Started (Monitoring)", "Stopped (disabled)", "FAILED Promoted"). */
void mon_prim_state(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    struct pl_buf *out);
bool mon_node_has_rsc(struct pengine_ws *ws, struct pengine_node *n);
const char *mon_node_display(
    struct pengine_ws *ws, const struct pengine_node *n, bool details, char *buf, size_t len);
const char *mon_node_state(struct pengine_ws *ws, struct pengine_node *n, bool *compact);
/* the model's primitive for a node's lrm_resource entry */
struct pengine_rsc *mon_history_rsc(struct pengine_ws *ws, struct pengine_node *n, const char *id);
bool mon_attr_hidden(const char *name);
int mon_cmp_str(const void *a, const void *b); /* qsort of char* arrays */
/* a node's attributes that crm_mon shows (not mon_attr_hidden), sorted by name; the caller
 * frees the array (the names belong to the node) */
GPtrArray *mon_node_attr_names(struct pengine_node *n);
/* the score a ping resource running on n expects for attr (-1: none runs there) */
int mon_ping_expected(struct pengine_ws *ws, const struct pengine_node *n, const char *attr);
int mon_node_failcount(struct pengine_node *n, const char *id, long long *last);
GPtrArray *mon_history_ops(xmlNode *lr);
/* crm_simulate's status: a bundle as crm_mon -1 -r shows it */
void mon_render_bundle_plain(struct pengine_ws *ws, struct pengine_rsc *b, struct pl_buf *out);
void mon_failed_action_text(xmlNode *op, bool details, struct pl_buf *out);
bool mon_failure_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *op);
/* status_mon_fence.c: the fencing sections (after the failed actions; at the end; XML) */
void mon_fence_failed_text(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out);
void mon_fence_history_text(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out);
void mon_fence_xml(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root);

/* Negative location scores as Pacemaker lists its bans (newest constraint first), each
 * passing --node and --resource */
typedef void (*mon_ban_fn)(
    void *arg, const char *id, const char *rsc, const char *node, int score, const char *role);
void mon_each_ban(struct pengine_ws *ws, const struct pl_mon_opts *o, mon_ban_fn fn, void *arg);

/* The tickets crm_mon lists, sorted by id: each with its ticket_state (NULL: never granted) */
typedef void (*mon_ticket_fn)(void *arg, const char *id, xmlNode *state);
void mon_each_ticket(struct pengine_ws *ws, mon_ticket_fn fn, void *arg);

/* status_mon_filter.c: --node and --resource */
bool mon_node_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_node *n);
bool mon_node_name_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *uname);
/* `id` is named by --resource (directly or through a tag) */
bool mon_rsc_listed(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *id);
/* Pacemaker's "is filtered": not shown by --resource (check_parent: a named top-level
 * parent shows it) */
bool mon_rsc_hidden(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r,
    bool check_parent);
/* a collective named itself: all its members are shown */
bool mon_rsc_everything(
    struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r);
bool mon_rsc_on_shown_node(
    struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r);
/* a history entry's or failure's resource id passes --resource */
bool mon_rsc_id_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *id);
/* a node's lrm_resource entry (by its id) passes --resource */
bool mon_history_shown(
    struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n, const char *id);

/* status_mon_xml.c: one resource as crm_mon's <resource>/<group>/<clone> under parent */
void mon_resource_xml(struct pengine_ws *ws, const struct pengine_rsc *r,
    const struct pl_mon_opts *o, xmlNode *parent);

/* a ticket not granted: loss-policy=freeze blocks r (when active); loss-policy=fence makes the nodes
 * where its resources are active (promoted, for the Promoted role) unclean (XML only, as
 * Pacemaker shows them) */
bool mon_ticket_frozen(struct pengine_ws *ws, const struct pengine_rsc *r);
bool mon_ticket_fences(struct pengine_ws *ws, const struct pengine_node *n);

/* status_mon_rsc.c */
/* the result of a masked probe failure of r (an anonymous clone's: of any instance) on node
 * n (NULL: any node), 0 when none */
int mon_masked_probe(
    const struct pengine_ws *ws, const struct pengine_rsc *r, const struct pengine_node *n);
/* the clone's stopped nodes as Pacemaker lists them: "Stopped" (or "Stopped (disabled)")
 * first, then one "Stopped (RESULT)" list per masked probe result found; each list is
 * passed to list(data, label, nodes), the first even when empty (the callee skips it) */
void mon_stopped_lists(const struct pengine_ws *ws, const struct pengine_rsc *c,
    GPtrArray *stopped, void (*list)(void *data, const char *label, GPtrArray *nodes),
    void *data);
void mon_render_resources(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out);
GPtrArray *mon_node_running(
    struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n);
void mon_node_resources(
    struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n, struct pl_buf *out);
bool mon_rsc_active(const struct pengine_rsc *r, bool all);
bool mon_top_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r);

#endif
