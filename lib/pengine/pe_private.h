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
#include "paceline/error.h"
#include "paceline/iso8601.h"
#include "paceline/score.h"

#define INF		 PL_SCORE_INFINITY
/* clone-max and clone-node-max above this are refused (each instance is a resource) */
#define PE_MAX_INSTANCES 10000

enum pe_role { ROLE_UNKNOWN, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED };
enum pe_kind { KIND_PRIMITIVE, KIND_GROUP, KIND_CLONE, KIND_BUNDLE };

struct pe_ws;
struct pe_rsc;

/*
 * What differs between resource variants, one row each (variant.c): the stages call
 * r->variant->... and never branch on the kind themselves.
 *
 *	row          unpack           assign                  create actions       internal orderings
 *	primitive    primitive+ops    best allowed node       stop/start/monitors  -
 *	group        members          as one unit; members    members + 4 pseudo   chain, pseudo
 *	clone        instances        instances on nodes      instances + pseudo   pseudo, ordered
 *	promotable   instances        + promotion             + promote/demote     + promote/demote
 *	bundle       (recognised)     -                       -                    -
 *
 * Rendering (status_render.c) still branches on the kind; it moves here with crm_mon's work.
 */
struct pe_variant {
	const char *name;
	enum pe_kind kind;
	struct pe_rsc *(*unpack)(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);
	void (*assign)(struct pe_ws *ws, struct pe_rsc *r); /* after its colocation primaries */
	void (*create_actions)(struct pe_ws *ws, struct pe_rsc *r);
	void (*internal_orderings)(struct pe_ws *ws, struct pe_rsc *r);
};
enum pe_variant_id {
	VARIANT_PRIMITIVE,
	VARIANT_GROUP,
	VARIANT_CLONE,
	VARIANT_PROMOTABLE,
	VARIANT_BUNDLE,
	VARIANT_COUNT
};
extern const struct pe_variant pe_variants[VARIANT_COUNT];
/* the row for a <resources> child element ("primitive", "group", "clone", "master",
 * "bundle"), or NULL */
const struct pe_variant *pe_variant_for(const char *element);
enum pe_onfail {
	ONFAIL_IGNORE,
	ONFAIL_RESTART,
	ONFAIL_BLOCK,
	ONFAIL_STOP,
	ONFAIL_FENCE,
	ONFAIL_STANDBY,
	ONFAIL_DEMOTE
};
enum pe_nqp { NQP_STOP, NQP_IGNORE, NQP_FREEZE, NQP_SUICIDE, NQP_DEMOTE };

struct pe_node {
	int idx;
	char *id, *uname;
	bool online, unclean, standby, maintenance, pending, shutdown, expected_up, seen;
	bool remote, fenced_later;
	bool lost;	      /* unclean from its node_state (fencing settles its resources) */
	char *conn;	      /* a remote node's connection resource id */
	bool fence_scheduled; /* fenced by decision (ticket), not shown as unclean */
	bool guest;	      /* a guest node (remote; conn = its container) */
	bool coming_up;	      /* a remote node whose connection starts now (remote.c) */
	bool in_bundle;	      /* a bundle replica's guest node */
	struct pe_rsc *guest_child; /* the bundled primitive's instance it hosts */
	GHashTable *util;	    /* utilization capacity: name -> value (owned strings) */
	GHashTable *util_used;	    /* name -> amount assigned so far (keys borrowed) */
	int health;		    /* 0 green, 1 yellow, 2 red (worst #health-* attribute) */
	const char *unclean_reason; /* why it is fenced */
	int weight;		    /* node score from config */
	int n_assigned;		    /* resources assigned so far (tie break) */
	GHashTable *attrs;	    /* name -> value, owned strings */
	xmlNode *state;		    /* node_state element or NULL */
};

struct pe_opdef { /* an <op> of a resource */
	char *name, *role;
	long long interval_ms;
	long long timeout_ms;
	enum pe_onfail on_fail;
	bool on_fail_set, enabled, duplicate;
	xmlNode *xml;
};

