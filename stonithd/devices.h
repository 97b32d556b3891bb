/*
 * devices.h - what paceline-stonithd knows of the configuration: the fence devices (the CIB's
 * primitives of class stonith, and devices registered by hand), the fencing topology, the
 * fencing cluster options, and which devices this node may run (lib/pengine's location
 * scores). Rebuilt whole from the CIB on every configuration change.
 */
#ifndef STONITHD_DEVICES_H
#define STONITHD_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

enum stonithd_host_check {
	STONITHD_CHECK_STATIC = 1, /* pcmk_host_list / pcmk_host_map */
	STONITHD_CHECK_DYNAMIC,	   /* the agent's list action */
	STONITHD_CHECK_STATUS,	   /* the agent's status action: assumed able */
	STONITHD_CHECK_NONE,	   /* every node */
};

struct stonithd_device {
	char *id;
	char *type;    /* fence_xvm, or a cluster-glue plugin: null, external/ssh */
	bool glue;     /* run through cluster-glue's `stonith` command */
	bool from_cib; /* else registered by hand */
	bool allowed;  /* this node may run it (location constraints, target-role) */
	char **names;  /* the agent's parameters (pcmk_* removed) */
	char **values;
	size_t n_params;
	char **hosts; /* pcmk_host_list */
	size_t n_hosts;
	char **map_node, **map_port; /* pcmk_host_map */
	size_t n_map;
	enum stonithd_host_check check;
	uint32_t delay_max_ms, delay_base_ms;
	char *delay_base_map; /* pcmk_delay_base given per node ("n1:0s;n2:10s"), else NULL */
	char *reboot_action, *off_action;
	uint32_t action_timeout_ms; /* pcmk_reboot_timeout etc.: 0 = the request's */
	uint32_t retries;	    /* pcmk_reboot_retries: tries after the first */
	/* the list action's output (dynamic-list), refreshed by io.c */
	char **listed;
	size_t n_listed;
	bool listed_valid;
};

struct stonithd_level {
	uint32_t index;
	char *target;	    /* a node name, or NULL */
	char *pattern;	    /* a regular expression, or NULL */
	char *attr, *value; /* a node attribute, or NULL */
	char **devices;
	size_t n_devices;
};

struct stonithd_config {
	bool enabled;		    /* stonith-enabled */
	uint32_t timeout_ms;	    /* stonith-timeout */
	char *action;		    /* stonith-action: reboot or off */
	uint32_t max_attempts;	    /* stonith-max-attempts */
	uint32_t priority_delay_ms; /* priority-fencing-delay */
	bool concurrent;	    /* concurrent-fencing */
	char *fence_reaction;	    /* stop or panic */
	struct stonithd_device **devices;
	size_t n_devices;
	struct stonithd_level *levels;
	size_t n_levels;
	xmlDoc *nodes; /* the nodes section, for attribute targets */
};

/* The configuration from a whole CIB, for node `me` (its name). Unknown or malformed parts
 * are logged once and skipped. */
void devices_load(struct stonithd_config *cfg, xmlDoc *cib, const char *me);
void devices_clear(struct stonithd_config *cfg);
void devices_free_device(struct stonithd_device *d);
/* A device from an id, a type and parameters (the CIB's or stonith_admin --register's). */
struct stonithd_device *devices_new(
    const char *id, const char *type, const char **kv, size_t n_kv, bool from_cib);
struct stonithd_device *devices_find(const struct stonithd_config *cfg, const char *id);
void devices_add(struct stonithd_config *cfg, struct stonithd_device *d);
bool devices_remove(struct stonithd_config *cfg, const char *id);
/* The device can fence target (by its host check); the port to give the agent. */
bool devices_can_fence(const struct stonithd_device *d, const char *target);
const char *devices_port(const struct stonithd_device *d, const char *target);
/* The levels for target, in index order; each (*levels)[i] a list of device ids the caller
 * frees. Returns how many (max at most). */
size_t devices_levels_for(const struct stonithd_config *cfg, const char *target, char ***levels,
    size_t *n_dev, size_t max);
/* A level from stonith_admin's target spec (NAME, @PATTERN or ATTR=VALUE), its index and
 * devices (none: a removal; index 0 with none: every level of that target). False when the
 * spec is malformed. */
bool devices_level_parse(const char *spec, uint32_t index, const char *const *devices, size_t n,
    struct stonithd_level *lv);
/* Replace the level of the same target and index by lv (or remove it, or all of the target's
 * with index 0, when lv has no devices). Returns how many levels were removed. */
size_t devices_level_apply(struct stonithd_config *cfg, const struct stonithd_level *lv);
void devices_level_free(struct stonithd_level *lv);
bool devices_level_same_target(const struct stonithd_level *a, const struct stonithd_level *b);
/* pcmk_delay_base for target (a per-node map, or the one value). */
uint32_t devices_delay_base(const struct stonithd_device *d, const char *target);
/* The agent's action for a fencing action (pcmk_reboot_action, pcmk_off_action). */
const char *devices_agent_action(const struct stonithd_device *d, const char *action);

#endif
