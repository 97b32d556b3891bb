/*
 * status.c - the status section in Pacemaker's format (status.h). Pure: XML in, XML out.
 * Attribute order follows what Pacemaker 2.1.5 writes, so a dump reads the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/score.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status.h"

char *
crmd_op_key(const char *rsc_id, const char *action, uint32_t interval_ms)
{
	return xasprintf("%s_%s_%" PRIu32, rsc_id, action, interval_ms);
}

bool
crmd_op_key_parse(const char *key, char **rsc_id, char **action, uint32_t *interval_ms)
{
	const char *last = strrchr(key, '_'), *mid;
	char *end;
	unsigned long iv;

	if (last == NULL || last == key || last[1] == '\0')
		return false;
	iv = strtoul(last + 1, &end, 10);
	if (*end != '\0' || iv > UINT32_MAX)
		return false;
	/* the action is the last '_'-separated word before the interval, except the two-word
	 * ones Pacemaker has (migrate_to, migrate_from, pre_notify ...) */
	for (mid = last - 1; mid > key && *mid != '_'; mid--)
		;
	if (mid <= key)
		return false;
	static const char *const two[] = { "migrate_to", "migrate_from", "pre_notify",
		"post_notify", "confirmed-pre_notify", "confirmed-post_notify", NULL };
	for (const char *const *t = two; *t; t++) {
		size_t n = strlen(*t);
		if ((size_t)(last - key) > n + 1 && strncmp(last - n, *t, n) == 0 &&
		    last[-(long)n - 1] == '_') {
			mid = last - n - 1;
			break;
		}
	}
	*rsc_id = xstrndup(key, (size_t)(mid - key));
	*action = xstrndup(mid + 1, (size_t)(last - mid - 1));
	*interval_ms = (uint32_t)iv;
	return true;
}

char *
crmd_transition_key(int action_id, int transition_id, int target_rc, const char *uuid)
{
	return xasprintf("%d:%d:%d:%s", action_id, transition_id, target_rc, uuid);
}

bool
crmd_transition_key_parse(
    const char *key, int *action_id, int *transition_id, int *target_rc, char **uuid)
{
	int a, t, rc, n = 0;

	if (key == NULL || sscanf(key, "%d:%d:%d:%n", &a, &t, &rc, &n) != 3 || n == 0 ||
	    key[n] == '\0')
		return false;
	if (action_id)
		*action_id = a;
	if (transition_id)
		*transition_id = t;
	if (target_rc)
		*target_rc = rc;
	if (uuid)
		*uuid = xstrdup(key + n);
	return true;
}

bool
crmd_op_failed(const struct crmd_op_record *r)
{
	int target = 0;

	if (r->op_status == PL_LRMD_PENDING || r->op_status == PL_LRMD_CANCELLED)
		return false;
	if (r->op_status != PL_LRMD_DONE)
		return true;
	if (!crmd_transition_key_parse(r->transition_key, NULL, NULL, &target, NULL)) {
		if (r->interval_ms == 0 && strcmp(r->action, "monitor") == 0)
			return r->rc != PL_OCF_NOT_RUNNING && r->rc != PL_OCF_SUCCESS &&
			    r->rc != PL_OCF_RUNNING_PROMOTED;
		target = 0;
	}
	if (r->rc == target)
		return false;
	/* a probe finding the resource running (or promoted) is information, not a failure */
	if (r->interval_ms == 0 && strcmp(r->action, "monitor") == 0 &&
	    (r->rc == PL_OCF_SUCCESS || r->rc == PL_OCF_NOT_RUNNING ||
		r->rc == PL_OCF_RUNNING_PROMOTED))
		return false;
	/* degraded is success with a warning */
	if ((r->rc == PL_OCF_DEGRADED && target == 0) ||
	    (r->rc == PL_OCF_DEGRADED_PROMOTED && target == PL_OCF_RUNNING_PROMOTED))
		return false;
	return true;
}

void
crmd_op_digest(
    const struct pl_lrmd_params *params, uint32_t interval_ms, uint32_t timeout_ms, char out[33])
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
	char tbuf[32];

	for (size_t i = 0; params && i < params->n; i++)
		if (strncmp(params->name[i], "CRM_meta_", 9) != 0)
			g_hash_table_insert(h, params->name[i], params->value[i]);
	if (interval_ms > 0) {
		snprintf(tbuf, sizeof(tbuf), "%" PRIu32, timeout_ms);
		g_hash_table_insert(h, (char *)"CRM_meta_timeout", tbuf);
	}
	pl_pengine_params_digest(h, out);
	g_hash_table_destroy(h);
}

