/*
 * crmd.h - what the parts of paceline-crmd share inside the daemon: the connections (io.c,
 * which implements the state machine's ops), the local IPC server (server.c) and the cluster
 * view they both read. The controller logic itself is crmd_core (fsm.h).
 */
#ifndef CRMD_CRMD_H
#define CRMD_CRMD_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

struct pl_error;

#define CRMD_MAX_NODES 64

/* One node as this controller knows it (for crm_node -l/-p, crmadmin -S). */
struct crmd_node_view {
	uint32_t nodeid;
	char name[256];
	bool member; /* in the current ring */
	bool crmd;   /* its crmd is in the crmd group */
};

/* Connect to membership, cib, lrmd and pengine (waiting up to wait_ms for each, as the
 * launcher starts them in that order) and start the state machine. */
bool crmd_io_start(int wait_ms, struct pl_error *err);
/* SIGTERM: ask the state machine for a clean shutdown (resources move away first). */
void crmd_io_shutdown(void);
void crmd_io_cleanup(void);

/* Queries for the IPC server. */
struct crmd *crmd_io_fsm(void);
uint32_t crmd_io_nodeid(void);
const char *crmd_io_name(void);
bool crmd_io_quorate(void);
/* Every node of the nodelist and what membership says of it; returns the count. */
unsigned crmd_io_nodes(struct crmd_node_view *out, unsigned max);
const char *crmd_io_node_name(uint32_t nodeid); /* "" when unknown */
uint32_t crmd_io_node_id(const char *name);	/* 0 when unknown */

/* Ask node's controller for its state; done(state or NULL on timeout, arg) later. */
void crmd_io_ask_state(uint32_t nodeid, void (*done)(const char *state, void *arg), void *arg);

/* Tools' requests. */
/* refresh (failed_only false) or cleanup of rsc (NULL = all) on node (0 = all). 0 or an
 * exit code with err set. */
int crmd_io_refresh(const char *rsc, uint32_t nodeid, bool failed_only, struct pl_error *err);
/* crm_resource --fail (crmd_fail_resource): 0, 105 no such node, 102 not ours to record. */
int crmd_io_fail(const char *rsc, const char *node, const char *rclass, const char *provider,
    const char *type, struct pl_error *err);
int crmd_io_remove_node(const char *name, struct pl_error *err);

/* server.c */
bool crmd_server_start(struct pl_error *err);
void crmd_server_stop(void);

#endif
