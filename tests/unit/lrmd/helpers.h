/* helpers.h - a scratch OCF_ROOT with test agents, and running the main loop until a flag. */
#ifndef LRMD_TEST_HELPERS_H
#define LRMD_TEST_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

/* Make a temporary directory with resource.d/test/ and init.d/, point lrmd_conf at it. */
char *helper_root_new(void);
void helper_root_free(char *root);
/* Write an executable agent script resource.d/test/NAME (body after the #!/bin/sh line). */
void helper_agent(const char *root, const char *name, const char *body);
void helper_lsb(const char *root, const char *name, const char *body);
/* Iterate the default main context until *flag or ms pass; false on timeout. */
bool helper_run_until(bool *flag, uint32_t ms);
/* Count live (non-zombie) processes whose process group is pgid. */
int helper_group_alive(int pgid);

#endif