static bool
xml_true(const char *v)
{
	return v &&
	    (!strcmp(v, "1") || !g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") ||
		!g_ascii_strcasecmp(v, "on"));
}

const char *
crmd_reload_action(const char *metadata, size_t len)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = metadata ? pl_xml_parse_memory(metadata, len, "meta-data", &err) : NULL;
	xmlNode *root = doc ? pl_xml_root(doc) : NULL, *acts, *x;
	const char *found = NULL;

	acts = root && pl_xml_is(root, "resource-agent") ? pl_xml_first_child(root, "actions") : NULL;
	for (x = acts ? pl_xml_first_child(acts, "action") : NULL; x;
	     x = pl_xml_next_sibling(x, "action")) {
		const char *n = pl_xml_attr(x, "name");

		if (n && !strcmp(n, "reload-agent"))
			found = "reload-agent";
		else if (n && !strcmp(n, "reload") && found == NULL)
			found = "reload";
	}
	if (doc)
		xmlFreeDoc(doc);
	return found;
}

char *
crmd_restart_list(const char *metadata, size_t len)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = metadata ? pl_xml_parse_memory(metadata, len, "meta-data", &err) : NULL;
	xmlNode *root = doc ? pl_xml_root(doc) : NULL, *acts, *ps, *x;
	bool reload_agent = false, reload = false;
	GString *list;

	if (root == NULL || !pl_xml_is(root, "resource-agent")) {
		if (doc)
			xmlFreeDoc(doc);
		return NULL;
	}
	acts = pl_xml_first_child(root, "actions");
	for (x = acts ? pl_xml_first_child(acts, "action") : NULL; x;
	     x = pl_xml_next_sibling(x, "action")) {
		const char *n = pl_xml_attr(x, "name");

		reload_agent |= n && !strcmp(n, "reload-agent");
		reload |= n && !strcmp(n, "reload");
	}
	if (!reload_agent && !reload) {
		xmlFreeDoc(doc);
		return NULL;
	}
	list = g_string_new(" ");
	size_t n_listed = 0;
	ps = pl_xml_first_child(root, "parameters");
	for (x = ps ? pl_xml_first_child(ps, "parameter") : NULL; x;
	     x = pl_xml_next_sibling(x, "parameter")) {
		const char *n = pl_xml_attr(x, "name");
		bool restart = reload_agent ? !xml_true(pl_xml_attr(x, "reloadable"))
					    : xml_true(pl_xml_attr(x, "unique"));

		if (n && *n && restart) {
			g_string_append_printf(list, " %s", n);
			n_listed++;
		}
	}
	if (n_listed)
		g_string_append(list, "  ");
	else
		g_string_truncate(list, 0); /* Pacemaker writes "" then */
	xmlFreeDoc(doc);
	return g_string_free(list, false);
}

void
crmd_restart_digest(const struct pl_lrmd_params *params, const char *list, char out[33])
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);

	for (size_t i = 0; params && i < params->n; i++) {
		const char *n = params->name[i], *p = list;
		size_t k = strlen(n);

		for (; (p = strstr(p, n)) != NULL; p += k)
			if (p > list && p[-1] == ' ' && p[k] == ' ') {
				g_hash_table_insert(h, params->name[i], params->value[i]);
				break;
			}
	}
	pl_pengine_params_digest(h, out);
	g_hash_table_destroy(h);
}

static void
set_opt(xmlNode *n, const char *name, const char *value)
{
	if (value != NULL)
		pl_xml_set_attr(n, name, value);
}

xmlNode *
crmd_status_node_state(xmlDoc *doc, const char *node_id, const char *uname, const char *in_ccm,
    const char *crmd, const char *join, const char *expected, const char *origin)
{
	xmlNode *ns = xmlNewDocNode(doc, NULL, BAD_CAST "node_state", NULL);

	pl_xml_set_attr(ns, "id", node_id);
	set_opt(ns, "uname", uname);
	set_opt(ns, "in_ccm", in_ccm);
	set_opt(ns, "crmd", crmd);
	set_opt(ns, "crm-debug-origin", origin);
	set_opt(ns, "join", join);
	set_opt(ns, "expected", expected);
	return ns;
}

