/*
 * agents.c - see agents.h. Meta-data comes from the agent itself (OCF "meta-data"), from an
 * init script's LSB header, or from exec_systemd.c; it is cached by class:provider:type with
 * the agent file's mtime, so an upgraded agent is asked again.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents.h"
#include "exec.h"
#include "paceline/buf.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define METADATA_TIMEOUT_MS 10000

static void xml_escaped(struct pl_buf *b, const char *s, size_t n);

struct md_entry {
	char *xml;
	struct timespec mtime;
};

struct md_waiter {
	lrmd_metadata_fn fn;
	void *arg;
};

/* One agent run per key at a time: identical requests arriving while it runs wait for it. */
struct md_req {
	char *key;
	struct timespec mtime;
	GArray *waiters; /* struct md_waiter */
	struct lrmd_action *a;
};

static GHashTable *md_cache;   /* "class:provider:type" -> struct md_entry */
static GHashTable *md_running; /* "class:provider:type" -> struct md_req (not owned) */

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
ptrs_finish(GPtrArray *v)
{
	g_ptr_array_sort(v, str_cmp);
	g_ptr_array_add(v, NULL);
	return (char **)g_ptr_array_free(v, false);
}

char **
lrmd_agents_classes(void)
{
	GPtrArray *v = g_ptr_array_new();

	g_ptr_array_add(v, g_strdup("ocf"));
	g_ptr_array_add(v, g_strdup("lsb"));
	g_ptr_array_add(v, g_strdup("service"));
	if (lrmd_systemd_running())
		g_ptr_array_add(v, g_strdup("systemd"));
	g_ptr_array_add(v, g_strdup("stonith"));
	return ptrs_finish(v);
}

/* Names in dir (directories or executable files), hidden ones skipped. */
static void
scan_dir(const char *dir, bool want_dirs, const char *prefix, GPtrArray *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 &&
		    (want_dirs ? S_ISDIR(st.st_mode) : (S_ISREG(st.st_mode) && access(p, X_OK) == 0)))
			g_ptr_array_add(out,
			    prefix != NULL ? g_strdup_printf("%s:%s", prefix, e->d_name)
					   : g_strdup(e->d_name));
		free(p);
	}
	closedir(d);
}

char **
lrmd_agents_providers(void)
{
	GPtrArray *v = g_ptr_array_new();
	char *dir = xasprintf("%s/resource.d", lrmd_conf.ocf_root);

	scan_dir(dir, true, NULL, v);
	free(dir);
	return ptrs_finish(v);
}

char **
lrmd_agents_list(const char *rclass, const char *provider)
{
	GPtrArray *v = g_ptr_array_new();

	if (strcmp(rclass, "ocf") == 0) {
		if (provider != NULL && *provider != '\0') {
			char *dir = xasprintf("%s/resource.d/%s", lrmd_conf.ocf_root, provider);

			if (strchr(provider, '/') == NULL)
				scan_dir(dir, false, NULL, v);
			free(dir);
		} else {
			char **provs = lrmd_agents_providers();

			for (char **p = provs; *p != NULL; p++) {
				char *dir = xasprintf("%s/resource.d/%s", lrmd_conf.ocf_root, *p);

				scan_dir(dir, false, *p, v);
				free(dir);
			}
			g_strfreev(provs);
		}
	} else if (strcmp(rclass, "lsb") == 0 || strcmp(rclass, "service") == 0) {
		scan_dir(lrmd_conf.lsb_dir, false, NULL, v);
	}
	if (strcmp(rclass, "systemd") == 0 || strcmp(rclass, "service") == 0) {
		char **units = lrmd_systemd_list();

		for (char **u = units; *u != NULL; u++) {
			bool dup = false;

			for (guint i = 0; i < v->len && !dup; i++)
				dup = strcmp(g_ptr_array_index(v, i), *u) == 0;
			if (!dup)
				g_ptr_array_add(v, g_strdup(*u));
		}
		g_strfreev(units);
	}
	return ptrs_finish(v);
}

