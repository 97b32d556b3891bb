/*
 * server.c - paceline-launcher's status service (launcher.def): the node's state and one
 * row per child, read straight from the supervisor. Read-only, so any local user may ask.
 */
#include <unistd.h>

#include "launcher.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"

static struct {
	struct pl_ipc_server *srv;
	struct launcher_sup *sup;
} ls;

static void
on_status(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	const struct launcher_sup *s = ls.sup;

	(void)arg;
	pl_msg_pack(&p, PL_MSG_LAUNCHER_STATUS_REPLY, launcher_node_state_name(s->state), s->reason,
	    (uint32_t)getpid(), (uint64_t)(pl_mono_ms() - s->started_ms), (uint32_t)s->n);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LAUNCHER_STATUS_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void
on_child(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	const struct launcher_child *ch;
	uint32_t i;
	uint64_t now = pl_mono_ms(), up = 0, respawn = 0;

	(void)arg;
	if (!pl_msg_unpack(msg, PL_MSG_LAUNCHER_CHILD, &i) || i >= ls.sup->n) {
		pl_ipc_reply_status(
		    c, msg->call_id, PL_EXIT_NOSUCH, "no child number %u (%zu rows)", i, ls.sup->n);
		return;
	}
	ch = &ls.sup->child[i];
	if (ch->pid > 0)
		up = now - ch->started_ms;
	if (ch->state == LAUNCHER_CHILD_BACKOFF && ch->deadline_ms > now)
		respawn = ch->deadline_ms - now;
	pl_msg_pack(&p, PL_MSG_LAUNCHER_CHILD_REPLY, ch->def->name, ch->def->binary,
	    launcher_child_state_name(ch->state), (int32_t)ch->pid, ch->restarts, up, respawn,
	    ch->last_exit);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LAUNCHER_CHILD_REPLY, 0, &p);
	pl_pack_free(&p);
}

bool
launcher_server_start(struct launcher_sup *sup, struct pl_error *err)
{
	ls.sup = sup;
	ls.srv = pl_ipc_server_new(PL_SVC_LAUNCHER, NULL, NULL, NULL, err);
	if (ls.srv == NULL)
		return false;
	pl_ipc_server_handle(ls.srv, PL_MSG_LAUNCHER_STATUS, on_status);
	pl_ipc_server_handle(ls.srv, PL_MSG_LAUNCHER_CHILD, on_child);
	return true;
}

void
launcher_server_stop(void)
{
	if (ls.srv != NULL)
		pl_ipc_server_free(ls.srv);
	ls.srv = NULL;
}
