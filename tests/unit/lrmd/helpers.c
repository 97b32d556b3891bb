/* helpers.c - see helpers.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "exec.h"
#include "helpers.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

char *
helper_root_new(void)
{
	char *root = xstrdup("/tmp/pl-lrmd-unit.XXXXXX");
	char *p;

	if (mkdtemp(root) == NULL)
		abort();
	p = xasprintf("%s/resource.d", root);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/resource.d/test", root);
	mkdir(p, 0755);
	free(p);
	p = xasprintf("%s/init.d", root);
	mkdir(p, 0755);
	free(p);
	lrmd_conf_init();
	free(lrmd_conf.ocf_root);
	lrmd_conf.ocf_root = xstrdup(root);
	free(lrmd_conf.lsb_dir);
	lrmd_conf.lsb_dir = xasprintf("%s/init.d", root);
	lrmd_conf.kill_grace_ms = 300;
	return root;
}

void
helper_root_free(char *root)
{
	char *cmd = xasprintf("rm -rf '%s'", root);

	if (system(cmd) != 0)
		abort();
	free(cmd);
	free(root);
	lrmd_conf_free();
}

static void
write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		abort();
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
}

void
helper_agent(const char *root, const char *name, const char *body)
{
	char *p = xasprintf("%s/resource.d/test/%s", root, name);

	write_script(p, body);
	free(p);
}

void
helper_lsb(const char *root, const char *name, const char *body)
{
	char *p = xasprintf("%s/init.d/%s", root, name);

	write_script(p, body);
	free(p);
}

bool
helper_run_until(bool *flag, uint32_t ms)
{
	uint64_t end = pl_mono_ms() + ms;

	while (!*flag && pl_mono_ms() < end)
		if (!g_main_context_iteration(NULL, false))
			g_usleep(1000);
	return *flag;
}

int
helper_group_alive(int pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], buf[512], state;
		int pid, ppid, pgrp;
		FILE *f;
		char *close_paren;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f) != NULL && (close_paren = strrchr(buf, ')')) != NULL &&
		    sscanf(close_paren + 2, "%c %d %d", &state, &ppid, &pgrp) == 3 &&
		    pgrp == pgid && state != 'Z' && sscanf(buf, "%d", &pid) == 1)
			n++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}
