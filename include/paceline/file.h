/*
 * file.h - reading a whole file or stream into memory, with errors that name the file.
 * One way for every parser and tool (paceline.conf, XML, tool input) to read its input.
 */
#ifndef PACELINE_FILE_H
#define PACELINE_FILE_H

#include <stddef.h>
#include <stdio.h>

struct pl_error;

/* The whole stream as a NUL-terminated string (xmalloc'd; *len without the NUL, len may be
 * NULL). A read error gives NULL with err "NAME: read error: ..." (PL_EXIT_IOERR). */
char *pl_read_stream(FILE *f, const char *name, size_t *len, struct pl_error *err);
/* The same for a file; one that cannot be opened gives "PATH: cannot open: ..." (PL_EXIT_NOINPUT). */
char *pl_read_file(const char *path, size_t *len, struct pl_error *err);

#endif
