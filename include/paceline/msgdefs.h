/*
 * msgdefs.h - every local IPC message of Paceline, defined once.
 *
 * Each service owns one table file, include/paceline/msg/<service>.def, made of lines
 *
 *	PL_MSG(SVC, NUM, NAME, DIR, PRIV, SIG, MAXLEN)
 *
 *   SVC     the service (daemon) that serves it: ECHO, MEMBERSHIP, CIB, PENGINE, CRMD, LRMD,
 *           STONITHD, ATTRD, LAUNCHER -> enum pl_service PL_SVC_<SVC>
 *   NUM     the message number on the wire, in the service's range (SVC * 0x100 + 1..0xff,
 *           msg/all.def); stable forever: a new message takes the next free number, a
 *           removed one leaves a hole (tests/unit/ipc/msg-numbers.golden checks this)
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
 *   MAXLEN  the largest payload accepted, in bytes, or PL_MSG_UNBOUNDED: bounded only by the
 *           process's configurable limit (pl_msg_limit()). The effective limit of a message is
 *           the smaller of the two. The service's largest MAXLEN also sizes its IPC buffers:
 *           every connection costs 3 x that in /dev/shm (docs/design/ipc.md)
 *
 * The .def files are listed once, in msg/all.def.
 *
 * The dispatcher (lib/ipc) rejects a message whose type is unknown, belongs to another
 * service, travels in the wrong direction, comes from a sender without the privilege,
 * exceeds MAXLEN or does not match SIG, before any handler sees it.
 */
#ifndef PACELINE_MSGDEFS_H
#define PACELINE_MSGDEFS_H

#include <stddef.h>

/* Services; the value S also gives the service's message number range S*0x100 + 1..0xff
 * (msg/all.def). Never renumber: append. */
enum pl_service {
	PL_SVC_NONE = 0,
	PL_SVC_ECHO = 1, /* the test echo service of lib/ipc's tests */
	PL_SVC_MEMBERSHIP = 2,
	PL_SVC_CIB = 3,
	PL_SVC_PENGINE = 4,
	PL_SVC_CRMD = 5,
	PL_SVC_LRMD = 6,
	PL_SVC_STONITHD = 7,
	PL_SVC_ATTRD = 8,
	PL_SVC_LAUNCHER = 9,
	PL_SVC_QNETD = 10, /* the quorum device's arbiter: its TCP protocol and local status */
	PL_SVC_COUNT
};

/* The service whose range holds message number n. */
#define PL_MSG_SERVICE_OF(n) ((unsigned)(n) >> 8)
/* Message numbers are below this (the table is indexed by number). */
#define PL_MSG_TYPE_LIMIT    ((unsigned)PL_SVC_COUNT << 8)
/* MAXLEN of a message bounded only by the configurable limit (pl_msg_limit()). */
#define PL_MSG_UNBOUNDED     0xffffffffu

enum pl_msg_dir { PL_DIR_REQ = 1, PL_DIR_REPLY, PL_DIR_EVENT };
enum pl_msg_priv { PL_PRIV_ANY = 0, PL_PRIV_WRITE };

enum pl_msg_type {
	PL_MSG_NONE = 0,
#define PL_MSG(svc, num, name, dir, priv, sig, maxlen) PL_MSG_##name = (num),
#include "paceline/msg/all.def"
	PL_MSG__LAST = PL_MSG_TYPE_LIMIT - 1
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

/* The table, indexed by number (lib/ipc/msgdefs.c). NULL for an unknown number. */
const struct pl_msg_def *pl_msg_def(unsigned type);
const char *pl_service_name(enum pl_service svc); /* "lrmd" */
const char *pl_msg_name(unsigned type);		  /* "ECHO_REQ", "unknown" */
/* The largest MAXLEN among the service's messages. */
unsigned pl_service_maxlen(enum pl_service svc);

/*
 * The configurable limit on one message (local IPC and between nodes), the bound of every
 * PL_MSG_UNBOUNDED message: 256 MiB by default; the environment variable PL_MSG_LIMIT
 * (bytes, or with a K, M or G suffix), read at first use, or pl_msg_set_limit() (a daemon's
 * configuration) replace it. The effective limit of a message is min(MAXLEN, this).
 */
#define PL_MSG_LIMIT_DEFAULT (256u * 1024 * 1024)
#define PL_MSG_LIMIT_ENV     "PL_MSG_LIMIT"
size_t pl_msg_limit(void);
void pl_msg_set_limit(size_t bytes);
/* min(maxlen, pl_msg_limit()) */
size_t pl_msg_effective_limit(unsigned maxlen);

#endif
