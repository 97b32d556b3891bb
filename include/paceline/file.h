/*
 * file.h - reading a whole file or stream into memory, with errors that name the file.
 * One way for every parser and tool (paceline.conf, XML, tool input) to read its input.
 */
#ifndef PACELINE_FILE_H
#define PACELINE_FILE_H

#include <stddef.h>
#include <stdio.h>

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

#endif
