/*
 * cibio.c - paceline-crmd and the CIB: the state machine's cib_* ops (status updates in
 * Pacemaker's format through status.c, asynchronous and in order on one connection), the
 * notifications that tell the DC the configuration or status changed, and the cluster options
 * the controller reads from crm_config.
 *
 * Updates written by any controller carry the client name "crmd"; their notifications are
 * not "changes" for the state machine (it already knows the results it records), everything
 * else (cibadmin, crm_attribute, a tool's cleanup) is.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "attrdio.h"
#include "io.h"
#include "paceline/cib_client.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status.h"

#define CIB_CLIENT     "crmd"
#define CIB_TIMEOUT_MS 30000
#define DC_VERSION     "2.1.5-paceline"

/* ---- updates ----------------------------------------------------------------------- */

/* Updates sent and not yet answered, and who waits for none to be left: the scheduler must
 * read a CIB that holds every result recorded so far. */
static unsigned pending;
static xmlDoc *batch; /* status updates not sent yet */
static unsigned batch_n;
static bool batch_in_flight;	   /* a batch is being applied */
#define PL_CIB_F_BATCH	(1u << 30) /* local marker, stripped before sending */
/* local marker: written under another client name, so that every controller (the DC
 * above all) takes the change as news and recomputes: a refresh's forgotten history */
#define CIBIO_F_NEWS	(1u << 29)
#define CIB_CLIENT_NEWS "crmd-refresh"
struct flush_waiter {
	void (*fn)(void *arg);
	void *arg;
};
static GQueue waiters = G_QUEUE_INIT;

static void
run_waiters(void)
{
	struct flush_waiter *w;

	while (pending == 0 && batch == NULL && (w = g_queue_pop_head(&waiters)) != NULL) {
		w->fn(w->arg);
		free(w);
	}
}

void
cibio_when_flushed(void (*fn)(void *arg), void *arg)
{
	struct flush_waiter *w = XNEW(struct flush_waiter);

	w->fn = fn;
	w->arg = arg;
	g_queue_push_tail(&waiters, w);
	if (pending == 0)
		io_defer((void (*)(void *))run_waiters, NULL);
}

static void batch_send(void);

static void
cib_lost(void *arg)
{
	(void)arg;
	if (io.fsm) {
		crmd_cib_replaced(io.fsm, io_now());
		io_input_done();
	}
}

static void
update_done(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	char *what = arg;

	(void)c;
	(void)reply;
	if (err != NULL && !(err->code == PL_EXIT_NOSUCH && strncmp(what, "delete", 6) == 0))
		log_warnx("CIB update failed (%s): %s", what, err->text);
	/* not applied anywhere, "try again" (the replicas' membership changed while it was
	 * held, cib.md): results the DC wrote may be missing, as after a replace */
	if (err != NULL && err->code == PL_EXIT_TEMPFAIL)
		io_defer(cib_lost, NULL);
	if (strncmp(what, "status (", 8) == 0) {
		batch_in_flight = false;
		batch_send();
	}
	free(what);
	if (pending > 0)
		pending--;
	run_waiters();
}

bool
cibio_update(int op, unsigned flags, const char *section, const char *xpath, const void *input_node,
    const char *what)
{
	bool sent = false;

	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	const char *opts[] = { "client", (flags & CIBIO_F_NEWS) ? CIB_CLIENT_NEWS : CIB_CLIENT, NULL };
	char *input = input_node ? pl_xml_dump(input_node, false) : NULL;

	if (io.cib == NULL) {
		free(input);
		return false;
	}
	flags &= ~(PL_CIB_F_BATCH | CIBIO_F_NEWS);
	pl_msg_pack(&p, PL_MSG_CIB_UPDATE, (uint32_t)op, (uint32_t)flags, section ? section : "",
	    xpath ? xpath : "", input ? input : "", (const char *const *)opts);
	free(input);
	if (pl_ipc_call_async(pl_cib_ipc(io.cib), PL_MSG_CIB_UPDATE, &p, PL_MSG_CIB_UPDATE_REPLY,
		CIB_TIMEOUT_MS, update_done, xstrdup(what), &err) == 0)
		log_warnx("CIB update not sent (%s): %s", what, err.text);
	else
		pending++, sent = true;
	pl_pack_free(&p);
	return sent;
}

