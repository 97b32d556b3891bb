/*
 * cibio.c - the writer's CIB updates, in Pacemaker's format:
 *
 *	<node_state id="NODEID" uname="HOST">
 *	  <transient_attributes id="NODEID">
 *	    <instance_attributes id="status-NODEID">	(or the attribute's set; utilization
 *	      <nvpair id="status-NODEID-NAME" name="NAME" value="V"/>	 attributes go in
 *	    </instance_attributes>			 <utilization id="status-NODEID-utilization">)
 *
 * One batch from the core is one modify of the status section (every value set) plus one
 * xpath delete per deleted value, all sent at once without waiting (pl_cib_update_async);
 * the batch completes when every answer is in. Losing paceline-cib is fatal: the launcher
 * restarts attrd, whose sync brings the values back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrd.h"
#include "paceline/cib_client.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define CIB_TIMEOUT_MS 60000

static struct pl_cib_conn *cib;

struct batch {
	uint64_t id;
	unsigned pending;
	int rc;
};

static void
on_cib_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)c, (void)arg;
	fatalx("lost the connection to paceline-cib");
}

bool
attrd_cib_connect(int wait_ms, struct pl_error *err)
{
	static const struct pl_ipc_conn_ops ops = { .disconnected = on_cib_gone };
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		pl_error_clear(err);
		cib = pl_cib_connect(1000, "attrd", err);
		if (cib != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (cib == NULL)
		return false;
	pl_ipc_conn_attach(pl_cib_ipc(cib), NULL, &ops, NULL);
	return true;
}

void
attrd_cib_close(void)
{
	if (cib != NULL)
		pl_cib_disconnect(cib);
	cib = NULL;
}

static void
on_done(struct pl_cib_conn *c, int rc, const char *text, const struct pl_cib_version *v, void *arg)
{
	struct batch *b = arg;

	(void)c, (void)v;
	if (rc != 0) {
		log_warnx("CIB update of batch %" PRIu64 " failed (%d): %s", b->id, rc, text);
		if (b->rc == 0)
			b->rc = rc;
	}
	if (--b->pending > 0)
		return;
	if (attrd_the_core() != NULL)
		attrd_core_write_done(attrd_the_core(), b->id, b->rc);
	free(b);
}

static bool
send_update(const struct pl_cib_request *req, struct batch *b)
{
	struct pl_error err = PL_ERROR_INIT;

	b->pending++;
	if (pl_cib_update_async(cib, req, CIB_TIMEOUT_MS, on_done, b, &err))
		return true;
	b->pending--;
	log_warnx("cannot send a CIB update: %s", err.text);
	if (b->rc == 0)
		b->rc = err.code ? err.code : 1;
	return false;
}

/* '#' and ':' cannot be in an XML ID: Pacemaker writes '.' */
static char *
nvpair_id(const char *set, const char *name)
{
	char *id = xasprintf("%s-%s", set, name);

	for (char *p = id; *p != '\0'; p++)
		if (*p == '#' || *p == ':')
			*p = '.';
	return id;
}

static xmlNode *
child_by_id(xmlNode *parent, const char *element, const char *id)
{
	for (xmlNode *n = pl_xml_first_child(parent, element); n != NULL;
	     n = pl_xml_next_sibling(n, element))
		if (strcmp(pl_xml_id(n), id) == 0)
			return n;
	return NULL;
}

static void
add_value(xmlNode *status, uint32_t nodeid, const struct attrd_entry *e)
{
	char id[16], *set;
	xmlNode *ns, *ta, *s, *nv;
	const char *element = e->util ? "utilization" : "instance_attributes";
	char *nid;

	snprintf(id, sizeof(id), "%" PRIu32, nodeid);
	if ((ns = child_by_id(status, "node_state", id)) == NULL) {
		ns = pl_xml_add_child(status, "node_state");
		pl_xml_set_attr(ns, "id", id);
		pl_xml_set_attr(ns, "uname", e->host);
		ta = pl_xml_add_child(ns, "transient_attributes");
		pl_xml_set_attr(ta, "id", id);
	}
	ta = pl_xml_first_child(ns, "transient_attributes");
	set = e->set != NULL ? xstrdup(e->set)
	    : e->util	     ? xasprintf("status-%s-utilization", id)
			     : xasprintf("status-%s", id);
	if ((s = child_by_id(ta, element, set)) == NULL) {
		s = pl_xml_add_child(ta, element);
		pl_xml_set_attr(s, "id", set);
	}
	nid = nvpair_id(set, e->name);
	nv = pl_xml_add_child(s, "nvpair");
	pl_xml_set_attr(nv, "id", nid);
	pl_xml_set_attr(nv, "name", e->name);
	pl_xml_set_attr(nv, "value", e->value);
	free(nid);
	free(set);
}

