/* cib_verify.c - placeholder */
#include "cib_private.h"
void pl_cib_verify(const xmlNode *r, struct pl_cib_verify_result *res) { (void)r; memset(res,0,sizeof(*res)); }
void pl_cib_verify_result_free(struct pl_cib_verify_result *r) { (void)r; }