/* Status updates are batched: while one is being applied, the next ones gather in one
 * <status> document (the CIB merges its node_states in order) and go as one update. Every
 * CIB update is replicated and made durable, so this is what keeps a burst of hundreds of
 * results from queueing hundreds of round trips. A delete first sends the batch, so the
 * order of what was asked is the order applied. */
static void
batch_send(void)
{
	char *what;

	if (batch == NULL)
		return;
	what = xasprintf("status (%u update%s)", batch_n, batch_n == 1 ? "" : "s");
	batch_in_flight = cibio_update(PL_CIB_OP_MODIFY, PL_CIB_F_ALLOW_CREATE | PL_CIB_F_BATCH,
	    "status", NULL, pl_xml_root(batch), what);
	free(what);
	xmlFreeDoc(batch);
	batch = NULL;
	batch_n = 0;
}

static void
modify_status(xmlNode *node_state, const char *what)
{
	(void)what;
	if (batch == NULL)
		batch = pl_xml_new_doc("status");
	xmlAddChild(pl_xml_root(batch), xmlDocCopyNode(node_state, batch, 1));
	batch_n++;
	if (!batch_in_flight)
		batch_send();
}

static void
delete_xpath(const char *xpath, const char *what)
{
	char *w = xasprintf("delete %s", what);

	batch_send();
	cibio_update(PL_CIB_OP_DELETE, PL_CIB_F_ALL_MATCHES, NULL, xpath, NULL, w);
	free(w);
}

char *
cibio_query_text(struct pl_error *err)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY };
	xmlNode *out = NULL;
	char *text;

	if (pl_cib_call(io.cib, &req, CIB_TIMEOUT_MS, &out, NULL, err) != 0 || out == NULL)
		return NULL;
	text = pl_xml_dump(out, false);
	pl_cib_output_free(out);
	return text;
}

char *
cibio_query_value(const char *xpath, const char *attr)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY, .xpath = xpath };
	struct pl_error err = PL_ERROR_INIT;
	xmlNode *out = NULL;
	char *v = NULL;

	if (pl_cib_call(io.cib, &req, CIB_TIMEOUT_MS, &out, NULL, &err) == 0 && out != NULL) {
		const xmlNode *n = out;

		/* several matches come wrapped in <xpath-query> */
		if (pl_xml_is(n, "xpath-query"))
			n = pl_xml_first_child(n, NULL);
		if (n && pl_xml_attr(n, attr))
			v = xstrdup(pl_xml_attr(n, attr));
	}
	if (out)
		pl_cib_output_free(out);
	return v;
}

/* ---- the state machine's cib ops --------------------------------------------------- */

static void
op_cib_version(void *arg, struct crmd_cib_version *v)
{
	(void)arg;
	*v = io.cibv;
}

static void
synced(void *arg)
{
	(void)arg;
	if (io.fsm) {
		crmd_cib_synced(io.fsm, true, io_now());
		io_input_done();
	}
}

/* paceline-cib replicates itself (the newest replica wins when rings merge, cib.md), so
 * there is nothing to copy here: the local CIB is the cluster's. */
static void
op_cib_sync_from(void *arg, uint32_t nodeid)
{
	(void)arg;
	log_debug("CIB sync from node %u: paceline-cib replicates by itself", nodeid);
	io_defer(synced, NULL);
}

static void
record_of(struct crmd_op_record *rec, const struct crmd_op_result *r,
    const struct crmd_rsc_action *req, uint32_t nodeid, char digest[33], char restart_digest[33])
{
	memset(rec, 0, sizeof(*rec));
	rec->rsc_id = r->rsc_id;
	rec->rclass = r->rclass && *r->rclass ? r->rclass : (req ? req->rclass : NULL);
	rec->provider = r->provider && *r->provider
	    ? r->provider
	    : (req && req->provider && *req->provider ? req->provider : NULL);
	rec->type = r->type && *r->type ? r->type : (req ? req->type : NULL);
	rec->action = r->action;
	rec->interval_ms = r->interval_ms;
	rec->transition_key = r->transition_key && *r->transition_key ? r->transition_key : NULL;
	rec->rc = r->rc;
	rec->op_status = r->status;
	rec->call_id = r->call_id;
	rec->exit_reason = r->exit_reason;
	rec->last_rc_change = r->last_rc_change ? r->last_rc_change : (uint64_t)pl_wall_s();
	rec->exec_ms = r->exec_ms;
	rec->queue_ms = r->queue_ms;
	rec->node = crmd_io_node_name(nodeid);
	if (r->op_digest && *r->op_digest) {
		rec->op_digest = r->op_digest;
	} else if (req != NULL) {
		crmd_op_digest(&req->params, req->interval_ms, req->timeout_ms, digest);
		rec->op_digest = digest;
	}
	/* op-force-restart / op-restart-digest: what a change of forces a restart rather
	 * than a reload (non-recurring operations of agents that can reload) */
	rec->restart_list =
	    r->interval_ms ? NULL : lrmio_restart_list(rec->rclass, rec->provider, rec->type);
	if (rec->restart_list && r->op_restart_digest && *r->op_restart_digest) {
		rec->restart_digest = r->op_restart_digest;
	} else if (rec->restart_list && req != NULL) {
		crmd_restart_digest(&req->params, rec->restart_list, restart_digest);
		rec->restart_digest = restart_digest;
	}
}

