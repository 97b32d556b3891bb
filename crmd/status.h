/*
 * status.h - the CIB status section in Pacemaker's format, as pure functions (no I/O): the
 * updates crmd writes (node_state, lrm_rsc_op, fail counts) and the rebuild of a node's
 * resource history from its lrmd. Pacemaker's own tools read what these produce
 * (`CIB_file=dump.xml crm_mon -1`), so the names, ids and values follow Pacemaker 2.1.5:
 *
 *   <node_state id="1" uname="n1" in_ccm="true" crmd="online" crm-debug-origin="..."
 *               join="member" expected="member">
 *     <transient_attributes id="1"><instance_attributes id="status-1">
 *       <nvpair id="status-1-fail-count-d.monitor_1000" name="fail-count-d#monitor_1000" .../>
 *     <lrm id="1"><lrm_resources>
 *       <lrm_resource id="d" type="Dummy" class="ocf" provider="paceline">
 *         <lrm_rsc_op id="d_last_0" operation_key="d_start_0" operation="start" ...
 *                     transition-key="3:1:0:UUID" transition-magic="0:0;3:1:0:UUID" .../>
 *
 * Record ids: a recurring operation is recorded under its key (d_monitor_1000); any other
 * under RSC_last_0; a failed operation also under RSC_last_failure_0, which stays after a
 * later success until a cleanup removes it. A cancelled recurring operation's record is
 * deleted (crmd_status_op_cancelled).
 */
#ifndef CRMD_STATUS_H
#define CRMD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "paceline/lrmd_client.h"

#define CRMD_FEATURE_SET "3.16.2" /* Pacemaker 2.1.5's, written in every record */

/* One operation result, as crmd records it. Strings may be NULL (absent / ""). */
struct crmd_op_record {
	const char *rsc_id;
	const char *rclass, *provider, *type;
	const char *action;
	uint32_t interval_ms;
	const char *transition_key; /* "ACTION:TRANSITION:TARGET_RC:UUID"; NULL: none */
	int rc;			    /* enum pl_ocf_rc */
	int op_status;		    /* enum pl_lrmd_status */
	uint32_t call_id;
	const char *exit_reason;
	uint64_t last_rc_change; /* epoch seconds */
	uint64_t exec_ms, queue_ms;
	const char *node;	    /* on_node: the node name */
	const char *origin;	    /* crm-debug-origin (NULL: "do_update_resource") */
	const char *op_digest;	    /* 32 hex digits, NULL: none */
	const char *restart_list;   /* op-force-restart (" a b "), NULL: none */
	const char *restart_digest; /* op-restart-digest */
};

/* "d_monitor_1000": an operation's key (Pacemaker's operation_key). Caller frees. */
char *crmd_op_key(const char *rsc_id, const char *action, uint32_t interval_ms);
/* Split an operation key back: false when it is not RSC_ACTION_INTERVAL. */
bool crmd_op_key_parse(const char *key, char **rsc_id, char **action, uint32_t *interval_ms);

/* Transition keys: "ACTION:TRANSITION:TARGET_RC:UUID" and magic "STATUS:RC;KEY". */
char *crmd_transition_key(int action_id, int transition_id, int target_rc, const char *uuid);
bool crmd_transition_key_parse(
    const char *key, int *action_id, int *transition_id, int *target_rc, char **uuid);

/* Did the operation fail? Compares the result with the target rc of its transition key
 * (0 when it has none; a probe without one expects "not running" or "running"). */
bool crmd_op_failed(const struct crmd_op_record *r);

/* Pacemaker's op-digest of the parameters an operation ran with: the non-meta parameters,
 * plus CRM_meta_timeout for recurring operations (as lib/pengine expects them). */
void crmd_op_digest(
    const struct pl_lrmd_params *params, uint32_t interval_ms, uint32_t timeout_ms, char out[33]);

