/*
 * agents.h - the agent catalogue: classes, OCF providers, agents of a class, and meta-data
 * (run once per agent and cached until the agent file changes).
 */
#ifndef LRMD_AGENTS_H
#define LRMD_AGENTS_H

#include <glib.h>

#include "paceline/buf.h"

/* NULL-terminated, sorted lists; free with g_strfreev. */
char **lrmd_agents_classes(void);
char **lrmd_agents_providers(void);
/* Agents of rclass (and provider for ocf; NULL provider = every provider, "PROVIDER:TYPE"). */
char **lrmd_agents_list(const char *rclass, const char *provider);

/* xml is NULL on failure, with rc/status/reason saying why. */
typedef void (*lrmd_metadata_fn)(const char *xml, int rc, int status, const char *reason, void *arg);
/* Calls fn from the main loop, or at once when the meta-data is cached. */
void lrmd_agents_metadata(
    const char *rclass, const char *provider, const char *type, lrmd_metadata_fn fn, void *arg);
void lrmd_agents_cache_clear(void);
/* Meta-data synthesised from an LSB script's "### BEGIN INIT INFO" block (tests). */
char *lrmd_agents_lsb_metadata(const char *type, const char *script_text);

/* Append s with XML's special characters escaped (attribute values, text). */
void lrmd_xml_escape(struct pl_buf *b, const char *s);

#endif
