/* Unit tests for permutation tests (permutest.c) against R metafor 3.8-1's permutest()
 * with exact = TRUE, plus the approximate test's determinism. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/permutest.h"

static void opts(ma_permutest_opts_t *o, ma_method_t m, ma_test_t t, unsigned threads)
{
    ma_permutest_opts_init(o);
    o->rma.method = m;
    o->rma.test = t;
    o->run.threads = threads;
    o->run.progress = NULL;
}

/* Exact p-values are shares of 2^k (or of the distinct permutations): compare exactly up
 * to rounding. */
#define PREL 1e-14

static void test_int_only_exact(void **state)
{
    /* dat <- read.csv("bcg.csv"); d8 <- dat[1:8,]; ctrl <- list(threshold=1e-12,
     * maxiter=1000); res <- rma(yi, vi, data=d8, method=M, test=T, control=ctrl)
     * permutest(res, exact=TRUE)$pval (= $QMp), and res$zval:
     *   REML z 0.015625, REML knha 0.015625, DL z 0.015625, DL knha 0.015625,
     *   FE z 0.0234375 */
    static const struct {
        ma_method_t m;
        ma_test_t t;
        double p, z;
    } cases[] = {
        {MA_METHOD_REML, MA_TEST_Z, 0.015625, -3.6861706839826636},
        {MA_METHOD_REML, MA_TEST_KNHA, 0.015625, -3.908692906846027},
        {MA_METHOD_DL, MA_TEST_Z, 0.015625, -3.4715718223430745},
        {MA_METHOD_DL, MA_TEST_KNHA, 0.015625, -3.9655890369585616},
        {MA_METHOD_FE, MA_TEST_Z, 0.0234375, -9.4986075342608522},
    };
    testutil_data_t d = testutil_data_load("bcg.csv", 8, "ablat", "alloc");
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ma_permutest_opts_t o;
        ma_permutest_t r;
        ma_error_t err;
        opts(&o, cases[i].m, cases[i].t, 2);
        o.exact = 1;
        assert_int_equal(ma_permutest(d.yi, d.vi, d.k, NULL, 0, &o, &r, &err), MA_OK);
        assert_int_equal(r.exact, 1);
        assert_true(r.iter == 256);
        assert_close(r.stat[0], cases[i].z, 1e-7, 0); /* res$zval */
        assert_close(r.pval[0], cases[i].p, PREL, 0);
        assert_close(r.QM_pval, cases[i].p, PREL, 0);
        ma_permutest_clear(&r);
    }
    testutil_data_free(&d);
}

/* Design matrix: intercept and ablat. */
static double *design_ablat(const testutil_data_t *d)
{
    double *X = malloc(2 * d->k * sizeof *X);
    size_t i;
    assert_non_null(X);
    for (i = 0; i < d->k; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = d->x[i];
    }
    return X;
}

static void test_mods_exact(void **state)
{
    /* d7 <- dat[1:7,]; ctrl <- list(threshold=1e-12, maxiter=1000)
     * pt <- permutest(rma(yi, vi, mods=~ablat, data=d7, method=M, test=T, control=ctrl),
     *                 exact=TRUE); pt$pval; pt$QMp; pt$exact.iter   (2520: ablat has ties)
     * (with metafor's default maxiter = 100 one REML fit of the 2520 fails to converge and
     * is left out; the tight control makes every fit converge, as here) */
    static const struct {
        ma_method_t m;
        ma_test_t t;
        double p0, p1;
    } cases[] = {
        {MA_METHOD_REML, MA_TEST_Z, 0.91706349206349203, 0.18412698412698414},
        {MA_METHOD_REML, MA_TEST_KNHA, 0.92500000000000004, 0.20039682539682541},
        {MA_METHOD_DL, MA_TEST_Z, 0.9194444444444444, 0.18611111111111112},
    };
    testutil_data_t d = testutil_data_load("bcg.csv", 7, "ablat", "alloc");
    double *X = design_ablat(&d);
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ma_permutest_opts_t o;
        ma_permutest_t r;
        ma_error_t err;
        opts(&o, cases[i].m, cases[i].t, (unsigned)(i + 1));
        assert_int_equal(ma_permutest(d.yi, d.vi, d.k, X, 2, &o, &r, &err), MA_OK);
        /* 2520 > iter = 1000: approximate by default (metafor's rule) */
        assert_int_equal(r.exact, 0);
        assert_close(r.exact_iter, 2520, 0, 0);
        ma_permutest_clear(&r);
        o.exact = 1;
        assert_int_equal(ma_permutest(d.yi, d.vi, d.k, X, 2, &o, &r, &err), MA_OK);
        assert_int_equal(r.exact, 1);
        assert_true(r.iter == 2520);
        assert_true(r.failed == 0);
        assert_close(r.pval[0], cases[i].p0, PREL, 0);
        assert_close(r.pval[1], cases[i].p1, PREL, 0);
        assert_close(r.QM_pval, cases[i].p1, PREL, 0);
        ma_permutest_clear(&r);
    }
    free(X);
    testutil_data_free(&d);
}