void
lrmd_xml_escape(struct pl_buf *b, const char *s)
{
	xml_escaped(b, s, strlen(s));
}

/* Script text into XML text: markup escaped, and what XML 1.0 cannot carry (bytes that are
 * not UTF-8, control characters, U+FFFE/U+FFFF) as '?', so the meta-data always parses. */
static void
xml_escaped(struct pl_buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != '\0') {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			switch (c) {
			case '<': pl_buf_add(b, "&lt;"); break;
			case '>': pl_buf_add(b, "&gt;"); break;
			case '&': pl_buf_add(b, "&amp;"); break;
			case '"': pl_buf_add(b, "&quot;"); break;
			default: pl_buf_addc(b, c < 0x20 && c != '\t' ? '?' : (char)c);
			}
			i++;
			continue;
		}
		gunichar u = g_utf8_get_char_validated(s + i, (gssize)(n - i));

		if (u == (gunichar)-1 || u == (gunichar)-2 || u == 0xFFFE || u == 0xFFFF) {
			pl_buf_addc(b, '?');
			i++;
			continue;
		}
		size_t len = (size_t)g_utf8_skip[c];

		pl_buf_addn(b, s + i, len);
		i += len;
	}
}

/* The value of "# Key: value" inside the INIT INFO block, or NULL. */
static const char *
lsb_field(const char *text, const char *key, size_t *len)
{
	const char *begin = strstr(text, "### BEGIN INIT INFO"), *end;
	const char *p;
	size_t klen = strlen(key);

	if (begin == NULL || (end = strstr(begin, "### END INIT INFO")) == NULL)
		return NULL;
	for (p = begin; p != NULL && p < end; p = strchr(p, '\n')) {
		while (*p == '\n')
			p++;
		if (*p == '#') {
			const char *q = p + 1;

			while (*q == ' ' || *q == '\t')
				q++;
			if (strncmp(q, key, klen) == 0 && q[klen] == ':') {
				q += klen + 1;
				while (*q == ' ' || *q == '\t')
					q++;
				*len = strcspn(q, "\n");
				return q;
			}
		}
	}
	return NULL;
}

char *
lrmd_agents_lsb_metadata(const char *type, const char *text)
{
	struct pl_buf b = PL_BUF_INIT;
	const char *s, *l;
	size_t slen = 0, llen = 0;

	s = lsb_field(text, "Short-Description", &slen);
	l = lsb_field(text, "Description", &llen);
	pl_buf_add(&b, "<?xml version=\"1.0\"?>\n<resource-agent name=\"");
	xml_escaped(&b, type, strlen(type));
	pl_buf_add(&b, "\" version=\"1.0\">\n<version>1.1</version>\n<longdesc lang=\"en\">");
	if (l != NULL)
		xml_escaped(&b, l, llen);
	else
		pl_buf_add(&b, "LSB init script");
	pl_buf_add(&b, "</longdesc>\n<shortdesc lang=\"en\">");
	if (s != NULL)
		xml_escaped(&b, s, slen);
	else
		xml_escaped(&b, type, strlen(type));
	pl_buf_add(&b,
	    "</shortdesc>\n<parameters/>\n<actions>\n"
	    "<action name=\"start\" timeout=\"15s\"/>\n<action name=\"stop\" timeout=\"15s\"/>\n"
	    "<action name=\"status\" timeout=\"15s\"/>\n<action name=\"restart\" "
	    "timeout=\"15s\"/>\n"
	    "<action name=\"force-reload\" timeout=\"15s\"/>\n"
	    "<action name=\"monitor\" timeout=\"15s\" interval=\"15s\"/>\n"
	    "<action name=\"meta-data\" timeout=\"5s\"/>\n</actions>\n</resource-agent>\n");
	return pl_buf_steal(&b);
}

static bool
mtime_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static void
md_entry_free(gpointer p)
{
	struct md_entry *e = p;

	free(e->xml);
	free(e);
}

