/*
 * server.h - paceline-lrmd's IPC front end: the request handlers of lrmd.def and the routing
 * of operation results to clients.
 */
#ifndef LRMD_SERVER_H
#define LRMD_SERVER_H

#include <stdbool.h>

#include "paceline/error.h"

bool lrmd_server_start(struct pl_error *err);
void lrmd_server_stop(void);

#endif
