/* What leave-one-out refits say (ma_loo_summary): the range of the estimates and the
 * refits that change the test, on hand-made fits. */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "iastm/loo.h"

static void test_cases(void **state)
{
    static const struct {
        double full_p, alpha;
        double est[4], p[4];
        size_t lowest, highest, n;
        unsigned char changes[4];
    } cases[] = {
        /* significant overall: refits with p >= alpha change it; NaN p changes nothing */
        {0.01, 0.05, {0.3, 0.1, 0.5, 0.2}, {0.02, 0.20, 0.001, NAN}, 1, 2, 1, {0, 1, 0, 0}},
        /* not significant overall: refits with p < alpha change it */
        {0.30, 0.05, {0.3, 0.1, 0.5, 0.2}, {0.04, 0.20, 0.049, 0.05}, 1, 2, 2, {1, 0, 1, 0}},
        /* a NaN estimate is never the lowest or highest */
        {0.30, 0.10, {NAN, 0.4, -0.2, 0.4}, {NAN, 0.5, 0.09, 0.6}, 2, 1, 1, {0, 0, 1, 0}},
    };
    size_t c;
    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ma_rma_t full, fits[4];
        ma_loo_range_t range;
        unsigned char changes[4];
        size_t j;
        memset(&full, 0, sizeof full);
        memset(fits, 0, sizeof fits);
        full.pval = cases[c].full_p;
        for (j = 0; j < 4; j++) {
            fits[j].estimate = cases[c].est[j];
            fits[j].pval = cases[c].p[j];
        }
        assert_int_equal(ma_loo_summary(&full, fits, 4, cases[c].alpha, &range, changes),
                         cases[c].n);
        assert_int_equal(range.lowest, cases[c].lowest);
        assert_int_equal(range.highest, cases[c].highest);
        assert_memory_equal(changes, cases[c].changes, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
