/*
 * devices.c - the fencing configuration from the CIB (see devices.h): primitives of class
 * stonith wherever they are (top level, groups, clones), their pcmk_* parameters, the
 * fencing-topology levels, the crm_config options, and whether this node may run each device
 * (the same location constraints and rules the scheduler applies, through lib/pengine).
 */
#include <ctype.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "devices.h"
#include "paceline/error.h"
#include "paceline/interval.h"
#include "paceline/log.h"
#include "paceline/pengine.h"
#include "paceline/score.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/* Split on spaces, commas and semicolons. */
static void
split(const char *text, char ***v, size_t *n)
{
	const char *p = text;

	while (p && *p) {
		size_t len;
		while (*p && strchr(" \t\n,;", *p))
			p++;
		len = strcspn(p, " \t\n,;");
		if (len > 0) {
			char *w = xstrndup(p, len);
			push(v, n, w);
			free(w);
		}
		p += len;
	}
}

static uint32_t
ms_of(const char *text, uint32_t dflt, const char *what)
{
	uint64_t ms;
	struct pl_error err = PL_ERROR_INIT;

	if (text == NULL || *text == '\0')
		return dflt;
	if (!pl_interval_parse_ms(text, &ms, &err) || ms > UINT32_MAX) {
		log_warnx("%s: '%s' is not a duration, using the default", what, text);
		return dflt;
	}
	return (uint32_t)ms;
}

void
devices_free_device(struct stonithd_device *d)
{
	if (d == NULL)
		return;
	free(d->id);
	free(d->type);
	free_list(d->names, d->n_params);
	free_list(d->values, d->n_params);
	free_list(d->hosts, d->n_hosts);
	free_list(d->map_node, d->n_map);
	free_list(d->map_port, d->n_map);
	free(d->reboot_action);
	free(d->off_action);
	free(d->delay_base_map);
	free_list(d->listed, d->n_listed);
	free(d);
}

/* pcmk_host_map: "node1:port1;node2:port2" (also "=" and spaces). */
static void
parse_map(struct stonithd_device *d, const char *text)
{
	char **pairs = NULL;
	size_t n = 0;

	split(text, &pairs, &n);
	for (size_t i = 0; i < n; i++) {
		char *sep = strpbrk(pairs[i], ":=");
		if (sep == NULL || sep == pairs[i]) {
			log_warnx("device %s: pcmk_host_map entry '%s' is not node:port", d->id,
			    pairs[i]);
			continue;
		}
		*sep = '\0';
		push(&d->map_node, &d->n_map, pairs[i]);
		d->n_map--;
		push(&d->map_port, &d->n_map, sep + 1);
	}
	free_list(pairs, n);
}

struct stonithd_device *
devices_new(const char *id, const char *type, const char **kv, size_t n_kv, bool from_cib)
{
	struct stonithd_device *d = XNEW(struct stonithd_device);
	const char *check = NULL, *list = NULL, *map = NULL;

	d->id = xstrdup(id);
	d->type = xstrdup(type);
	d->glue = strncmp(type, "fence_", 6) != 0;
	d->from_cib = from_cib;
	d->allowed = true;
	d->retries = 2;
	for (size_t i = 0; i < n_kv; i++) {
		const char *k = kv[2 * i], *v = kv[2 * i + 1];
		if (strcmp(k, "pcmk_host_list") == 0)
			list = v;
		else if (strcmp(k, "pcmk_host_map") == 0)
			map = v;
		else if (strcmp(k, "pcmk_host_check") == 0)
			check = v;
		else if (strcmp(k, "pcmk_delay_max") == 0)
			d->delay_max_ms = ms_of(v, 0, "pcmk_delay_max");
		else if (strcmp(k, "pcmk_delay_base") == 0 && strchr(v, ':') != NULL)
			d->delay_base_map = xstrdup(v);
		else if (strcmp(k, "pcmk_delay_base") == 0)
			d->delay_base_ms = ms_of(v, 0, "pcmk_delay_base");
		else if (strcmp(k, "pcmk_reboot_action") == 0)
			d->reboot_action = xstrdup(v);
		else if (strcmp(k, "pcmk_off_action") == 0)
			d->off_action = xstrdup(v);
		else if (strcmp(k, "pcmk_reboot_timeout") == 0 || strcmp(k, "pcmk_off_timeout") == 0)
			d->action_timeout_ms = ms_of(v, 0, k);
		else if (strcmp(k, "pcmk_reboot_retries") == 0 || strcmp(k, "pcmk_off_retries") == 0)
			d->retries = (uint32_t)strtoul(v, NULL, 10);
		else if (strncmp(k, "pcmk_", 5) == 0)
			; /* pcmk_monitor_timeout and the like: ours, not the agent's */
		else {
			push(&d->names, &d->n_params, k);
			d->n_params--;
			push(&d->values, &d->n_params, v);
		}
	}
	split(list, &d->hosts, &d->n_hosts);
	if (map)
		parse_map(d, map);
	if (check && strcmp(check, "static-list") == 0)
		d->check = STONITHD_CHECK_STATIC;
	else if (check && strcmp(check, "dynamic-list") == 0)
		d->check = STONITHD_CHECK_DYNAMIC;
	else if (check && strcmp(check, "status") == 0)
		d->check = STONITHD_CHECK_STATUS;
	else if (check && strcmp(check, "none") == 0)
		d->check = STONITHD_CHECK_NONE;
	else
		d->check = d->n_hosts || d->n_map ? STONITHD_CHECK_STATIC : STONITHD_CHECK_DYNAMIC;
	return d;
}

