/*
 * bundle.c - <bundle>: N replicas of a container (docker, podman or rkt), each with, as
 * Pacemaker 2.1.5 builds them, an IP address (network ip-range-start, one address a
 * replica), the container, and when the bundle wraps a primitive, a remote connection and a
 * guest node named BUNDLE-i where that primitive's instance runs:
 *
 *	httpd-bundle-ip-192.168.122.131   ocf:heartbeat:IPaddr2   (on a cluster node)
 *	httpd (instance 0)                 the wrapped primitive   (on guest node httpd-bundle-0)
 *	httpd-bundle-docker-0             ocf:heartbeat:docker    (on a cluster node)
 *	httpd-bundle-0                    ocf:pacemaker:remote    (on a cluster node)
 *
 * Scheduled as Pacemaker 2.1.5 schedules them, through the variant table's bundle row:
 *
 *	bundle B: start/running/stop/stopped (+ promote/promoted/demote/demoted)
 *	  replica i: IP --start--> container --start--> connection B-i (guest node B-i)
 *	             (IP and connection colocated with the container, INFINITY)
 *	  inner clone "B-clone" (promotable: "B-master"), instances "prim:i", instance i
 *	  allowed only on guest node B-i; notifications and promotion as a clone's
 *
 *	B start -> container starts, B start -> clone start; container starts and clone
 *	running -> B running; stops alike. Containers are placed like clone instances
 *	(distinct nodes up to replicas-per-host, active ones stay); the IP and connection
 *	follow their container; instance i runs on B-i once its connection is placed.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

static const char *const runtimes[] = { "docker", "podman", "rkt" };

static xmlNode *
container_of(xmlNode *bundle)
{
	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		xmlNode *c = pl_xml_first_child(bundle, runtimes[i]);
		if (c)
			return c;
	}
	return NULL;
}

/* replicas-per-host, 1 by default */
static int
per_host(xmlNode *bundle)
{
	xmlNode *c = container_of(bundle);
	const char *v = c ? pl_xml_attr(c, "replicas-per-host") : NULL;
	int n = v ? atoi(v) : 1;
	return n < 1 ? 1 : n;
}

/* Pacemaker's replica count: "replicas", else promoted-max, else 1 */
static int
replica_count(xmlNode *bundle)
{
	xmlNode *c = container_of(bundle);
	const char *v = c ? pl_xml_attr(c, "replicas") : NULL;
	if (v == NULL && c)
		v = pl_xml_attr(c, "promoted-max") ? pl_xml_attr(c, "promoted-max")
						   : pl_xml_attr(c, "masters");
	int n = v ? atoi(v) : 1;
	return n < 1 ? 1 : n > PENGINE_MAX_INSTANCES ? PENGINE_MAX_INSTANCES : n;
}

char *
pengine_bundle_guest_name(xmlNode *bundle, int i)
{
	return xasprintf("%s-%d", pl_xml_id(bundle), i);
}

char *
pengine_bundle_container_name(xmlNode *bundle, int i)
{
	xmlNode *c = container_of(bundle);
	return xasprintf("%s-%s-%d", pl_xml_id(bundle), c ? pl_xml_name(c) : "docker", i);
}

int
pengine_bundle_guests(xmlNode *bundle)
{
	return pl_xml_first_child(bundle, "primitive") ? replica_count(bundle) : 0;
}

/* a definition the CIB does not hold, kept with the orphans' */
xmlNode *
pengine_implicit_def(
    struct pengine_ws *ws, const char *id, const char *cls, const char *provider, const char *type)
{
	xmlNode *x = xmlNewDocNode(ws->doc, NULL, BAD_CAST "primitive", NULL);
	pl_xml_set_attr(x, "id", id);
	pl_xml_set_attr(x, "class", cls);
	pl_xml_set_attr(x, "provider", provider);
	pl_xml_set_attr(x, "type", type);
	if (ws->orphan_defs == NULL)
		ws->orphan_defs = xmlNewDocNode(ws->doc, NULL, BAD_CAST "orphans", NULL);
	xmlAddChild(ws->orphan_defs, x);
	return x;
}

/* a recurring monitor every `interval` on an implicit definition */
xmlNode *
pengine_implicit_monitor(xmlNode *def, const char *interval)
{
	xmlNode *ops = xmlNewChild(def, NULL, BAD_CAST "operations", NULL);
	xmlNode *op = xmlNewChild(ops, NULL, BAD_CAST "op", NULL);
	char *id = xasprintf("%s-monitor-interval-%s", pl_xml_id(def), interval);
	pl_xml_set_attr(op, "id", id);
	free(id);
	pl_xml_set_attr(op, "name", "monitor");
	pl_xml_set_attr(op, "interval", interval);
	pl_xml_set_attr(op, "timeout", interval);
	return def;
}

static void
add_child(struct pengine_rsc *p, struct pengine_rsc *c)
{
	p->children = xreallocarray(p->children, p->n_children + 1, sizeof(*p->children));
	p->children[p->n_children++] = c;
}

static struct pengine_rsc *
add_member(struct pengine_ws *ws, struct pengine_rsc *b, xmlNode *def)
{
	struct pengine_rsc *r = pengine_unpack_primitive(ws, def, b);
	add_child(b, r);
	return r;
}

/* ip-range-start plus i, or NULL when the range does not hold it */
static char *
replica_ip(const char *start, int i)
{
	struct in_addr a;
	char buf[INET_ADDRSTRLEN];
	if (start == NULL || inet_pton(AF_INET, start, &a) != 1)
		return NULL;
	a.s_addr = htonl(ntohl(a.s_addr) + (uint32_t)i);
	return xstrdup(inet_ntop(AF_INET, &a, buf, sizeof(buf)));
}