static void test_mods_categorical(void **state)
{
    /* d9 <- dat[1:9,]; permutest(rma(yi, vi, mods=~alloc, data=d9, method="REML",
     * control=ctrl), exact=TRUE): pval 0.77777777777777779 0.44444444444444442,
     * QMp 0.44444444444444442, exact.iter 36 (2 alternate, 7 random: 9!/(2! 7!)) */
    testutil_data_t d = testutil_data_load("bcg.csv", 9, "ablat", "alloc");
    double X[18];
    size_t i;
    ma_permutest_opts_t o;
    ma_permutest_t r;
    ma_error_t err;
    (void)state;
    for (i = 0; i < 9; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = strcmp(d.g[i], "random") == 0;
    }
    opts(&o, MA_METHOD_REML, MA_TEST_Z, 2);
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, X, 2, &o, &r, &err), MA_OK);
    assert_int_equal(r.exact, 1); /* 36 <= 1000 */
    assert_true(r.iter == 36);
    assert_close(r.pval[0], 0.77777777777777779, PREL, 0);
    assert_close(r.pval[1], 0.44444444444444442, PREL, 0);
    assert_close(r.QM_pval, 0.44444444444444442, PREL, 0);
    ma_permutest_clear(&r);
    testutil_data_free(&d);
}

static void test_approximate(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", 13, "ablat", "alloc");
    double *X = design_ablat(&d), p1, p2;
    ma_permutest_opts_t o;
    ma_permutest_t r;
    ma_error_t err;
    (void)state;
    /* 2^13 = 8192 > 1000: approximate, the observed data counted first */
    opts(&o, MA_METHOD_DL, MA_TEST_Z, 1);
    o.seed = 5;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, NULL, 0, &o, &r, &err), MA_OK);
    assert_int_equal(r.exact, 0);
    assert_true(r.iter == 1000);
    p1 = r.pval[0];
    assert_true(p1 >= 1.0 / 1000);
    ma_permutest_clear(&r);
    o.run.threads = 3;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, NULL, 0, &o, &r, &err), MA_OK);
    p2 = r.pval[0];
    assert_true(p1 == p2); /* independent of the thread count */
    ma_permutest_clear(&r);
    /* close to the exact p-value: every flip of the 13 studies */
    o.exact = 1;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, NULL, 0, &o, &r, &err), MA_OK);
    assert_true(fabs(r.pval[0] - p1) < 0.02);
    ma_permutest_clear(&r);
    /* moderators, random row permutations */
    o.exact = 0;
    o.iter = 2000;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, X, 2, &o, &r, &err), MA_OK);
    assert_int_equal(r.exact, 0);
    p1 = r.pval[1];
    ma_permutest_clear(&r);
    o.run.threads = 2;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, X, 2, &o, &r, &err), MA_OK);
    assert_true(p1 == r.pval[1]);
    assert_true(p1 < 0.01); /* ablat is a strong moderator in bcg */
    ma_permutest_clear(&r);
    free(X);
    testutil_data_free(&d);
}

static void test_errors(void **state)
{
    double y[2] = {0.1, 0.2}, v[2] = {0.1, 0.1};
    ma_permutest_opts_t o;
    ma_permutest_t r;
    ma_error_t err;
    (void)state;
    opts(&o, MA_METHOD_DL, MA_TEST_Z, 1);
    assert_int_equal(ma_permutest(y, v, 1, NULL, 0, &o, &r, &err), MA_EINPUT);
    o.iter = 1;
    assert_int_equal(ma_permutest(y, v, 2, NULL, 0, &o, &r, &err), MA_EUSAGE);
}

static void test_interrupt(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", 13, "ablat", "alloc");
    ma_permutest_opts_t o;
    ma_permutest_t r;
    ma_error_t err;
    static const volatile sig_atomic_t cancel = 1; /* set, as by a Ctrl-C */
    (void)state;
    opts(&o, MA_METHOD_REML, MA_TEST_Z, 2);
    o.exact = 1;
    o.run.cancel = &cancel;
    assert_int_equal(ma_permutest(d.yi, d.vi, d.k, NULL, 0, &o, &r, &err), MA_EINTR);
    assert_null(r.pval); /* nothing to report */
    testutil_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_only_exact),
        cmocka_unit_test(test_mods_exact),
        cmocka_unit_test(test_mods_categorical),
        cmocka_unit_test(test_approximate),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
