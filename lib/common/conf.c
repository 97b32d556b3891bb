/*
 * conf.c - the corosync.conf-syntax parser and its lookups (see include/paceline/conf.h).
 *
 * Line by line, as corosync does: each line is classified on its own (blank, comment, section
 * open, key/value, section close), so every error knows its line. Open sections form a stack
 * through the parent pointers; the tree owns every string.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paceline/buf.h"
#include "paceline/conf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/interval.h"
#include "paceline/xalloc.h"

#define MAX_DEPTH 32 /* corosync's own files nest 3 deep; this only stops pathological input */

struct parser {
	struct pl_conf_node *root;
	struct pl_conf_node *current; /* the innermost open section */
	int depth;
	int line;
	struct pl_error *err;
};

/* Tree building. */

static struct pl_conf_node *
node_new(struct parser *p, const char *name, size_t name_len, const char *value, size_t value_len)
{
	struct pl_conf_node *n = XNEW(struct pl_conf_node);

	n->name = xstrndup(name, name_len);
	n->value = value != NULL ? xstrndup(value, value_len) : NULL;
	n->line = p->line;
	n->file = p->root->file;
	n->parent = p->current;
	if (p->current->last_child != NULL)
		p->current->last_child->next = n;
	else
		p->current->children = n;
	p->current->last_child = n;
	return n;
}

static void
node_free(struct pl_conf_node *n)
{
	struct pl_conf_node *c = n->children, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		node_free(c);
	}
	free(n->name);
	free(n->value);
	free(n);
}

void
pl_conf_free(struct pl_conf_node *root)
{
	char *file;

	if (root == NULL)
		return;
	file = (char *)root->file;
	node_free(root);
	free(file);
}

/* Line classification. */

static bool syntax_error(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
syntax_error(struct parser *p, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pl_error_set(p->err, PL_EXIT_CONFIG, "%s:%d: %s", p->root->file, p->line, msg);
	return false;
}

static bool
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/';
}

/* [s, e) trimmed of spaces on both sides. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static bool
check_name(struct parser *p, const char *what, const char *s, const char *e)
{
	for (const char *c = s; c < e; c++)
		if (!name_char(*c))
			return syntax_error(p,
			    "invalid %s name '%.*s' (letters, digits, '_', '-', "
			    "'.' and '/' only)",
			    what, (int)(e - s), s);
	return true;
}

static bool
open_section(struct parser *p, const char *s, const char *brace, const char *e)
{
	const char *name_end = brace, *after = brace + 1;

	trim(&s, &name_end);
	trim(&after, &e);
	if (after != e)
		return syntax_error(p,
		    "unexpected text '%.*s' after '{' (a section opens with "
		    "'name {' alone on its line)",
		    (int)(e - after), after);
	if (s == name_end)
		return syntax_error(p, "missing section name before '{'");
	if (!check_name(p, "section", s, name_end))
		return false;
	if (p->depth >= MAX_DEPTH)
		return syntax_error(p, "sections nested deeper than %d levels", MAX_DEPTH);
	p->current = node_new(p, s, (size_t)(name_end - s), NULL, 0);
	p->depth++;
	return true;
}

static bool
close_section(struct parser *p, const char *s, const char *e)
{
	if (e - s != 1)
		return syntax_error(p,
		    "unexpected text around '}' (a section closes with '}' "
		    "alone on its line)");
	if (p->current == p->root)
		return syntax_error(p, "'}' without an open section");
	p->current = p->current->parent;
	p->depth--;
	return true;
}

static bool
key_value(struct parser *p, const char *s, const char *colon, const char *e)
{
	const char *key_end = colon, *v = colon + 1;

	trim(&s, &key_end);
	trim(&v, &e);
	if (s == key_end)
		return syntax_error(p, "empty key before ':'");
	if (!check_name(p, "key", s, key_end))
		return false;
	node_new(p, s, (size_t)(key_end - s), v, (size_t)(e - v));
	return true;
}

static bool
parse_line(struct parser *p, const char *s, const char *e)
{
	const char *brace, *colon;

	trim(&s, &e);
	if (s == e || *s == '#')
		return true;
	brace = memchr(s, '{', (size_t)(e - s));
	colon = memchr(s, ':', (size_t)(e - s));
	if (brace != NULL && (colon == NULL || brace < colon))
		return open_section(p, s, brace, e);
	if (colon != NULL)
		return key_value(p, s, colon, e);
	if (memchr(s, '}', (size_t)(e - s)) != NULL)
		return close_section(p, s, e);
	if (memchr(s, '=', (size_t)(e - s)) != NULL)
		return syntax_error(p,
		    "expected 'key: value' but found '%.*s' ('key = value' is "
		    "not corosync.conf syntax)",
		    (int)(e - s), s);
	return syntax_error(
	    p, "expected 'key: value', 'name {' or '}' but found '%.*s'", (int)(e - s), s);
}

static bool
parse_lines(struct parser *p, const char *text, size_t len)
{
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl != NULL ? nl : end;

		p->line++;
		if (memchr(s, '\0', (size_t)(e - s)) != NULL)
			return syntax_error(p, "NUL byte in the line (not a text file?)");
		if (!parse_line(p, s, e))
			return false;
		s = nl != NULL ? nl + 1 : end;
	}
	if (p->current != p->root)
		return syntax_error(p, "end of file inside section '%s' opened at line %d",
		    p->current->name, p->current->line);
	return true;
}

struct pl_conf_node *
pl_conf_parse_memory(const char *text, size_t len, const char *name, struct pl_error *err)
{
	struct pl_conf_node *root = XNEW(struct pl_conf_node);
	struct parser p = { root, root, 0, 0, err };

	root->name = xstrdup("");
	root->file = xstrdup(name != NULL ? name : "<string>");
	if (!parse_lines(&p, text, len)) {
		pl_conf_free(root);
		return NULL;
	}
	return root;
}

struct pl_conf_node *
pl_conf_parse_string(const char *text, const char *name, struct pl_error *err)
{
	return pl_conf_parse_memory(text, strlen(text), name, err);
}

struct pl_conf_node *
pl_conf_parse_file(const char *path, struct pl_error *err)
{
	size_t len;
	char *text = pl_read_file(path, &len, err);
	struct pl_conf_node *root;

	if (text == NULL)
		return NULL;
	root = pl_conf_parse_memory(text, len, path, err);
	free(text);
	return root;
}

/* Lookups. */