struct pe_rsc_node { /* per-node state of a primitive from its history */
	bool active, failed, probed, unknown_pending, fail_expired, fail_disabled;
	bool fail_changed; /* restarted for changed parameters: fail count cleared */
	enum pe_role role;
	int failcount;
	long long last_failure;
	GPtrArray *recurring; /* active recurring monitors (char* keys "monitor_10000") */
	GArray *hist_ops;     /* long long intervals of recurring ops since the last start */
	char *lrm_name;	      /* a clone instance's name in this node's history */
	GArray *ever;	      /* intervals of every recurring monitor recorded */
	const char *pending;  /* task of an operation in flight (record-pending), or NULL */
	bool reload;	      /* changed parameters the agent can reload (reload.c) */
};

struct pe_rsc {
	int idx;
	char *id;
	enum pe_kind kind;
	const struct pe_variant *variant;
	char *cls, *provider, *type;
	xmlNode *xml;
	struct pe_rsc *parent;
	struct pe_rsc **children;
	int n_children;
	GHashTable *meta, *params; /* owned strings */
	int priority, stickiness, migration_threshold;
	long long failure_timeout;
	bool managed, orphan, failed, blocked, provisional, disabled, start_pending, assigning;
	bool unsupported, failure_ignored, ticket_freeze, is_remote_conn;
	enum pe_role role, next_role, target_role;
	enum pe_onfail on_fail;	  /* worst on-fail of failed ops */
	struct pe_node **running; /* nodes where active */
	int n_running;
	struct pe_rsc_node *pn; /* [n_nodes] history per node */
	int *score;		/* [n_nodes] allowed-node scores, INT_MIN = not allowed */
	struct pe_node *assigned;
	struct pe_opdef *ops;
	int n_ops;
	GPtrArray *actions; /* struct pe_action*, creation order */
	char *stop_reason;  /* for summary: "due to ..." */
	bool restart_due;   /* changed definition etc. */
	char *restart_reason;
	const char *move_reason; /* owned by ws->strings */
	/* post-simulation state */
	struct pe_node **sim_running;
	int n_sim_running;
	bool sim_failed;
	enum pe_role sim_role;
	int sort_pos;
	int *wsort;	  /* scores used to sort the processing order */
	int *wfinal;	  /* [n_nodes] the scores it was placed with (primitive, group) */
	GHashTable *util; /* utilization needs: name -> value (owned strings) */
	/* clones */
	int clone_node_max;
	bool unique, promotable, no_promote, notify;
	int promoted_max;
	int *promo;	  /* [n_nodes] role=Promoted location scores (promotable clone) */
	char *child_base; /* the cloned primitive's id */
	bool base_named;  /* the history names instances by child_base (no ":N") */
	int n_orphans;	  /* a clone of groups: orphan instances, the last children */
	/* bundles (bundle.c) */
	char *container_type, *image;
	struct pe_replica *replicas;
	int n_replicas;
	int replica;   /* a bundled primitive's instance: its replica number */
	bool bundled;  /* a bundled primitive's instance (not an implicit part) */
	bool implicit; /* a remote-node guest's connection: not listed in text */
	/* rsc_location resource-discovery (discovery.c) */
	unsigned char *discover; /* [n_nodes] enum pe_discover, NULL: always everywhere */
	bool exclusive_discover; /* an exclusive constraint names it */
	bool reset_remote;	 /* a failed remote connection whose node must be fenced */
	struct pe_rsc *container; /* a guest node's connection: its container (guest.c) */
	bool is_container;	  /* hosts a guest node (remote-node meta) */
};

enum pe_discover { DISCOVER_ALWAYS, DISCOVER_NEVER, DISCOVER_EXCLUSIVE };
enum pe_discover pe_discover_parse(const char *v);
void pe_discovery_mark(
    struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n, enum pe_discover mode);
