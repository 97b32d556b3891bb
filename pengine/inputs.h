/*
 * inputs.h - the ring of saved scheduler inputs: DIR/pe-input-N.xml, N = 0 .. max-1, reused
 * in a circle, the next N kept in DIR/pe-input.last so numbering survives a restart (as
 * Pacemaker's pe-input-N.bz2 series). Files are written by temporary file + rename, so a
 * reader never sees a torn input.
 */
#ifndef PENGINE_INPUTS_H
#define PENGINE_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pl_error;

struct pengine_inputs {
	char *dir;     /* NULL: saving is off */
	unsigned max;  /* ring size; 0: off */
	uint32_t next; /* the N of the next input */
};

/* Open the ring: create dir (0750) if needed, read pe-input.last. false with err when the
 * directory cannot be made or written. */
bool pengine_inputs_open(
    struct pengine_inputs *in, const char *dir, unsigned max, struct pl_error *err);
/* Save one input; returns the path (caller frees), NULL when off or on failure (logged). */
char *pengine_inputs_save(struct pengine_inputs *in, const char *cib, size_t len);
void pengine_inputs_close(struct pengine_inputs *in);

#endif
