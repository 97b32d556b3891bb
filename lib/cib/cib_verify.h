/*
 * cib_verify.h - what the crm_verify checks share: the context of one run and the helpers
 * that read options and name/value sets. cib_verify.c checks the configuration,
 * cib_verify_status.c what the status section implies.
 */
#ifndef CIB_VERIFY_H
#define CIB_VERIFY_H

#include <glib.h>

#include "cib_private.h"

struct vctx {
	const xmlNode *root, *config, *resources, *constraints, *status;
	struct pl_cib_verify_result *r;
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

void pl__cib_vmsg(struct vctx *v, enum pl_cib_verify_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool pl__cib_is_true(const char *s);
bool pl__cib_is_false(const char *s);
/* First value of name in the nvsets of kind below parent (rules are not evaluated). */
const char *pl__cib_nv_lookup(const xmlNode *parent, const char *kind, const char *name);
const char *pl__cib_property(struct vctx *v, const char *name); /* a cluster option */
/* The checks of the status section (cib_verify_status.c). */
void pl__cib_verify_status(struct vctx *v);
/* Is any cluster node up (in the membership, controller online, joined)? */
bool pl__cib_any_node_online(const struct vctx *v);
/* Is the resource (or, for a collective one, one of its primitives) active on some node? */
bool pl__cib_rsc_active_anywhere(struct vctx *v, const xmlNode *rsc);

#endif
