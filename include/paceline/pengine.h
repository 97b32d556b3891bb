/*
 * pengine.h - the policy engine: a pure function from a CIB (configuration + status) to a
 * transition graph, plus the texts crm_simulate prints. No I/O happens here.
 *
 *	struct pl_pengine_opts o = { 0 };
 *	struct pl_pengine_run *run = pl_pengine_run(doc, &o, &err);
 *	char *g = pl_pengine_graph_xml(run);
 *	pl_pengine_free(run);
 */
#ifndef PACELINE_PENGINE_H
#define PACELINE_PENGINE_H

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

#include "paceline/iso8601.h"

struct pl_buf;
struct pl_error;
struct pl_pengine_run;

/* crm_simulate -F: when the simulated transition runs this action, it returns rc instead of
 * what was expected, and the transition stops there (as Pacemaker's simulation). */
struct pl_pengine_op_fail {
	const char *rsc; /* the resource id or its instance's history name */
	const char *task;
	long long interval_ms;
	const char *node; /* uname or id */
	int rc;
};

struct pl_pengine_opts {
	long long now;	  /* evaluation time (epoch seconds); 0 = the CIB's execution-date or now */
	bool simulate;	  /* also run the simulated execution (for the revised status) */
	bool show_scores; /* record allocation scores (pl_pengine_scores_text) */
	bool status_only; /* unpack the status only, no scheduling: what crm_mon needs
				 * (graph, summary and scores are then empty) */
	bool constraints_only; /* stop after the constraints: what stonithd needs to know
				 * where a fence device may run (pl_pengine_location_score) */
	const struct pl_pengine_op_fail *op_fail; /* with simulate: results to pretend */
	int n_op_fail;
};

/* crm_verify's findings on a run's CIB: the errors and warnings the scheduler met (its
 * log), then the configuration problems Pacemaker 2.1.5 reports on the way through its
 * scheduler (STONITH enabled without devices, duplicate operations, invalid target roles,
 * on-fail values, order kinds, influence, deprecated options; from the status section the
 * nodes that would be fenced and the active orphans), in its words. Errors and warnings make
 * the configuration invalid (crm_verify exits 78); notes are shown with -VV only. */
enum pl_pengine_verify_level { PL_VERIFY_ERROR, PL_VERIFY_WARNING, PL_VERIFY_NOTE };
struct pl_pengine_verify_msg {
	enum pl_pengine_verify_level level;
	char *text;
};
struct pl_pengine_verify_result {
	struct pl_pengine_verify_msg *msgs;
	size_t n_msgs;
	size_t n_errors;
	size_t n_warnings;
};
void pl_pengine_verify(struct pl_pengine_run *run, struct pl_pengine_verify_result *r);
void pl_pengine_verify_result_free(struct pl_pengine_verify_result *r);

/* One action the simulated execution ran, in the order it ran (after a run with simulate):
 * what crm_simulate -X/-O records in the CIB's status. */
struct pl_pengine_exec_op {
	enum { PL_EXEC_RSC, PL_EXEC_FENCE, PL_EXEC_OTHER } kind; /* OTHER: pseudo, cluster */
	int action_id;	 /* the action's id in the transition graph */
	const char *rsc; /* PL_EXEC_RSC: the name in the node's history (a clone instance's) */
	const char *rsc_class, *rsc_provider, *rsc_type; /* provider NULL when none */
	const char *task; /* start, stop, monitor, promote, demote, notify, ... */
	long long interval_ms;
	const char *node, *node_id; /* where it ran (a fencing action: its target) */
	int target_rc;		    /* what was expected: 7 probe, 8 Promoted monitor, else 0 */
	int rc;			    /* what the simulation returned (an --op-fail result) */
	char digest[33];	    /* op-digest of its parameters as configured */
};
void pl_pengine_exec_each(struct pl_pengine_run *run,
    void (*fn)(const struct pl_pengine_exec_op *op, void *ud), void *ud);
/* Turn the run's view into the state after the simulated transition (crm_mon's renderers
 * then show the revised status); the current state is gone afterwards. */
void pl_pengine_show_revised(struct pl_pengine_run *run);
/* true when an --op-fail result stopped the simulated transition */
bool pl_pengine_exec_failed(struct pl_pengine_run *run);

/* Schedule. The document is only read (it must outlive the run). NULL with err set when the
 * CIB lacks its configuration. */