static void
op_cib_record_op(
    void *arg, uint32_t nodeid, const struct crmd_rsc_action *req, const struct crmd_op_result *r)
{
	struct crmd_op_record rec;
	char digest[33], restart_digest[33], *id = io_node_id_str(nodeid), *what;
	xmlDoc *doc;

	(void)arg;
	if (r->status == PL_LRMD_PENDING && r->interval_ms > 0) {
		free(id);
		return;
	}
	record_of(&rec, r, req, nodeid, digest, restart_digest);
	what = xasprintf("%s_%s_%u on %s", r->rsc_id, r->action, r->interval_ms, rec.node);
	if (r->status == PL_LRMD_CANCELLED && r->interval_ms > 0) {
		/* a cancelled recurring operation leaves no record (as Pacemaker) */
		char *key = crmd_op_key(r->rsc_id, r->action, r->interval_ms);
		char *rx = crmd_status_lrm_rsc_xpath(id, r->rsc_id);
		char *x = xasprintf("%s/lrm_rsc_op[@id='%s']", rx, key);

		delete_xpath(x, what);
		free(key);
		free(rx);
		free(x);
	} else {
		doc = pl_xml_new_doc("update");
		xmlNode *ns = crmd_status_op_update(doc, id, rec.node, &rec);
		modify_status(ns, what);
		xmlFreeNode(ns);
		xmlFreeDoc(doc);
	}
	free(what);
	free(id);
}

static void
op_cib_replace_history(void *arg, uint32_t nodeid, const struct crmd_op_result *ops, size_t n)
{
	struct crmd_op_record *recs = xcalloc(n ? n : 1, sizeof(*recs));
	char(*digests)[33] = xcalloc(n ? n : 1, sizeof(*digests));
	char *id = io_node_id_str(nodeid), *x, *what;
	const char *uname = crmd_io_node_name(nodeid);
	xmlDoc *doc = pl_xml_new_doc("update");
	xmlNode *ns, *lrm;

	(void)arg;
	for (size_t i = 0; i < n; i++)
		record_of(&recs[i], &ops[i], NULL, nodeid, digests[i], NULL);
	x = xasprintf("/cib/status/node_state[@id='%s']/lrm", id);
	what = xasprintf("history of %s (%zu results)", uname, n);
	delete_xpath(x, what);
	ns = crmd_status_node_state(
	    doc, id, *uname ? uname : NULL, NULL, NULL, NULL, NULL, "do_lrm_query_internal");
	lrm = crmd_status_lrm(doc, id, recs, n);
	xmlAddChild(ns, lrm);
	modify_status(ns, what);
	xmlFreeNode(ns);
	xmlFreeDoc(doc);
	free(x);
	free(what);
	free(id);
	free(recs);
	free(digests);
}

/* What this controller last told attrd about a node's "shutdown" attribute, so that the
 * node_state writes (many per join) send each change once. */
enum shutdown_told { SHUTDOWN_UNKNOWN, SHUTDOWN_SET, SHUTDOWN_CLEARED };
static GHashTable *shutdown_state; /* node name -> enum shutdown_told */

static enum shutdown_told
shutdown_told(const char *name)
{
	if (shutdown_state == NULL)
		return SHUTDOWN_UNKNOWN;
	return (enum shutdown_told)GPOINTER_TO_INT(g_hash_table_lookup(shutdown_state, name));
}

