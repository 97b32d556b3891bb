/*
 * digest.c - operation digests: Pacemaker records in each lrm_rsc_op an MD5 (op-digest) of
 * the parameters the operation ran with, so a scheduler can tell that a resource's
 * definition changed since it started (restart) or that a recurring monitor's did
 * (reschedule).
 *
 * The rendering hashed, as learnt from the digests recorded in the scheduler corpus: the
 * text ` <parameters NAME="VALUE" .../>` plus a newline, attributes sorted by name (byte
 * order), values XML-escaped; an empty set gives ` <parameters/>`. The parameters are the
 * resource's instance attributes plus the operation's own instance attributes; a recurring
 * operation also carries CRM_meta_timeout (its timeout in milliseconds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* v as an XML attribute value (digests and graph attributes escape alike) */
void
pengine_buf_add_escaped(struct pl_buf *b, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '&': pl_buf_add(b, "&amp;"); break;
		case '<': pl_buf_add(b, "&lt;"); break;
		case '>': pl_buf_add(b, "&gt;"); break;
		case '"': pl_buf_add(b, "&quot;"); break;
		default: pl_buf_addf(b, "%c", *v); break;
		}
	}
}

static gint
str_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
pl_pengine_params_digest(GHashTable *params, char out[33])
{
	GPtrArray *names = g_ptr_array_new();
	if (params) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_ptr_array_add(names, k);
	}
	g_ptr_array_sort(names, str_cmp);
	struct pl_buf b = PL_BUF_INIT;
	pl_buf_add(&b, " <parameters");
	for (guint i = 0; i < names->len; i++) {
		const char *v = g_hash_table_lookup(params, names->pdata[i]);
		pl_buf_addf(&b, " %s=\"", (const char *)names->pdata[i]);
		pengine_buf_add_escaped(&b, v ? v : "");
		pl_buf_add(&b, "\"");
	}
	pl_buf_add(&b, "/>\n");
	g_ptr_array_free(names, true);
	gchar *hex = g_compute_checksum_for_string(G_CHECKSUM_MD5, pl_buf_str(&b), -1);
	snprintf(out, 33, "%s", hex);
	g_free(hex);
	pl_buf_free(&b);
}

/* The operation's timeout: its own, then op_defaults', then 20 s. */
static long long
op_timeout_ms(struct pengine_ws *ws, struct pengine_opdef *d)
{
	const char *t = d && d->xml ? pl_xml_attr(d->xml, "timeout") : NULL;
	GHashTable *m = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	if (t == NULL && d && d->xml) {
		pengine_unpack_nvpairs(ws, d->xml, "meta_attributes", NULL, m);
		t = g_hash_table_lookup(m, "timeout");
	}
	if (t == NULL && ws->op_defaults) {
		pengine_unpack_nvpairs(ws, ws->op_defaults, "meta_attributes", NULL, m);
		t = g_hash_table_lookup(m, "timeout");
	}
	long long ms = t ? pengine_interval_ms(t) : 0;
	g_hash_table_destroy(m);
	return ms > 0 ? ms : 20000;
}

/* The parameters an action runs with (the resource's instance attributes, the operation's
 * own over them) and its timeout: what the transition graph hands the controller. */
GHashTable *
pengine_op_params(struct pengine_ws *ws, struct pengine_rsc *r, const char *task,
    long long interval_ms, long long *timeout_ms)
{
	GHashTable *p = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	struct pengine_opdef *d = NULL;
	GHashTableIter it;
	gpointer k, v;

	for (int i = 0; i < r->n_ops; i++)
		if (r->ops[i].interval_ms == interval_ms && !strcmp(r->ops[i].name, task))
			d = &r->ops[i];
	if (d && d->xml)
		pengine_unpack_nvpairs(ws, d->xml, "instance_attributes", NULL, p);
	if (r->params) {
		g_hash_table_iter_init(&it, r->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (!g_hash_table_contains(p, k))
				g_hash_table_insert(p, xstrdup(k), xstrdup(v));
	}
	*timeout_ms = op_timeout_ms(ws, d);
	return p;
}

/* name is a word of list: op-secure-params and op-force-restart list names as
 * " passwd  password " */
bool
pengine_word_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

void
pengine_op_digest(struct pengine_ws *ws, struct pengine_rsc *r, const char *task,
    long long interval_ms, const char *secure, char out[33])
{
	/* secure: NULL = all parameters; "" = no meta; else also without those names */
	GHashTable *p = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	struct pengine_opdef *d = NULL;
	for (int i = 0; i < r->n_ops; i++)
		if (r->ops[i].interval_ms == interval_ms && !strcmp(r->ops[i].name, task))
			d = &r->ops[i];
	if (d && d->xml)
		pengine_unpack_nvpairs(ws, d->xml, "instance_attributes", NULL, p);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, r->params);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(p, k))
			g_hash_table_insert(p, xstrdup(k), xstrdup(v));
	if (secure &&
	    *secure) { /* the secure digest: without the secrets and the fencer's own parameters */
		g_hash_table_iter_init(&it, p);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (pengine_word_listed(secure, k) || !strncmp(k, "pcmk_", 5))
				g_hash_table_iter_remove(&it);
	}
	if (interval_ms > 0 && secure == NULL) /* the secure digest has no meta */
		g_hash_table_replace(
		    p, xstrdup("CRM_meta_timeout"), xasprintf("%lld", op_timeout_ms(ws, d)));
	pl_pengine_params_digest(p, out);
	g_hash_table_destroy(p);
}

bool
pengine_op_changed(struct pengine_ws *ws, struct pengine_rsc *r, xmlNode *op)
{
	const char *want = pl_xml_attr(op, "op-digest");
	const char *task = pl_xml_attr(op, "operation");
	if (want == NULL || task == NULL)
		return false;
	/* a bundle's implicit parts (IP, container, connection) are defined by the bundle:
	 * their recorded digests hash parameters the bundle generates, not compared here */
	if (r->parent && r->parent->kind == KIND_BUNDLE)
		return false;
	long long iv = 0;
	pl_xml_attr_int(op, "interval", 0, &iv, NULL);
	if (!strcmp(task, "migrate_from"))
		task = "start";
	/* digests recorded by Pacemaker 1.x were computed another way: a start's are not
	 * comparable, a recurring monitor's (hashed without its meta) do not match */
	const char *fs = pl_xml_attr(op, "crm_feature_set");
	bool v1 = fs && !strncmp(fs, "1.", 2);
	if (v1 && iv == 0)
		return false;
	char got[33];
	pengine_op_digest(ws, r, task, iv, NULL, got);
	if (!strcmp(got, want))
		return false;
	/* older recurring entries (feature set 2.0 era) were hashed without the timeout */
	if (iv > 0 && !v1) {
		pengine_op_digest(ws, r, task, iv, "", got);
		if (!strcmp(got, want))
			return false;
	}
	/* a sanitised CIB (secrets replaced by "****") still matches its secure digest */
	const char *sp = pl_xml_attr(op, "op-secure-params");
	const char *sd = pl_xml_attr(op, "op-secure-digest");
	if (sp && sd) {
		pengine_op_digest(ws, r, task, iv, sp, got);
		if (!strcmp(got, sd))
			return false;
	}
	return true;
}
