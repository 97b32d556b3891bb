/*
 * crmd_tool.c - the tools' side of paceline-crmd's IPC (crmd_tool.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmd_tool.h"

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/xalloc.h"

struct pl_ipc_conn *
crmdtool_connect(struct tool *t, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c =
	    pl_ipc_connect(PL_SVC_CRMD, timeout_ms < 5000 ? timeout_ms : 5000, &err);

	if (c == NULL)
		tool_error(t, "error: Could not connect to controller: %s", strerror(ECONNREFUSED));
	return c;
}

int
crmdtool_state(struct pl_ipc_conn *c, const char *node, int timeout_ms, struct crmdtool_state *st,
    struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	const char *n, *s, *dc, *local;
	uint32_t id, q;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	pl_msg_pack(&p, PL_MSG_CRMD_STATE, node ? node : "");
	if (!pl_ipc_call(c, PL_MSG_CRMD_STATE, &p, PL_MSG_CRMD_STATE_REPLY, timeout_ms, &m, err)) {
		rc = err->code ? err->code : PL_EXIT_ERROR;
	} else {
		if (!pl_msg_unpack(&m, PL_MSG_CRMD_STATE_REPLY, &n, &id, &s, &dc, &q, &local)) {
			pl_error_set(err, PL_EXIT_PROTOCOL, "malformed reply from the controller");
			rc = PL_EXIT_PROTOCOL;
		} else {
			st->node = xstrdup(n);
			st->node_id = id;
			st->state = xstrdup(s);
			st->dc = xstrdup(dc);
			st->quorate = q != 0;
			st->local = xstrdup(local);
		}
	}
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	return rc;
}

void
crmdtool_state_clear(struct crmdtool_state *st)
{
	free(st->node);
	free(st->state);
	free(st->dc);
	free(st->local);
	memset(st, 0, sizeof(*st));
}

static int
node_cmp(const void *a, const void *b)
{
	const struct crmdtool_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

int
crmdtool_nodes(struct pl_ipc_conn *c, int timeout_ms, struct crmdtool_nodes *out, struct pl_error *err)
{
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	const char **ids = NULL, **names = NULL, **states = NULL;
	uint32_t q, ni = 0, nn = 0, ns = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!pl_ipc_call(c, PL_MSG_CRMD_NODES, NULL, PL_MSG_CRMD_NODES_REPLY, timeout_ms, &m, err)) {
		pl_ipc_msg_clear(&m);
		return err->code ? err->code : PL_EXIT_ERROR;
	}
	if (!pl_msg_unpack(&m, PL_MSG_CRMD_NODES_REPLY, &q, &ids, &ni, &names, &nn, &states, &ns) ||
	    ni != nn || nn != ns) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "malformed reply from the controller");
		rc = PL_EXIT_PROTOCOL;
	} else {
		out->quorate = q != 0;
		out->n = ni;
		out->v = xcalloc(ni ? ni : 1, sizeof(struct crmdtool_node));
		for (uint32_t i = 0; i < ni; i++) {
			out->v[i].id = (uint32_t)strtoul(ids[i], NULL, 10);
			out->v[i].name = xstrdup(names[i]);
			out->v[i].state = xstrdup(states[i]);
		}
		qsort(out->v, out->n, sizeof(*out->v), node_cmp);
	}
	free(ids);
	free(names);
	free(states);
	pl_ipc_msg_clear(&m);
	return rc;
}

void
crmdtool_nodes_clear(struct crmdtool_nodes *n)
{
	for (unsigned i = 0; i < n->n; i++) {
		free(n->v[i].name);
		free(n->v[i].state);
	}
	free(n->v);
	memset(n, 0, sizeof(*n));
}

bool
crmdtool_timeout(const char *text, int *ms)
{
	struct pl_error err = PL_ERROR_INIT;
	uint64_t v;

	if (!pl_interval_parse_ms(text, &v, &err) || v > 24ULL * 3600 * 1000)
		return false;
	*ms = (int)v;
	return true;
}

int
crmdtool_parse(struct tool *t, GOptionContext *ctx, const GOptionEntry *main_entries,
    const char *cmd_group, const GOptionEntry *cmd_entries, const GOptionEntry *more_entries,
    int *argc, char ***argv)
{
	tool_add_group(ctx, cmd_group, "Commands:",
	    strcmp(cmd_group, "command") == 0 ? "Show command options" : "Show command help",
	    cmd_entries);
	tool_add_group(
	    ctx, "additional", "Additional Options:", "Show additional options", more_entries);
	return tool_parse(t, ctx, main_entries, argc, argv);
}