static void
shutdown_tell(const char *name, enum shutdown_told t)
{
	if (shutdown_state == NULL)
		shutdown_state = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (t == SHUTDOWN_UNKNOWN)
		g_hash_table_remove(shutdown_state, name);
	else
		g_hash_table_replace(shutdown_state, xstrdup(name), GINT_TO_POINTER(t));
}

/* The shutdown request inside node_state itself, for when attrd cannot be reached. */
static void
status_add_shutdown(xmlNode *ns, const char *id, const char *now)
{
	xmlNode *ta = pl_xml_add_child(ns, "transient_attributes");
	xmlNode *set = pl_xml_add_child(ta, "instance_attributes");
	xmlNode *nv = pl_xml_add_child(set, "nvpair");
	char *sid = xasprintf("status-%s", id), *nid = xasprintf("status-%s-shutdown", id);

	pl_xml_set_attr(ta, "id", id);
	pl_xml_set_attr(set, "id", sid);
	pl_xml_set_attr(nv, "id", nid);
	pl_xml_set_attr(nv, "name", "shutdown");
	pl_xml_set_attr(nv, "value", now);
	free(sid);
	free(nid);
}

static const char *
join_value(enum crmd_join j)
{
	switch (j) {
	case CRMD_JOIN_DOWN: return "down";
	case CRMD_JOIN_MEMBER: return "member";
	case CRMD_JOIN_NACKED: return "banned";
	default: return "pending";
	}
}

static void
op_cib_node_state(void *arg, const struct crmd_node_state *s)
{
	char *id = io_node_id_str(s->nodeid), *what;
	xmlDoc *doc = pl_xml_new_doc("update");
	const char *name = s->name && *s->name ? s->name : crmd_io_node_name(s->nodeid);
	xmlNode *ns = crmd_status_node_state(doc, id, *name ? name : NULL,
	    s->in_ccm ? "true" : "false", s->crmd_online ? "online" : "offline", join_value(s->join),
	    s->expected_unknown	 ? NULL
		: s->expected_up ? "member"
				 : "down",
	    "crmd_node_state");

	(void)arg;
	what = xasprintf("node_state of %s", name);
	/* the shutdown request is a node attribute, attrd's like every transient one (as
	 * Pacemaker's controller sets it): a copy written here would be undone by attrd's next
	 * full write, and attrd's copy would outlive a delete made here */
	if (s->shutdown && shutdown_told(name) != SHUTDOWN_SET) {
		char *now = xasprintf("%lld", (long long)pl_wall_s());

		if (*name != '\0' && attrdio_set(name, "shutdown", now))
			shutdown_tell(name, SHUTDOWN_SET);
		else
			status_add_shutdown(ns, id, now); /* attrd unreachable: the CIB itself */
		free(now);
	}
	modify_status(ns, what);
	if (s->in_ccm && s->crmd_online && s->join == CRMD_JOIN_MEMBER && !s->shutdown &&
	    shutdown_told(name) != SHUTDOWN_CLEARED) {
		/* a controller that joined is no longer leaving: the shutdown request of its
		 * previous run (stopped with SIGTERM, started again) must not send it away */
		if (*name != '\0' && attrdio_set(name, "shutdown", NULL)) {
			shutdown_tell(name, SHUTDOWN_CLEARED);
		} else {
			char *x = xasprintf("/cib/status/node_state[@id='%s']/transient_attributes/"
					    "instance_attributes/nvpair[@name='shutdown']",
			    id);

			delete_xpath(x, what);
			free(x);
		}
	}
	if (!s->in_ccm) {
		shutdown_tell(name, SHUTDOWN_UNKNOWN);
		/* a node that left loses its transient attributes (fail counts, shutdown), as
		 * Pacemaker's do when its attribute daemon goes away */
		char *x = xasprintf("/cib/status/node_state[@id='%s']/transient_attributes", id);

		delete_xpath(x, what);
		free(x);
	}
	xmlFreeNode(ns);
	xmlFreeDoc(doc);
	free(what);
	free(id);
}

static void
set_property(xmlNode *set, const char *name, const char *value)
{
	xmlNode *nv = pl_xml_add_child(set, "nvpair");
	char *id = xasprintf("cib-bootstrap-options-%s", name);

	pl_xml_set_attr(nv, "id", id);
	pl_xml_set_attr(nv, "name", name);
	pl_xml_set_attr(nv, "value", value);
	free(id);
}

