/*
 * stonithd.h - what the parts of paceline-stonithd share: io.c connects the pure core
 * (core.h) to paceline-membership (group `stonithd`), the CIB (devices.h) and the agents
 * (agents.h); server.c serves local clients (crmd, stonith_admin) over IPC.
 */
#ifndef STONITHD_STONITHD_H
#define STONITHD_STONITHD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "devices.h"

struct pl_error;
struct pl_buf;

bool stonithd_io_start(int wait_ms, struct pl_error *err);
void stonithd_io_cleanup(void);

/* For server.c. */
uint64_t stonithd_io_fence(const char *target, const char *action, const char *client,
    uint32_t timeout_ms, uint32_t flags, uint32_t delay_ms, struct pl_error *err);
/* Device ids registered here: all (target NULL or "") or able to fence target. */
char **stonithd_io_devices(const char *target, size_t *n);
bool stonithd_io_register(
    const char *id, const char *type, const char **kv, size_t n, struct pl_error *err);
bool stonithd_io_deregister(const char *id, struct pl_error *err);
bool stonithd_io_cleanup_history(const char *target, struct pl_error *err);
/* <fence-history> of target (NULL or "": all): ended requests, then those still running. */
void stonithd_io_history(const char *target, struct pl_buf *out);
/* stonith_admin -r / -d: a level of target spec (NAME, @PATTERN, ATTR=VALUE) registered with
 * devices, or removed (index 0: all of the target's); kept in memory, across CIB reloads. */
bool stonithd_io_level(const char *spec, uint32_t index, const char *const *devices, size_t n,
    bool add, struct pl_error *err);
/* Run a device's list/monitor/status action here; done(rc, output, reason, arg) later. */
bool stonithd_io_device_action(const char *id, const char *action,
    void (*done)(void *arg, int rc, const char *output, const char *reason), void *arg,
    struct pl_error *err);

/* server.c */
bool stonithd_server_start(struct pl_error *err);
void stonithd_server_stop(void);
/* A request ended: to every subscribed client. */
void stonithd_server_result(const struct stonithd_result *r);

#endif
