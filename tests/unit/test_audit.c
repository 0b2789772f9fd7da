/* Data audit rules (src/audit.c), each on cases worked out by hand.
 *
 * GRIM: Brown & Heathers (2016) explain the test with a mean of 5.19 reported for 28
 * participants answering an integer item: 145/28 = 5.179 (5.18) and 146/28 = 5.214 (5.21),
 * so no total gives 5.19, while 5.18 is possible.
 * GRIMMER: five integer scores with mean 2.00 sum to T = 10; the sum of squares Q must be
 * even (x^2 and x have the same parity) and SD^2 = (Q - 20) / 4. SD 0.71 (Q = 22, e.g.
 * 1,2,2,2,3) and SD 1.00 (Q = 24: 1,1,2,3,3) are possible; SD 0.50 (Q = 21) and SD 0.87
 * (Q = 23) are not.
 * p: two arms of 20, means 10.0 and 8.0, SDs 2.0 and 2.0 (one decimal: each stands for
 * +-0.05): t runs from 1.9 / (2.05 sqrt(0.1)) to 2.1 / (1.95 sqrt(0.1)) on 38 df; in R,
 *   f <- function(d, s) 2 * pt(-d / (s * sqrt(2 / 20)), 38)
 *   f(2.1, 1.95) = 0.0015720250398558609, f(1.9, 2.05) = 0.0056929902188319250. */
#include <math.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "iastm.h"
#include "testutil.h"

static void test_decimals(void **state)
{
    (void)state;
    assert_int_equal(ma_decimals("1.60"), 2);
    assert_int_equal(ma_decimals("15"), 0);
    assert_int_equal(ma_decimals("-0.305"), 3);
    assert_int_equal(ma_decimals("15.0"), 1);
    assert_int_equal(ma_decimals("1e-3"), -1);
    assert_int_equal(ma_decimals(""), -1);
}

static void test_grim(void **state)
{
    (void)state;
    assert_int_equal(ma_grim(5.19, 2, 28, 1), 0);
    assert_int_equal(ma_grim(5.18, 2, 28, 1), 1);
    assert_int_equal(ma_grim(5.21, 2, 28, 1), 1);
    /* n = 200 at 2 decimals: means 1/200 = 0.005 apart, the rounding interval 0.01 wide */
    assert_int_equal(ma_grim(5.19, 2, 200, 1), -1);
    /* a half-point scale doubles the possible means: 5.19 * 28 * 2 = 290.6 -> 291/56 */
    assert_int_equal(ma_grim(5.20, 2, 28, 0.5), 1);
    /* a printed .5 boundary counts both ways: 28.375 prints as 28.37 or 28.38 */
    assert_int_equal(ma_grim(28.38, 2, 24, 1), 1);
    assert_int_equal(ma_grim(28.37, 2, 24, 1), 1);
    assert_int_equal(ma_grim(28.36, 2, 24, 1), 0);
}

static void test_grimmer(void **state)
{
    (void)state;
    assert_int_equal(ma_grimmer(2.00, 2, 0.71, 2, 5, 1), 1);
    assert_int_equal(ma_grimmer(2.00, 2, 1.00, 2, 5, 1), 1);
    assert_int_equal(ma_grimmer(2.00, 2, 0.50, 2, 5, 1), 0);
    assert_int_equal(ma_grimmer(2.00, 2, 0.87, 2, 5, 1), 0);
    assert_int_equal(ma_grimmer(2.00, 2, 0.00, 2, 5, 1), 1);
    /* a mean GRIM rejects is not tested again */
    assert_int_equal(ma_grimmer(5.19, 2, 1.00, 2, 28, 1), -1);
    /* SD printed to no decimals for n = 50: every interval holds both parities */
    assert_int_equal(ma_grimmer(2.0, 1, 3, 0, 50, 1), -1);
}

static void test_p_range(void **state)
{
    double lo, hi;
    (void)state;
    assert_int_equal(ma_audit_p_range(10.0, 1, 2.0, 1, 20, 8.0, 1, 2.0, 1, 20, &lo, &hi), 0);
    assert_close(lo, 0.0015720250398558609, 1e-10, 0);
    assert_close(hi, 0.0056929902188319250, 1e-10, 0);
    assert_int_equal(ma_audit_p_range(10.0, 1, NAN, 1, 20, 8.0, 1, 2.0, 1, 20, &lo, &hi), -1);
    assert_int_equal(ma_audit_p_range(10.0, 1, 2.0, 1, 1, 8.0, 1, 2.0, 1, 20, &lo, &hi), -1);
}

/* Audit an in-memory CSV; returns the audit (the caller frees it, t and d). */
static ma_audit_t *audit_csv(const char *csv, ma_table_t **t, ma_dataset_t **d)
{
    ma_dataset_opts_t o;
    ma_audit_t *a = NULL;
    ma_error_t err;
    assert_int_equal(ma_table_read_mem(csv, strlen(csv), "mem.csv", t, &err), MA_OK);
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_dataset_build(*t, &o, d, &err), MA_OK);
    assert_int_equal(ma_audit_run(*d, &a, &err), MA_OK);
    return a;
}