struct stonithd_device *
devices_find(const struct stonithd_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->n_devices; i++)
		if (strcmp(cfg->devices[i]->id, id) == 0)
			return cfg->devices[i];
	return NULL;
}

void
devices_add(struct stonithd_config *cfg, struct stonithd_device *d)
{
	devices_remove(cfg, d->id);
	cfg->devices = xreallocarray(cfg->devices, cfg->n_devices + 1, sizeof(*cfg->devices));
	cfg->devices[cfg->n_devices++] = d;
}

bool
devices_remove(struct stonithd_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->n_devices; i++)
		if (strcmp(cfg->devices[i]->id, id) == 0) {
			devices_free_device(cfg->devices[i]);
			memmove(&cfg->devices[i], &cfg->devices[i + 1],
			    (cfg->n_devices - i - 1) * sizeof(*cfg->devices));
			cfg->n_devices--;
			return true;
		}
	return false;
}

static bool
in_list(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

bool
devices_can_fence(const struct stonithd_device *d, const char *target)
{
	if (!d->allowed)
		return false;
	switch (d->check) {
	case STONITHD_CHECK_STATIC:
		return in_list(d->hosts, d->n_hosts, target) ||
		    in_list(d->map_node, d->n_map, target);
	case STONITHD_CHECK_DYNAMIC:
		/* not listed yet: assume it can (the agent says otherwise when it runs) */
		return !d->listed_valid || in_list(d->listed, d->n_listed, target) ||
		    in_list(d->map_node, d->n_map, target);
	case STONITHD_CHECK_STATUS:
	case STONITHD_CHECK_NONE: return true;
	}
	return false;
}

const char *
devices_port(const struct stonithd_device *d, const char *target)
{
	for (size_t i = 0; i < d->n_map; i++)
		if (strcasecmp(d->map_node[i], target) == 0)
			return d->map_port[i];
	return target;
}

uint32_t
devices_delay_base(const struct stonithd_device *d, const char *target)
{
	char **v = NULL;
	size_t n = 0;
	uint32_t ms = d->delay_base_ms;

	if (d->delay_base_map == NULL)
		return ms;
	split(d->delay_base_map, &v, &n);
	for (size_t i = 0; i < n; i++) {
		char *sep = strchr(v[i], ':');
		if (sep == NULL) /* a plain value among the pairs: the default */
			ms = ms_of(v[i], 0, "pcmk_delay_base");
		else if ((size_t)(sep - v[i]) == strlen(target) &&
		    strncasecmp(v[i], target, strlen(target)) == 0) {
			ms = ms_of(sep + 1, 0, "pcmk_delay_base");
			break;
		}
	}
	free_list(v, n);
	return ms;
}

const char *
devices_agent_action(const struct stonithd_device *d, const char *action)
{
	if (strcmp(action, "reboot") == 0 && d->reboot_action)
		return d->reboot_action;
	if (strcmp(action, "off") == 0 && d->off_action)
		return d->off_action;
	return action;
}

/* ---- the CIB ---------------------------------------------------------------------- */

/* The nvpairs of the first <set_name> block (rules are not evaluated here). */
static void
nvpairs(xmlNode *parent, const char *set_name, const char ***kv, size_t *n)
{
	PL_XML_FOREACH_CHILD(parent, set_name, set)
	{
		PL_XML_FOREACH_CHILD(set, "nvpair", nv)
		{
			const char *name = pl_xml_attr(nv, "name"), *value = pl_xml_attr(nv, "value");
			if (name == NULL)
				continue;
			*kv = xreallocarray(*kv, 2 * (*n + 1), sizeof(**kv));
			(*kv)[2 * *n] = name;
			(*kv)[2 * *n + 1] = value ? value : "";
			(*n)++;
		}
	}
}

static const char *
meta_of(xmlNode *rsc, const char *name)
{
	PL_XML_FOREACH_CHILD(rsc, "meta_attributes", set)
	{
		PL_XML_FOREACH_CHILD(set, "nvpair", nv)
		{
			const char *n = pl_xml_attr(nv, "name");
			if (n && strcmp(n, name) == 0)
				return pl_xml_attr(nv, "value");
		}
	}
	return NULL;
}

static bool
stopped(xmlNode *rsc)
{
	for (xmlNode *x = rsc; x && x->type == XML_ELEMENT_NODE; x = x->parent) {
		const char *tr = meta_of(x, "target-role");
		if (tr && strcasecmp(tr, "Stopped") == 0)
			return true;
		if (pl_xml_is(x, "resources"))
			break;
	}
	return false;
}

static void
load_resources(
    struct stonithd_config *cfg, xmlNode *parent, struct pl_pengine_run *run, const char *me)
{
	for (xmlNode *x = parent ? parent->children : NULL; x; x = x->next) {
		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (pl_xml_is(x, "group") || pl_xml_is(x, "clone") || pl_xml_is(x, "master")) {
			load_resources(cfg, x, run, me);
			continue;
		}
		if (!pl_xml_is(x, "primitive"))
			continue;
		const char *cls = pl_xml_attr(x, "class"), *type = pl_xml_attr(x, "type");
		const char *id = pl_xml_id(x);
		if (cls == NULL || strcmp(cls, "stonith") != 0)
			continue;
		if (id == NULL || type == NULL) {
			log_warnx("CIB line %ld: a stonith primitive without id or type: ignored",
			    pl_xml_line(x));
			continue;
		}
		const char **kv = NULL;
		size_t n = 0;
		nvpairs(x, "instance_attributes", &kv, &n);
		struct stonithd_device *d = devices_new(id, type, kv, n, true);
		free(kv);
		int score;
		if (stopped(x)) {
			d->allowed = false;
		} else if (run && pl_pengine_location_score(run, id, me, &score)) {
			d->allowed = score != INT_MIN && score > -PL_SCORE_INFINITY;
		}
		if (!d->allowed)
			log_info("device %s may not run on this node", id);
		devices_add(cfg, d);
	}
}

static void
load_topology(struct stonithd_config *cfg, xmlNode *topo)
{
	PL_XML_FOREACH_CHILD(topo, "fencing-level", fl)
	{
		const char *idx = pl_xml_attr(fl, "index"), *devs = pl_xml_attr(fl, "devices");
		struct stonithd_level lv = { 0 };
		if (idx == NULL || devs == NULL) {
			log_warnx(
			    "CIB line %ld: fencing-level %s without index or devices: ignored",
			    pl_xml_line(fl), pl_xml_id(fl) ? pl_xml_id(fl) : "(no id)");
			continue;
		}
		lv.index = (uint32_t)strtoul(idx, NULL, 10);
		lv.target = xstrdup(pl_xml_attr(fl, "target"));
		lv.pattern = xstrdup(pl_xml_attr(fl, "target-pattern"));
		lv.attr = xstrdup(pl_xml_attr(fl, "target-attribute"));
		lv.value = xstrdup(pl_xml_attr(fl, "target-value"));
		split(devs, &lv.devices, &lv.n_devices);
		cfg->levels = xreallocarray(cfg->levels, cfg->n_levels + 1, sizeof(*cfg->levels));
		cfg->levels[cfg->n_levels++] = lv;
	}
}

static void
load_options(struct stonithd_config *cfg, xmlNode *crm_config)
{
	const char **kv = NULL;
	size_t n = 0;

	nvpairs(crm_config, "cluster_property_set", &kv, &n);
	for (size_t i = 0; i < n; i++) {
		const char *k = kv[2 * i], *v = kv[2 * i + 1];
		bool no = strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
		    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0;
		if (strcmp(k, "stonith-enabled") == 0)
			cfg->enabled = !no;
		else if (strcmp(k, "stonith-timeout") == 0)
			cfg->timeout_ms = ms_of(v, 60000, k);
		else if (strcmp(k, "stonith-action") == 0) {
			free(cfg->action);
			cfg->action = xstrdup(strcmp(v, "poweroff") == 0 ? "off" : v);
		} else if (strcmp(k, "stonith-max-attempts") == 0)
			cfg->max_attempts = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "priority-fencing-delay") == 0)
			cfg->priority_delay_ms = ms_of(v, 0, k);
		else if (strcmp(k, "concurrent-fencing") == 0)
			cfg->concurrent = !no;
		else if (strcmp(k, "fence-reaction") == 0) {
			free(cfg->fence_reaction);
			cfg->fence_reaction = xstrdup(v);
		}
	}
	free(kv);
}