static void
op_cib_dc_info(void *arg, uint32_t dc, bool have_quorum)
{
	xmlDoc *doc = pl_xml_new_doc("cib");
	xmlNode *root = pl_xml_root(doc), *set;
	char *id = io_node_id_str(dc);

	(void)arg;
	pl_xml_set_attr(root, "have-quorum", have_quorum ? "1" : "0");
	pl_xml_set_attr(root, "dc-uuid", id);
	cibio_update(PL_CIB_OP_MODIFY, 0, NULL, NULL, root, "dc-uuid and have-quorum");
	if (dc == io.nodeid) {
		set = xmlNewDocNode(doc, NULL, BAD_CAST "cluster_property_set", NULL);
		pl_xml_set_attr(set, "id", "cib-bootstrap-options");
		/* Pacemaker's DC says whether SBD (watchdog self-fencing) runs here; Paceline
		 * has no SBD integration, so never (docs/design/stonithd.md) */
		set_property(set, "have-watchdog", "false");
		set_property(set, "dc-version", DC_VERSION);
		set_property(set, "cluster-infrastructure", "corosync");
		cibio_update(
		    PL_CIB_OP_MODIFY, PL_CIB_F_ALLOW_CREATE, "crm_config", NULL, set, "dc-version");
		xmlFreeNode(set);
	}
	free(id);
	xmlFreeDoc(doc);
}

static char *
failcount_xpath(
    const char *id, const char *prefix, const char *rsc, const char *action, uint32_t interval_ms)
{
	return xasprintf("/cib/status/node_state[@id='%s']/transient_attributes/instance_attributes"
			 "/nvpair[@name='%s-%s#%s_%u']",
	    id, prefix, rsc, action, interval_ms);
}

static void
op_cib_fail_count(void *arg, uint32_t nodeid, const char *rsc, const char *action,
    uint32_t interval_ms, uint64_t now_s)
{
	char *id, *x, *cur;

	/* through attrd when it answers: every node gets the count, the writer the CIB */
	if (attrdio_fail_count(crmd_io_node_name(nodeid), rsc, action, interval_ms,
		(strcmp(action, "start") == 0 && io.start_fatal) || strcmp(action, "stop") == 0,
		now_s ? now_s : (uint64_t)pl_wall_s()))
		return;
	id = io_node_id_str(nodeid);
	x = failcount_xpath(id, "fail-count", rsc, action, interval_ms);
	cur = cibio_query_value(x, "value");
	char *next = crmd_failcount_next(cur, action, io.start_fatal);
	xmlDoc *doc = pl_xml_new_doc("update");
	xmlNode *ns = crmd_status_failcount_update(
	    doc, id, rsc, action, interval_ms, next, now_s ? now_s : (uint64_t)pl_wall_s());
	char *what = xasprintf("fail-count-%s#%s_%u=%s on %s", rsc, action, interval_ms, next,
	    crmd_io_node_name(nodeid));

	(void)arg;
	log_notice("%s", what);
	modify_status(ns, what);
	xmlFreeNode(ns);
	xmlFreeDoc(doc);
	free(what);
	free(next);
	free(cur);
	free(x);
	free(id);
}

static void
op_cib_clear_fail_count(
    void *arg, uint32_t nodeid, const char *rsc, const char *action, uint32_t interval_ms)
{
	char *id = io_node_id_str(nodeid);
	char *x = failcount_xpath(id, "fail-count", rsc, action, interval_ms);

	(void)arg;
	/* attrd forgets them too, or its next full write would bring them back */
	attrdio_clear_fail_count(crmd_io_node_name(nodeid), rsc, action, interval_ms);
	delete_xpath(x, "fail-count");
	free(x);
	x = failcount_xpath(id, "last-failure", rsc, action, interval_ms);
	delete_xpath(x, "last-failure");
	free(x);
	free(id);
}

static void
op_cib_forget(void *arg, uint32_t nodeid, const char *rsc)
{
	char *id = nodeid ? io_node_id_str(nodeid) : NULL;
	char *x = crmd_status_lrm_rsc_xpath(id, rsc);

	(void)arg;
	/* the DC may be another node: it recomputes once this is applied, not before */
	char *what = xasprintf("delete the history of %s", rsc ? rsc : "every resource");

	batch_send();
	cibio_update(PL_CIB_OP_DELETE, PL_CIB_F_ALL_MATCHES | CIBIO_F_NEWS, NULL, x, NULL, what);
	free(what);
	free(x);
	free(id);
}

