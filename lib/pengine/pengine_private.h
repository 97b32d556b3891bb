/*
 * pengine_private.h - the policy engine's data model, shared by the stages in lib/pengine.
 *
 * A run goes: unpack (config, nodes, resources, status history) -> constraints -> scores and
 * assignment -> actions and orderings -> graph -> (crm_simulate) simulated execution.
 * Nodes and resources are arrays indexed by small integers; per-resource node scores are
 * dense int arrays of length n_nodes, so nothing scans lists by name after unpacking.
 */
#ifndef PENGINE_PRIVATE_H
#define PENGINE_PRIVATE_H

#include <stdbool.h>
#include <string.h>
#include <glib.h>
#include <libxml/tree.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/iso8601.h"
#include "paceline/score.h"

#define INF		      PL_SCORE_INFINITY
/* clone-max and clone-node-max above this are refused (each instance is a resource) */
#define PENGINE_MAX_INSTANCES 10000

enum pengine_role { ROLE_UNKNOWN, ROLE_STOPPED, ROLE_STARTED, ROLE_UNPROMOTED, ROLE_PROMOTED };
enum pengine_kind { KIND_PRIMITIVE, KIND_GROUP, KIND_CLONE, KIND_BUNDLE };

struct pengine_ws;
struct pengine_rsc;

/*
 * What differs between resource variants, one row each (variant.c): the stages call
 * r->variant->... and never branch on the kind themselves.
 *
 *	row          unpack           assign                  create actions       internal orderings
 *	primitive    primitive+ops    best allowed node       stop/start/monitors  -
 *	group        members          as one unit; members    members + 4 pseudo   chain, pseudo
 *	clone        instances        instances on nodes      instances + pseudo   pseudo, ordered
 *	promotable   instances        + promotion             + promote/demote     + promote/demote
 *	bundle       replicas, clone  containers, IP, guests  parts + pseudo       parts, clone, pseudo
 *
 * Rendering (status_render.c) still branches on the kind; it moves here with crm_mon's work.
 */
struct pengine_variant {
	const char *name;
	enum pengine_kind kind;
	struct pengine_rsc *(*unpack)(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);
	void (*assign)(
	    struct pengine_ws *ws, struct pengine_rsc *r); /* after its colocation primaries */
	void (*create_actions)(struct pengine_ws *ws, struct pengine_rsc *r);
	void (*internal_orderings)(struct pengine_ws *ws, struct pengine_rsc *r);
};
enum pengine_variant_id {
	VARIANT_PRIMITIVE,
	VARIANT_GROUP,
	VARIANT_CLONE,
	VARIANT_PROMOTABLE,
	VARIANT_BUNDLE,
	VARIANT_COUNT
};
extern const struct pengine_variant pengine_variants[VARIANT_COUNT];
/* the row for a <resources> child element ("primitive", "group", "clone", "master",
 * "bundle"), or NULL */
const struct pengine_variant *pengine_variant_for(const char *element);
enum pengine_onfail {
	ONFAIL_IGNORE,
	ONFAIL_RESTART,
	ONFAIL_BLOCK,
	ONFAIL_STOP,
	ONFAIL_FENCE,
	ONFAIL_STANDBY,
	ONFAIL_DEMOTE
};
enum pengine_nqp { NQP_STOP, NQP_IGNORE, NQP_FREEZE, NQP_SUICIDE, NQP_DEMOTE };

struct pengine_node {
	int idx;
	int status_pos; /* 1 + its node_state's position in the status section (0: none) */
	char *id, *uname;
	bool online, unclean, standby, maintenance, pending, shutdown, expected_up, seen;
	bool remote, fenced_later;
	bool lost;	      /* unclean from its node_state (fencing settles its resources) */
	char *conn;	      /* a remote node's connection resource id */
	bool fence_scheduled; /* fenced by decision (ticket), not shown as unclean */
	bool guest;	      /* a guest node (remote; conn = its container) */
	bool coming_up;	      /* a remote node whose connection starts now (remote.c) */
	bool in_bundle;	      /* a bundle replica's guest node */
	bool listed;	      /* declared in the <nodes> section */
	bool guest_reset;     /* a guest fenced by recovering its container (Pacemaker's
			       * remote_requires_reset): not unclean, it may run resources
			       * once the container is back (guest.c) */
	bool guest_fence_off; /* its fencing is "off" (the container's host is lost), not
			       * "reboot" (the container failed) */
	struct pengine_rsc *guest_child; /* the bundled primitive's instance it hosts */
	GHashTable *util;		 /* utilization capacity: name -> value (owned strings) */
	GHashTable *util_used;		 /* name -> amount assigned so far (keys borrowed) */
	int health;			 /* 0 green, 1 yellow, 2 red (worst #health-* attribute) */
	const char *unclean_reason;	 /* why it is fenced */
	int weight;			 /* node score from config */
	int n_assigned;			 /* resources assigned so far (tie break) */
	GHashTable *attrs;		 /* name -> value, owned strings */
	xmlNode *state;			 /* node_state element or NULL */
};

struct pengine_opdef { /* an <op> of a resource */
	char *name, *role;
	long long interval_ms;
	long long timeout_ms;
	enum pengine_onfail on_fail;
	bool on_fail_set, enabled, duplicate;
	xmlNode *xml;
};

