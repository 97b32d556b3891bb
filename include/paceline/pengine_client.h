/*
 * pengine_client.h - asking paceline-pengine, the policy engine daemon, for a transition.
 *
 * The daemon is a thin wrapper around lib/pengine (include/paceline/pengine.h): a CIB goes in,
 * the transition graph, the summary text and the warnings come back, numbered. Its messages
 * are in include/paceline/msg/pengine.def; docs/design/pengine-daemon.md describes them.
 *
 *	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_PENGINE, 5000, &err);	(NULL: 102)
 *	struct pl_pengine_request rq = PL_PENGINE_REQUEST_INIT;
 *	struct pl_pengine_result res = PL_PENGINE_RESULT_INIT;
 *	if (!pl_pengine_compute(c, cib_text, &rq, 0, &res, &err))
 *		... err.code: 102 not connected, 124 timeout, 4 not privileged, 65 malformed XML,
 *		    78 not a CIB, 2 CIB too large ...; err.text names the problem
 *	... res.graph ...
 *	pl_pengine_result_clear(&res);
 */
#ifndef PACELINE_PENGINE_CLIENT_H
#define PACELINE_PENGINE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pl_error;
struct pl_ipc_conn;
struct pl_ipc_msg;
struct pl_pack;

/* The largest CIB text a request can carry (PENGINE_COMPUTE's MAXLEN less its other fields). */
size_t pl_pengine_cib_max(void);

struct pl_pengine_request {
	long long now;	/* evaluation time, epoch seconds; 0 = execution-date or now */
	uint32_t flags; /* PL_PENGINE_REQ_*: none yet, 0 */
};
#define PL_PENGINE_REQUEST_INIT \
	{                       \
		0, 0            \
	}

struct pl_pengine_result {
	uint32_t transition; /* the daemon's number for this transition */
	char *graph;	     /* transition graph XML */
	char *summary;	     /* "Transition Summary" lines */
	char *warnings;	     /* unsupported features met, one a line; "" = none */
	char *input_path;    /* where the daemon saved the input; "" = not saved */
};
#define PL_PENGINE_RESULT_INIT            \
	{                                 \
		0, NULL, NULL, NULL, NULL \
	}
void pl_pengine_result_clear(struct pl_pengine_result *res);

/* Encode a PENGINE_COMPUTE payload. false (err 2, nothing packed) when the CIB is larger
 * than pl_pengine_cib_max(). */
bool pl_pengine_request_pack(
    struct pl_pack *p, const char *cib, const struct pl_pengine_request *rq, struct pl_error *err);
/* Encode a PENGINE_COMPUTE_REPLY payload (the daemon's side). */
void pl_pengine_result_pack(struct pl_pack *p, const struct pl_pengine_result *res);
/* Decode a reply: a PENGINE_COMPUTE_REPLY fills res (copies) and returns true; a status
 * reply sets err to its code and text; anything else malformed gives err 76. */
bool pl_pengine_result_decode(
    const struct pl_ipc_msg *m, struct pl_pengine_result *res, struct pl_error *err);

/* Synchronous: send the CIB, wait at most timeout_ms (<= 0: 120 s) for the transition. */
bool pl_pengine_compute(struct pl_ipc_conn *c, const char *cib, const struct pl_pengine_request *rq,
    int timeout_ms, struct pl_pengine_result *res, struct pl_error *err);

/* Asynchronous (the connection must be attached to a main context, pl_ipc_conn_attach): the
 * callback gets the result (NULL on failure) or the error (NULL on success); the result is
 * only valid during the callback. timeout_ms <= 0: no timeout. Returns the call id, 0 on
 * failure (err set; the callback is not called). */
typedef void (*pl_pengine_done_fn)(
    const struct pl_pengine_result *res, const struct pl_error *err, void *arg);
uint32_t pl_pengine_compute_async(struct pl_ipc_conn *c, const char *cib,
    const struct pl_pengine_request *rq, int timeout_ms, pl_pengine_done_fn cb, void *arg,
    struct pl_error *err);

/* The daemon's counters as a NULL-terminated key, value, key, value ... vector: free each
 * string and the vector with pl_pengine_stats_free. NULL with err set on failure. */
char **pl_pengine_stats(struct pl_ipc_conn *c, int timeout_ms, struct pl_error *err);
void pl_pengine_stats_free(char **kv);

#endif