static bool
is_named_section(const struct pl_conf_node *n, const char *name)
{
	return pl_conf_is_section(n) && (name == NULL || strcmp(n->name, name) == 0);
}

const struct pl_conf_node *
pl_conf_section(const struct pl_conf_node *parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (const struct pl_conf_node *c = parent->children; c != NULL; c = c->next)
		if (is_named_section(c, name))
			return c;
	return NULL;
}

const struct pl_conf_node *
pl_conf_next_section(const struct pl_conf_node *after, const char *name)
{
	if (after == NULL)
		return NULL;
	for (const struct pl_conf_node *c = after->next; c != NULL; c = c->next)
		if (is_named_section(c, name))
			return c;
	return NULL;
}

const struct pl_conf_node *
pl_conf_key(const struct pl_conf_node *section, const char *key)
{
	const struct pl_conf_node *found = NULL;

	if (section == NULL)
		return NULL;
	for (const struct pl_conf_node *c = section->children; c != NULL; c = c->next)
		if (!pl_conf_is_section(c) && strcmp(c->name, key) == 0)
			found = c; /* the last one wins */
	return found;
}

const char *
pl_conf_get(const struct pl_conf_node *section, const char *key)
{
	const struct pl_conf_node *n = pl_conf_key(section, key);

	return n != NULL ? n->value : NULL;
}

/* The later of two matches in file order (lines grow through the file). */
static const struct pl_conf_node *
later(const struct pl_conf_node *a, const struct pl_conf_node *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	return b->line > a->line ? b : a;
}

const struct pl_conf_node *
pl_conf_lookup(const struct pl_conf_node *section, const char *path)
{
	const char *dot;
	const struct pl_conf_node *best = NULL;
	char *head;

	if (section == NULL || path == NULL)
		return NULL;
	dot = strchr(path, '.');
	if (dot == NULL)
		return pl_conf_key(section, path);
	head = xstrndup(path, (size_t)(dot - path));
	PL_CONF_FOREACH_SECTION(section, head, s)
	best = later(best, pl_conf_lookup(s, dot + 1));
	free(head);
	return best;
}

/* Typed getters. */