static ma_audit_result_t result_of(const ma_audit_t *a, size_t study, ma_audit_check_t c,
                                   int arm)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->items[i].study == study && a->items[i].check == c && a->items[i].arm == arm)
            return a->items[i].result;
    fail_msg("no item for study %zu check %d arm %d", study, (int)c, arm);
    return MA_AUDIT_NA;
}

static void test_dataset_rules(void **state)
{
    static const char csv[] =
        "study,m1i,sd1i,n1i,m2i,sd2i,n2i,p_exact,scale_min,scale_max,scale_step\n"
        /* 0: plausible, consistent p (recomputed 0.0016 to 0.0057) */
        "a,10.0,2.0,20,8.0,2.0,20,0.003,0,20,\n"
        /* 1: SDs that look like SEs: |SMD| = 2 / 0.45 = 4.4 */
        "b,10.0,0.45,20,8.0,0.45,20,,0,20,\n"
        /* 2: arm 1 fails GRIM (5.19 with n = 28), arm 2 fails GRIMMER (2.00, 0.50, n = 5) */
        "c,5.19,1.00,28,2.00,0.50,5,,0,10,1\n"
        /* 3: outside the range, and an SD the range cannot give (n = 10, mean 5, at most
         *    5.27); p inconsistent with the means */
        "d,11.0,2.0,10,5.0,6.0,10,0.9,0,10,\n";
    ma_table_t *t;
    ma_dataset_t *d;
    ma_audit_t *a = audit_csv(csv, &t, &d);
    (void)state;
    assert_int_equal(result_of(a, 0, MA_AUDIT_SD_SE, 0), MA_AUDIT_PASS);
    assert_int_equal(result_of(a, 0, MA_AUDIT_P, 0), MA_AUDIT_PASS);
    assert_int_equal(result_of(a, 0, MA_AUDIT_GRIM, 1), MA_AUDIT_NA);     /* no step */
    assert_int_equal(result_of(a, 0, MA_AUDIT_RANGE, 1), MA_AUDIT_PASS);
    assert_int_equal(result_of(a, 1, MA_AUDIT_SD_SE, 0), MA_AUDIT_FLAG);
    assert_int_equal(result_of(a, 1, MA_AUDIT_P, 0), MA_AUDIT_NA);        /* no p */
    assert_int_equal(result_of(a, 2, MA_AUDIT_GRIM, 1), MA_AUDIT_FLAG);
    assert_int_equal(result_of(a, 2, MA_AUDIT_GRIM, 2), MA_AUDIT_PASS);
    assert_int_equal(result_of(a, 2, MA_AUDIT_GRIMMER, 1), MA_AUDIT_NA);  /* GRIM failed */
    assert_int_equal(result_of(a, 2, MA_AUDIT_GRIMMER, 2), MA_AUDIT_FLAG);
    assert_int_equal(result_of(a, 3, MA_AUDIT_RANGE, 1), MA_AUDIT_FLAG);
    assert_int_equal(result_of(a, 3, MA_AUDIT_RANGE, 2), MA_AUDIT_FLAG);
    assert_int_equal(result_of(a, 3, MA_AUDIT_P, 0), MA_AUDIT_FLAG);
    assert_int_equal((int)a->nrows_flagged, 3);
    ma_audit_free(a);
    ma_dataset_free(d);
    ma_table_free(t);
}

static void test_bad_scale(void **state)
{
    static const char csv[] = "study,yi,vi,scale_min,scale_max,scale_step\n"
                              "a,0.1,0.2,0,10,1\n"
                              "b,0.1,0.2,10,0,1\n";
    static const char csv2[] = "study,yi,vi,scale_min,scale_max,scale_step\n"
                               "a,0.1,0.2,0,ten,1\n";
    ma_dataset_opts_t o;
    ma_table_t *t;
    ma_dataset_t *d;
    ma_audit_t *a = NULL;
    ma_error_t err;
    (void)state;
    ma_dataset_opts_init(&o);
    assert_int_equal(ma_table_read_mem(csv, strlen(csv), "mem.csv", &t, &err), MA_OK);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    assert_int_equal(ma_audit_run(d, &a, &err), MA_EINPUT);
    assert_null(a);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.column, "scale_max");
    ma_dataset_free(d);
    ma_table_free(t);
    assert_int_equal(ma_table_read_mem(csv2, strlen(csv2), "mem.csv", &t, &err), MA_OK);
    assert_int_equal(ma_dataset_build(t, &o, &d, &err), MA_OK);
    assert_int_equal(ma_audit_run(d, &a, &err), MA_EINPUT);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.column, "scale_max");
    assert_string_equal(err.value, "ten");
    ma_dataset_free(d);
    ma_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals), cmocka_unit_test(test_grim),
        cmocka_unit_test(test_grimmer), cmocka_unit_test(test_p_range),
        cmocka_unit_test(test_dataset_rules), cmocka_unit_test(test_bad_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