/* before placement: nodes an exclusive resource may not be discovered on get -INFINITY */
void pe_discovery_apply(struct pe_ws *ws);
bool pe_discovery_probes(const struct pe_rsc *r, const struct pe_node *n);

struct pe_replica { /* one replica of a bundle: the parts that exist, else NULL */
	struct pe_rsc *ip, *child, *container, *remote;
	struct pe_node *guest;
	char *address; /* the IP address */
};

/* The tasks actions carry (TASK_OTHER: notification pseudo-actions, set ids, ...). */
#define PE_TASK_TABLE(X)                      \
	X(START, "start")                     \
	X(STOP, "stop")                       \
	X(MONITOR, "monitor")                 \
	X(PROMOTE, "promote")                 \
	X(DEMOTE, "demote")                   \
	X(RUNNING, "running")                 \
	X(STOPPED, "stopped")                 \
	X(PROMOTED, "promoted")               \
	X(DEMOTED, "demoted")                 \
	X(MIGRATE_TO, "migrate_to")           \
	X(MIGRATE_FROM, "migrate_from")       \
	X(STONITH, "stonith")                 \
	X(DO_SHUTDOWN, "do_shutdown")         \
	X(CLEAR_FAILCOUNT, "clear_failcount") \
	X(CANCEL, "cancel")                   \
	X(DELETE, "delete")                   \
	X(NOTIFY, "notify")
enum pe_task {
	TASK_OTHER,
#define PE_TASK_ENUM(name, text) TASK_##name,
	PE_TASK_TABLE(PE_TASK_ENUM)
#undef PE_TASK_ENUM
};
enum pe_task pe_task_parse(const char *text);

enum pe_aflags {
	AF_OPTIONAL = 1 << 0,
	AF_RUNNABLE = 1 << 1,
	AF_PSEUDO = 1 << 2,
	AF_EXECUTED = 1 << 3,
	AF_CONFIRMED = 1 << 4,
	AF_IN_GRAPH = 1 << 5,
	AF_FENCE = 1 << 6,
	AF_CLUSTER = 1 << 7,
	AF_UNFENCE = 1 << 8, /* a node's "on" fence action (unfencing.c) */
};

/* ordering flags (a subset of Pacemaker's semantics) */
enum pe_oflags {
	OF_OPTIONAL = 0,
	OF_IMPLIES_THEN = 1 << 0,  /* first required -> then required */
	OF_IMPLIES_FIRST = 1 << 1, /* then required -> first required */
	OF_RUNNABLE_LEFT = 1 << 2, /* first unrunnable -> then unrunnable */
	OF_RESTART = 1 << 3,	   /* then required & rsc active -> first required */
	OF_ONE_OR_MORE = 1 << 4,
	OF_SYMMETRIC = 1 << 5, /* from a symmetrical constraint: then stops if it cannot restart */
	OF_ASYMMETRIC = 1 << 6, /* from a mandatory symmetrical="false" constraint: first
				 * unrunnable -> then unrunnable only where then must start */
};

struct pe_action;
struct pe_edge {
	struct pe_action *other;
	int flags;
};

struct pe_action {
	int id;
	struct pe_rsc *rsc;   /* NULL for node actions */
	struct pe_node *node; /* NULL for pseudo cluster-wide */
	char *task;	      /* start stop monitor promote demote stonith running stopped ... */
	enum pe_task task_id; /* the same as an enum, for the stages' decisions */
	long long interval_ms;
	char *key; /* rsc_task_interval */
	unsigned flags;
	const char *reason;
	struct pe_opdef *op;
	GArray *before;	   /* struct pe_edge: actions that must happen first */
	GArray *after;	   /* struct pe_edge: actions that come after */
	int n_unconfirmed; /* simulation */
	int synapse;
	int mark;    /* traversal generation */
	bool notify; /* an instance's notification: printed as "notify" */
	struct pe_action *unrunnable_by; /* the ordering's first action that made it unrunnable */
};