struct pl_pengine_run *pl_pengine_run(
    xmlDoc *cib, const struct pl_pengine_opts *opts, struct pl_error *err);
/* The same from CIB text: the configuration becomes a tree (returned in *doc, to be freed
 * with xmlFreeDoc after the run) while the status section is streamed one node_state at a
 * time, so memory stays small for big histories. A DOCTYPE or malformed XML anywhere is an
 * error (PL_EXIT_DATAERR, with line and column). */
struct pl_pengine_run *pl_pengine_run_text(const char *buf, size_t len, const char *name,
    const struct pl_pengine_opts *opts, xmlDoc **doc, struct pl_error *err);
void pl_pengine_free(struct pl_pengine_run *run);
/* After a run (constraints_only is enough): the score of primitive rsc_id on node `node`
 * (uname or id) after the location constraints and rules, as the scheduler starts assigning
 * from; a cloned primitive's id gives its first instance's score. INT_MIN: not allowed there
 * (an asymmetric cluster without a constraint for it). false when the resource or the node
 * is unknown. */
bool pl_pengine_location_score(
    struct pl_pengine_run *run, const char *rsc_id, const char *node, int *score);

/* Texts, appended to `out`. */
void pl_pengine_status_text(struct pl_pengine_run *run, bool revised, struct pl_buf *out);
void pl_pengine_summary_text(struct pl_pengine_run *run, struct pl_buf *out);
void pl_pengine_exec_text(struct pl_pengine_run *run, struct pl_buf *out);
char *pl_pengine_graph_xml(struct pl_pengine_run *run); /* xmalloc'd transition graph */
/* The MD5 (32 hex digits + NUL into out) Pacemaker records as op-digest for an operation
 * run with these parameters (name -> value; recurring ops include CRM_meta_timeout). */
void pl_pengine_params_digest(GHashTable *params, char out[33]);
char *pl_pengine_graph_dot(struct pl_pengine_run *run); /* xmalloc'd graph as DOT (crm_simulate -D) */
/* "pcmk__primitive_assign: RSC allocation score on NODE: SCORE" lines, sorted (show_scores). */
void pl_pengine_scores_text(struct pl_pengine_run *run, struct pl_buf *out);
/* crm_simulate -U: capacities before, each placed primitive's needs, capacities left */
void pl_pengine_utilization_text(struct pl_pengine_run *run, struct pl_buf *out);
/* Features met that are not scheduled yet (clones, bundles, remote nodes, tickets, ...):
 * one line each, or "" when everything was understood. */
const char *pl_pengine_warnings(struct pl_pengine_run *run);
/* Entries of the input ignored as malformed (a status entry without its id, ...), one line
 * each naming the element and attribute, or "". Pacemaker ignores them too; tools print them. */
const char *pl_pengine_input_errors(struct pl_pengine_run *run);
/* What Pacemaker's library logs to standard error while it reads the same CIB, in its form
 * ("unpack_rsc_op \terror: Preventing ..."), one a line: tools that answer as Pacemaker's
 * print it on stderr first. "" when nothing. */
const char *pl_pengine_log(struct pl_pengine_run *run);
/* Resource instances (primitives) in total, disabled by target-role, and blocked by failures;
 * crm_mon and crm_simulate print a line about them when either count is not zero. */
void pl_pengine_rsc_counts(struct pl_pengine_run *run, int *total, int *disabled, int *blocked);
/* Why a resource is where it is, or why it is not running, from this run's decisions (the
 * run must schedule: not opts.status_only). Appends a header line ("rsc1 (ocf:pacemaker:
 * Dummy): running on node1, moves to node2"), the lines of what stops it whatever the scores
 * (target-role, unmanaged, on-fail=block, no quorum, a blocked start with the ordering that
 * blocks it, dependents that pull it), then one line a node: "not available (standby)" or
 * its score with the sources that make it, "node2: 150 (chosen) = location loc1 +100,
 * stickiness +50", where sources are location constraint ids, node health, tickets,
 * stickiness, fail counts against migration-threshold and colocations. Accepts a primitive,
 * group or clone id (or a cloned primitive's id). False when no such resource exists.
 * For crm_resource --why and crm_mon. */
