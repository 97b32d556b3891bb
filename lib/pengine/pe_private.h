/*
 * pe_private.h - the policy engine's data model, shared by the stages in lib/pengine.
 *
 * A run goes: unpack (config, nodes, resources, status history) -> constraints -> scores and
 * assignment -> actions and orderings -> graph -> (crm_simulate) simulated execution.
 * Nodes and resources are arrays indexed by small integers; per-resource node scores are
 * dense int arrays of length n_nodes, so nothing scans lists by name after unpacking.
 */
#ifndef PE_PRIVATE_H
#define PE_PRIVATE_H

#include <stdbool.h>
#include <string.h>
#include <glib.h>
#include <libxml/tree.h>

#include "paceline/buf.h"
#include "paceline/iso8601.h"
#include "paceline/score.h"

#define INF PL_SCORE_INFINITY

enum pe_role { ROLE_UNKNOWN, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED };
enum pe_kind { KIND_PRIMITIVE, KIND_GROUP, KIND_CLONE, KIND_BUNDLE };
enum pe_onfail { ONFAIL_IGNORE, ONFAIL_RESTART, ONFAIL_BLOCK, ONFAIL_STOP, ONFAIL_FENCE,
		 ONFAIL_STANDBY, ONFAIL_DEMOTE };
enum pe_nqp { NQP_STOP, NQP_IGNORE, NQP_FREEZE, NQP_SUICIDE, NQP_DEMOTE };

struct pe_node {
	int idx;
	char *id, *uname;
	bool online, unclean, standby, maintenance, pending, shutdown, expected_up, seen;
	bool remote, fenced_later;
	bool lost;			/* unclean from its node_state (fencing settles its resources) */
	char *conn;			/* a remote node's connection resource id */
	bool fence_scheduled;		/* fenced by decision (ticket), not shown as unclean */
	GHashTable *util;		/* utilization capacity: name -> value (owned strings) */
	GHashTable *util_used;		/* name -> amount assigned so far (keys borrowed) */
	int health;			/* 0 green, 1 yellow, 2 red (worst #health-* attribute) */
	const char *unclean_reason;	/* why it is fenced */
	int weight;			/* node score from config */
	int n_assigned;			/* resources assigned so far (tie break) */
	GHashTable *attrs;		/* name -> value, owned strings */
	xmlNode *state;			/* node_state element or NULL */
};

struct pe_opdef {			/* an <op> of a resource */
	char *name, *role;
	long long interval_ms;
	long long timeout_ms;
	enum pe_onfail on_fail;
	bool on_fail_set, enabled, duplicate;
	xmlNode *xml;
};

struct pe_rsc_node {			/* per-node state of a primitive from its history */
	bool active, failed, probed, unknown_pending, fail_expired, fail_disabled;
	bool fail_changed;		/* restarted for changed parameters: fail count cleared */
	enum pe_role role;
	int failcount;
	long long last_failure;
	GPtrArray *recurring;		/* active recurring monitors (char* keys "monitor_10000") */
	GArray *hist_ops;		/* long long intervals of recurring ops since the last start */
	char *lrm_name;			/* a clone instance's name in this node's history */
	GArray *ever;			/* intervals of every recurring monitor recorded */
};

struct pe_rsc {
	int idx;
	char *id;
	enum pe_kind kind;
	char *cls, *provider, *type;
	xmlNode *xml;
	struct pe_rsc *parent;
	struct pe_rsc **children;
	int n_children;
	GHashTable *meta, *params;	/* owned strings */
	int priority, stickiness, migration_threshold;
	long long failure_timeout;
	bool managed, orphan, failed, blocked, provisional, disabled, start_pending, assigning;
	bool unsupported, failure_ignored, ticket_freeze, is_remote_conn;
	enum pe_role role, next_role, target_role;
	enum pe_onfail on_fail;		/* worst on-fail of failed ops */
	struct pe_node **running;	/* nodes where active */
	int n_running;
	struct pe_rsc_node *pn;		/* [n_nodes] history per node */
	int *score;			/* [n_nodes] allowed-node scores, INT_MIN = not allowed */
	struct pe_node *assigned;
	struct pe_opdef *ops;
	int n_ops;
	GPtrArray *actions;		/* struct pe_action*, creation order */
	char *stop_reason;		/* for summary: "due to ..." */
	bool restart_due;		/* changed definition etc. */
	char *restart_reason;
	const char *move_reason;	/* owned by ws->strings */
	/* post-simulation state */
	struct pe_node **sim_running;
	int n_sim_running;
	bool sim_failed;
	enum pe_role sim_role;
	int sort_pos;
	int *wsort;			/* scores used to sort the processing order */
	GHashTable *util;		/* utilization needs: name -> value (owned strings) */
	/* clones */
	int clone_node_max;
	bool unique, promotable, no_promote, notify;
	int promoted_max;
	int *promo;			/* [n_nodes] role=Promoted location scores (promotable clone) */
	char *child_base;		/* the cloned primitive's id */
};