/* Pacemaker's op-force-restart of an agent, from its meta-data: with a reload-agent action
 * (OCF 1.1) the parameters not marked reloadable, else with a reload action those marked
 * unique, in meta-data order as "  a b c  "; NULL when the agent cannot reload (then no
 * op-force-restart/op-restart-digest is recorded and any change restarts). Caller frees. */
/* The reload action an agent's meta-data offers: "reload-agent" (Pacemaker 2.1's), else
 * "reload" (the older one), else NULL. */
const char *crmd_reload_action(const char *metadata, size_t len);
char *crmd_restart_list(const char *metadata, size_t len);
/* op-restart-digest: the digest of those parameters of the list the operation ran with. */
void crmd_restart_digest(const struct pl_lrmd_params *params, const char *list, char out[33]);

/* ---- updates, each a <node_state> to merge into the status section (cib modify -c) ---- */

/* <node_state id uname ...> with the given attributes (NULL leaves one out), no children. */
xmlNode *crmd_status_node_state(xmlDoc *doc, const char *node_id, const char *uname,
    const char *in_ccm, const char *crmd, const char *join, const char *expected, const char *origin);

/* The node_state carrying the records of one result: its RSC_last_0 or recurring record,
 * and RSC_last_failure_0 when it failed. */
xmlNode *crmd_status_op_update(
    xmlDoc *doc, const char *node_id, const char *uname, const struct crmd_op_record *r);

/* The one lrm_rsc_op element of r under `parent`, with the given id. */
xmlNode *crmd_status_op_xml(xmlNode *parent, const struct crmd_op_record *r, const char *id);
/* the operation a record is written as: a reload as start (done) or monitor (failed) */
const char *crmd_status_recorded_action(const struct crmd_op_record *r);

/* The id of the record a result goes to ("d_last_0", "d_monitor_1000"). Caller frees. */
char *crmd_status_op_id(const struct crmd_op_record *r);

/* The next fail count after a failure of `action` given the current value (NULL: none):
 * INFINITY for a failed stop, and for a failed start when start_fatal
 * (start-failure-is-fatal); otherwise current + 1, saturating at INFINITY. Caller frees. */
char *crmd_failcount_next(const char *current, const char *action, bool start_fatal);

/* <node_state id><transient_attributes> setting fail-count-RSC#OP_INTERVAL to count and
 * last-failure-RSC#OP_INTERVAL to now (epoch seconds). */
xmlNode *crmd_status_failcount_update(xmlDoc *doc, const char *node_id, const char *rsc_id,
    const char *action, uint32_t interval_ms, const char *count, uint64_t now);

/* XPaths for cleanup: every fail-count/last-failure nvpair of rsc (NULL: all resources) on
 * node_id (NULL: every node), and the lrm_resource of rsc on node_id. Caller frees. */
char *crmd_status_failcount_xpath(const char *node_id, const char *rsc_id);
char *crmd_status_lrm_rsc_xpath(const char *node_id, const char *rsc_id);
/* Only the failure records of rsc (RSC_last_failure_0 and failed recurring records). */
char *crmd_status_failure_xpath(const char *node_id, const char *rsc_id);

/* A node's <lrm id=NODE_ID> from a list of results (any order, several resources): per
 * resource the last non-recurring result as RSC_last_0 (+ RSC_last_failure_0 when it
 * failed) and every recurring one not cancelled. */
xmlNode *crmd_status_lrm(
    xmlDoc *doc, const char *node_id, const struct crmd_op_record *recs, size_t n);

/* A node's <lrm id=NODE_ID> rebuilt from its lrmd's <lrmd_history> (the text of
 * pl_lrmd_history), for a restarted crmd or a new DC: records as RSC_last_0 (the last
 * non-recurring op) and the active recurring ones. NULL with err on malformed input. */
struct pl_error;
xmlNode *crmd_status_lrm_from_history(xmlDoc *doc, const char *node_id, const char *uname,
    const char *history_xml, struct pl_error *err);

#endif