static void
md_store(const char *key, const struct timespec *mtime, const char *xml)
{
	struct md_entry *e = XNEW(struct md_entry);

	e->xml = xstrdup(xml);
	e->mtime = *mtime;
	g_hash_table_replace(md_cache, xstrdup(key), e);
}

static void
md_done(struct lrmd_action *a, void *arg)
{
	struct md_req *r = arg;

	bool ok = a->status == PL_LRMD_DONE && a->rc == 0 && a->output != NULL &&
	    strstr(a->output, "<resource-agent") != NULL;

	if (g_hash_table_lookup(md_running, r->key) == r)
		g_hash_table_remove(md_running, r->key);
	if (ok)
		md_store(r->key, &r->mtime, a->output);
	for (guint i = 0; i < r->waiters->len; i++) {
		struct md_waiter *w = &g_array_index(r->waiters, struct md_waiter, i);

		if (ok)
			w->fn(a->output, 0, PL_LRMD_DONE, NULL, w->arg);
		else
			w->fn(NULL, a->rc == 0 ? PL_OCF_ERR_GENERIC : a->rc, a->status,
			    a->exit_reason != NULL ? a->exit_reason : "the agent printed no meta-data",
			    w->arg);
	}
	g_array_free(r->waiters, true);
	lrmd_action_free(a);
	free(r->key);
	free(r);
}

void
lrmd_agents_metadata(
    const char *rclass, const char *provider, const char *type, lrmd_metadata_fn fn, void *arg)
{
	const char *cls = rclass;
	char *key, *path;
	struct stat st;
	struct md_entry *e;
	struct md_req *r;

	if (md_cache == NULL)
		md_cache = g_hash_table_new_full(g_str_hash, g_str_equal, free, md_entry_free);
	if (md_running == NULL)
		md_running = g_hash_table_new(g_str_hash, g_str_equal);
	if (strcmp(cls, "service") == 0)
		cls = lrmd_service_class(type);
	key = xasprintf("%s:%s:%s", cls, provider != NULL ? provider : "", type);
	path = lrmd_agent_path(cls, provider, type);
	memset(&st, 0, sizeof(st));
	if (path != NULL && stat(path, &st) < 0) {
		fn(NULL, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED, "agent not found", arg);
		goto out;
	}
	e = g_hash_table_lookup(md_cache, key);
	if (e != NULL && mtime_eq(&e->mtime, &st.st_mtim)) {
		fn(e->xml, 0, PL_LRMD_DONE, NULL, arg);
		goto out;
	}
	if (strcmp(cls, "lsb") == 0 && path != NULL) {
		gchar *text = NULL;
		char *xml;

		if (!g_file_get_contents(path, &text, NULL, NULL)) {
			fn(NULL, PL_OCF_ERR_PERM, PL_LRMD_ERROR, "cannot read the init script", arg);
			goto out;
		}
		xml = lrmd_agents_lsb_metadata(type, text);
		md_store(key, &st.st_mtim, xml);
		fn(xml, 0, PL_LRMD_DONE, NULL, arg);
		free(xml);
		g_free(text);
		goto out;
	}
	struct md_waiter w = { fn, arg };

	r = g_hash_table_lookup(md_running, key);
	if (r != NULL && mtime_eq(&r->mtime, &st.st_mtim)) {
		g_array_append_val(r->waiters, w); /* the same agent already runs: join it */
		goto out;
	}
	r = XNEW(struct md_req);
	r->key = key;
	key = NULL;
	r->mtime = st.st_mtim;
	r->waiters = g_array_new(false, false, sizeof(struct md_waiter));
	g_array_append_val(r->waiters, w);
	g_hash_table_replace(md_running, r->key, r);
	r->a = lrmd_action_new("meta-data", cls, provider, type, "meta-data", 0, METADATA_TIMEOUT_MS);
	lrmd_exec_start(r->a, md_done, r);
out:
	free(key);
	free(path);
}

void
lrmd_agents_cache_clear(void)
{
	if (md_cache != NULL)
		g_hash_table_destroy(md_cache);
	md_cache = NULL;
}