static xmlNode *
lrm_resource_of(xmlDoc *doc, const char *node_id, const char *uname, const struct crmd_op_record *r,
    xmlNode **state)
{
	xmlNode *ns = crmd_status_node_state(doc, node_id, uname, NULL, NULL, NULL, NULL,
	    r->origin ? r->origin : "do_update_resource");
	xmlNode *lrm = pl_xml_add_child(ns, "lrm");
	xmlNode *rs = pl_xml_add_child(lrm, "lrm_resources");
	xmlNode *res = pl_xml_add_child(rs, "lrm_resource");

	pl_xml_set_attr(lrm, "id", node_id);
	pl_xml_set_attr(res, "id", r->rsc_id);
	set_opt(res, "type", r->type);
	set_opt(res, "class", r->rclass);
	set_opt(res, "provider", r->provider);
	*state = ns;
	return res;
}

char *
crmd_status_op_id(const struct crmd_op_record *r)
{
	if (r->interval_ms > 0)
		return crmd_op_key(r->rsc_id, r->action, r->interval_ms);
	return xasprintf("%s_last_0", r->rsc_id);
}

/* As Pacemaker's controller: an agent reload that succeeded is recorded as a start (with the
 * digests of the parameters it now runs with, so the scheduler sees nothing changed), one
 * that failed as a monitor (the resource's state is then unknown, and recovered). */
const char *
crmd_status_recorded_action(const struct crmd_op_record *r)
{
	if (strcmp(r->action, "reload-agent") != 0 && strcmp(r->action, "reload") != 0)
		return r->action;
	if (r->op_status == PL_LRMD_PENDING)
		return r->action;
	return r->op_status == PL_LRMD_DONE && r->rc == PL_OCF_SUCCESS ? "start" : "monitor";
}

xmlNode *
crmd_status_op_xml(xmlNode *parent, const struct crmd_op_record *r, const char *id)
{
	xmlNode *op = pl_xml_add_child(parent, "lrm_rsc_op");
	const char *action = crmd_status_recorded_action(r);
	char *key = crmd_op_key(r->rsc_id, action, r->interval_ms);

	pl_xml_set_attr(op, "id", id);
	pl_xml_set_attr(op, "operation_key", key);
	pl_xml_set_attr(op, "operation", action);
	pl_xml_set_attr(op, "crm-debug-origin", r->origin ? r->origin : "do_update_resource");
	pl_xml_set_attr(op, "crm_feature_set", CRMD_FEATURE_SET);
	if (r->transition_key != NULL) {
		char *magic = xasprintf("%d:%d;%s", r->op_status, r->rc, r->transition_key);

		pl_xml_set_attr(op, "transition-key", r->transition_key);
		pl_xml_set_attr(op, "transition-magic", magic);
		free(magic);
	}
	pl_xml_set_attr(op, "exit-reason", r->exit_reason ? r->exit_reason : "");
	set_opt(op, "on_node", r->node);
	/* a pending operation (record-pending) has no call id yet: -1 sorts it last */
	pl_xml_set_attr_int(
	    op, "call-id", r->op_status == PL_LRMD_PENDING ? -1 : (long long)r->call_id);
	pl_xml_set_attr_int(op, "rc-code", r->rc);
	pl_xml_set_attr_int(op, "op-status", r->op_status);
	pl_xml_set_attr_int(op, "interval", r->interval_ms);
	pl_xml_set_attr_int(op, "last-rc-change", (long long)r->last_rc_change);
	pl_xml_set_attr_int(op, "exec-time", (long long)r->exec_ms);
	pl_xml_set_attr_int(op, "queue-time", (long long)r->queue_ms);
	set_opt(op, "op-digest", r->op_digest);
	if (r->restart_list != NULL && r->restart_digest != NULL) {
		pl_xml_set_attr(op, "op-force-restart", r->restart_list);
		pl_xml_set_attr(op, "op-restart-digest", r->restart_digest);
	}
	free(key);
	return op;
}

xmlNode *
crmd_status_op_update(
    xmlDoc *doc, const char *node_id, const char *uname, const struct crmd_op_record *r)
{
	xmlNode *ns, *res = lrm_resource_of(doc, node_id, uname, r, &ns);
	char *id = crmd_status_op_id(r);

	crmd_status_op_xml(res, r, id);
	free(id);
	if (crmd_op_failed(r)) {
		id = xasprintf("%s_last_failure_0", r->rsc_id);
		crmd_status_op_xml(res, r, id);
		free(id);
	}
	return ns;
}

/* Pacemaker's attribute names: fail-count-RSC#OP_INTERVAL; nvpair ids replace '#' by '.' */
static void
add_nvpair(xmlNode *set, const char *node_id, const char *name, const char *value)
{
	xmlNode *nv = pl_xml_add_child(set, "nvpair");
	char *id = xasprintf("status-%s-%s", node_id, name);

	for (char *p = id; *p; p++)
		if (*p == '#')
			*p = '.';
	pl_xml_set_attr(nv, "id", id);
	pl_xml_set_attr(nv, "name", name);
	pl_xml_set_attr(nv, "value", value);
	free(id);
}

