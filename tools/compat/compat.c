/*
 * paceline-compat - the Pacemaker and Corosync program names that crmsh and pcs run by path
 * (docs/design/compat.md), one program chosen by the name it is started as:
 *
 *	pacemaker-controld version        "CRM Version: 2.1.5 (...)": crmsh reads the third word
 *	pacemaker-{based,controld,schedulerd,fenced} metadata
 *	                                  the cluster options (compat_options.def) as OCF meta-data
 *	corosync-cmapctl [-g KEY] [PREFIX] the keys pcs reads (compat_cmap.c)
 *
 * corosync-quorumtool and corosync-cfgtool are paceline-quorumtool and paceline-cfgtool
 * under those names (installed as links by the drop-in install). Anything else is refused
 * with 64: the daemons themselves are Paceline's (paceline-launcher starts them).
 */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "paceline/exitcode.h"

struct option_row {
	char daemon;
	const char *name, *type, *dflt, *values;
	int advanced;
	const char *desc;
};

static const struct option_row options[] = {
#define X(d, n, t, df, v, adv, desc) { #d[0], n, t, df, v, adv, desc },
#include "compat_options.def"
#undef X
};

static const struct {
	const char *program;
	char daemon;
	const char *what;
} daemons[] = {
	{ "pacemaker-based", 'B', "CIB manager options" },
	{ "pacemaker-controld", 'C', "controller options" },
	{ "pacemaker-schedulerd", 'S', "scheduler options" },
	{ "pacemaker-fenced", 'F', "instance attributes of every stonith-class resource" },
};

static void
xml_text(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '&': fputs("&amp;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		case '\'': fputs("&apos;", stdout); break;
		default: putchar(*s);
		}
	}
}

static void
metadata(const char *program, char daemon, const char *what)
{
	printf("<?xml version=\"1.0\"?>\n<resource-agent name=\"%s\" version=\"%s\">\n", program,
	    COMPAT_PCMK_VERSION);
	printf("  <version>1.1</version>\n");
	printf(
	    "  <longdesc lang=\"en\">Paceline's %s, as Pacemaker's %s describes them</longdesc>\n",
	    what, program);
	printf("  <shortdesc lang=\"en\">Paceline's %s</shortdesc>\n  <parameters>\n", what);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct option_row *o = &options[i];

		if (o->daemon != daemon)
			continue;
		printf("    <parameter name=\"%s\">\n      <longdesc lang=\"en\">", o->name);
		xml_text(o->desc);
		if (*o->values) {
			printf("  Allowed values: ");
			xml_text(o->values);
		}
		printf("</longdesc>\n      <shortdesc lang=\"en\">%s",
		    o->advanced ? "Advanced use only: " : "");
		xml_text(o->desc);
		printf("</shortdesc>\n      <content type=\"%s\"", o->type);
		if (*o->dflt)
			printf(" default=\"%s\"", o->dflt);
		if (!strcmp(o->type, "select")) {
			char **v = g_strsplit(o->values, ", ", -1);
			printf(">\n");
			for (int k = 0; v[k]; k++)
				printf("        <option value=\"%s\" />\n", v[k]);
			printf("      </content>\n");
			g_strfreev(v);
		} else {
			printf("/>\n");
		}
		printf("    </parameter>\n");
	}
	printf("  </parameters>\n</resource-agent>\n");
}

int
main(int argc, char **argv)
{
	const char *name = basename(argv[0]);

	if (!strcmp(name, "corosync-cmapctl"))
		return compat_cmapctl(argc, argv);
	for (size_t i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++) {
		if (strcmp(name, daemons[i].program))
			continue;
		if (argc == 2 && !strcmp(argv[1], "metadata")) {
			metadata(daemons[i].program, daemons[i].daemon, daemons[i].what);
			return PL_EXIT_OK;
		}
		if (argc == 2 && !strcmp(argv[1], "version")) {
			printf(
			    "CRM Version: %s (paceline %s)\n", COMPAT_PCMK_VERSION, COMPAT_VERSION);
			return PL_EXIT_OK;
		}
		fprintf(stderr,
		    "%s: only 'metadata' and 'version' are answered here; the cluster daemons are "
		    "Paceline's (paceline-launcher starts them)\n",
		    name);
		return PL_EXIT_USAGE;
	}
	fprintf(stderr,
	    "paceline-compat: started as '%s'; run as pacemaker-{based,controld,schedulerd,fenced} "
	    "or corosync-cmapctl\n",
	    name);
	return PL_EXIT_USAGE;
}
