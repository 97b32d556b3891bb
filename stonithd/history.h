/*
 * history.h - the fencing history of this node: every request that ended (who asked, whom,
 * what, by which device and node, the result, when), newest last, bounded (the oldest go
 * first), written to <state>/stonithd/history.xml after every change so it survives a
 * restart of the daemon or the node.
 */
#ifndef STONITHD_HISTORY_H
#define STONITHD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

#define HISTORY_MAX 500 /* entries kept, as Pacemaker's fencer */

struct pl_buf;

/* Read the file (a missing file is an empty history; a corrupt one is logged and set aside
 * as history.xml.bad). */
void history_open(const char *dir);
void history_close(void);
void history_add(const struct stonithd_result *r);
/* Forget target's entries ("" or NULL: all). */
void history_cleanup(const char *target);
/* <fence-history> with one <fence_event> per entry for target ("" or NULL: all). */
void history_xml(const char *target, struct pl_buf *out);
/* The same without the enclosing element; and one request still running (status pending). */
void history_xml_events(const char *target, struct pl_buf *out);
void history_xml_pending(const struct stonithd_result *r, struct pl_buf *out);
size_t history_count(void);
/* Merge another node's history (history_xml's format): entries not known here are added in
 * time order, within the bound. Returns how many were added (-1: malformed). */
int history_merge(const char *xml);

#endif