#define DELETE_XPATH_MAX 4000

static void
string_free(GString *s)
{
	g_string_free(s, TRUE);
}

/* One xpath delete (the "[...]" closed here); a failure marks the batch failed: retried. */
static void
send_delete(GString *x, struct batch *b)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_DELETE, .flags = PL_CIB_F_ALL_MATCHES };

	g_string_append_c(x, ']');
	req.xpath = x->str;
	send_update(&req, b);
}

bool
attrd_cib_write(uint64_t id, const struct attrd_entry *v, size_t n)
{
	struct batch *b = XNEW(struct batch);
	xmlDoc *doc = pl_xml_new_doc("status");
	GHashTable *dels =
	    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)string_free);
	bool any = false;

	b->id = id;
	b->pending = 1; /* held until every request is out */
	for (size_t i = 0; i < n; i++) {
		uint32_t nodeid = attrd_node_id(v[i].host);

		if (nodeid == 0) {
			log_warnx("not writing %s for %s: no such node in the nodelist", v[i].name,
			    v[i].host);
			continue;
		}
		if (v[i].value != NULL) {
			add_value(pl_xml_root(doc), nodeid, &v[i]);
			any = true;
		} else if (strchr(v[i].name, '\'') == NULL) {
			/* the deletions of a node go in one request (a full write repeats every
			 * tombstone): "nvpair[@name='a' or @name='b' ...]" */
			GString *x = g_hash_table_lookup(dels, GUINT_TO_POINTER(nodeid));

			if (x != NULL && x->len > DELETE_XPATH_MAX) {
				send_delete(x, b);
				g_hash_table_remove(dels, GUINT_TO_POINTER(nodeid));
				x = NULL;
			}
			if (x == NULL) {
				x = g_string_new(NULL);
				g_string_printf(x,
				    "/cib/status/node_state[@id='%" PRIu32
				    "']/transient_attributes/*/nvpair[@name='%s'",
				    nodeid, v[i].name);
				g_hash_table_insert(dels, GUINT_TO_POINTER(nodeid), x);
			} else {
				g_string_append_printf(x, " or @name='%s'", v[i].name);
			}
		}
	}
	{
		GHashTableIter it;
		gpointer k, x;

		g_hash_table_iter_init(&it, dels);
		while (g_hash_table_iter_next(&it, &k, &x))
			send_delete(x, b);
		g_hash_table_destroy(dels);
	}
	if (any) {
		struct pl_cib_request req = {
			.op = PL_CIB_OP_MODIFY, .section = "status", .input = pl_xml_root(doc)
		};

		send_update(&req, b);
	}
	xmlFreeDoc(doc);
	log_info("CIB write %" PRIu64 ": %zu value(s), first %s[%s]", id, n, n ? v[0].name : "",
	    n ? v[0].host : "");
	/* release the hold: completes now when nothing was sent (answers come from the loop) */
	on_done(cib, 0, "", NULL, b);
	return true;
}

void
attrd_cib_clear_host(const char *host)
{
	uint32_t nodeid = attrd_node_id(host);
	char *x;
	struct pl_cib_request req = { .op = PL_CIB_OP_DELETE, .flags = PL_CIB_F_ALL_MATCHES };
	struct batch *b;

	if (nodeid == 0)
		return;
	x = xasprintf("/cib/status/node_state[@id='%" PRIu32 "']/transient_attributes", nodeid);
	req.xpath = x;
	b = XNEW(struct batch); /* id 0: no core write waits for it; on_done frees it */
	if (!send_update(&req, b))
		free(b);
	free(x);
}