/* the clone of the bundled primitive: "B-clone", or "B-master" when promotable */
static struct pengine_rsc *
inner_clone(struct pengine_ws *ws, struct pengine_rsc *b, xmlNode *inner, int per)
{
	xmlNode *cx =
	    xmlNewDocNode(ws->doc, NULL, BAD_CAST(b->promotable ? "master" : "clone"), NULL);
	char *id = xasprintf("%s-%s", b->id, b->promotable ? "master" : "clone");
	pl_xml_set_attr(cx, "id", id);
	free(id);
	if (ws->orphan_defs == NULL)
		ws->orphan_defs = xmlNewDocNode(ws->doc, NULL, BAD_CAST "orphans", NULL);
	xmlAddChild(ws->orphan_defs, cx);
	struct pengine_rsc *c =
	    pengine_rsc_new(ws, cx, b->promotable ? VARIANT_PROMOTABLE : VARIANT_CLONE, b);
	g_hash_table_replace(c->meta, xstrdup("ordered"), xstrdup("true"));
	c->promotable = b->promotable;
	c->promoted_max = b->promoted_max;
	c->clone_node_max = per;
	c->unique = per > 1;
	c->child_base = xstrdup(pl_xml_id(inner));
	c->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*c->pn));
	c->promo = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	/* notify="true" on the bundled primitive (or the bundle) notifies its clone */
	GHashTable *m = pengine_strtab();
	pengine_unpack_nvpairs(ws, inner, "meta_attributes", NULL, m);
	const char *nv = g_hash_table_lookup(m, "notify");
	c->notify = pengine_is_true(nv ? nv : pengine_meta(b, "notify"));
	g_hash_table_destroy(m);
	return c;
}

struct pengine_rsc *
pengine_unpack_bundle(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	struct pengine_rsc *b = pengine_rsc_new(ws, x, VARIANT_BUNDLE, parent);
	xmlNode *c = container_of(x), *net = pl_xml_first_child(x, "network");
	xmlNode *inner = pl_xml_first_child(x, "primitive");
	if (inner != NULL && pl_xml_id(inner) == NULL) /* schema validation reports it */
		inner = NULL;
	const char *kind = c ? pl_xml_name(c) : "docker";
	b->container_type = xstrdup(kind);
	b->image = xstrdup(c ? pl_xml_attr(c, "image") : NULL);
	b->n_replicas = replica_count(x);
	/* promoted-max makes the bundled primitive promotable (its instances Unpromoted) */
	const char *pm = c ? pl_xml_attr(c, "promoted-max") : NULL;
	if (pm == NULL && c)
		pm = pl_xml_attr(c, "masters");
	b->promotable = pm && atoi(pm) > 0;
	b->promoted_max = pm ? atoi(pm) : 0;
	b->clone_node_max = per_host(x);
	b->replicas = xcalloc((size_t)b->n_replicas, sizeof(*b->replicas));
	for (int i = 0; i < pengine_bundle_guests(x); i++) { /* those <nodes> did not declare */
		char *name = pengine_bundle_guest_name(x, i);
		struct pengine_node *gn = g_hash_table_lookup(ws->node_by_name, name);
		ws->nodes_known += !(gn && gn->listed);
		free(name);
	}
	struct pengine_rsc *clone = inner ? inner_clone(ws, b, inner, b->clone_node_max) : NULL;
	for (int i = 0; i < b->n_replicas; i++) {
		struct pengine_replica *rp = &b->replicas[i];
		char *ip = replica_ip(net ? pl_xml_attr(net, "ip-range-start") : NULL, i);
		if (ip) {
			char *id = xasprintf("%s-ip-%s", b->id, ip);
			xmlNode *def = pengine_implicit_def(ws, id, "ocf", "heartbeat", "IPaddr2");
			rp->ip = add_member(ws, b, pengine_implicit_monitor(def, "60s"));
			rp->address = ip;
			free(id);
		}
		if (inner) { /* instance i of the wrapped primitive, "ID:i" */
			rp->child = pengine_unpack_primitive(ws, inner, clone);
			add_child(clone, rp->child);
			g_hash_table_remove(ws->rsc_by_id, pl_xml_id(inner));
			free(rp->child->id);
			rp->child->id = xasprintf("%s:%d", pl_xml_id(inner), i);
			rp->child->replica = i;
			rp->child->bundled = true;
			g_hash_table_insert(ws->rsc_by_id, rp->child->id, rp->child);
		}
		char *cid = pengine_bundle_container_name(x, i);
		xmlNode *cdef = pengine_implicit_def(ws, cid, "ocf", "heartbeat", kind);
		rp->container = add_member(ws, b, pengine_implicit_monitor(cdef, "60s"));
		free(cid);
		if (inner) {
			char *gid = pengine_bundle_guest_name(x, i);
			xmlNode *gdef = pengine_implicit_def(ws, gid, "ocf", "pacemaker", "remote");
			rp->remote = add_member(ws, b, pengine_implicit_monitor(gdef, "30s"));
			rp->remote->implicit = true;
			rp->remote->container = rp->container;
			rp->container->is_container = true;
			rp->guest = g_hash_table_lookup(ws->node_by_name, gid);
			if (rp->guest)
				rp->guest->guest_child = rp->child;
			free(gid);
		}
	}
	if (clone)
		add_child(b, clone);
	b->inner = clone;
	return b;
}