char *
crmd_failcount_next(const char *current, const char *action, bool start_fatal)
{
	int cur = current ? pl_score_parse(current) : 0;

	if ((strcmp(action, "start") == 0 && start_fatal) || strcmp(action, "stop") == 0)
		return xstrdup("INFINITY");
	cur = pl_score_add(cur, 1);
	if (cur >= PL_SCORE_INFINITY)
		return xstrdup("INFINITY");
	return xasprintf("%d", cur);
}

xmlNode *
crmd_status_failcount_update(xmlDoc *doc, const char *node_id, const char *rsc_id,
    const char *action, uint32_t interval_ms, const char *count, uint64_t now)
{
	xmlNode *ns = crmd_status_node_state(doc, node_id, NULL, NULL, NULL, NULL, NULL, NULL);
	xmlNode *ta = pl_xml_add_child(ns, "transient_attributes");
	xmlNode *set = pl_xml_add_child(ta, "instance_attributes");
	char *name, *when = xasprintf("%" PRIu64, now);

	pl_xml_set_attr(ta, "id", node_id);
	name = xasprintf("status-%s", node_id);
	pl_xml_set_attr(set, "id", name);
	free(name);
	name = xasprintf("fail-count-%s#%s_%" PRIu32, rsc_id, action, interval_ms);
	add_nvpair(set, node_id, name, count);
	free(name);
	name = xasprintf("last-failure-%s#%s_%" PRIu32, rsc_id, action, interval_ms);
	add_nvpair(set, node_id, name, when);
	free(name);
	free(when);
	return ns;
}

static char *
node_pred(const char *node_id)
{
	return node_id ? xasprintf("[@id='%s']", node_id) : xstrdup("");
}

char *
crmd_status_failcount_xpath(const char *node_id, const char *rsc_id)
{
	char *np = node_pred(node_id), *x;

	if (rsc_id)
		x = xasprintf("/cib/status/node_state%s/transient_attributes/instance_attributes"
			      "/nvpair[starts-with(@name,'fail-count-%s#') or "
			      "starts-with(@name,'last-failure-%s#')]",
		    np, rsc_id, rsc_id);
	else
		x = xasprintf("/cib/status/node_state%s/transient_attributes/instance_attributes"
			      "/nvpair[starts-with(@name,'fail-count-') or "
			      "starts-with(@name,'last-failure-')]",
		    np);
	free(np);
	return x;
}

char *
crmd_status_lrm_rsc_xpath(const char *node_id, const char *rsc_id)
{
	char *np = node_pred(node_id), *x;

	if (rsc_id)
		x = xasprintf("/cib/status/node_state%s/lrm/lrm_resources/lrm_resource[@id='%s']",
		    np, rsc_id);
	else
		x = xasprintf("/cib/status/node_state%s/lrm/lrm_resources/lrm_resource", np);
	free(np);
	return x;
}

char *
crmd_status_failure_xpath(const char *node_id, const char *rsc_id)
{
	char *np = node_pred(node_id), *x;

	x = xasprintf("/cib/status/node_state%s/lrm/lrm_resources/lrm_resource%s%s%s"
		      "/lrm_rsc_op[substring(@id, string-length(@id) - 14) = '_last_failure_0']",
	    np, rsc_id ? "[@id='" : "", rsc_id ? rsc_id : "", rsc_id ? "']" : "");
	free(np);
	return x;
}

/* ---- rebuild from lrmd history ------------------------------------------------------- */

