/*
 * crmd_tool.h - what crmadmin, crm_node and crm_resource share to talk to paceline-crmd:
 * connecting with Pacemaker's error text, one request/reply with a deadline, and the
 * controller's view of the nodes.
 */
#ifndef PACELINE_CRMD_TOOL_H
#define PACELINE_CRMD_TOOL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "paceline/ipc.h"
#include "tool.h"

/* Pacemaker's option layout on the shared prologue (tool.h): the main entries, a
 * "Commands:" group named `cmd_group` and an "Additional Options:" group, then tool_parse
 * (-$ -V --output-as --output-to). Returns -1 to go on, or the exit code to return (the
 * tool is finished then). The caller frees ctx. */
int crmdtool_parse(struct tool *t, GOptionContext *ctx, const GOptionEntry *main_entries,
    const char *cmd_group, const GOptionEntry *cmd_entries, const GOptionEntry *more_entries,
    int *argc, char ***argv);

/* Connect to the local controller within timeout_ms; on failure reports Pacemaker's
 * "error: Could not connect to controller: ..." (tool_error) and returns NULL (exit 102). */
struct pl_ipc_conn *crmdtool_connect(struct tool *t, int timeout_ms);

/* The controller's state reply (CRMD_STATE). Strings owned by the struct. */
struct crmdtool_state {
	char *node; /* the node asked about */
	uint32_t node_id;
	char *state; /* S_IDLE, S_NOT_DC, ... */
	char *dc;    /* "" = none */
	bool quorate;
	char *local; /* the answering node's name */
};
/* 0 or an exit code (err set). */
int crmdtool_state(struct pl_ipc_conn *c, const char *node, int timeout_ms,
    struct crmdtool_state *st, struct pl_error *err);
void crmdtool_state_clear(struct crmdtool_state *st);

struct crmdtool_node {
	uint32_t id;
	char *name;
	char *state; /* "member", "lost" */
};
struct crmdtool_nodes {
	bool quorate;
	unsigned n;
	struct crmdtool_node *v; /* sorted by id */
};
int crmdtool_nodes(
    struct pl_ipc_conn *c, int timeout_ms, struct crmdtool_nodes *out, struct pl_error *err);
void crmdtool_nodes_clear(struct crmdtool_nodes *n);

/* A TIMESPEC option (Pacemaker's: seconds, units, ISO 8601) in ms; false when invalid. */
bool crmdtool_timeout(const char *text, int *ms);

#endif
