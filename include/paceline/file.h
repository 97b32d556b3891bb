/*
 * file.h - reading a whole file or stream into memory, with errors that name the file.
 * One way for every parser and tool (paceline.conf, XML, tool input) to read its input,
 * and one way for every daemon and tool to replace a file on disk atomically.
 */
#ifndef PACELINE_FILE_H
#define PACELINE_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct pl_error;

/* Nothing read whole is larger (a CIB of a few thousand nodes' history is tens of MB). */
#define PL_FILE_MAX_BYTES (256u << 20)

/* The whole stream as a NUL-terminated string (xmalloc'd; *len without the NUL, len may be
 * NULL). A read error gives NULL with err "NAME: read error: ..." (PL_EXIT_IOERR); more than
 * PL_FILE_MAX_BYTES gives "NAME: input larger than 256 MB refused" (PL_EXIT_DATAERR). */
char *pl_read_stream(FILE *f, const char *name, size_t *len, struct pl_error *err);
/* The same for a file; one that cannot be opened gives "PATH: cannot open: ..." and one that
 * is not a regular file (FIFO, device, directory) "PATH: not a regular file ..." (both
 * PL_EXIT_NOINPUT, without blocking); a larger one than PL_FILE_MAX_BYTES PL_EXIT_DATAERR. */
char *pl_read_file(const char *path, size_t *len, struct pl_error *err);

/* Atomic writes. Every function returns 0, or PL_EXIT_CANTCREAT (cannot create) /
 * PL_EXIT_IOERR (write, fsync, rename failed) with err "PATH: ...: strerror". Nothing half
 * written is left behind: on failure the temporary file is removed. */

#define PL_WRITE_NOSYNC 1u /* skip the fsyncs: a crash may lose the write (never tear it) */

/* Create or truncate PATH with MODE, write LEN bytes and fsync it (no rename): the first step
 * of a multi-file commit such as the CIB's (cib.xml.tmp + cib.xml.sig.tmp, then renames). */
int pl_write_file_sync(
    const char *path, const void *data, size_t len, mode_t mode, struct pl_error *err);
/* Replace PATH atomically: a unique PATH.XXXXXX in the same directory is written, given MODE,
 * fsynced, renamed over PATH, and the directory fsynced. Readers see the old or the new
 * content, never a mix, before and after a crash. */
int pl_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
    unsigned flags, struct pl_error *err);
/* fsync a directory, making renames in it durable. */
int pl_fsync_dir(const char *dir, struct pl_error *err);

#endif