struct pe_order { /* a pending ordering between action keys */
	struct pe_rsc *first_rsc, *then_rsc;
	char *first_task, *then_task; /* "start", "stop", "promote", ... */
	struct pe_action *first_action, *then_action;
	int flags;
	bool any_first; /* require-all="false": any one instance of a first clone will do */
};

struct pe_one_or_more { /* an ordered set with require-all="false" */
	char *id;
	GPtrArray *members, *next; /* struct pe_rsc*: the set, the set after it */
	char *action, *next_action;
	int flags;
};

struct pe_coloc {
	char *id;
	struct pe_rsc *dep, *primary; /* dependent rsc (placed relative to) primary */
	int score;
	enum pe_role dep_role, primary_role;
	char *node_attr;
};

struct pe_location {
	char *id;
	struct pe_rsc *rsc;
	int *score; /* [n_nodes], 0 when not mentioned */
	bool *set;  /* [n_nodes] */
	enum pe_role role;
	char *discovery;
};

struct pe_loc_entry { /* one location score as applied, for the explanation */
	const char *source; /* constraint id (owned by the CIB document), "node health", ... */
	int rsc, node;	    /* indexes: the resource the constraint names, the node */
	int score;
};

struct pe_ws {
	xmlDoc *doc;
	xmlNode *cib, *config, *status;
	struct pl_time now;
	/* options */
	bool concurrent_fencing, utilization, balanced, minimal;
	bool stonith_enabled, symmetric, stop_all, maintenance, startup_fencing;
	bool have_watchdog; /* SBD: fencing without a fence device */
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
	int nodes_known;      /* nodes a clone's default clone-max counts: as Pacemaker, a bundle's
			  * guest nodes only once the bundle has been unpacked */
	struct pe_rsc **rscs; /* every resource, parents and children, unpack order */
	int n_rscs;
	struct pe_rsc **top; /* top-level resources, priority-sorted for display */
	int n_top;
	struct pe_rsc **order; /* top-level resources in processing order */
	int n_order;
	GHashTable *rsc_by_id;	  /* id -> struct pe_rsc* */
	GHashTable *node_by_name; /* uname and id -> struct pe_node* */
	GPtrArray *colocs, *locations, *orders, *one_or_more;
	GArray *loc_log;	/* struct pe_loc_entry, in the order applied */
	const char *loc_source; /* the source loc_log entries get while unpacking */
	enum pe_discover loc_discover; /* the resource-discovery of the location being applied */
	GPtrArray *actions;	   /* all actions, id order */
	GHashTable *action_by_key; /* "key@node" -> action */
	xmlNode *rsc_defaults, *op_defaults;
	struct pl_buf warnings;
	struct pl_buf scores;
	bool show_scores;
	bool unsupported;
	int n_synapses;
	GPtrArray *synapse_order;
	struct pl_buf exec_log;
	GPtrArray *exec_fired;	/* struct pe_action*: what the simulation ran, in order */
	const struct pl_pengine_op_fail *op_fail; /* results to pretend (crm_simulate -F) */
	int n_op_fail;
	struct pe_action *failed; /* the action that got an --op-fail result: the run stopped */
	int failed_rc;
	GPtrArray *strings;	       /* owned texts (reasons) freed with the run */
	GHashTable *clone_by_child;    /* cloned primitive id -> clone */
	GHashTable *clone_by_member;   /* a cloned group's member id -> the clone of groups */
	const struct pe_rsc *rule_rsc; /* the resource rsc_expression rules look at */
	const char *rule_op_name;      /* the operation op_expression rules look at */
	long long rule_op_interval;
	struct pe_stream *stream;   /* the status section streamed from text (else ws->status) */
	struct pl_error error;	    /* the first input error: the run fails with it */
	struct pl_buf input_errors; /* malformed entries ignored (as Pacemaker does), one a line */
	struct pl_buf log;	    /* Pacemaker's stderr log lines (pl_pengine_log) */
	struct pl_buf config_errors; /* the configuration errors among them (crm_verify) */
	xmlNode *tickets;	    /* <tickets> of the status section */
	bool tickets_copied;	    /* a streamed status's copy, freed with the run */
	xmlNode *orphan_defs;	    /* copied definitions of orphans */
	GPtrArray *deferred_states; /* copies of remote nodes' node_state, read last */
	bool remote_pass;	    /* reading them */
	xmlNode *failed_ops;	    /* copies of failed lrm_rsc_op on online nodes, each with
					 * on_node and rsc_id added, history order (crm_mon) */
};

