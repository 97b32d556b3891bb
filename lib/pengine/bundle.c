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
 * The model knows bundles for the status (crm_mon, crm_resource): their implicit resources,
 * their history and their guest nodes. They are not scheduled yet: every resource of a
 * bundle is marked unsupported, so placement and actions pass them by.
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

static struct pengine_rsc *
add_member(struct pengine_ws *ws, struct pengine_rsc *b, xmlNode *def)
{
	struct pengine_rsc *r = pengine_unpack_primitive(ws, def, b);
	r->unsupported = true;
	b->children = xreallocarray(b->children, b->n_children + 1, sizeof(*b->children));
	b->children[b->n_children++] = r;
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

struct pengine_rsc *
pengine_unpack_bundle(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	struct pengine_rsc *b = pengine_rsc_new(ws, x, VARIANT_BUNDLE, parent);
	xmlNode *c = container_of(x), *net = pl_xml_first_child(x, "network");
	xmlNode *inner = pl_xml_first_child(x, "primitive");
	const char *kind = c ? pl_xml_name(c) : "docker";
	b->unsupported = true;
	ws->unsupported = true;
	b->container_type = xstrdup(kind);
	b->image = xstrdup(c ? pl_xml_attr(c, "image") : NULL);
	b->n_replicas = replica_count(x);
	/* promoted-max makes the bundled primitive promotable (its instances Unpromoted) */
	const char *pm = c ? pl_xml_attr(c, "promoted-max") : NULL;
	if (pm == NULL && c)
		pm = pl_xml_attr(c, "masters");
	b->promotable = pm && atoi(pm) > 0;
	b->replicas = xcalloc((size_t)b->n_replicas, sizeof(*b->replicas));
	ws->nodes_known += pengine_bundle_guests(x);
	for (int i = 0; i < b->n_replicas; i++) {
		struct pengine_replica *rp = &b->replicas[i];
		char *ip = replica_ip(net ? pl_xml_attr(net, "ip-range-start") : NULL, i);
		if (ip) {
			char *id = xasprintf("%s-ip-%s", b->id, ip);
			rp->ip = add_member(
			    ws, b, pengine_implicit_def(ws, id, "ocf", "heartbeat", "IPaddr2"));
			rp->address = ip;
			free(id);
		}
		if (inner) { /* instance i of the wrapped primitive, "ID:i" */
			rp->child = add_member(ws, b, inner);
			g_hash_table_remove(ws->rsc_by_id, pl_xml_id(inner));
			free(rp->child->id);
			rp->child->id = xasprintf("%s:%d", pl_xml_id(inner), i);
			rp->child->replica = i;
			rp->child->bundled = true;
			g_hash_table_insert(ws->rsc_by_id, rp->child->id, rp->child);
		}
		char *cid = pengine_bundle_container_name(x, i);
		rp->container =
		    add_member(ws, b, pengine_implicit_def(ws, cid, "ocf", "heartbeat", kind));
		free(cid);
		if (inner) {
			char *gid = pengine_bundle_guest_name(x, i);
			rp->remote = add_member(
			    ws, b, pengine_implicit_def(ws, gid, "ocf", "pacemaker", "remote"));
			rp->guest = g_hash_table_lookup(ws->node_by_name, gid);
			if (rp->guest)
				rp->guest->guest_child = rp->child;
			free(gid);
		}
	}
	return b;
}
