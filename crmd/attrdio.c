/*
 * attrdio.c - see attrdio.h. One connection to the local paceline-attrd, opened when first
 * needed and dropped on any failure (the next call reconnects). Calls wait at most
 * ATTRDIO_TIMEOUT_MS: attrd answers once the update is broadcast, not once it is written.
 */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrdio.h"
#include "paceline/attrd_client.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define ATTRDIO_TIMEOUT_MS 5000

static struct pl_attrd *conn;

static bool
send_update(const struct pl_attrd_update *u)
{
	struct pl_error err = PL_ERROR_INIT;

	if (conn == NULL && (conn = pl_attrd_connect(1000, &err)) == NULL) {
		log_warnx("paceline-attrd: %s (writing the CIB directly)", err.text);
		return false;
	}
	if (pl_attrd_update(conn, u, ATTRDIO_TIMEOUT_MS, &err) == 0)
		return true;
	log_warnx("paceline-attrd: update of %s failed: %s", u->name, err.text);
	attrdio_close();
	return false;
}

bool
attrdio_set(const char *host, const char *name, const char *value)
{
	struct pl_attrd_update u = {
		.host = host, .name = name, .value = value, .flags = PL_ATTRD_VALUE
	};

	return send_update(&u);
}

bool
attrdio_fail_count(const char *host, const char *rsc, const char *action, uint32_t interval_ms,
    bool fatal, uint64_t now_s)
{
	char *name = xasprintf("fail-count-%s#%s_%" PRIu32, rsc, action, interval_ms);
	char *when = xasprintf("%" PRIu64, now_s);
	struct pl_attrd_update u = { .host = host,
		.name = name,
		.value = fatal ? "INFINITY" : "value++",
		.flags = PL_ATTRD_VALUE };
	bool ok = send_update(&u);

	free(name);
	if (ok) {
		name = xasprintf("last-failure-%s#%s_%" PRIu32, rsc, action, interval_ms);
		u.name = name;
		u.value = when;
		ok = send_update(&u);
		free(name);
	}
	free(when);
	return ok;
}

/* A regular expression matching s literally. */
static char *
re_quote(const char *s)
{
	char *q = xcalloc(2 * strlen(s) + 1, 1), *p = q;

	for (; *s != '\0'; s++) {
		if (strchr("\\^$.|?*+()[]{}", *s) != NULL)
			*p++ = '\\';
		*p++ = *s;
	}
	return q;
}

bool
attrdio_clear_fail_count(const char *host, const char *rsc, const char *action, uint32_t interval_ms)
{
	struct pl_attrd_update u = { .host = host, .flags = PL_ATTRD_VALUE | PL_ATTRD_PATTERN };
	char *r = rsc ? re_quote(rsc) : xstrdup("[^#]+");
	char *a = action ? re_quote(action) : NULL;
	char *pattern = action
	    ? xasprintf("^(fail-count|last-failure)-%s#%s_%" PRIu32 "$", r, a, interval_ms)
	    : xasprintf("^(fail-count|last-failure)-%s#", r);
	bool ok;

	u.name = pattern;
	ok = send_update(&u);
	free(pattern);
	free(r);
	free(a);
	return ok;
}

void
attrdio_close(void)
{
	pl_attrd_disconnect(conn);
	conn = NULL;
}
