/*
 * conf.h - the corosync.conf syntax used by /etc/paceline/paceline.conf.
 *
 *	# a comment (only as a whole line: '#' later in a line is part of the value)
 *	totem {
 *		token: 3000
 *		interface {
 *			linknumber: 0
 *		}
 *	}
 *
 * A line is blank, a comment, "name {" (nothing after the brace), "}" alone, or "key: value"
 * (value = rest of the line after the first ':', trimmed; it may be empty and may contain ':',
 * e.g. IPv6 addresses). "key = value" is not corosync syntax and is refused with a hint.
 * Names (keys and sections) are letters, digits, '_', '-', '.' and '/'.
 *
 * The file becomes a tree of nodes in file order, keeping every line number. Repeated keys
 * and repeated sections are kept; as in corosync, lookups give the LAST value of a key
 * (pl_conf_key, pl_conf_lookup), and repeated sections such as nodelist { node {} node {} }
 * are walked with PL_CONF_FOREACH_SECTION.
 *
 * Every error is one sentence with the location, code PL_EXIT_CONFIG:
 *	paceline.conf:40: end of file inside section 'totem' opened at line 3
 *	paceline.conf:14: token: '3s' is not a number of milliseconds
 */
#ifndef PACELINE_CONF_H
#define PACELINE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pl_error;

struct pl_conf_node {
	char *name;	  /* key or section name; "" for the root */
	char *value;	  /* NULL for a section */
	int line;	  /* 0 for the root */
	const char *file; /* the name used in messages (owned by the tree) */
	struct pl_conf_node *parent;
	struct pl_conf_node *children; /* first child, in file order */
	struct pl_conf_node *last_child;
	struct pl_conf_node *next; /* next sibling */
};

/* Parsing. The result is the root node (a section without name); NULL with err on failure:
 * unreadable file (PL_EXIT_NOINPUT) or a syntax error (PL_EXIT_CONFIG). `name` is the file
 * name used in messages (NULL: "<string>"). */
struct pl_conf_node *pl_conf_parse_file(const char *path, struct pl_error *err);
struct pl_conf_node *pl_conf_parse_memory(
    const char *text, size_t len, const char *name, struct pl_error *err);
struct pl_conf_node *pl_conf_parse_string(const char *text, const char *name, struct pl_error *err);
void pl_conf_free(struct pl_conf_node *root);

static inline bool
pl_conf_is_section(const struct pl_conf_node *n)
{
	return n != NULL && n->value == NULL;
}

/* Sections: the first / next subsection named `name` (NULL: any section). */
const struct pl_conf_node *pl_conf_section(const struct pl_conf_node *parent, const char *name);
const struct pl_conf_node *pl_conf_next_section(const struct pl_conf_node *after, const char *name);

#define PL_CONF_FOREACH_SECTION(parent, name, s)                                          \
	for (const struct pl_conf_node *s = pl_conf_section((parent), (name)); s != NULL; \
	     s = pl_conf_next_section(s, (name)))

#define PL_CONF_FOREACH_CHILD(parent, c) \
	for (const struct pl_conf_node *c = (parent)->children; c != NULL; c = c->next)

/* Keys: the last "key: value" named `key` directly in `section` (NULL if absent). */
const struct pl_conf_node *pl_conf_key(const struct pl_conf_node *section, const char *key);
const char *pl_conf_get(const struct pl_conf_node *section, const char *key);
/* A dotted path from `section`, corosync style: "totem.token", "quorum.provider". Repeated
 * sections along the path merge (the last matching key in file order wins). */
const struct pl_conf_node *pl_conf_lookup(const struct pl_conf_node *section, const char *path);

/* Typed getters. Absent key: *out = def and true. Present but invalid: false, *out untouched,
 * err = "FILE:LINE: KEY: ...". `unit` names what the number counts in messages
 * ("milliseconds"; NULL: plain "a number"). */
bool pl_conf_get_uint(const struct pl_conf_node *section, const char *key, uint64_t min,
    uint64_t max, const char *unit, uint64_t def, uint64_t *out, struct pl_error *err);
/* yes/no, on/off, true/false, 1/0 (case-insensitive). */
bool pl_conf_get_bool(
    const struct pl_conf_node *section, const char *key, bool def, bool *out, struct pl_error *err);
/* One of `choices` (NULL-terminated, exact match); *out = its index. */
bool pl_conf_get_enum(const struct pl_conf_node *section, const char *key,
    const char *const *choices, int def, int *out, struct pl_error *err);
/* A Pacemaker-style time value ("3s", "500ms", "PT1M"; a plain number counts as
 * `plain_unit_ms` milliseconds: 1 for corosync-style keys, 1000 for Pacemaker-style). */
bool pl_conf_get_time_ms(const struct pl_conf_node *section, const char *key,
    uint64_t plain_unit_ms, uint64_t def, uint64_t *out, struct pl_error *err);

/* Strictness: the first key or subsection of `section` whose name is not in `allowed`
 * (NULL-terminated) -> false, err = "FILE:LINE: unknown key 'tokn' in section 'totem'". */
bool pl_conf_check_names(
    const struct pl_conf_node *section, const char *const *allowed, struct pl_error *err);

/* err = "FILE:LINE: " + message, for checks done by the users of the tree. */
void pl_conf_error_set(struct pl_error *err, const struct pl_conf_node *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
