/* libFuzzer target for the published-reviews reader: CSV text -> ma_table_read_mem ->
 * ma_reviews_read -> ma_review_oriented. Besides the sanitizers' findings it aborts when an
 * accepted review has a number that is not finite, a CI not around its estimate (before or
 * after orientation) or a sign other than +1 or -1. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iastm.h"
#include "iastm/reviews.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ma_table_t *t = NULL;
    ma_review_t *r = NULL;
    ma_error_t err;
    char msg[1400];
    size_t n, i;

    if (ma_table_read_mem((const char *)data, size, "reviews.csv", &t, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        return 0;
    }
    if (ma_reviews_read(t, &r, &n, &err) != MA_OK) {
        ma_error_format(&err, msg, sizeof msg);
        ma_table_free(t);
        return 0;
    }
    for (i = 0; i < n; i++) {
        double est, lb, ub;
        ma_review_oriented(&r[i], &est, &lb, &ub);
        if (!isfinite(r[i].estimate) || !isfinite(r[i].ci_lb) || !isfinite(r[i].ci_ub) ||
            !(r[i].ci_lb <= r[i].estimate && r[i].estimate <= r[i].ci_ub) ||
            !(lb <= est && est <= ub) || (r[i].sign != 1 && r[i].sign != -1) ||
            !r[i].id[0] || !r[i].measure[0])
            abort();
    }
    free(r);
    ma_table_free(t);
    return 0;
}
