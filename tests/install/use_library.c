/* A program built against the installed library through pkg-config: pool a CSV file's yi
 * and vi (REML, as metafor's rma) and compare the estimate with the value given.
 * Usage: use_library FILE.csv ESTIMATE   (exit 0 when within 1e-7 relative) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <iastm.h>

int main(int argc, char **argv)
{
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_dataset_opts_t o;
    ma_rma_opts_t ro;
    ma_rma_t r;
    ma_error_t err;
    char msg[1400];
    double want;
    int ok;
    if (argc != 3)
        return 2;
    want = strtod(argv[2], NULL);
    ma_dataset_opts_init(&o);
    ma_rma_opts_init(&ro);
    if (ma_table_read_file(argv[1], &t, &err) != MA_OK ||
        ma_dataset_build(t, &o, &d, &err) != MA_OK ||
        ma_rma_fit(d->yi, d->vi, d->k, &ro, &r, &err) != MA_OK) {
        fprintf(stderr, "use_library: %s\n", ma_error_format(&err, msg, sizeof msg));
        return 1;
    }
    ok = fabs(r.estimate - want) <= 1e-7 * fabs(want);
    printf("k = %zu, estimate %.10f (%s %.10f)\n", d->k, r.estimate, ok ? "as" : "NOT as", want);
    ma_dataset_free(d);
    ma_table_free(t);
    return ok ? 0 : 1;
}