enum pengine_mig { PENGINE_MIG_NONE, PENGINE_MIG_OK, PENGINE_MIG_FAILED, PENGINE_MIG_PENDING };

struct pengine_rsc_node { /* per-node state of a primitive from its history */
	bool active, failed, probed, unknown_pending, fail_expired, fail_disabled;
	bool fail_changed; /* restarted for changed parameters: fail count cleared */
	bool fail_params;  /* a last_failure entry of other parameters: fail count cleared */
	bool dup_active;   /* active by an earlier of two entries of its id on the node: a
			    * simulated stop lands in the later one and it stays active */
	enum pengine_role role;
	int failcount;
	long long last_failure;
	GPtrArray *recurring; /* active recurring monitors (char* keys "monitor_10000") */
	bool history;	      /* its history on the node was read */
	GArray *hist_ops;     /* long long intervals of recurring ops since the last start */
	char *lrm_name;	      /* a clone instance's name in this node's history */
	GArray *ever;	      /* intervals of every recurring monitor recorded */
	const char *pending;  /* task of an operation in flight (record-pending), or NULL */
	bool reload;	      /* changed parameters the agent can reload (reload.c) */
	/* the last migration steps recorded here (migration_history.c): a migrate_to with its
	 * target, a migrate_from with its source, whether another operation (not a monitor)
	 * came after each, when the migrate_to and the latest other operation happened */
	enum pengine_mig mig_to, mig_from;
	const char *mig_peer, *mig_from_src; /* kept strings (ws->strings) */
	bool mig_to_later, mig_from_later;
	long long mig_to_change, other_change;
	bool dangling;	    /* migrated away but not stopped here: a stop is scheduled */
	bool agent_changed; /* its history names another class/provider/type: deleted */
	bool hard_ban;	    /* a hard failure here (not installed, invalid arguments) */
	int probe_masked;   /* a probe's masked result ("Stopped (not installed)"), or 0 */
};

struct pengine_rsc {
	int idx;
	char *id;
	enum pengine_kind kind;
	const struct pengine_variant *variant;
	char *cls, *provider, *type;
	xmlNode *xml;
	struct pengine_rsc *parent;
	struct pengine_rsc **children;
	int n_children;
	GHashTable *meta, *params; /* owned strings */
	int priority, stickiness, migration_threshold;
	long long failure_timeout;
	bool managed, orphan, failed, blocked, provisional, disabled, start_pending, assigning;
	bool startup_disabled; /* managed, but fencing is on without a device: left alone */
	bool unsupported, failure_ignored, ticket_freeze, is_remote_conn;
	enum pengine_role role, next_role, target_role;
	enum pengine_onfail on_fail;   /* worst on-fail of failed ops */
	struct pengine_node **running; /* nodes where active */
	int n_running;
	struct pengine_rsc_node *pn; /* [n_nodes] history per node */
	int *score;		     /* [n_nodes] allowed-node scores, INT_MIN = not allowed */
	struct pengine_node *assigned;
	struct pengine_opdef *ops;
	int n_ops;
	GPtrArray *actions;	  /* struct pengine_action*, creation order */
	char *stop_reason;	  /* for summary: "due to ..." */
	bool restart_due;	  /* changed definition etc. */
	bool has_migration;	  /* a migration step in its history (migration_history.c) */
	const char *pending_task; /* the first operation in flight read (not a probe) */
	struct pengine_node *pending_node; /* where it is in flight */
	bool no_migrate;		   /* a migration went wrong: it restarts instead */
	bool stop_on_fail;		   /* failed with on-fail=stop: stopped, placed nowhere */
	bool multi_blocked; /* active on several nodes with multiple-active=block: left alone */
	struct pengine_node *partial_src, *partial_tgt; /* migrate_to done, migrate_from not */
	bool multiply_active_reason; /* its recovery reads "due to being multiply active" */
	char *restart_reason;
	const char *move_reason; /* owned by ws->strings */
	/* post-simulation state */
	struct pengine_node **sim_running;
	int n_sim_running;
	bool sim_failed;
	enum pengine_role sim_role;
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
	int n_orphans;	  /* orphan instances beyond clone-max, the last children */
	int *inst_order;  /* instances in the order they were assigned (NULL before) */
	int n_inst_order;
	/* bundles (bundle.c) */
	char *container_type, *image;
	struct pengine_replica *replicas;
	int n_replicas;
	struct pengine_rsc *inner; /* a bundle's clone of its bundled primitive, or NULL */
	int replica;		   /* a bundled primitive's instance: its replica number */
	bool bundled;		   /* a bundled primitive's instance (not an implicit part) */
	bool implicit;		   /* a remote-node guest's connection: not listed in text */
	/* rsc_location resource-discovery (discovery.c) */
	unsigned char *discover; /* [n_nodes] enum pengine_discover, NULL: always everywhere */
	bool exclusive_discover; /* an exclusive constraint names it */
	bool reset_remote;	 /* a failed remote connection whose node must be fenced */
	struct pengine_rsc *container; /* a guest node's connection: its container (guest.c) */
	bool is_container;	       /* hosts a guest node (remote-node meta) */
	bool filler;		       /* runs inside the primitive its container meta names */
	bool hosts_fillers;	       /* such a primitive: their fail counts count as its own */
};