void
cibio_fill_ops(struct crmd_ops *ops)
{
	ops->cib_version = op_cib_version;
	ops->cib_sync_from = op_cib_sync_from;
	ops->cib_record_op = op_cib_record_op;
	ops->cib_replace_history = op_cib_replace_history;
	ops->cib_node_state = op_cib_node_state;
	ops->cib_dc_info = op_cib_dc_info;
	ops->cib_fail_count = op_cib_fail_count;
	ops->cib_clear_fail_count = op_cib_clear_fail_count;
	ops->cib_forget = op_cib_forget;
}

/* ---- options ----------------------------------------------------------------------- */

static void
option_ms(const char *name, const char *value, const char *want, uint32_t *out)
{
	uint64_t ms;
	struct pl_error err = PL_ERROR_INIT;

	if (strcmp(name, want) != 0)
		return;
	if (!pl_interval_parse_ms(value, &ms, &err) || ms > UINT32_MAX) {
		log_warnx("crm_config: %s=\"%s\" is not a time; keeping %u ms", name, value, *out);
		return;
	}
	*out = (uint32_t)ms;
}

/* stonith-watchdog-timeout asks for watchdog self-fencing through SBD, which Paceline does not
 * integrate: said once per value, loudly, since lost nodes will wait for a fence device. */
static void
watchdog_timeout(const char *value)
{
	static char *said;
	uint64_t ms = 0;
	struct pl_error err = PL_ERROR_INIT;

	if (said && strcmp(said, value) == 0)
		return;
	free(said);
	said = xstrdup(value);
	if (value[0] == '-' || (pl_interval_parse_ms(value, &ms, &err) && ms > 0))
		log_err("crm_config: stonith-watchdog-timeout=\"%s\": watchdog self-fencing (SBD) "
			"is not supported by Paceline; lost nodes are fenced by fence devices only",
		    value);
}

void
cibio_read_options(void)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY, .section = "crm_config" };
	struct pl_error err = PL_ERROR_INIT;
	struct crmd_options o;
	xmlNode *out = NULL;
	bool fatal = true;

	crmd_default_options(&o);
	if (pl_cib_call(io.cib, &req, CIB_TIMEOUT_MS, &out, NULL, &err) != 0) {
		log_warnx("cannot read crm_config: %s", err.text);
		return;
	}
	PL_XML_FOREACH_CHILD(out, "cluster_property_set", set)
	{
		PL_XML_FOREACH_CHILD(set, "nvpair", nv)
		{
			const char *n = pl_xml_attr(nv, "name"), *v = pl_xml_attr(nv, "value");

			if (n == NULL || v == NULL)
				continue;
			option_ms(n, v, "dc-deadtime", &o.dc_deadtime_ms);
			option_ms(n, v, "election-timeout", &o.election_timeout_ms);
			option_ms(n, v, "join-integration-timeout", &o.join_timeout_ms);
			option_ms(n, v, "cluster-delay", &o.cluster_delay_ms);
			option_ms(n, v, "cluster-recheck-interval", &o.recheck_ms);
			option_ms(n, v, "shutdown-escalation", &o.shutdown_escalation_ms);
			if (strcmp(n, "stonith-max-attempts") == 0) {
				char *end = NULL;
				long k = strtol(v, &end, 10);

				if (end == v || *end != '\0' || k < 1) {
					log_warnx(
					    "crm_config: stonith-max-attempts=\"%s\" is not a "
					    "positive integer; using 10",
					    v);
					k = 10;
				}
				o.stonith_max_attempts = k > INT32_MAX ? INT32_MAX : (uint32_t)k;
			}
			if (strcmp(n, "stonith-watchdog-timeout") == 0)
				watchdog_timeout(v);
			if (strcmp(n, "start-failure-is-fatal") == 0)
				fatal = !(strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
				    strcmp(v, "no") == 0 || strcmp(v, "off") == 0);
		}
	}
	pl_cib_output_free(out);
	io.opt = o;
	io.start_fatal = fatal;
	if (io.fsm)
		crmd_set_options(io.fsm, &o);
}

/* ---- notifications ----------------------------------------------------------------- */

