/*
 * crm_mon.h - crm_mon's parts: one-shot rendering (crm_mon.c), the HTML page (mon_html.c),
 * the interactive terminal view and the notification follower (mon_watch.c).
 */
#ifndef CRM_MON_H
#define CRM_MON_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"

enum mon_format { MON_TEXT, MON_XML, MON_HTML };

struct mon {
	struct pl_mon_opts opts;
	enum mon_format format;
	const char *output_to;	  /* NULL: standard output */
	int interval;		  /* seconds: CIB_file re-read and HTML refresh period */
	struct pl_cib_conn *conn; /* live: the paceline-cib connection */
	char *file;		  /* CIB_file, or the CIB_shadow's file; NULL: live */
	bool watching;		  /* the terminal view or a kept-fresh file: no stderr lines */
	int fence_level;	  /* -m: 0 none, 1 failed and pending (default), 2-3 all */
};

xmlDoc *mon_read_cib(struct mon *m, struct pl_error *err);
int mon_render(struct mon *m, xmlDoc *doc, struct pl_buf *out, struct pl_error *err);
int mon_once(struct mon *m);
void mon_html(struct mon *m, struct pl_pengine_run *run, struct pl_buf *out);
int mon_interactive(struct mon *m); /* the terminal view; returns the exit code */
int mon_follow(struct mon *m);	    /* keep --output-to fresh on every change */

#endif