/* A CIB read from text: the reader stands on <status>, whose node_state children are
 * unpacked one at a time; the first parse error is kept for the message. */
struct pe_stream {
	void *reader; /* xmlTextReader */
	const char *name;
	bool error_seen;
	int line, column;
	char message[256];
};

/* Refuse the input: the first error wins, later stages are skipped and the run returns NULL
 * with it. Say what and where (element id, attribute). */
void pe_fail(struct pe_ws *ws, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static inline bool
pe_failed(const struct pe_ws *ws)
{
	return ws->error.code != 0;
}
/* An entry ignored as malformed (the run goes on, as Pacemaker's does): always reported. */
void pe_input_error(struct pe_ws *ws, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a line Pacemaker's library logs at `level` ("error", "warning") from `fn` */
void pe_log(struct pe_ws *ws, const char *fn, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A configuration error: logged as pe_log's "error", and one that makes crm_verify find the
 * configuration invalid (a runtime error such as a failed operation does not). */
void pe_config_err(struct pe_ws *ws, const char *fn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void pe_one_or_more_free(struct pe_one_or_more *o);

/* a string owned by the run */
const char *pe_keep(struct pe_ws *ws, char *s);
void pe_free(struct pe_ws *ws);

/* fencing needs it enabled and quorum (or no-quorum-policy=ignore) */
static inline bool
pe_can_fence(const struct pe_ws *ws)
{
	return ws->stonith_enabled &&
	    (ws->have_quorum || ws->no_quorum_policy == NQP_IGNORE ||
		ws->no_quorum_policy == NQP_SUICIDE);
}

/* connection and fencing resources never run on (or probe) Pacemaker Remote nodes, nor
 * the container of a guest node on a guest node */
static inline bool
pe_remote_banned(const struct pe_rsc *r, const struct pe_node *n)
{
	return n->remote &&
	    (r->is_remote_conn || (r->is_container && n->guest) ||
		(r->cls && !strcmp(r->cls, "stonith")));
}

/* unpack.c */
void pe_unpack(struct pe_ws *ws);
const char *pe_meta(struct pe_rsc *r, const char *name);
enum pe_role pe_role_parse(const char *s);
const char *pe_role_str(enum pe_role r);
bool pe_is_true(const char *s);
long long pe_interval_ms(const char *s);
void pe_warn(struct pe_ws *ws, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* unpack_config.c */
GHashTable *pe_strtab(void);
void pe_unpack_config(struct pe_ws *ws);

/* unpack_nodes.c */
bool pe_is_remote_agent(const xmlNode *x);
void pe_unpack_nodes(struct pe_ws *ws);

/* unpack_resources.c */
enum pe_onfail pe_onfail_parse(const char *s, bool *ok);
void pe_rsc_settle(struct pe_ws *ws, struct pe_rsc *r);
struct pe_rsc *pe_unpack_primitive(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);
struct pe_rsc *pe_unpack_group(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);
struct pe_rsc *pe_unpack_clone(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);
struct pe_rsc *pe_unpack_bundle(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);
struct pe_rsc *pe_rsc_new(struct pe_ws *ws, xmlNode *x, enum pe_variant_id v, struct pe_rsc *parent);
/* a bundle's guest nodes (before the resources: primitives size their per-node state) */
int pe_bundle_guests(xmlNode *bundle);
char *pe_bundle_guest_name(xmlNode *bundle, int i);
char *pe_bundle_container_name(xmlNode *bundle, int i);
/* a primitive's definition the CIB does not hold (implicit resources), owned by the run */
xmlNode *pe_implicit_def(
    struct pe_ws *ws, const char *id, const char *cls, const char *provider, const char *type);
void pe_unpack_resources(struct pe_ws *ws);

/* unpack_history.c */
void pe_add_running(struct pe_rsc *r, struct pe_node *n);
void pe_unpack_history(struct pe_ws *ws, struct pe_node *n, struct pe_rsc *r, xmlNode *lr);
void pe_unpack_failcounts(struct pe_ws *ws, struct pe_node *n);

/* unpack_status.c */
void pe_unpack_status(struct pe_ws *ws);

/* rules.c */
/* evaluate a <rule> against a node (may be NULL for non-node rules); returns true if it
 * passes; *score gets its score (score or score-attribute). */
bool pe_rule_eval(struct pe_ws *ws, xmlNode *rule, struct pe_node *node, int *score);
/* Fill `out` with nvpairs from every `set_name` child block of `parent` (rules evaluated
 * against node), honouring score order; existing keys are not overwritten. */
void pe_unpack_nvpairs(
    struct pe_ws *ws, xmlNode *parent, const char *set_name, struct pe_node *node, GHashTable *out);

/* constraints.c: the location score a node's health gives every primitive (strategy) */
int pe_node_health_score(struct pe_ws *ws, struct pe_node *n);

/* digest.c */
/* the digest Pacemaker would record for r's operation task/interval as configured now */
void pe_buf_add_escaped(struct pl_buf *b, const char *v); /* an XML attribute value */
GHashTable *pe_op_params(struct pe_ws *ws, struct pe_rsc *r, const char *task,
    long long interval_ms, long long *timeout_ms);
void pe_op_digest(struct pe_ws *ws, struct pe_rsc *r, const char *task, long long interval_ms,
    const char *secure, char out[33]); /* secure: op-secure-params, or NULL */
/* true when an lrm_rsc_op's recorded op-digest differs from the configuration's */
bool pe_op_changed(struct pe_ws *ws, struct pe_rsc *r, xmlNode *op);
bool pe_word_listed(const char *list, const char *name);

/* reload.c: what a changed definition calls for, judged on the last start's record */
enum pe_definition { PE_DEF_SAME, PE_DEF_RESTART, PE_DEF_RELOAD };
enum pe_definition pe_definition_check(struct pe_ws *ws, struct pe_rsc *r, xmlNode *start_op);
void pe_reload_actions(struct pe_ws *ws);
void pe_reload_cancel(struct pe_ws *ws);

/* constraints.c */
void pe_unpack_constraints(struct pe_ws *ws);

/* assign.c */
void pe_assign(struct pe_ws *ws);
bool pe_migratable(struct pe_rsc *r);
void pe_assign_primitive(struct pe_ws *ws, struct pe_rsc *r);
void pe_assign_group(struct pe_ws *ws, struct pe_rsc *r);
void pe_group_assign_members(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *best);
void pe_assign_clone(struct pe_ws *ws, struct pe_rsc *r);
void pe_assign_promotable(struct pe_ws *ws, struct pe_rsc *r);
bool pe_util_fits(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n);
/* a dependent's node score scaled by a colocation's score over INFINITY, as it pulls */
int pe_colocated_score(int score, int coloc);
/* r's node scores as a colocation sees them (placed: the scores it was placed with) */
void pe_rsc_node_scores(struct pe_ws *ws, struct pe_rsc *r, int *w);
/* clone-max below the nodes that can run resources: finite positive colocations count */
bool pe_clone_all_coloc(struct pe_ws *ws, const struct pe_rsc *r);
/* balanced placement: negative when node a has more room left than b */
int pe_util_cmp(struct pe_node *a, struct pe_node *b);
void pe_util_take(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n);

/* action.c (pe_create_actions, the stage driver: actions.c) */
struct pe_action *pe_action_new(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
    long long interval_ms, struct pe_node *node, bool optional);
struct pe_action *pe_action_find(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
    long long interval_ms, struct pe_node *node);
void pe_order_actions(struct pe_action *first, struct pe_action *then, int flags);
void pe_create_actions(struct pe_ws *ws);

/* unfencing.c: "on" actions before probes and starts where fabric fencing is in use */
bool pe_unfencing_enabled(struct pe_ws *ws);
void pe_unfencing(struct pe_ws *ws);
/* fencing_delay.c: priority-fencing-delay for fencing target, seconds (-1: not in use) */
long long pe_priority_fencing_delay(struct pe_ws *ws, const struct pe_node *target);

/* action.c */
bool pe_node_usable(struct pe_node *n);
bool pe_rsc_active_on(struct pe_rsc *r, struct pe_node *n);
int pe_rsc_task_actions(
    struct pe_ws *ws, struct pe_rsc *r, const char *task, bool as_first, GPtrArray *out);
void pe_alist_copy(GPtrArray *dst, const GPtrArray *src);
/* a scratch list of actions, freed when it goes out of scope */
#define PE_ALIST(name) g_autoptr(GPtrArray) name = g_ptr_array_new()

/* probes.c */
void pe_probe_rsc(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n);
void pe_probe_orderings(struct pe_ws *ws);
void pe_first_probe_orderings(struct pe_ws *ws);
void pe_restart_probe_orderings(struct pe_ws *ws);

/* recurring.c */
void pe_recurring(struct pe_ws *ws, struct pe_rsc *r, struct pe_action *start, struct pe_node *on);
void pe_recurring_stopped(
    struct pe_ws *ws, struct pe_rsc *r, struct pe_node *chosen, bool only_cancel);
void pe_cancel_role_monitors(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n,
    enum pe_role role, struct pe_action *before);
void pe_history_monitors(struct pe_ws *ws);
void pe_cancel_undefined(struct pe_ws *ws);

/* primitive.c */
void pe_primitive_actions(struct pe_ws *ws, struct pe_rsc *r);
void pe_clear_failcounts(struct pe_ws *ws);
void pe_abort_migrations(struct pe_ws *ws);

/* variant.c */
void pe_rsc_actions(struct pe_ws *ws, struct pe_rsc *r);
void pe_internal_orderings(struct pe_ws *ws, struct pe_rsc *r);

/* orderings.c */
void pe_constraint_orderings(struct pe_ws *ws);
void pe_add_colocation(
    struct pe_ws *ws, const char *id, struct pe_rsc *dep, struct pe_rsc *pri, int score);
void pe_add_ordering(struct pe_ws *ws, struct pe_rsc *first, const char *fa, struct pe_rsc *then,
    const char *ta, bool symmetrical);
/* guest.c */
struct pe_rsc *pe_guest_connection(struct pe_ws *ws, struct pe_node *n);
void pe_guest_constraints(struct pe_ws *ws);
bool pe_guest_settled(struct pe_ws *ws, const struct pe_node *n);
/* remote.c: remote nodes whose connection is placed come up; actions there follow it */
void pe_remote_coming_up(struct pe_ws *ws);
void pe_remote_orderings(struct pe_ws *ws);
bool pe_remote_history_wanted(struct pe_ws *ws, const struct pe_node *n);
/* interleave.c: after placement, "then" instances of a mandatory interleaved ordering that
 * have no "first" instance on their node are unassigned; per-instance orderings (true when
 * the ordering is interleaved, the clone-level ordering is still made by the caller) */
void pe_interleave_inhibit(struct pe_ws *ws);
bool pe_interleave_orderings(struct pe_ws *ws, const struct pe_order *o);
bool pe_interleaved(const struct pe_order *o);
void pe_anti_colocation_orderings(struct pe_ws *ws);
void pe_one_or_more_orderings(struct pe_ws *ws);
void pe_load_orderings(struct pe_ws *ws);

/* propagate.c */
void pe_propagate(struct pe_ws *ws);

/* fencing.c */
void pe_fencing(struct pe_ws *ws);

/* graph.c */
void pe_build_graph(struct pe_ws *ws);
char *pe_graph_xml(struct pe_ws *ws);
char *pe_graph_dot(struct pe_ws *ws);
const char *pe_graph_key(struct pe_action *a, char *buf, size_t len);
void pe_simulate(struct pe_ws *ws);
/* the rc an action is expected to return: 7 for a probe, 8 for a Promoted-role monitor */
int pe_action_target_rc(struct pe_action *a);
/* the name the action's resource goes by in the history of the action's node */
const char *pe_exec_name(struct pe_action *a);

/* clone.c */
bool pe_clone_supported(const struct pe_rsc *r);
/* a clone's instance count meta-attribute (false: refused, the error set) */
bool pe_clone_count(struct pe_ws *ws, struct pe_rsc *c, const char *name, int def, int *out);
/* the newest entry of a history says the resource is not running */
bool pe_history_inactive(const xmlNode *lr);
/* clone_group.c: clones of a group, for the status */
bool pe_clone_of_group(xmlNode *clone);
void pe_clone_group_unpack(struct pe_ws *ws, struct pe_rsc *c, xmlNode *x);
/* a clone of a group: its instances seen as one resource each before placement (scores,
 * current node, failure), their members placed after */
bool pe_clone_of_groups(const struct pe_rsc *c);
bool pe_clone_group_on_node(const struct pe_rsc *c, const struct pe_node *n, bool whole);
void pe_clone_group_prepare(struct pe_ws *ws, struct pe_rsc *c);
void pe_clone_group_settle(struct pe_ws *ws, struct pe_rsc *c);
/* an anonymous clone of groups probes one instance's members a node, each member where no
 * instance's copy of it is known there */
void pe_clone_group_probe(struct pe_ws *ws, struct pe_rsc *c, struct pe_node *n,
    bool (*wanted)(struct pe_ws *, struct pe_rsc *, struct pe_node *));
void pe_clone_group_render(struct pe_ws *ws, struct pe_rsc *c, struct pl_buf *out, bool revised,
    void (*prim)(struct pe_ws *, struct pe_rsc *, struct pl_buf *, const char *, bool, const char *));
struct pe_rsc *pe_clone_group_member_for(
    struct pe_ws *ws, const char *lrm_id, const xmlNode *lr, struct pe_node *n);
void pe_clone_unpack(struct pe_ws *ws, struct pe_rsc *c, xmlNode *x,
    struct pe_rsc *(*unpack_primitive)(struct pe_ws *, xmlNode *, struct pe_rsc *));
struct pe_rsc *pe_clone_instance_for(
    struct pe_ws *ws, struct pe_rsc *c, const xmlNode *lr, struct pe_node *n);
void pe_clone_assign(struct pe_ws *ws, struct pe_rsc *c, const int *coloc, bool blocked);
/* promote.c */
void pe_promotion_scores_add(struct pe_ws *ws, struct pe_rsc *c);
void pe_clone_promote(struct pe_ws *ws, struct pe_rsc *c);
bool pe_clone_promoted_on(struct pe_rsc *c, struct pe_node *n);
bool pe_clone_on_node(struct pe_rsc *c, struct pe_node *n);
bool pe_clone_in_role_on(struct pe_rsc *c, struct pe_node *n, enum pe_role role);
void pe_clone_render(struct pe_ws *ws, struct pe_rsc *c, struct pl_buf *out, bool revised,
    void (*prim)(struct pe_ws *, struct pe_rsc *, struct pl_buf *, const char *, bool, const char *));

/* notify.c */
void pe_notify_create(struct pe_ws *ws, struct pe_rsc *c, int op);
void pe_notify_finish(struct pe_ws *ws, struct pe_rsc *c);

/* pengine.c: the model behind a public run handle */
struct pl_pengine_run;
struct pe_ws *pe_run_ws(struct pl_pengine_run *run);

/* status_render.c */
void pe_render_status(struct pe_ws *ws, struct pl_buf *out, bool revised);
void pe_render_summary(struct pe_ws *ws, struct pl_buf *out);

#endif
