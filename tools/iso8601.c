/*
 * iso8601 - parse and show ISO 8601 dates (-d, -n), durations (-D) and periods (-p), and the
 * end of a date plus a duration, as Pacemaker 2.1.5's iso8601 does (its options, text, exit
 * codes: 0, 1 when -E does not match, 2 for a value that does not parse, 64 for usage).
 *
 * The grammar, arithmetic and texts live in lib/common/iso8601.c, which the rules of the
 * policy engine use too, so what this tool accepts is what a rule accepts. A value that does
 * not parse is explained on stderr ("iso8601  error: WHY") before Pacemaker's one-line verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/iso8601.h"

#define PCMK_VERSION "2.1.5"

static struct {
	gboolean now, seconds, epoch, local, ordinal, week, version;
	char *date, *period, *duration, *expected;
	int verbose;
} opt;

static gboolean
add_verbose(const char *o, const char *v, gpointer d, GError **e)
{
	(void)o, (void)v, (void)d, (void)e;
	opt.verbose++;
	return TRUE;
}

static GOptionEntry command_entries[] = {
	{ "now", 'n', 0, G_OPTION_ARG_NONE, &opt.now, "Display the current date/time", NULL },
	{ "date", 'd', 0, G_OPTION_ARG_STRING, &opt.date,
	    "Parse an ISO 8601 date/time (for example,\n"
	    "                              '2019-09-24 00:30:00 +01:00' or '2019-040')",
	    "DATE" },
	{ "period", 'p', 0, G_OPTION_ARG_STRING, &opt.period,
	    "Parse an ISO 8601 period (interval) with start time (for example,\n"
	    "                              '2005-040/2005-043')",
	    "PERIOD" },
	{ "duration", 'D', 0, G_OPTION_ARG_STRING, &opt.duration,
	    "Parse an ISO 8601 duration (for example, 'P1M')", "DURATION" },
	{ "expected", 'E', 0, G_OPTION_ARG_STRING, &opt.expected,
	    "Exit with error status if result does not match this text.\n"
	    "                              Requires: -n or -d",
	    "TEXT" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry modifier_entries[] = {
	{ "seconds", 's', 0, G_OPTION_ARG_NONE, &opt.seconds,
	    "Show result as a seconds since 0000-001 00:00:00Z", NULL },
	{ "epoch", 'S', 0, G_OPTION_ARG_NONE, &opt.epoch,
	    "Show result as a seconds since EPOCH (1970-001 00:00:00Z)", NULL },
	{ "local", 'L', 0, G_OPTION_ARG_NONE, &opt.local, "Show result as a 'local' date/time", NULL },
	{ "ordinal", 'O', 0, G_OPTION_ARG_NONE, &opt.ordinal,
	    "Show result as an 'ordinal' date/time", NULL },
	{ "week", 'W', 0, G_OPTION_ARG_NONE, &opt.week,
	    "Show result as an 'calendar week' date/time", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "version", '$', 0, G_OPTION_ARG_NONE, &opt.version, "Display software version and exit",
	    NULL },
	{ "verbose", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, add_verbose,
	    "Increase debug output (may be specified multiple times)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static bool
parse_options(int *argc, char ***argv)
{
	GOptionContext *ctx = g_option_context_new(NULL);
	GOptionGroup *cmds =
	    g_option_group_new("commands", "Commands:", "Show command options", NULL, NULL);
	GOptionGroup *mods = g_option_group_new(
	    "modifiers", "Output modifiers:", "Show output modifiers", NULL, NULL);
	GError *error = NULL;
	bool ok = true;

	g_option_context_set_summary(ctx, "Display and parse ISO 8601 dates and times");
	g_option_context_set_description(ctx,
	    "For more information on the ISO 8601 standard, see "
	    "https://en.wikipedia.org/wiki/ISO_8601\n");
	g_option_group_add_entries(cmds, command_entries);
	g_option_group_add_entries(mods, modifier_entries);
	g_option_context_add_group(ctx, cmds);
	g_option_context_add_group(ctx, mods);
	g_option_context_add_main_entries(ctx, main_entries, NULL);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "iso8601: %s\n", error->message);
		g_error_free(error);
		ok = false;
	}
	g_option_context_free(ctx);
	return ok;
}

/* A value that does not parse: why (the library's text), then Pacemaker's verdict line. */
static int
invalid(const char *what, const char *value, const struct pl_error *err)
{
	fprintf(stderr, "iso8601 \terror: %s\n", err->text);
	fprintf(stderr, "iso8601: Invalid %s specified: %s\n", what, value);
	return PL_EXIT_INVALID_PARAM;
}

static void
show_time(const char *label, struct pl_time t, unsigned flags)
{
	char buf[128];
	printf("%s: %s\n", label, pl_time_format(t, flags, buf, sizeof(buf)));
}

static bool
matches_expected(struct pl_time t, unsigned flags)
{
	char buf[128];
	pl_time_format(t, flags, buf, sizeof(buf));
	return strcasecmp(opt.expected, buf) == 0;
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_time date = { 0, 0 }, start, end;
	struct pl_duration dur;
	bool have_date = false, have_dur = false;
	unsigned flags = 0;
	int rc = PL_EXIT_OK;

	if (!parse_options(&argc, &argv))
		return PL_EXIT_USAGE;
	if (opt.version) {
		printf("Pacemaker %s\n", PCMK_VERSION);
		printf("Written by Andrew Beekhof and the Pacemaker project contributors\n");
		return PL_EXIT_OK;
	}
	flags |= opt.seconds ? PL_TIME_SECONDS : 0;
	flags |= opt.epoch ? PL_TIME_EPOCH : 0;
	flags |= opt.local ? PL_TIME_WITH_TZ : 0;
	flags |= opt.ordinal ? PL_TIME_ORDINAL : 0;
	flags |= opt.week ? PL_TIME_WEEKS : 0;
	unsigned dt = flags | PL_TIME_DATE | PL_TIME_TIMEOFDAY;

	if (opt.now || (opt.date && strcasecmp(opt.date, "now") == 0)) {
		date = pl_time_now();
		have_date = true;
		show_time("Current date/time", date, dt);
	} else if (opt.date) {
		if (!pl_time_parse(opt.date, &date, &err))
			return invalid("date/time", opt.date, &err);
		have_date = true;
		show_time("Date", date, dt);
	}
	if (opt.duration) {
		char buf[256];
		if (!pl_duration_parse(opt.duration, &dur, &err))
			return invalid("duration", opt.duration, &err);
		have_dur = true;
		printf("Duration: %s\n", pl_duration_str(&dur, buf, sizeof(buf)));
	}
	if (opt.period) {
		char a[128], b[128];
		if (!pl_period_parse(opt.period, &start, &end, &err))
			return invalid("interval", opt.period, &err);
		printf("Period: %s to %s\n", pl_time_format(start, dt, a, sizeof(a)),
		    pl_time_format(end, dt, b, sizeof(b)));
	}
	if (have_date && have_dur) {
		struct pl_time later = pl_time_add(date, &dur);
		show_time("Duration ends at", later, dt | PL_TIME_WITH_TZ);
		if (opt.expected && !matches_expected(later, dt))
			rc = PL_EXIT_ERROR;
	} else if (have_date && opt.expected && !matches_expected(date, dt)) {
		rc = PL_EXIT_ERROR;
	}
	return rc;
}