enum pe_aflags {
	AF_OPTIONAL = 1 << 0, AF_RUNNABLE = 1 << 1, AF_PSEUDO = 1 << 2, AF_EXECUTED = 1 << 3,
	AF_CONFIRMED = 1 << 4, AF_IN_GRAPH = 1 << 5, AF_FENCE = 1 << 6, AF_CLUSTER = 1 << 7,
};

/* ordering flags (a subset of Pacemaker's semantics) */
enum pe_oflags {
	OF_OPTIONAL = 0,
	OF_IMPLIES_THEN = 1 << 0,	/* first required -> then required */
	OF_IMPLIES_FIRST = 1 << 1,	/* then required -> first required */
	OF_RUNNABLE_LEFT = 1 << 2,	/* first unrunnable -> then unrunnable */
	OF_RESTART = 1 << 3,		/* then required & rsc active -> first required */
	OF_ONE_OR_MORE = 1 << 4,
	OF_SYMMETRIC = 1 << 5,		/* from a symmetrical constraint: then stops if it cannot restart */
};

struct pe_action;
struct pe_edge {
	struct pe_action *other;
	int flags;
};

struct pe_action {
	int id;
	struct pe_rsc *rsc;		/* NULL for node actions */
	struct pe_node *node;		/* NULL for pseudo cluster-wide */
	char *task;			/* start stop monitor promote demote stonith running stopped ... */
	long long interval_ms;
	char *key;			/* rsc_task_interval */
	unsigned flags;
	const char *reason;
	struct pe_opdef *op;
	GArray *before;			/* struct pe_edge: actions that must happen first */
	GArray *after;			/* struct pe_edge: actions that come after */
	int n_unconfirmed;		/* simulation */
	int synapse;
	int mark;			/* traversal generation */
	bool notify;			/* an instance's notification: printed as "notify" */
};

struct pe_order {			/* a pending ordering between action keys */
	struct pe_rsc *first_rsc, *then_rsc;
	char *first_task, *then_task;	/* "start", "stop", "promote", ... */
	struct pe_action *first_action, *then_action;
	int flags;
};

struct pe_one_or_more {		/* an ordered set with require-all="false" */
	char *id;
	struct pe_rsc *members[64], *next[64];
	int n_members, n_next;
	char *action, *next_action;
	int flags;
};

struct pe_coloc {
	char *id;
	struct pe_rsc *dep, *primary;	/* dependent rsc (placed relative to) primary */
	int score;
	enum pe_role dep_role, primary_role;
	char *node_attr;
};

struct pe_location {
	char *id;
	struct pe_rsc *rsc;
	int *score;			/* [n_nodes], 0 when not mentioned */
	bool *set;			/* [n_nodes] */
	enum pe_role role;
	char *discovery;
};

struct pe_ws {
	xmlDoc *doc;
	xmlNode *cib, *config, *status;
	struct pl_time now;
	/* options */
	bool concurrent_fencing, utilization, balanced, minimal;
	bool stonith_enabled, symmetric, stop_all, maintenance, startup_fencing;
	bool start_failure_fatal, have_quorum, stop_orphans, stop_orphan_actions;
	enum pe_nqp no_quorum_policy;
	char *placement_strategy;
	char *health_strategy;
	int health_green, health_yellow, health_red;
	int default_stickiness, default_migration_threshold;
	char *dc_uuid;
	/* model */
	struct pe_node **nodes;
	int n_nodes;
	struct pe_rsc **rscs;		/* every resource, parents and children, unpack order */
	int n_rscs;
	struct pe_rsc **top;		/* top-level resources, priority-sorted for display */
	int n_top;
	struct pe_rsc **order;		/* top-level resources in processing order */
	int n_order;
	GHashTable *rsc_by_id;		/* id -> struct pe_rsc* */
	GHashTable *node_by_name;	/* uname and id -> struct pe_node* */
	GPtrArray *colocs, *locations, *orders, *one_or_more;
	GPtrArray *actions;		/* all actions, id order */
	GHashTable *action_by_key;	/* "key@node" -> action */
	xmlNode *rsc_defaults, *op_defaults;
	struct pl_buf warnings;
	struct pl_buf scores;
	bool show_scores;
	bool unsupported;
	int n_synapses;
	GPtrArray *synapse_order;
	struct pl_buf exec_log;
	GPtrArray *strings;		/* owned texts (reasons) freed with the run */
	GHashTable *clone_by_child;	/* cloned primitive id -> clone */
	const struct pe_rsc *rule_rsc;	/* the resource rsc_expression rules look at */
	const char *rule_op_name;	/* the operation op_expression rules look at */
	long long rule_op_interval;
	const char *status_text;	/* status section as text, streamed (else ws->status) */
	size_t status_len;
	xmlNode *tickets;		/* <tickets> of the status section */
	xmlNode *orphan_defs;		/* copied definitions of orphans */
};

