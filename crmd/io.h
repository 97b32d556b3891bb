/*
 * io.h - inside paceline-crmd's I/O layer: the connections and the view shared by io.c
 * (membership, peers, pengine, timers, the ops table), cibio.c (CIB) and lrmio.c (lrmd).
 * Every input to the state machine goes through io_input_done() afterwards, which re-arms
 * the one timer at crmd_next_deadline(). Calls back into the state machine from inside an
 * op are deferred to the main loop (io_defer), never made re-entrantly.
 */
#ifndef CRMD_IO_H
#define CRMD_IO_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "crmd.h"
#include "fsm.h"

struct pl_membership;
struct pl_cib_conn;
struct pl_lrmd;
struct pl_ipc_conn;

struct crmd_io {
	struct crmd *fsm;
	struct pl_membership *memb;
	struct pl_cib_conn *cib;
	struct pl_lrmd *lrmd;
	struct pl_ipc_conn *pe;
	uint32_t nodeid;
	char name[256];
	enum crmd_state state;
	guint timer;
	struct crmd_options opt;
	bool start_fatal;	      /* start-failure-is-fatal */
	struct crmd_cib_version cibv; /* the local CIB's, from notifications */
	/* membership */
	unsigned n_nodes; /* the nodelist */
	struct crmd_node_view nodes[CRMD_MAX_NODES];
	bool quorate;
	bool have_ring;	 /* a quorum event gave the ring's members */
	char *last_view; /* the last configuration given to the fsm */
	bool stopping;
};

extern struct crmd_io io;

uint64_t io_now(void);	  /* monotonic ms: the state machine's clock */
void io_input_done(void); /* after every input: re-arm the timer */
/* Run fn(arg) from the main loop soon (for results an op produces at once). */
void io_defer(void (*fn)(void *arg), void *arg);
char *io_node_id_str(uint32_t nodeid); /* "3", caller frees */

/* cibio.c */
bool cibio_connect(int wait_ms, struct pl_error *err);
void cibio_close(void);
void cibio_read_options(void);
void cibio_write_nodes(void);
void cibio_fill_ops(struct crmd_ops *ops);
/* Asynchronous update (fire and forget, failures logged once; 105 ignored for deletes). */
bool cibio_update(int op, unsigned flags, const char *section, const char *xpath,
    const void *input_node, const char *what);
/* Run fn(arg) from the loop once every update sent so far has been answered. */
void cibio_when_flushed(void (*fn)(void *arg), void *arg);
/* The whole CIB as text (synchronous local query), NULL with err. */
char *cibio_query_text(struct pl_error *err);
/* The value of an attribute found by xpath (synchronous), NULL when none. Caller frees. */
char *cibio_query_value(const char *xpath, const char *attr);

/* lrmio.c */
bool lrmio_connect(int wait_ms, struct pl_error *err);
void lrmio_close(void);
void lrmio_fill_ops(struct crmd_ops *ops);
const char *lrmio_restart_list(const char *rclass, const char *provider, const char *type);

#endif