void
pl_conf_error_set(struct pl_error *err, const struct pl_conf_node *node, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node != NULL && node->line > 0)
		pl_error_set(err, PL_EXIT_CONFIG, "%s:%d: %s", node->file, node->line, msg);
	else
		pl_error_set(
		    err, PL_EXIT_CONFIG, "%s: %s", node != NULL ? node->file : "<config>", msg);
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!all_digits(s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return false;
	*out = v;
	return true;
}

bool
pl_conf_get_uint(const struct pl_conf_node *section, const char *key, uint64_t min, uint64_t max,
    const char *unit, uint64_t def, uint64_t *out, struct pl_error *err)
{
	const struct pl_conf_node *n = pl_conf_key(section, key);
	uint64_t v;

	if (n == NULL) {
		*out = def;
		return true;
	}
	if (!parse_u64(n->value, &v)) {
		pl_conf_error_set(err, n, "%s: '%s' is not a number%s%s", key, n->value,
		    unit != NULL ? " of " : "", unit != NULL ? unit : "");
		return false;
	}
	if (v < min || v > max) {
		pl_conf_error_set(err, n, "%s: %s is out of range (%" PRIu64 "..%" PRIu64 "%s%s)",
		    key, n->value, min, max, unit != NULL ? " " : "", unit != NULL ? unit : "");
		return false;
	}
	*out = v;
	return true;
}

bool
pl_conf_get_bool(
    const struct pl_conf_node *section, const char *key, bool def, bool *out, struct pl_error *err)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	const struct pl_conf_node *n = pl_conf_key(section, key);

	if (n == NULL) {
		*out = def;
		return true;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(n->value, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(n->value, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	pl_conf_error_set(
	    err, n, "%s: '%s' is not a boolean (yes/no, on/off, true/false, 1/0)", key, n->value);
	return false;
}

static void
join_choices(struct pl_buf *b, const char *const *choices)
{
	for (size_t i = 0; choices[i] != NULL; i++)
		pl_buf_addf(b, "%s%s",
		    i == 0			 ? ""
			: choices[i + 1] == NULL ? " or "
						 : ", ",
		    choices[i]);
}

bool
pl_conf_get_enum(const struct pl_conf_node *section, const char *key, const char *const *choices,
    int def, int *out, struct pl_error *err)
{
	const struct pl_conf_node *n = pl_conf_key(section, key);
	struct pl_buf b = PL_BUF_INIT;

	if (n == NULL) {
		*out = def;
		return true;
	}
	for (int i = 0; choices[i] != NULL; i++) {
		if (strcmp(n->value, choices[i]) == 0) {
			*out = i;
			return true;
		}
	}
	join_choices(&b, choices);
	pl_conf_error_set(err, n, "%s: '%s' is not one of %s", key, n->value, pl_buf_str(&b));
	pl_buf_free(&b);
	return false;
}

bool
pl_conf_get_time_ms(const struct pl_conf_node *section, const char *key, uint64_t plain_unit_ms,
    uint64_t def, uint64_t *out, struct pl_error *err)
{
	const struct pl_conf_node *n = pl_conf_key(section, key);
	struct pl_error ierr = PL_ERROR_INIT;
	uint64_t v;

	if (n == NULL) {
		*out = def;
		return true;
	}
	if (parse_u64(n->value, &v)) {
		if (plain_unit_ms != 0 && v > UINT64_MAX / plain_unit_ms) {
			pl_conf_error_set(err, n, "%s: '%s' is too large", key, n->value);
			return false;
		}
		*out = v * plain_unit_ms;
		return true;
	}
	if (!pl_interval_parse_ms(n->value, &v, &ierr)) {
		pl_conf_error_set(err, n, "%s: %s", key, ierr.text);
		return false;
	}
	*out = v;
	return true;
}

static bool
name_allowed(const char *name, const char *const *allowed)
{
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(name, allowed[i]) == 0)
			return true;
	return false;
}

bool
pl_conf_check_names(
    const struct pl_conf_node *section, const char *const *allowed, struct pl_error *err)
{
	PL_CONF_FOREACH_CHILD(section, c)
	{
		if (name_allowed(c->name, allowed))
			continue;
		if (section->parent == NULL)
			pl_conf_error_set(err, c, "unknown %s '%s'",
			    pl_conf_is_section(c) ? "section" : "key", c->name);
		else
			pl_conf_error_set(err, c, "unknown %s '%s' in section '%s'",
			    pl_conf_is_section(c) ? "section" : "key", c->name, section->name);
		return false;
	}
	return true;
}