/* a string owned by the run */
const char *pe_keep(struct pe_ws *ws, char *s);
void pe_free(struct pe_ws *ws);

/* fencing needs it enabled and quorum (or no-quorum-policy=ignore) */
static inline bool pe_can_fence(const struct pe_ws *ws)
{
	return ws->stonith_enabled && (ws->have_quorum || ws->no_quorum_policy == NQP_IGNORE ||
				       ws->no_quorum_policy == NQP_SUICIDE);
}

/* connection and fencing resources never run on (or probe) Pacemaker Remote nodes */
static inline bool pe_remote_banned(const struct pe_rsc *r)
{
	return r->is_remote_conn || (r->cls && !strcmp(r->cls, "stonith"));
}

/* unpack.c */
void pe_unpack(struct pe_ws *ws);
const char *pe_meta(struct pe_rsc *r, const char *name);
enum pe_role pe_role_parse(const char *s);
const char *pe_role_str(enum pe_role r);
bool pe_is_true(const char *s);
long long pe_interval_ms(const char *s);
void pe_warn(struct pe_ws *ws, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* rules.c */
/* evaluate a <rule> against a node (may be NULL for non-node rules); returns true if it
 * passes; *score gets its score (score or score-attribute). */
bool pe_rule_eval(struct pe_ws *ws, xmlNode *rule, struct pe_node *node, int *score);
/* Fill `out` with nvpairs from every `set_name` child block of `parent` (rules evaluated
 * against node), honouring score order; existing keys are not overwritten. */
void pe_unpack_nvpairs(struct pe_ws *ws, xmlNode *parent, const char *set_name,
		       struct pe_node *node, GHashTable *out);

/* digest.c */
/* the digest Pacemaker would record for r's operation task/interval as configured now */
GHashTable *pe_op_params(struct pe_ws *ws, struct pe_rsc *r, const char *task,
			 long long interval_ms, long long *timeout_ms);
void pe_op_digest(struct pe_ws *ws, struct pe_rsc *r, const char *task, long long interval_ms,
		  const char *secure, char out[33]);	/* secure: op-secure-params, or NULL */
/* true when an lrm_rsc_op's recorded op-digest differs from the configuration's */
bool pe_op_changed(struct pe_ws *ws, struct pe_rsc *r, xmlNode *op);

/* constraints.c */
void pe_unpack_constraints(struct pe_ws *ws);

/* assign.c */
void pe_assign(struct pe_ws *ws);
bool pe_util_fits(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n);
void pe_util_take(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n);

/* actions.c */
struct pe_action *pe_action_new(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
				long long interval_ms, struct pe_node *node, bool optional);
struct pe_action *pe_action_find(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
				 long long interval_ms, struct pe_node *node);
void pe_order_actions(struct pe_action *first, struct pe_action *then, int flags);
void pe_create_actions(struct pe_ws *ws);

/* graph.c */
void pe_build_graph(struct pe_ws *ws);
char *pe_graph_xml(struct pe_ws *ws);
char *pe_graph_dot(struct pe_ws *ws);
const char *pe_graph_key(struct pe_action *a, char *buf, size_t len);
void pe_simulate(struct pe_ws *ws);

/* clone.c */
bool pe_clone_supported(const struct pe_rsc *r);
void pe_clone_unpack(struct pe_ws *ws, struct pe_rsc *c, xmlNode *x,
		     struct pe_rsc *(*unpack_primitive)(struct pe_ws *, xmlNode *, struct pe_rsc *));
struct pe_rsc *pe_clone_instance_for(struct pe_ws *ws, struct pe_rsc *c, const xmlNode *lr,
				     struct pe_node *n);
void pe_clone_assign(struct pe_ws *ws, struct pe_rsc *c, const int *coloc, bool blocked);
void pe_clone_promote(struct pe_ws *ws, struct pe_rsc *c);
bool pe_clone_promoted_on(struct pe_rsc *c, struct pe_node *n);
bool pe_clone_on_node(struct pe_rsc *c, struct pe_node *n);
void pe_clone_render(struct pe_ws *ws, struct pe_rsc *c, struct pl_buf *out, bool revised,
		     void (*prim)(struct pe_ws *, struct pe_rsc *, struct pl_buf *, const char *, bool,
				  const char *));

/* notify.c */
void pe_notify_create(struct pe_ws *ws, struct pe_rsc *c, int op);
void pe_notify_finish(struct pe_ws *ws, struct pe_rsc *c);

/* status_render.c */
void pe_render_status(struct pe_ws *ws, struct pl_buf *out, bool revised);
void pe_render_summary(struct pe_ws *ws, struct pl_buf *out);

#endif
