/*
 * msgdefs.h - every local IPC message of Paceline, defined once.
 *
 * Each service owns one table file, include/paceline/msg/<service>.def, made of lines
 *
 *	PL_MSG(SVC, NAME, DIR, PRIV, SIG, MAXLEN)
 *
 *   SVC     the service (daemon) that serves it: ECHO, MEMBERSHIP, CIB, PENGINE, CRMD, LRMD,
 *           STONITHD, ATTRD, LAUNCHER -> enum pl_service PL_SVC_<SVC>
 *   NAME    -> enum pl_msg_type PL_MSG_<NAME>; its name for tracing is the string "NAME"
 *   DIR     REQ (client -> server), REPLY (server -> client, answers one REQ by call id),
 *           EVENT (server -> subscribed clients, unsolicited)
 *   PRIV    ANY (any local user may send it) or WRITE (only root or the haclient group);
 *           only meaningful for REQ
 *   SIG     payload signature, one letter a field, checked before any handler runs:
 *             u uint32   U uint64   i int32   I int64
 *             s string (uint32 length + bytes, no NUL inside; decoded NUL-terminated)
 *             x XML text (encoded like s; the handler parses it)
 *             b blob (uint32 length + bytes)
 *             a array of strings (uint32 count + that many s)
 *             k key/value list (uint32 count + that many pairs of s)
 *           all integers in network byte order; the payload must be consumed exactly
 *           (include/paceline/pack.h: on the wire, s and x also carry their terminating NUL
 *           after the bytes, so decoding needs no copy)
 *   MAXLEN  the largest payload accepted, in bytes. The service's largest MAXLEN also sizes its
 *           IPC buffers: every connection costs 3 x that in /dev/shm (docs/design/ipc.md)
 *
 * The dispatcher (lib/ipc) rejects a message whose type is unknown, belongs to another
 * service, travels in the wrong direction, comes from a sender without the privilege,
 * exceeds MAXLEN or does not match SIG, before any handler sees it.
 */
#ifndef PACELINE_MSGDEFS_H
#define PACELINE_MSGDEFS_H

#define PL_MSG_TABLE_FILES                       \
	PL_MSG_FILE("paceline/msg/echo.def")     \
	PL_MSG_FILE("paceline/msg/membership.def") \
	PL_MSG_FILE("paceline/msg/cib.def")      \
	PL_MSG_FILE("paceline/msg/pengine.def")  \
	PL_MSG_FILE("paceline/msg/crmd.def")     \
	PL_MSG_FILE("paceline/msg/lrmd.def")     \
	PL_MSG_FILE("paceline/msg/stonithd.def") \
	PL_MSG_FILE("paceline/msg/attrd.def")    \
	PL_MSG_FILE("paceline/msg/launcher.def")

enum pl_service {
	PL_SVC_NONE = 0,
	PL_SVC_ECHO,		/* the test echo service of lib/ipc's tests */
	PL_SVC_MEMBERSHIP,
	PL_SVC_CIB,
	PL_SVC_PENGINE,
	PL_SVC_CRMD,
	PL_SVC_LRMD,
	PL_SVC_STONITHD,
	PL_SVC_ATTRD,
	PL_SVC_LAUNCHER,
	PL_SVC_COUNT
};

enum pl_msg_dir { PL_DIR_REQ = 1, PL_DIR_REPLY, PL_DIR_EVENT };
enum pl_msg_priv { PL_PRIV_ANY = 0, PL_PRIV_WRITE };

enum pl_msg_type {
	PL_MSG_NONE = 0,
#define PL_MSG(svc, name, dir, priv, sig, maxlen) PL_MSG_##name,
#include "paceline/msg/echo.def"
#include "paceline/msg/membership.def"
#include "paceline/msg/cib.def"
#include "paceline/msg/pengine.def"
#include "paceline/msg/crmd.def"
#include "paceline/msg/lrmd.def"
#include "paceline/msg/stonithd.def"
#include "paceline/msg/attrd.def"
#include "paceline/msg/launcher.def"
#undef PL_MSG
	PL_MSG_COUNT
};

struct pl_msg_def {
	enum pl_msg_type type;
	const char *name;
	enum pl_service service;
	enum pl_msg_dir dir;
	enum pl_msg_priv priv;
	const char *sig;
	unsigned maxlen;
};

/* The table, indexed by type (lib/ipc/msgdefs.c). NULL for an unknown type. */
const struct pl_msg_def *pl_msg_def(unsigned type);
const char *pl_service_name(enum pl_service svc);	/* "lrmd" */
const char *pl_msg_name(unsigned type);			/* "ECHO_REQ", "unknown" */
/* The largest MAXLEN among the service's messages (sizes its IPC buffers). */
unsigned pl_service_maxlen(enum pl_service svc);

#endif
