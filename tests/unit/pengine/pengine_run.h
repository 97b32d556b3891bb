/* pengine_run.h - test helper: run the scheduler on CIB text and render one view of the result. */
#ifndef PENGINE_RUN_H
#define PENGINE_RUN_H

enum pengine_run_view { PENGINE_RUN_SUMMARY, PENGINE_RUN_EXEC, PENGINE_RUN_STATUS };

/* The view as xmalloc'd text; "now" is fixed so that results do not depend on the clock.
 * Any parse or scheduler error fails the calling test. */
char *pengine_run_render(const char *cib, enum pengine_run_view view);

#endif
