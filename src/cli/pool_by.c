/* iastm pool --by: placeholder until subgroup analysis is implemented. */
#include "cli.h"

int cli_pool_by(const cli_common_t *c, const cli_pool_t *p, const ma_dataset_t *d, FILE *f)
{
    (void)c;
    (void)p;
    (void)d;
    (void)f;
    fprintf(stderr, "iastm pool: --by is not available in this build\n");
    return 1;
}
