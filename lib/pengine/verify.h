/*
 * verify.h - what the crm_verify checks share: the context of one run and the helpers
 * that read options and name/value sets. verify.c checks the configuration,
 * verify_status.c what the status section implies.
 */
#ifndef PENGINE_VERIFY_H
#define PENGINE_VERIFY_H

#include <glib.h>

#include <stdbool.h>
#include <string.h>
#include <libxml/tree.h>

#include "paceline/pengine.h"
#include "paceline/xml.h"

struct pengine_vctx {
	const xmlNode *root, *config, *resources, *constraints, *status;
	struct pl_pengine_verify_result *r;
	GHashTable *rsc;    /* id -> element (primitive, group, clone, master, bundle, template) */
	GHashTable *tags;   /* tag id -> element */
	GHashTable *warned; /* once-only warnings already given */
	bool stonith_enabled, have_stonith, startup_fencing, have_quorum, stop_orphans;
	/* Pacemaker meets some problems only while scheduling actions, which needs a cluster
	 * node that is up: without one those checks stay silent, as in Pacemaker. */
	bool any_online;
	bool have_unfencing; /* a fence device with provides=unfencing */
	const char *no_quorum_policy;
};

void pengine_vmsg(struct pengine_vctx *v, enum pl_pengine_verify_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool pengine_vis_false(const char *s);
/* First value of name in the nvsets of kind below parent (rules are not evaluated). */
const char *pengine_vnv_lookup(const xmlNode *parent, const char *kind, const char *name);
const char *pengine_vproperty(struct pengine_vctx *v, const char *name); /* a cluster option */
long long pengine_vattr_long(const xmlNode *n, const char *name, long long dflt);
/* The checks of the XML (verify.c), then of the status section (verify_status.c). */
void pengine_verify_xml(const xmlNode *cib_root, struct pl_pengine_verify_result *r);
void pengine_verify_status(struct pengine_vctx *v);
/* Is any cluster node up (in the membership, controller online, joined)? */
bool pengine_vany_node_online(const struct pengine_vctx *v);
/* Is the resource (or, for a collective one, one of its primitives) active on some node? */
bool pengine_vrsc_active_anywhere(struct pengine_vctx *v, const xmlNode *rsc);

#endif