enum pengine_discover { DISCOVER_ALWAYS, DISCOVER_NEVER, DISCOVER_EXCLUSIVE };
enum pengine_discover pengine_discover_parse(const char *v);
void pengine_discovery_mark(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n,
    enum pengine_discover mode);
/* before placement: nodes an exclusive resource may not be discovered on get -INFINITY */
void pengine_discovery_apply(struct pengine_ws *ws);
bool pengine_discovery_probes(const struct pengine_rsc *r, const struct pengine_node *n);

struct pengine_replica { /* one replica of a bundle: the parts that exist, else NULL */
	struct pengine_rsc *ip, *child, *container, *remote;
	struct pengine_node *guest;
	char *address;	   /* the IP address */
	int start_blocked; /* its instance stays placed but cannot start: its container
			    * cannot (1: the clone's start pseudo-actions are required, 2: the
			    * bundle's start too; bundle_sched.c) */
};

/* The tasks actions carry (TASK_OTHER: notification pseudo-actions, set ids, ...). */
#define PENGINE_TASK_TABLE(X)                 \
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
enum pengine_task {
	TASK_OTHER,
#define PENGINE_TASK_ENUM(name, text) TASK_##name,
	PENGINE_TASK_TABLE(PENGINE_TASK_ENUM)
#undef PENGINE_TASK_ENUM
};
enum pengine_task pengine_task_parse(const char *text);

enum pengine_aflags {
	AF_OPTIONAL = 1 << 0,
	AF_RUNNABLE = 1 << 1,
	AF_PSEUDO = 1 << 2,
	AF_EXECUTED = 1 << 3,
	AF_CONFIRMED = 1 << 4,
	AF_IN_GRAPH = 1 << 5,
	AF_FENCE = 1 << 6,
	AF_CLUSTER = 1 << 7,
	AF_UNFENCE = 1 << 8,	/* a node's "on" fence action (unfencing.c) */
	AF_PRINT_ONLY = 1 << 9, /* a one-or-more pseudo-action: in the graph when an input is
				 * required, without requiring what follows it */
};

/* ordering flags (a subset of Pacemaker's semantics) */
enum pengine_oflags {
	OF_OPTIONAL = 0,
	OF_IMPLIES_THEN = 1 << 0,  /* first required -> then required */
	OF_IMPLIES_FIRST = 1 << 1, /* then required -> first required */
	OF_RUNNABLE_LEFT = 1 << 2, /* first unrunnable -> then unrunnable */
	OF_RESTART = 1 << 3,	   /* then required & rsc active -> first required */
	OF_ONE_OR_MORE = 1 << 4,
	OF_SYMMETRIC = 1 << 5,	/* from a symmetrical constraint: then stops if it cannot restart */
	OF_ASYMMETRIC = 1 << 6, /* from a mandatory symmetrical="false" constraint: first
				 * unrunnable -> then unrunnable only where then must start */
	OF_FIRST_NOT_MIGRATING = 1 << 7, /* the inverse of an optional constraint: ignored when
					  * first is the stop of a resource that migrates */
	OF_LOAD = 1 << 8, /* a placement-strategy load ordering (load.c): dropped where it would
			   * close a loop */
};

struct pengine_action;
struct pengine_edge {
	struct pengine_action *other;
	int flags;
};

struct pengine_action {
	int id;
	struct pengine_rsc *rsc;   /* NULL for node actions */
	struct pengine_node *node; /* NULL for pseudo cluster-wide */
	char *task; /* start stop monitor promote demote stonith running stopped ... */
	enum pengine_task task_id; /* the same as an enum, for the stages' decisions */
	long long interval_ms;
	char *key; /* rsc_task_interval */
	unsigned flags;
	const char *reason;
	struct pengine_opdef *op;
	GArray *before;	   /* struct pengine_edge: actions that must happen first */
	GArray *after;	   /* struct pengine_edge: actions that come after */
	int n_unconfirmed; /* simulation */
	int synapse;
	int mark;	    /* traversal generation */
	bool notify;	    /* an instance's notification: printed as "notify" */
	bool probe_pending; /* a start blocked by its probe on a pending node: "blocked" */
	struct pengine_action *unrunnable_by; /* the ordering's first action that made it unrunnable */
	int min_runnable; /* a one-or-more pseudo-action: runnable inputs it needs (0: one) */
};

struct pengine_order { /* a pending ordering between action keys */
	struct pengine_rsc *first_rsc, *then_rsc;
	char *first_task, *then_task; /* "start", "stop", "promote", ... */
	struct pengine_action *first_action, *then_action;
	int flags;
	bool any_first; /* require-all="false": any one instance of a first clone will do */
};

struct pengine_one_or_more { /* an ordered set with require-all="false" */
	char *id;
	GPtrArray *members, *next; /* struct pengine_rsc*: the set, the set after it */
	char *action, *next_action;
	int flags;
	int min; /* how many members' actions must be runnable (a clone's clone-min), >= 1 */
	struct pengine_rsc *clone; /* the first clone of an ordering (members: its instances) */
};

