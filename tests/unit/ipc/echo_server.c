/*
 * echo_server.c - run the ECHO service by hand: `PL_IPC_PREFIX=x echo_server`, then
 * `PL_IPC_PREFIX=x echo_client hello` in another terminal. Stops on SIGINT/SIGTERM.
 */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "paceline/log.h"
#include "echo_service.h"

static gboolean
on_signal(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int
main(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct echo_stats st = { 0 };
	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	struct pl_ipc_server *s;

	log_init("echo");
	s = echo_server_start(NULL, &st, &err);
	if (s == NULL) {
		fprintf(stderr, "echo_server: %s\n", err.text);
		return err.code;
	}
	g_unix_signal_add(SIGINT, on_signal, loop);
	g_unix_signal_add(SIGTERM, on_signal, loop);
	g_main_loop_run(loop);
	pl_ipc_server_free(s);
	g_main_loop_unref(loop);
	printf("served %u requests for %u clients\n", st.requests, st.accepted);
	return 0;
}
