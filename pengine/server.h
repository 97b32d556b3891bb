/*
 * server.h - paceline-pengine's IPC front end: PENGINE_COMPUTE runs lib/pengine on the CIB
 * it carries and answers with the numbered transition; PENGINE_STATS reports counters.
 */
#ifndef PENGINE_SERVER_H
#define PENGINE_SERVER_H

#include <stdbool.h>

#include "inputs.h"

struct pl_error;

/* Start serving paceline-pengine (or $PL_IPC_PREFIX-pengine) in the default main context.
 * `inputs` (saving of inputs, possibly off) stays owned by the caller and must outlive it. */
bool pengine_server_start(struct pengine_inputs *inputs, struct pl_error *err);
/* Disconnect every client and stop serving (idempotent). */
void pengine_server_stop(void);

#endif