struct pengine_coloc {
	char *id;
	struct pengine_rsc *dep, *primary; /* dependent rsc (placed relative to) primary */
	int score;
	enum pengine_role dep_role, primary_role;
	char *node_attr;
	bool no_influence; /* influence=false (or the dependent critical=false): the
			    * dependent does not pull an active primary */
};

struct pengine_location {
	char *id;
	struct pengine_rsc *rsc;
	int *score; /* [n_nodes], 0 when not mentioned */
	bool *set;  /* [n_nodes] */
	enum pengine_role role;
	char *discovery;
};

struct pengine_loc_entry {  /* one location score as applied, for the explanation */
	const char *source; /* constraint id (owned by the CIB document), "node health", ... */
	int rsc, node;	    /* indexes: the resource the constraint names, the node */
	int score;
};

struct pengine_ws {
	xmlDoc *doc;
	xmlNode *cib, *config, *status;
	struct pl_time now;
	/* options */
	bool concurrent_fencing, utilization, balanced, minimal;
	bool stonith_enabled, symmetric, stop_all, maintenance, startup_fencing;
	bool have_watchdog; /* SBD: fencing without a fence device */
	bool have_device;   /* a stonith-class primitive is configured */
	bool start_failure_fatal, have_quorum, stop_orphans, stop_orphan_actions;
	enum pengine_nqp no_quorum_policy;
	char *placement_strategy;
	char *health_strategy;
	int health_green, health_yellow, health_red;
	int default_stickiness, default_migration_threshold;
	char *dc_uuid;
	/* model */
	struct pengine_node **nodes;
	int n_nodes;
	int nodes_known; /* nodes a clone's default clone-max counts: as Pacemaker, a bundle's
			  * guest nodes only once the bundle has been unpacked, unless the
			  * <nodes> section declares them */
	struct pengine_rsc **rscs; /* every resource, parents and children, unpack order */
	int n_rscs;
	struct pengine_rsc **top; /* top-level resources, priority-sorted for display */
	int n_top;
	struct pengine_rsc **order; /* top-level resources in processing order */
	int n_order;
	GHashTable *rsc_by_id;	  /* id -> struct pengine_rsc* */
	GHashTable *node_by_name; /* uname and id -> struct pengine_node* */
	GPtrArray *colocs, *locations, *orders, *one_or_more;
	GPtrArray *idle_orphans;	    /* orphans active nowhere: their history is deleted */
	GArray *loc_log;		    /* struct pengine_loc_entry, in the order applied */
	const char *loc_source;		    /* the source loc_log entries get while unpacking */
	enum pengine_discover loc_discover; /* the resource-discovery of the location being applied */
	GPtrArray *actions;		    /* all actions, id order */
	GHashTable *action_by_key;	    /* "key@node" -> action */
	xmlNode *rsc_defaults, *op_defaults;
	struct pl_buf warnings;
	struct pl_buf scores;
	bool show_scores;
	bool unsupported;
	int n_synapses;
	GPtrArray *synapse_order;
	struct pl_buf exec_log;
	GPtrArray *exec_fired; /* struct pengine_action*: what the simulation ran, in order */
	const struct pl_pengine_op_fail *op_fail; /* results to pretend (crm_simulate -F) */
	int n_op_fail;
	struct pengine_action *failed; /* the action that got an --op-fail result: the run stopped */
	int failed_rc;
	GPtrArray *strings;		    /* owned texts (reasons) freed with the run */
	GHashTable *clone_by_child;	    /* cloned primitive id -> clone */
	GHashTable *clone_by_member;	    /* a cloned group's member id -> the clone of groups */
	const struct pengine_rsc *rule_rsc; /* the resource rsc_expression rules look at */
	const char *rule_op_name;	    /* the operation op_expression rules look at */
	long long rule_op_interval;
	struct pengine_stream *stream; /* the status section streamed from text (else ws->status) */
	struct pl_error error;	       /* the first input error: the run fails with it */
	struct pl_buf input_errors;  /* malformed entries ignored (as Pacemaker does), one a line */
	struct pl_buf log;	     /* Pacemaker's stderr log lines (pl_pengine_log) */
	struct pl_buf config_errors; /* the configuration errors among them (crm_verify) */
	xmlNode *tickets;	     /* <tickets> of the status section */
	bool tickets_copied;	     /* a streamed status's copy, freed with the run */
	xmlNode *orphan_defs;	     /* copied definitions of orphans */
	GPtrArray *deferred_states;  /* copies of remote nodes' node_state, read last */
	bool remote_pass;	     /* reading them */
	bool shows_revised;	     /* pl_pengine_show_revised was called */
	int n_states;		     /* node_state entries read */
	xmlNode *failed_ops;	     /* copies of failed lrm_rsc_op on online nodes, each with
					 * on_node and rsc_id added, history order (crm_mon) */
};

/* A CIB read from text in one pass (stream.c): the tree outside <status>, then begin() once
 * <status> starts after <configuration>, then element() for each node_state or tickets
 * subtree (an arena tree, gone after the call); the first parse error is kept for the
 * message. */