void
devices_load(struct stonithd_config *cfg, xmlDoc *cib, const char *me)
{
	xmlNode *root = pl_xml_root(cib);
	xmlNode *conf = root ? pl_xml_first_child(root, "configuration") : NULL;
	struct pl_pengine_opts o = { .constraints_only = true };
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_run *run;

	cfg->enabled = true;
	cfg->timeout_ms = 60000;
	cfg->action = xstrdup("reboot");
	cfg->max_attempts = 10;
	cfg->concurrent = true;
	cfg->fence_reaction = xstrdup("stop");
	if (conf == NULL)
		return;
	load_options(cfg, pl_xml_first_child(conf, "crm_config"));
	run = pl_pengine_run(cib, &o, &err);
	if (run == NULL)
		log_warnx(
		    "cannot evaluate where devices may run (%s): every device allowed", err.text);
	load_resources(cfg, pl_xml_first_child(conf, "resources"), run, me);
	pl_pengine_free(run);
	load_topology(cfg, pl_xml_first_child(conf, "fencing-topology"));
	xmlNode *nodes = pl_xml_first_child(conf, "nodes");
	if (nodes)
		cfg->nodes = pl_xml_copy_doc(nodes);
}

bool
devices_level_parse(const char *spec, uint32_t index, const char *const *devices, size_t n,
    struct stonithd_level *lv)
{
	const char *eq = strchr(spec, '=');

