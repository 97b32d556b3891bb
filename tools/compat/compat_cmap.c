/*
 * compat_cmap.c - corosync-cmapctl as pcs uses it: the configuration flattened into
 * corosync's key names (totem.cluster_name, nodelist.node.N.name, .nodeid, .ring0_addr ...;
 * repeated sections numbered from 0) and the runtime keys of the membership
 * (runtime.members.ID.status = joined, runtime.votequorum.*), printed as
 * "KEY (TYPE) = VALUE", sorted. `-g KEY` prints one key (1 when absent), PREFIX arguments
 * filter. Setting keys (-s) is refused: Paceline's settings live in paceline.conf.
 * The configuration is $PL_CONF, else /etc/paceline/paceline.conf, else
 * /etc/corosync/corosync.conf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "paceline/conf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/membership_client.h"

struct key {
	char *name, *type, *value;
};

static void
add(GPtrArray *keys, const char *name, const char *type, const char *value)
{
	struct key *k = g_new0(struct key, 1);

	k->name = g_strdup(name);
	k->type = g_strdup(type);
	k->value = g_strdup(value);
	g_ptr_array_add(keys, k);
}

static void
key_free(gpointer p)
{
	struct key *k = p;

	g_free(k->name);
	g_free(k->type);
	g_free(k->value);
	g_free(k);
}

static bool
numeric(const char *v)
{
	if (*v == '\0')
		return false;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

static void
flatten(const struct pl_conf_node *sec, const char *prefix, GPtrArray *keys)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	PL_CONF_FOREACH_CHILD(sec, c)
	{
		char *name;

		if (pl_conf_is_section(c)) {
			/* nodelist { node {} node {} }: repeated sections are numbered */
			guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, c->name));
			bool repeated = pl_conf_next_section(c, c->name) != NULL || n > 0 ||
			    !strcmp(c->name, "node") || !strcmp(c->name, "interface");
			g_hash_table_replace(seen, g_strdup(c->name), GUINT_TO_POINTER(n + 1));
			name = repeated ? g_strdup_printf("%s%s.%u", prefix, c->name, n)
					: g_strdup_printf("%s%s", prefix, c->name);
			char *sub = g_strdup_printf("%s.", name);
			flatten(c, sub, keys);
			g_free(sub);
		} else {
			name = g_strdup_printf("%s%s", prefix, c->name);
			add(keys, name, numeric(c->value) ? "u32" : "str", c->value);
		}
		g_free(name);
	}
	g_hash_table_destroy(seen);
}

static const char *
conf_path(void)
{
	const char *p = getenv("PL_CONF");

	if (p && *p)
		return p;
	if (access("/etc/paceline/paceline.conf", R_OK) == 0)
		return "/etc/paceline/paceline.conf";
	return "/etc/corosync/corosync.conf";
}

static void
runtime(GPtrArray *keys)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership *m = pl_membership_connect(2000, &err);
	char name[128], val[32];

	if (m == NULL || !pl_membership_status(m, &st, &err)) {
		pl_membership_disconnect(m);
		return;
	}
	snprintf(val, sizeof(val), "%u", st.nodeid);
	add(keys, "runtime.votequorum.this_node_id", "u32", val);
	add(keys, "runtime.votequorum.wait_for_all_status", "u8",
	    st.flags & PL_MEMBERSHIP_FLAG_WAITING ? "1" : "0");
	snprintf(val, sizeof(val), "%u", st.expected_votes);
	add(keys, "runtime.votequorum.ev_barrier", "u32", val);
	for (unsigned i = 0; i < st.n_nodes; i++) {
		const struct pl_membership_node *n = &st.nodes[i];
		snprintf(name, sizeof(name), "runtime.members.%u.status", n->nodeid);
		add(keys, name, "str", n->member ? "joined" : "left");
		snprintf(name, sizeof(name), "runtime.members.%u.config_version", n->nodeid);
		add(keys, name, "u64", "0");
	}
	pl_membership_disconnect(m);
}

static int
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp((*(struct key *const *)a)->name, (*(struct key *const *)b)->name);
}

int
compat_cmapctl(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	GPtrArray *keys = g_ptr_array_new_with_free_func(key_free);
	const char *get = NULL;
	struct pl_conf_node *conf;
	int c, rc = PL_EXIT_OK;

	while ((c = getopt(argc, argv, "bDdg:hsqTCtp:m:")) != -1) {
		switch (c) {
		case 'g': get = optarg; break;
		case 'b':
		case 'q':
		case 'T':
		case 't':
		case 'm': break;
		case 's':
			fprintf(stderr,
			    "corosync-cmapctl: keys cannot be set on Paceline; change "
			    "paceline.conf (or the cluster with crm_attribute)\n");
			g_ptr_array_free(keys, true);
			return 1;
		default:
			fprintf(stderr, "usage: corosync-cmapctl [-g KEY] [PREFIX...]\n");
			g_ptr_array_free(keys, true);
			return c == 'h' ? 0 : 1;
		}
	}
	if ((conf = pl_conf_parse_file(conf_path(), &err)) != NULL) {
		flatten(conf, "", keys);
		pl_conf_free(conf);
	} else {
		fprintf(stderr, "corosync-cmapctl: %s\n", err.text);
	}
	runtime(keys);
	g_ptr_array_sort(keys, by_name);
	if (get) {
		rc = 1;
		for (guint i = 0; i < keys->len && rc; i++) {
			struct key *k = keys->pdata[i];
			if (!strcmp(k->name, get)) {
				printf("%s (%s) = %s\n", k->name, k->type, k->value);
				rc = 0;
			}
		}
		if (rc)
			fprintf(stderr, "Can't get key %s. Error CS_ERR_NOT_EXIST\n", get);
	} else {
		for (guint i = 0; i < keys->len; i++) {
			struct key *k = keys->pdata[i];
			bool match = optind >= argc;
			for (int a = optind; a < argc && !match; a++)
				match = g_str_has_prefix(k->name, argv[a]);
			if (match)
				printf("%s (%s) = %s\n", k->name, k->type, k->value);
		}
	}
	g_ptr_array_free(keys, true);
	return rc;
}