enum pengine_stream_mode { STREAM_TREE, STREAM_STATUS, STREAM_AFTER };
struct pengine_stream {
	const char *name;
	void (*begin)(struct pengine_stream *s, xmlDoc *doc);
	void (*element)(struct pengine_stream *s, xmlNode *top);
	void *arg; /* the caller's (the run being built) */
	enum pengine_stream_mode mode;
	int depth;
	bool have_cfg, at_status;
	xmlNode *top, *cur;	   /* the subtree being built */
	struct arena_chunk *arena; /* its memory */
	bool error_seen, refused;
	int line, column;
	char message[256];
};
/* The document built (NULL when nothing was), the caller's to free even when s->error_seen
 * says the text was refused. */
xmlDoc *pengine_stream_parse(struct pengine_stream *s, const char *buf, size_t len);
void pengine_unpack_node_state(struct pengine_ws *ws, xmlNode *st);
bool pengine_no_quorum(const struct pengine_ws *ws, struct pengine_rsc *r);
bool pengine_quorum_stops(const struct pengine_ws *ws, struct pengine_rsc *r);
bool pengine_needs_fencing(struct pengine_rsc *r);
bool pengine_role_stopped(const struct pengine_rsc *r);
void pengine_unpack_status_finish(struct pengine_ws *ws);

/* Refuse the input: the first error wins, later stages are skipped and the run returns NULL
 * with it. Say what and where (element id, attribute). */
