/* libFuzzer target for the input path: CSV text -> ma_table_read_mem_opts (delimiter
 * detected; decimal commas converted for inputs of odd length) -> ma_dataset_build
 * (default options, or --measure MD when built with -DFUZZ_MEASURE_MD) -> ma_rma_fit.
 * Besides the sanitizers' findings it aborts when a pooled row carries a number that
 * could not be printed as a result (yi not finite, vi not finite and positive). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "iastm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_dataset_opts_t o;
    ma_rma_opts_t ro;
    ma_rma_t r;
    ma_error_t err;
    char msg[1400];
    size_t i;
    ma_table_opts_t to = {0, (int)(size & 1)};

    if (ma_table_read_mem_opts((const char *)data, size, "fuzz.csv", &to, &t, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        return 0;
    }
    ma_dataset_opts_init(&o);
#ifdef FUZZ_MEASURE_MD
    o.es.measure = MA_MEASURE_MD;
#endif
    if (ma_dataset_build(t, &o, &d, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        ma_table_free(t);
        return 0;
    }
    for (i = 0; i < d->n; i++)
        if (!d->s[i].included && !(d->s[i].reason && d->s[i].reason[0]))
            abort(); /* a row left out without a reason */
    for (i = 0; i < d->k; i++)
        if (!isfinite(d->yi[i]) || !isfinite(d->vi[i]) || !(d->vi[i] > 0))
            abort(); /* a pooled row with an unusable effect size */
    if (d->k > 0) {
        ma_rma_opts_init(&ro);
        if (ma_rma_fit(d->yi, d->vi, d->k, &ro, &r, &err) != MA_OK)
            ma_error_format(&err, msg, sizeof msg);
    }
    ma_dataset_free(d);
    ma_table_free(t);
    return 0;
}
