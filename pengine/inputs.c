/*
 * inputs.c - the ring of saved scheduler inputs (inputs.h). Saving is a debugging aid: a
 * failure is logged and the transition is still computed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inputs.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

/* Saved inputs are a debugging aid: replaced atomically, but not worth an fsync. */
static bool
write_file(const char *path, const char *data, size_t len)
{
	struct pl_error e = PL_ERROR_INIT;

	if (pl_write_file_atomic(path, data, len, 0640, PL_WRITE_NOSYNC, &e) == 0)
		return true;
	log_warnx("cannot save a scheduler input: %s", e.text);
	return false;
}

bool
pengine_inputs_open(struct pengine_inputs *in, const char *dir, unsigned max, struct pl_error *err)
{
	char *last;
	FILE *f;
	unsigned long n;

	memset(in, 0, sizeof(*in));
	if (dir == NULL || max == 0)
		return true;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		pl_error_set(err, PL_EXIT_CANTCREAT, "cannot create input directory %s: %s", dir,
		    strerror(errno));
		return false;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		pl_error_set(err, PL_EXIT_CANTCREAT, "cannot write input directory %s: %s", dir,
		    strerror(errno));
		return false;
	}
	in->dir = xstrdup(dir);
	in->max = max;
	last = xasprintf("%s/pe-input.last", dir);
	if ((f = fopen(last, "r")) != NULL) {
		if (fscanf(f, "%lu", &n) == 1)
			in->next = (uint32_t)(n % max);
		else
			log_warnx("%s: no number in it, starting the series at 0", last);
		fclose(f);
	}
	free(last);
	return true;
}

char *
pengine_inputs_save(struct pengine_inputs *in, const char *cib, size_t len)
{
	char *path, *last, num[16];

	if (in->dir == NULL)
		return NULL;
	path = xasprintf("%s/pe-input-%u.xml", in->dir, in->next);
	if (!write_file(path, cib, len)) {
		free(path);
		return NULL;
	}
	in->next = (in->next + 1) % in->max;
	last = xasprintf("%s/pe-input.last", in->dir);
	snprintf(num, sizeof(num), "%u\n", in->next);
	write_file(last, num, strlen(num));
	free(last);
	return path;
}

void
pengine_inputs_close(struct pengine_inputs *in)
{
	free(in->dir);
	memset(in, 0, sizeof(*in));
}
