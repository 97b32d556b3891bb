/*
 * ipc_int.h - lib/ipc internals shared by its files: the exit codes it returns (Pacemaker's
 * values; include/paceline/exitcode.h names them once lib/common has it) and the wire header.
 */
#ifndef PL_IPC_INT_H
#define PL_IPC_INT_H

#define IPC_RC_OK		0
#define IPC_RC_ERROR		1
#define IPC_RC_UNIMPLEMENTED	3
#define IPC_RC_INSUFFICIENT_PRIV 4
#define IPC_RC_SOFTWARE		70
#define IPC_RC_PROTOCOL		76
#define IPC_RC_NOT_CONNECTED	102
#define IPC_RC_TIMEOUT		124

#endif