static bool
uint_attr(const xmlNode *n, const char *name, uint64_t *out)
{
	long long v;

	if (!pl_xml_attr_int(n, name, 0, &v, NULL) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool
record_of(const xmlNode *res, const xmlNode *op, const char *uname, struct crmd_op_record *r)
{
	uint64_t iv = 0, call = 0;
	long long rc = 0, st = 0;

	memset(r, 0, sizeof(*r));
	r->rsc_id = pl_xml_id(res);
	r->rclass = pl_xml_attr(res, "class");
	r->provider = pl_xml_attr(res, "provider");
	r->type = pl_xml_attr(res, "type");
	r->action = pl_xml_attr(op, "operation");
	r->node = uname;
	r->origin = "build_active_RAs";
	if (r->rsc_id == NULL || r->action == NULL || !uint_attr(op, "interval", &iv) ||
	    !uint_attr(op, "call-id", &call) || !pl_xml_attr_int(op, "rc-code", 0, &rc, NULL) ||
	    !pl_xml_attr_int(op, "op-status", 0, &st, NULL) ||
	    !uint_attr(op, "last-rc-change", &r->last_rc_change) ||
	    !uint_attr(op, "exec-time", &r->exec_ms) || !uint_attr(op, "queue-time", &r->queue_ms))
		return false;
	r->interval_ms = (uint32_t)iv;
	r->call_id = (uint32_t)call;
	r->rc = (int)rc;
	r->op_status = (int)st;
	r->exit_reason = pl_xml_attr(op, "exit-reason");
	r->transition_key = pl_xml_attr(op, "user-data");
	if (r->transition_key && *r->transition_key == '\0')
		r->transition_key = NULL;
	return true;
}

/* Append the records of one resource's results (already grouped) to lr. */
static void
add_rsc_records(xmlNode *lr, const struct crmd_op_record *recs, size_t n)
{
	const struct crmd_op_record *last = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct crmd_op_record *r = &recs[i];

		if (r->interval_ms > 0) {
			if (r->op_status != PL_LRMD_CANCELLED && r->op_status != PL_LRMD_PENDING) {
				char *id = crmd_status_op_id(r);
				crmd_status_op_xml(lr, r, id);
				free(id);
			}
			continue;
		}
		/* a pending operation is the newest; otherwise the highest call id */
		if (last == NULL || r->op_status == PL_LRMD_PENDING ||
		    (last->op_status != PL_LRMD_PENDING && r->call_id > last->call_id))
			last = r;
	}
	if (last != NULL) {
		char *id = crmd_status_op_id(last);

		crmd_status_op_xml(lr, last, id);
		free(id);
		if (crmd_op_failed(last)) {
			id = xasprintf("%s_last_failure_0", last->rsc_id);
			crmd_status_op_xml(lr, last, id);
			free(id);
		}
	}
}

xmlNode *
crmd_status_lrm(xmlDoc *doc, const char *node_id, const struct crmd_op_record *recs, size_t n)
{
	xmlNode *lrm = xmlNewDocNode(doc, NULL, BAD_CAST "lrm", NULL);
	xmlNode *rs;
	bool *done = xcalloc(n ? n : 1, sizeof(bool));
	struct crmd_op_record *group = xcalloc(n ? n : 1, sizeof(*group));

	pl_xml_set_attr(lrm, "id", node_id);
	rs = pl_xml_add_child(lrm, "lrm_resources");
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		xmlNode *lr;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!done[j] && strcmp(recs[j].rsc_id, recs[i].rsc_id) == 0) {
				group[k++] = recs[j];
				done[j] = true;
			}
		lr = pl_xml_add_child(rs, "lrm_resource");
		pl_xml_set_attr(lr, "id", recs[i].rsc_id);
		set_opt(lr, "type", recs[i].type);
		set_opt(lr, "class", recs[i].rclass);
		set_opt(lr, "provider",
		    recs[i].provider && *recs[i].provider ? recs[i].provider : NULL);
		add_rsc_records(lr, group, k);
	}
	free(done);
	free(group);
	return lrm;
}

xmlNode *
crmd_status_lrm_from_history(xmlDoc *doc, const char *node_id, const char *uname,
    const char *history_xml, struct pl_error *err)
{
	xmlDoc *h = pl_xml_parse_string(history_xml, "lrmd history", err);
	struct crmd_op_record *recs = NULL;
	size_t n = 0, cap = 0;
	xmlNode *lrm = NULL;

	if (h == NULL)
		return NULL;
	if (!pl_xml_is(pl_xml_root(h), "lrmd_history")) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "lrmd history: root element is not lrmd_history");
		goto out;
	}
	PL_XML_FOREACH_CHILD(pl_xml_root(h), "resource", res)
	{
		PL_XML_FOREACH_CHILD(res, "op", op)
		{
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				recs = xrealloc(recs, cap * sizeof(*recs));
			}
			if (!record_of(res, op, uname, &recs[n])) {
				pl_xml_error_set(err, PL_EXIT_PROTOCOL, op,
				    "lrmd history: malformed op of resource '%s'",
				    pl_xml_id(res) ? pl_xml_id(res) : "?");
				goto out;
			}
			/* only the recurring ops still scheduled count as active records */
			const char *active = pl_xml_attr(op, "recurring");
			if (recs[n].interval_ms > 0 && !(active && strcmp(active, "1") == 0))
				recs[n].op_status = PL_LRMD_CANCELLED;
			n++;
		}
	}
	lrm = crmd_status_lrm(doc, node_id, recs, n);
out:
	free(recs);
	xmlFreeDoc(h);
	return lrm;
}
