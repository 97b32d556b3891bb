/*
 * exec.h - run one resource agent action and map its outcome to (rc, status, exit reason).
 *
 * Classes: ocf (OCF_ROOT/resource.d/PROVIDER/TYPE), lsb (LSB_DIR/TYPE), systemd (units over
 * systemd's D-Bus API, exec_systemd.c), service (systemd when it runs, else lsb), stonith
 * (fence devices: paceline-stonithd owns them; exec_stonith.c starts, stops and monitors
 * them here as Pacemaker's executor does).
 *
 * An action's life: lrmd_exec_start() -> (agent runs, pl_child) -> done callback, exactly once,
 * always from the main loop (also for results known at once, e.g. a missing agent).
 */
#ifndef LRMD_EXEC_H
#define LRMD_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "paceline/child.h"
#include "paceline/lrmd_client.h"

/* Where agents live and how they are run; main() and tests may change it before use. */
struct lrmd_config {
	char *ocf_root;		     /* OCF_ROOT, default /usr/lib/ocf */
	char *lsb_dir;		     /* default /etc/init.d */
	uint32_t kill_grace_ms;	     /* SIGTERM -> SIGKILL at a timeout, default 2000 */
	size_t output_max;	     /* bytes kept of stdout and of stderr, default 64 KiB each */
	uint32_t default_timeout_ms; /* when a request gives none, default 20000 */
};
extern struct lrmd_config lrmd_conf;
/* Fill lrmd_conf from the defaults and the environment (OCF_ROOT, PL_LSB_DIR). */
void lrmd_conf_init(void);
void lrmd_conf_free(void);

#define LRMD_EXIT_REASON_MAX 256

struct lrmd_action;
typedef void (*lrmd_action_done_fn)(struct lrmd_action *a, void *arg);

struct lrmd_action {
	/* request */
	char *rsc_id;
	char *rclass;	/* ocf lsb systemd service stonith */
	char *provider; /* ocf only */
	char *type;
	char *action; /* start stop monitor ... */
	uint32_t interval_ms;
	uint32_t timeout_ms;
	struct pl_lrmd_params params;
	struct pl_lrmd_params meta;

	/* result, valid in the done callback */
	int rc;
	int status;	   /* enum pl_lrmd_status */
	char *exit_reason; /* NULL or one line */
	char *output;	   /* the agent's stdout (bounded), NULL if none */
	uint64_t exec_ms;  /* how long the agent ran */

	/* private */
	struct pl_child child;
	bool running;
	guint idle_src;
	void *systemd; /* exec_systemd.c's state while a systemd action runs */
	lrmd_action_done_fn done;
	void *done_arg;
};

struct lrmd_action *lrmd_action_new(const char *rsc_id, const char *rclass, const char *provider,
    const char *type, const char *action, uint32_t interval_ms, uint32_t timeout_ms);
void lrmd_action_free(struct lrmd_action *a);
/* Forget a previous result so the action can run again (recurring monitors). */
void lrmd_action_reset(struct lrmd_action *a);

void lrmd_exec_start(struct lrmd_action *a, lrmd_action_done_fn done, void *arg);
/* Stop a running action: its callback runs with status cancelled. No-op when not running. */
void lrmd_exec_cancel(struct lrmd_action *a);

/* Finish an action with a result known without running anything (from the main loop). */
void lrmd_exec_finish_later(struct lrmd_action *a, int rc, int status, const char *reason, ...)
    __attribute__((format(printf, 4, 5)));

/* --- pieces, exposed for tests --- */

/* The environment of an OCF action: base (normally environ) without any inherited OCF_RESKEY_*
 * or OCF_RESOURCE_*, plus the OCF variables. NULL-terminated, free with g_strfreev. NULL with
 * *bad set to the offending name when a parameter name cannot be an environment name. */
char **lrmd_env_build(const struct lrmd_action *a, char *const *base, const char **bad);

/* Map an OCF agent's exit code: rc, and a reason when the code is out of range. */
int lrmd_map_ocf_exit(int code, const char **why);
/* Map an LSB init script's exit code for action (status codes differ from the others). */
int lrmd_map_lsb_exit(const char *action, int code);
/* The last "ocf-exit-reason:" line of an agent's stderr, trimmed and bounded; NULL if none. */
char *lrmd_parse_exit_reason(const char *errout);
/* Path of the program that runs this action; NULL for systemd/stonith. */
char *lrmd_agent_path(const char *rclass, const char *provider, const char *type);
/* "service" resolved: "systemd" when systemd runs, else "lsb". */
const char *lrmd_service_class(const char *type);

/* exec_stonith.c */
void lrmd_stonith_start(struct lrmd_action *a);
void lrmd_stonith_clear(void); /* at exit */

/* exec_systemd.c */
bool lrmd_systemd_running(void);
void lrmd_systemd_start(struct lrmd_action *a);
void lrmd_systemd_cancel(struct lrmd_action *a);
/* Service units systemd knows, without ".service", sorted (empty without systemd). */
char **lrmd_systemd_list(void);

#endif