void pengine_fail(struct pengine_ws *ws, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline bool
pengine_failed(const struct pengine_ws *ws)
{
	return ws->error.code != 0;
}
/* An entry ignored as malformed (the run goes on, as Pacemaker's does): always reported. */
void pengine_input_error(struct pengine_ws *ws, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* a line Pacemaker's library logs at `level` ("error", "warning") from `fn` */
void pengine_log(struct pengine_ws *ws, const char *fn, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A configuration error: logged as pengine_log's "error", and one that makes crm_verify find the
 * configuration invalid (a runtime error such as a failed operation does not). */
void pengine_config_err(struct pengine_ws *ws, const char *fn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void pengine_one_or_more_free(struct pengine_one_or_more *o);

/* a string owned by the run */
const char *pengine_keep(struct pengine_ws *ws, char *s);
void pengine_free(struct pengine_ws *ws);

/* fencing needs it enabled, a device (or SBD's watchdog) and quorum (or
 * no-quorum-policy=ignore); without a device an unclean node stays unclean, its resources
 * blocked, as Pacemaker */
static inline bool
pengine_can_fence(const struct pengine_ws *ws)
{
	return ws->stonith_enabled && (ws->have_device || ws->have_watchdog) &&
	    (ws->have_quorum || ws->no_quorum_policy == NQP_IGNORE ||
		ws->no_quorum_policy == NQP_SUICIDE);
}

/* connection and fencing resources never run on (or probe) Pacemaker Remote nodes, nor
 * the container of a guest node on a guest node; a bundle replica's guest node runs its
 * bundled instance only, as Pacemaker */
static inline bool
pengine_remote_banned(const struct pengine_rsc *r, const struct pengine_node *n)
{
	return n->remote &&
	    (r->is_remote_conn || (r->is_container && n->guest) ||
		(r->cls && !strcmp(r->cls, "stonith")) ||
		(n->in_bundle && n->guest_child && r->kind == KIND_PRIMITIVE && r != n->guest_child));
}

/* an instance of a promotable clone (a bundle's parts are not, its bundled instances are) */
static inline bool
pengine_promotable_instance(const struct pengine_rsc *r)
{
	return r->parent && r->parent->kind == KIND_CLONE && r->parent->promotable;
}

/* unpack.c */
void pengine_unpack(struct pengine_ws *ws);
const char *pengine_meta(struct pengine_rsc *r, const char *name);
enum pengine_role pengine_role_parse(const char *s);
const char *pengine_role_str(enum pengine_role r);
bool pengine_is_true(const char *s);
bool pengine_is_false(const char *s);
long long pengine_interval_ms(const char *s);
void pengine_warn(struct pengine_ws *ws, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* unpack_config.c */
GHashTable *pengine_strtab(void);
void pengine_unpack_config(struct pengine_ws *ws);

/* unpack_nodes.c */
bool pengine_is_remote_agent(const xmlNode *x);
void pengine_unpack_nodes(struct pengine_ws *ws);

/* unpack_resources.c */
enum pengine_onfail pengine_onfail_parse(const char *s, bool *ok);
void pengine_rsc_settle(struct pengine_ws *ws, struct pengine_rsc *r);
struct pengine_rsc *pengine_unpack_primitive(
    struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);
struct pengine_rsc *pengine_unpack_group(
    struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);
struct pengine_rsc *pengine_unpack_clone(
    struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);
struct pengine_rsc *pengine_unpack_bundle(
    struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);
struct pengine_rsc *pengine_rsc_new(
    struct pengine_ws *ws, xmlNode *x, enum pengine_variant_id v, struct pengine_rsc *parent);
/* a bundle's guest nodes (before the resources: primitives size their per-node state) */
int pengine_bundle_guests(xmlNode *bundle);
char *pengine_bundle_guest_name(xmlNode *bundle, int i);
char *pengine_bundle_container_name(xmlNode *bundle, int i);
/* a primitive's definition the CIB does not hold (implicit resources), owned by the run */
xmlNode *pengine_implicit_monitor(xmlNode *def, const char *interval);
xmlNode *pengine_implicit_def(
    struct pengine_ws *ws, const char *id, const char *cls, const char *provider, const char *type);
void pengine_unpack_resources(struct pengine_ws *ws);
/* bundle_sched.c: the bundle row */
void pengine_bundle_constraints(struct pengine_ws *ws);
void pengine_assign_bundle(struct pengine_ws *ws, struct pengine_rsc *b);
void pengine_bundle_actions(struct pengine_ws *ws, struct pengine_rsc *b);
void pengine_bundle_orderings(struct pengine_ws *ws, struct pengine_rsc *b);
void pengine_bundle_reasons(struct pengine_ws *ws);
bool pengine_bundle_on_node(const struct pengine_rsc *b, const struct pengine_node *n);

/* unpack_history.c */
void pengine_add_running(struct pengine_rsc *r, struct pengine_node *n);
void pengine_migration_history(struct pengine_ws *ws);
const char *pengine_pending_word(const struct pengine_rsc *r, bool revised);
void pengine_unpack_history(
    struct pengine_ws *ws, struct pengine_node *n, struct pengine_rsc *r, xmlNode *lr);
void pengine_unpack_failcounts(struct pengine_ws *ws, struct pengine_node *n);

/* unpack_status.c */
void pengine_unpack_status(struct pengine_ws *ws);

/* rules.c */
/* evaluate a <rule> against a node (may be NULL for non-node rules); returns true if it
 * passes; *score gets its score (score or score-attribute). */
bool pengine_rule_eval(struct pengine_ws *ws, xmlNode *rule, struct pengine_node *node, int *score);
/* Fill `out` with nvpairs from every `set_name` child block of `parent` (rules evaluated
 * against node), honouring score order; existing keys are not overwritten. */
void pengine_unpack_nvpairs(struct pengine_ws *ws, xmlNode *parent, const char *set_name,
    struct pengine_node *node, GHashTable *out);

/* constraints.c: the location score a node's health gives every primitive (strategy) */
int pengine_node_health_score(struct pengine_ws *ws, struct pengine_node *n);

/* digest.c */
/* the digest Pacemaker would record for r's operation task/interval as configured now */
void pengine_buf_add_escaped(struct pl_buf *b, const char *v); /* an XML attribute value */
GHashTable *pengine_op_params(struct pengine_ws *ws, struct pengine_rsc *r, const char *task,
    long long interval_ms, long long *timeout_ms);
void pengine_op_digest(struct pengine_ws *ws, struct pengine_rsc *r, const char *task,
    long long interval_ms, const char *secure, char out[33]); /* secure: op-secure-params, or NULL */
/* true when an lrm_rsc_op's recorded op-digest differs from the configuration's */
bool pengine_op_changed(struct pengine_ws *ws, struct pengine_rsc *r, xmlNode *op);
bool pengine_word_listed(const char *list, const char *name);

/* reload.c: what a changed definition calls for, judged on the last start's record */
enum pengine_definition { PENGINE_DEF_SAME, PENGINE_DEF_RESTART, PENGINE_DEF_RELOAD };
enum pengine_definition pengine_definition_check(
    struct pengine_ws *ws, struct pengine_rsc *r, xmlNode *start_op);
void pengine_reload_actions(struct pengine_ws *ws);
void pengine_reload_cancel(struct pengine_ws *ws);

/* constraints.c */
void pengine_unpack_constraints(struct pengine_ws *ws);

/* assign.c */
void pengine_assign(struct pengine_ws *ws);
bool pengine_migratable(struct pengine_rsc *r);
bool pengine_stop_unexpected(struct pengine_rsc *r);
bool pengine_migration_step(struct pengine_action *a);
bool pengine_stop_of_migration(struct pengine_action *a);
void pengine_assign_primitive(struct pengine_ws *ws, struct pengine_rsc *r);
void pengine_assign_group(struct pengine_ws *ws, struct pengine_rsc *r);
void pengine_group_assign_members(
    struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *best);
void pengine_assign_clone(struct pengine_ws *ws, struct pengine_rsc *r);
void pengine_assign_promotable(struct pengine_ws *ws, struct pengine_rsc *r);
bool pengine_util_fits(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n);
long long pengine_util_need(struct pengine_rsc *r, const char *name);
void pengine_util_names(struct pengine_rsc *r, GHashTable *names);
long long pengine_util_left(struct pengine_node *n, const char *name);
struct pengine_node *pengine_util_room(struct pengine_ws *ws, struct pengine_rsc *r, bool *room);
/* a dependent's node score scaled by a colocation's score over INFINITY, as it pulls */
int pengine_colocated_score(int score, int coloc);
/* r's node scores as a colocation sees them (placed: the scores it was placed with) */
void pengine_rsc_node_scores(struct pengine_ws *ws, struct pengine_rsc *r, int *w);
/* clone-max below the nodes that can run resources: finite positive colocations count */
bool pengine_clone_all_coloc(struct pengine_ws *ws, const struct pengine_rsc *r);
/* balanced placement: negative when node a has more room left than b */
int pengine_util_cmp(struct pengine_node *a, struct pengine_node *b);
void pengine_util_take(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n);

/* action.c (pengine_create_actions, the stage driver: actions.c) */
struct pengine_action *pengine_action_new(struct pengine_ws *ws, struct pengine_rsc *rsc,
    const char *task, long long interval_ms, struct pengine_node *node, bool optional);
struct pengine_action *pengine_action_find(struct pengine_ws *ws, struct pengine_rsc *rsc,
    const char *task, long long interval_ms, struct pengine_node *node);
void pengine_order_actions(struct pengine_action *first, struct pengine_action *then, int flags);
void pengine_unorder_actions(struct pengine_action *first, struct pengine_action *then);
void pengine_create_actions(struct pengine_ws *ws);

/* unfencing.c: "on" actions before probes and starts where fabric fencing is in use */
bool pengine_unfencing_enabled(struct pengine_ws *ws);
void pengine_unfencing(struct pengine_ws *ws);
/* fencing_delay.c: priority-fencing-delay for fencing target, seconds (-1: not in use) */
long long pengine_priority_fencing_delay(struct pengine_ws *ws, const struct pengine_node *target);

/* action.c */
bool pengine_node_usable(struct pengine_node *n);
bool pengine_rsc_active_on(struct pengine_rsc *r, struct pengine_node *n);
int pengine_rsc_task_actions(
    struct pengine_ws *ws, struct pengine_rsc *r, const char *task, bool as_first, GPtrArray *out);
void pengine_alist_copy(GPtrArray *dst, const GPtrArray *src);
/* a scratch list of actions, freed when it goes out of scope */
#define PENGINE_ALIST(name) g_autoptr(GPtrArray) name = g_ptr_array_new()

/* probes.c */
void pengine_probe_rsc(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n);
void pengine_probe_orderings(struct pengine_ws *ws);
void pengine_first_probe_orderings(struct pengine_ws *ws);
void pengine_restart_probe_orderings(struct pengine_ws *ws);

/* recurring.c */
void pengine_recurring(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_action *start,
    struct pengine_node *on);
void pengine_recurring_stopped(
    struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *chosen, bool only_cancel);
void pengine_cancel_role_monitors(struct pengine_ws *ws, struct pengine_rsc *r,
    struct pengine_node *n, enum pengine_role role, struct pengine_action *before);
void pengine_history_monitors(struct pengine_ws *ws);
void pengine_cancel_undefined(struct pengine_ws *ws);

/* primitive.c */
void pengine_primitive_actions(struct pengine_ws *ws, struct pengine_rsc *r);
void pengine_clear_failcounts(struct pengine_ws *ws, bool early);
bool pengine_demote_on_fail(const struct pengine_rsc *r);
/* whether r's state on n is unknown and a probe would find it (probes.c) */
bool pengine_probe_wanted(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n);
void pengine_abort_migrations(struct pengine_ws *ws);

/* variant.c */
void pengine_rsc_actions(struct pengine_ws *ws, struct pengine_rsc *r);
void pengine_internal_orderings(struct pengine_ws *ws, struct pengine_rsc *r);

/* orderings.c */
void pengine_constraint_orderings(struct pengine_ws *ws);
void pengine_add_colocation(struct pengine_ws *ws, const char *id, struct pengine_rsc *dep,
    struct pengine_rsc *pri, int score);
void pengine_add_ordering(struct pengine_ws *ws, struct pengine_rsc *first, const char *fa,
    struct pengine_rsc *then, const char *ta, bool symmetrical);
/* guest.c */
struct pengine_rsc *pengine_guest_connection(struct pengine_ws *ws, struct pengine_node *n);
void pengine_guest_constraints(struct pengine_ws *ws);
struct pengine_rsc *pengine_container_of(struct pengine_ws *ws, const struct pengine_rsc *r);
void pengine_guest_fence(struct pengine_ws *ws, struct pengine_action *f, struct pengine_node *n);
int pengine_filler_failcount(struct pengine_ws *ws, const struct pengine_rsc *c, int n);
void pengine_guest_unclean(struct pengine_ws *ws, struct pengine_node *n);
void pengine_remote_unrecoverable(struct pengine_ws *ws);
bool pengine_guest_can_host(struct pengine_ws *ws, const struct pengine_node *n);
bool pengine_guest_settled(struct pengine_ws *ws, const struct pengine_node *n);
/* remote.c: remote nodes whose connection is placed come up; actions there follow it */
void pengine_remote_coming_up(struct pengine_ws *ws);
void pengine_remote_orderings(struct pengine_ws *ws);
bool pengine_remote_history_wanted(struct pengine_ws *ws, const struct pengine_node *n);
/* interleave.c: after placement, "then" instances of a mandatory interleaved ordering that
 * have no "first" instance on their node are unassigned; per-instance orderings (true when
 * the ordering is interleaved, the clone-level ordering is still made by the caller) */
void pengine_interleave_inhibit(struct pengine_ws *ws);
bool pengine_interleave_orderings(struct pengine_ws *ws, const struct pengine_order *o);
bool pengine_interleaved(const struct pengine_order *o);
void pengine_anti_colocation_orderings(struct pengine_ws *ws);
void pengine_one_or_more_orderings(struct pengine_ws *ws);
void pengine_load_actions(struct pengine_ws *ws);
void pengine_load_orderings(struct pengine_ws *ws);
void pengine_load_break_loops(struct pengine_ws *ws);

/* propagate.c */
void pengine_propagate(struct pengine_ws *ws);
const char *pengine_stop_reason(struct pengine_ws *ws, struct pengine_action *start);

/* fencing.c */
void pengine_fencing(struct pengine_ws *ws);

/* graph.c */
void pengine_build_graph(struct pengine_ws *ws);
char *pengine_graph_xml(struct pengine_ws *ws);
char *pengine_graph_dot(struct pengine_ws *ws);
const char *pengine_graph_key(struct pengine_action *a, char *buf, size_t len);
void pengine_simulate(struct pengine_ws *ws);
/* the rc an action is expected to return: 7 for a probe, 8 for a Promoted-role monitor */
int pengine_action_target_rc(struct pengine_action *a);
/* the name the action's resource goes by in the history of the action's node */
const char *pengine_exec_name(struct pengine_action *a);

/* clone.c */
bool pengine_clone_supported(const struct pengine_rsc *r);
/* a clone's instance count meta-attribute (false: refused, the error set) */
bool pengine_clone_count(
    struct pengine_ws *ws, struct pengine_rsc *c, const char *name, int def, int *out);
/* the newest entry of a history says the resource is not running */
bool pengine_history_inactive(const xmlNode *lr);
/* an lrm_resource's lrm_rsc_op entries in Pacemaker's order (by call id, pending ones by
 * their transition), borrowed */
GPtrArray *pengine_history_ordered(xmlNode *lr);
/* clone_group.c: clones of a group, for the status */
bool pengine_clone_of_group(xmlNode *clone);
void pengine_clone_group_unpack(struct pengine_ws *ws, struct pengine_rsc *c, xmlNode *x);
/* a clone of a group: its instances seen as one resource each before placement (scores,
 * current node, failure), their members placed after */
bool pengine_clone_of_groups(const struct pengine_rsc *c);
bool pengine_clone_group_on_node(
    const struct pengine_rsc *c, const struct pengine_node *n, bool whole);
void pengine_clone_group_prepare(struct pengine_ws *ws, struct pengine_rsc *c);
void pengine_clone_group_settle(struct pengine_ws *ws, struct pengine_rsc *c);
/* an anonymous clone of groups probes one instance's members a node, each member where no
 * instance's copy of it is known there */
void pengine_clone_group_probe(struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_node *n,
    bool (*wanted)(struct pengine_ws *, struct pengine_rsc *, struct pengine_node *));
void pengine_clone_group_render(struct pengine_ws *ws, struct pengine_rsc *c, struct pl_buf *out,
    bool revised,
    void (*prim)(struct pengine_ws *, struct pengine_rsc *, struct pl_buf *, const char *, bool,
	const char *));
struct pengine_rsc *pengine_clone_group_member_for(
    struct pengine_ws *ws, const char *lrm_id, const xmlNode *lr, struct pengine_node *n);
void pengine_clone_unpack(struct pengine_ws *ws, struct pengine_rsc *c, xmlNode *x,
    struct pengine_rsc *(*unpack_primitive)(struct pengine_ws *, xmlNode *, struct pengine_rsc *));
struct pengine_rsc *pengine_clone_instance_for(
    struct pengine_ws *ws, struct pengine_rsc *c, const xmlNode *lr, struct pengine_node *n);
void pengine_clone_assign(
    struct pengine_ws *ws, struct pengine_rsc *c, const int *coloc, bool blocked);
/* promote.c */
void pengine_promotion_scores_add(struct pengine_ws *ws, struct pengine_rsc *c);
void pengine_clone_promote(struct pengine_ws *ws, struct pengine_rsc *c);
bool pengine_clone_promoted_on(struct pengine_rsc *c, struct pengine_node *n);
bool pengine_clone_on_node(struct pengine_rsc *c, struct pengine_node *n);
bool pengine_clone_in_role_on(struct pengine_rsc *c, struct pengine_node *n, enum pengine_role role);
bool pengine_clone_lists_node(const struct pengine_node *n);
bool pengine_clone_known_on(struct pengine_rsc *c, struct pengine_node *n, bool revised);
void pengine_clone_render(struct pengine_ws *ws, struct pengine_rsc *c, struct pl_buf *out,
    bool revised,
    void (*prim)(struct pengine_ws *, struct pengine_rsc *, struct pl_buf *, const char *, bool,
	const char *));

/* notify.c */
void pengine_notify_create(struct pengine_ws *ws, struct pengine_rsc *c, int op);
void pengine_notify_fencing(
    struct pengine_ws *ws, struct pengine_action *fence, struct pengine_node *n);
void pengine_notify_finish(struct pengine_ws *ws, struct pengine_rsc *c);

/* pengine.c: the model behind a public run handle */
struct pl_pengine_run;
struct pengine_ws *pengine_run_ws(struct pl_pengine_run *run);

/* status_render.c */
void pengine_render_status(struct pengine_ws *ws, struct pl_buf *out, bool revised);
void pengine_render_summary(struct pengine_ws *ws, struct pl_buf *out);

/* Trade a resource's nodes before the transition for the simulated ones (status_render.c). */
void pengine_rsc_swap_running(struct pengine_rsc *r);

#endif
