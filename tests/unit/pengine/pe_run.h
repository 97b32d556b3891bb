/* pe_run.h - test helper: run the scheduler on CIB text and render one view of the result. */
#ifndef PE_RUN_H
#define PE_RUN_H

enum pe_run_view { PE_RUN_SUMMARY, PE_RUN_EXEC, PE_RUN_STATUS };

/* The view as xmalloc'd text; "now" is fixed so that results do not depend on the clock.
 * Any parse or scheduler error fails the calling test. */
char *pe_run_render(const char *cib, enum pe_run_view view);

#endif