	memset(lv, 0, sizeof(*lv));
	if (*spec == '\0' || (spec[0] == '@' && spec[1] == '\0') || eq == spec ||
	    (eq && eq[1] == '\0'))
		return false;
	lv->index = index;
	if (spec[0] == '@') {
		lv->pattern = xstrdup(spec + 1);
	} else if (eq) {
		lv->attr = xstrndup(spec, (size_t)(eq - spec));
		lv->value = xstrdup(eq + 1);
	} else {
		lv->target = xstrdup(spec);
	}
	lv->devices = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		lv->devices[i] = xstrdup(devices[i]);
	lv->n_devices = n;
	return true;
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The same target (name, pattern or attribute). */
bool
devices_level_same_target(const struct stonithd_level *a, const struct stonithd_level *b)
{
	return same_str(a->target, b->target) && same_str(a->pattern, b->pattern) &&
	    same_str(a->attr, b->attr) && same_str(a->value, b->value);
}

void
devices_level_free(struct stonithd_level *lv)
{
	free(lv->target);
	free(lv->pattern);
	free(lv->attr);
	free(lv->value);
	free_list(lv->devices, lv->n_devices);
	memset(lv, 0, sizeof(*lv));
}

size_t
devices_level_apply(struct stonithd_config *cfg, const struct stonithd_level *lv)
{
	size_t removed = 0;

	for (size_t i = 0; i < cfg->n_levels;) {
		struct stonithd_level *c = &cfg->levels[i];
		if (devices_level_same_target(c, lv) && (lv->index == 0 || c->index == lv->index)) {
			devices_level_free(c);
			cfg->levels[i] = cfg->levels[--cfg->n_levels];
			removed++;
			continue;
		}
		i++;
	}
	if (lv->n_devices == 0)
		return removed;
	struct stonithd_level n = { .index = lv->index };
	n.target = lv->target ? xstrdup(lv->target) : NULL;
	n.pattern = lv->pattern ? xstrdup(lv->pattern) : NULL;
	n.attr = lv->attr ? xstrdup(lv->attr) : NULL;
	n.value = lv->value ? xstrdup(lv->value) : NULL;
	n.devices = xcalloc(lv->n_devices + 1, sizeof(char *));
	for (size_t i = 0; i < lv->n_devices; i++)
		n.devices[i] = xstrdup(lv->devices[i]);
	n.n_devices = lv->n_devices;
	cfg->levels = xreallocarray(cfg->levels, cfg->n_levels + 1, sizeof(*cfg->levels));
	cfg->levels[cfg->n_levels++] = n;
	return removed;
}

void
devices_clear(struct stonithd_config *cfg)
{
	for (size_t i = 0; i < cfg->n_devices; i++)
		devices_free_device(cfg->devices[i]);
	free(cfg->devices);
	for (size_t i = 0; i < cfg->n_levels; i++)
		devices_level_free(&cfg->levels[i]);
	free(cfg->levels);
	free(cfg->action);
	free(cfg->fence_reaction);
	if (cfg->nodes)
		xmlFreeDoc(cfg->nodes);
	memset(cfg, 0, sizeof(*cfg));
}

static bool
node_attr_is(const struct stonithd_config *cfg, const char *node, const char *attr, const char *value)
{
	xmlNode *nodes = cfg->nodes ? pl_xml_root(cfg->nodes) : NULL;

	PL_XML_FOREACH_CHILD(nodes, "node", n)
	{
		const char *uname = pl_xml_attr(n, "uname");
		if (uname == NULL || strcasecmp(uname, node) != 0)
			continue;
		PL_XML_FOREACH_CHILD(n, "instance_attributes", set)
		{
			PL_XML_FOREACH_CHILD(set, "nvpair", nv)
			{
				const char *k = pl_xml_attr(nv, "name"),
					   *v = pl_xml_attr(nv, "value");
				if (k && v && strcmp(k, attr) == 0 && strcmp(v, value) == 0)
					return true;
			}
		}
	}
	return false;
}

static bool
level_matches(const struct stonithd_config *cfg, const struct stonithd_level *lv, const char *t)
{
	if (lv->target)
		return strcasecmp(lv->target, t) == 0;
	if (lv->pattern) {
		regex_t re;
		bool ok;
		if (regcomp(&re, lv->pattern, REG_EXTENDED | REG_NOSUB) != 0) {
			log_warnx(
			    "fencing-level %u: target-pattern '%s' is not a regular expression",
			    lv->index, lv->pattern);
			return false;
		}
		ok = regexec(&re, t, 0, NULL, 0) == 0;
		regfree(&re);
		return ok;
	}
	if (lv->attr && lv->value)
		return node_attr_is(cfg, t, lv->attr, lv->value);
	return false;
}

size_t
devices_levels_for(const struct stonithd_config *cfg, const char *target, char ***levels,
    size_t *n_dev, size_t max)
{
	size_t n = 0;

	/* every matching level (by name, pattern or attribute), by index */
	uint32_t last = 0;
	bool first = true;
	for (;;) {
		size_t best = SIZE_MAX;
		for (size_t j = 0; j < cfg->n_levels; j++) {
			const struct stonithd_level *lv = &cfg->levels[j];
			if (!level_matches(cfg, lv, target) || (!first && lv->index <= last))
				continue;
			if (best == SIZE_MAX || lv->index < cfg->levels[best].index)
				best = j;
		}
		if (best == SIZE_MAX || n >= max)
			break;
		const struct stonithd_level *lv = &cfg->levels[best];
		levels[n] = xcalloc(lv->n_devices + 1, sizeof(char *));
		for (size_t d = 0; d < lv->n_devices; d++)
			levels[n][d] = xstrdup(lv->devices[d]);
		n_dev[n] = lv->n_devices;
		n++;
		last = lv->index;
		first = false;
	}
	return n;
}