bool pl_pengine_explain(struct pl_pengine_run *run, const char *rsc_id, struct pl_buf *out);
/* the CIB says validate-with="none" */
bool pl_pengine_validation_disabled(struct pl_pengine_run *run);
/* maintenance-mode is on (resource management disabled) */
bool pl_pengine_maintenance(struct pl_pengine_run *run);
/* The evaluation time used, and whether it came from the CIB's execution-date. */
long long pl_pengine_now(struct pl_pengine_run *run, bool *from_cib);

/* ---- Rules ----
 * One <date_expression> (in_range with start/end/duration, gt, lt, date_spec) at `now`, as
 * the scheduler evaluates it: within (or, for date_spec, satisfied), before, after, or
 * undetermined when it lacks what its operation needs. crm_rule reports exactly this. */
enum pl_date_result pl_date_expr_check(const xmlNode *expr, struct pl_time now);

/* ---- crm_mon: the cluster's status (status_mon.c) ----
 * Run with opts.status_only (cheap: no scheduling) on a CIB parsed as one tree, then render.
 * `show` is a set of PL_MON_* sections; the rest are display options as crm_mon's. */
enum {
	PL_MON_STACK = 1 << 0,
	PL_MON_DC = 1 << 1,
	PL_MON_TIMES = 1 << 2,
	PL_MON_COUNTS = 1 << 3,
	PL_MON_OPTIONS = 1 << 4,
	PL_MON_NODES = 1 << 5,
	PL_MON_RESOURCES = 1 << 6,
	PL_MON_ATTRIBUTES = 1 << 7,
	PL_MON_FAILCOUNTS = 1 << 8,
	PL_MON_OPERATIONS = 1 << 9,
	PL_MON_FAILURES = 1 << 10,
	PL_MON_TICKETS = 1 << 11,
	PL_MON_BANS = 1 << 12,
	PL_MON_FENCE_FAILED = 1 << 13,	/* fencing history (opts.fence_history): failed, */
	PL_MON_FENCE_PENDING = 1 << 14, /* running, */
	PL_MON_FENCE_WORKED = 1 << 15,	/* and successful actions (status_mon_fence.c) */
	PL_MON_FENCE_ALL = PL_MON_FENCE_FAILED | PL_MON_FENCE_PENDING | PL_MON_FENCE_WORKED,
	PL_MON_SUMMARY = PL_MON_STACK | PL_MON_DC | PL_MON_TIMES | PL_MON_COUNTS | PL_MON_OPTIONS,
};
struct pl_mon_opts {
	unsigned show;		/* PL_MON_* */
	bool inactive;		/* -r: inactive resources too */
	bool by_node;		/* -n: resources grouped by node */
	bool timing;		/* -t: operation timing details */
	bool details;		/* -R: instance ids and more */
	bool pending;		/* show operations in flight (Starting, Stopping...) */
	bool brief;		/* -b: totals per resource type */
	long long now;		/* "Last updated" (epoch seconds) */
	const char *only_node;	/* --node: a node name or a tag of nodes (NULL: all) */
	const char *only_rsc;	/* --resource: a resource id or a tag of resources (NULL: all) */
	const char *request;	/* the command line, for XML's <pacemaker-result request=> */
	xmlNode *fence_history; /* the fencer's <fence-history> (NULL: no fencing sections) */
};
void pl_pengine_mon_text(struct pl_pengine_run *run, const struct pl_mon_opts *o, struct pl_buf *out);
void pl_pengine_mon_xml(struct pl_pengine_run *run, const struct pl_mon_opts *o, struct pl_buf *out);

/* The fencer's history (<fence-history> of <fence_event target action client origin
 * delegate status=success|failed|pending exit-reason completed-ms>) as Pacemaker shows it:
 * the events pending first, then newest first (a GPtrArray of xmlNode*, freed by the
 * caller); one event's line ("reboot of n1 by n2 for crmd@n3 successful at ...", or with
 * `technical` stonith_admin's "...: delegate=n2, client=crmd, origin=n3, completed='...'");
 * `full` is the whole history (else "last"). */
GPtrArray *pl_pengine_fence_sorted(xmlNode *history);
char *pl_pengine_fence_text(GPtrArray *sorted, xmlNode *event, bool full, bool technical);
/* "2026-12-03 14:07:33Z" (UTC) or "... +01:00": Pacemaker's fencing times (allocated) */
char *pl_pengine_fence_time(unsigned long long ms);

#endif