static bool
touches_config(const struct pl_cib_notify *n)
{
	xmlNode *root = n->patchset ? xmlDocGetRootElement(n->patchset) : NULL;

	if (root == NULL || pl_xml_attr(root, "truncated"))
		return true;
	PL_XML_FOREACH_CHILD(root, "change", ch)
	{
		const char *path = pl_xml_attr(ch, "path");

		if (path && strncmp(path, "/cib/configuration", 18) == 0)
			return true;
		if (path && strcmp(path, "/cib") == 0) {
			const char *op = pl_xml_attr(ch, "operation");
			xmlNode *what = pl_xml_first_child(ch, NULL);

			if (op && strcmp(op, "create") == 0 && what && !pl_xml_is(what, "status"))
				return true;
		}
	}
	return false;
}

static void
on_cib_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct pl_cib_notify n;

	(void)c;
	(void)arg;
	if (ev->type != PL_MSG_CIB_NOTIFY || !pl_cib_notify_decode(ev, &n))
		return;
	io.cibv.admin_epoch = (uint32_t)n.version.admin_epoch;
	io.cibv.epoch = (uint32_t)n.version.epoch;
	io.cibv.num_updates = (uint32_t)n.version.num_updates;
	bool config = touches_config(&n);
	/* a replica sync replaced the whole CIB (cib/core.c: origin "sync") */
	bool replaced = n.op == PL_CIB_OP_REPLACE && n.origin && strcmp(n.origin, "sync") == 0 &&
	    n.client && strcmp(n.client, "paceline-cib") == 0;

	if (config)
		cibio_read_options();
	/* a controller's own status writes are results the state machine already knows */
	if (io.fsm && replaced) {
		log_info("CIB replaced by a replica sync: %ld.%ld.%ld", n.version.admin_epoch,
		    n.version.epoch, n.version.num_updates);
		crmd_cib_replaced(io.fsm, io_now());
	}
	if (io.fsm && !config && !replaced && n.client && strcmp(n.client, CIB_CLIENT) == 0) {
		crmd_cib_written_by(io.fsm, n.origin, io_now());
		io_input_done();
	}
	if (io.fsm && (config || strcmp(n.client ? n.client : "", CIB_CLIENT) != 0)) {
		log_debug("CIB changed by %s on %s: %ld.%ld.%ld", n.client ? n.client : "?",
		    n.origin ? n.origin : "?", n.version.admin_epoch, n.version.epoch,
		    n.version.num_updates);
		crmd_cib_changed(io.fsm, io_now());
		io_input_done();
	}
	pl_cib_notify_clear(&n);
}

static void
on_cib_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)c;
	(void)arg;
	fatalx("lost the connection to paceline-cib");
}

bool
cibio_connect(int wait_ms, struct pl_error *err)
{
	static const struct pl_ipc_conn_ops ops = { .event = on_cib_event,
		.disconnected = on_cib_gone };
	struct pl_cib_version v = { 0 };
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		pl_error_clear(err);
		io.cib = pl_cib_connect(1000, CIB_CLIENT, err);
		if (io.cib != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.cib == NULL)
		return false;
	if (pl_cib_subscribe(io.cib, true, &v, err) != 0)
		return false;
	io.cibv.admin_epoch = (uint32_t)v.admin_epoch;
	io.cibv.epoch = (uint32_t)v.epoch;
	io.cibv.num_updates = (uint32_t)v.num_updates;
	pl_ipc_conn_attach(pl_cib_ipc(io.cib), NULL, &ops, NULL);
	cibio_read_options();
	return true;
}

/* The nodes section lists every node of the nodelist (Pacemaker's controller writes its
 * membership there): the scheduler only knows nodes found in it. */
void
cibio_write_nodes(void)
{
	xmlDoc *doc = pl_xml_new_doc("nodes");
	xmlNode *nodes = pl_xml_root(doc);

	for (unsigned i = 0; i < io.n_nodes; i++) {
		xmlNode *n = pl_xml_add_child(nodes, "node");
		char *id = io_node_id_str(io.nodes[i].nodeid);

		pl_xml_set_attr(n, "id", id);
		pl_xml_set_attr(n, "uname", io.nodes[i].name);
		free(id);
	}
	cibio_update(
	    PL_CIB_OP_MODIFY, PL_CIB_F_ALLOW_CREATE, "configuration", NULL, nodes, "nodes section");
	xmlFreeDoc(doc);
}

void
cibio_close(void)
{
	if (io.cib)
		pl_cib_disconnect(io.cib);
	io.cib = NULL;
}
