/*
 * cib_daemon.h - the parts of paceline-cib: core.c holds the CIB, applies updates, makes them
 * durable before they are acknowledged and notifies subscribers; server.c is the local IPC
 * front end (cib.def); repl.c replicates updates through paceline-membership (wire.c: the
 * messages between replicas). docs/design/cib.md describes the whole.
 */
#ifndef CIB_DAEMON_H
#define CIB_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"

/* An update as the core applies it: what a client asked, with the stamps the daemon adds. */
struct cib_update {
	uint32_t op;	      /* enum pl_cib_op, never QUERY */
	uint32_t flags;	      /* enum pl_cib_flag */
	const char *section;  /* NULL = none */
	const char *xpath;    /* NULL = none */
	const xmlNode *input; /* NULL = none */
	const char *origin;   /* node name */
	const char *client;   /* client name */
	const char *user;     /* from the sender's uid */
	long long when;	      /* seconds since the epoch, for cib-last-written */
};

/* Who waits for the answer of an update: the IPC client (by id) and its call id. */
struct cib_waiter {
	uint64_t client_id;
	uint32_t call_id;
};

/* ---- core.c ---- */
/* What the core reports, through callbacks (the server in the daemon, a test alone). */
struct cib_core_ops {
	/* answer a waiter (nothing happens when the client is gone) */
	void (*reply)(const struct cib_waiter *w, int rc, const char *text, const char *output,
	    const struct pl_cib_version *v, void *arg);
	/* the patchset of an applied update, for the subscribers */
	void (*notify)(const struct pl_cib_version *v, const char *origin, const char *client,
	    uint32_t op, const xmlNode *patchset, void *arg);
	void *arg;
};
/* Counters of the write path (docs/design/cib.md). */
struct cib_core_stats {
	uint64_t config_updates; /* acknowledged after their write */
	uint64_t status_updates; /* acknowledged at once, written soon after */
	uint64_t writes;	 /* writes started: updates per write = group commit */
	uint64_t write_errors;
	uint64_t pending; /* applied updates not yet on disk */
};
/* Load <state_dir>/cib (an empty CIB when there is none) and start the writer thread.
 * false with err set when the directory cannot be made or the CIB there is unusable. */
bool cib_core_init(const char *state_dir, const struct cib_core_ops *ops, struct pl_error *err);
/* Write what is not on disk yet (status-only updates included), answer waiters, free. */
void cib_core_shutdown(void);
void cib_core_get_stats(struct cib_core_stats *out);
const char *cib_core_node(void); /* this node's name (update-origin) */
void cib_core_version(struct pl_cib_version *v);
/* Answer a query now. Returns 0 or an exit code (e set); *out a new node (xmlFreeNode). */
int cib_core_query(const struct pl_cib_request *req, xmlNode **out, struct pl_error *e);
/* Apply an update; the waiter (may be NULL) is answered at once for a failure or a
 * status-only update, after the write that contains it for a configuration update, and once
 * the configuration it saw is durable for an update that changed nothing. */
void cib_core_update(const struct cib_update *u, const struct cib_waiter *w);
/* ACLs (lib/cib/cib_acl.c) for a local client: true when they apply to user (enable-acl on,
 * not root or hacluster); the query answer cut to what user may read (*out replaced; 4 when
 * nothing is readable); 0 or 4 for an update tried on a copy of the CIB, before it is
 * replicated (the replicas then apply it unchecked, as Pacemaker's peers do). */
bool cib_core_acl_applies(const char *user);
int cib_core_acl_filter(const char *user, xmlNode **out, struct pl_error *e);
int cib_core_acl_check(const struct cib_update *u, struct pl_error *e);

void cib_core_digest(char out[65]); /* of the whole CIB, status included */
char *cib_core_dump(void);	    /* the whole CIB as text (caller frees) */
/* A section (NULL: the whole CIB) as text, serialized in place (a query copies it first);
 * NULL when the document has no such section. */
char *cib_core_dump_section(const char *section);
/* Take a peer's whole CIB (join sync). Returns 0 or an exit code (logged). */
int cib_core_sync(const char *text);

/* ---- repl.c ---- */
/* Connect to paceline-membership and join group "cib"; standalone when it is absent. */
void cib_repl_start(void);
void cib_repl_stop(void);
bool cib_repl_active(void); /* false while a join sync runs: clients wait */
/* A local client's update: broadcast (or applied at once when standalone); the waiter is
 * answered when it has been applied here. input_text is u->input as the client sent it, doc
 * (may be NULL) the document u->input is in: the call takes it. */
void cib_repl_submit(const struct cib_update *u, const char *input_text, xmlDoc *doc,
    const struct cib_waiter *w);

/* ---- server.c ---- */
bool cib_server_start(struct pl_error *e);
void cib_server_stop(void);
/* Answer a waiter (nothing happens when the client is gone). */
void cib_server_reply(const struct cib_waiter *w, int rc, const char *text, const char *output,
    const struct pl_cib_version *v);
/* The core's callbacks: answer a waiter, notify subscribers. */
extern const struct cib_core_ops cib_server_core_ops;
/* Serve the requests that waited for the end of a sync. */
void cib_server_resume(void);

#endif
