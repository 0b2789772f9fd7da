/* Unit tests for pooling (rma.c, tau2.c, qprofile.c) against R metafor 3.8-1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/rma.h"

#define REL 1e-7
#define ABS 1e-9

static const char *cell(const ma_table_t *t, size_t r, const char *col)
{
    return ma_table_cell(t, r, ma_table_col(t, col));
}

/* Compare, and track the largest relative error over values not near zero. */
static double max_rel;

static void cmp(double got, double want, const char *what, size_t row)
{
    if (isnan(want))
        return; /* NA in the reference: metafor gives no value */
    if (fabs(want) > ABS) {
        double rel = fabs(got - want) / fabs(want);
        if (rel > max_rel)
            max_rel = rel;
    }
    if (!(fabs(got - want) <= ABS || fabs(got - want) <= REL * fabs(want)))
        print_error("row %zu %s: got %.17g want %.17g\n", row + 1, what, got, want);
    assert_close(got, want, REL, ABS);
}

/* Every row of NAME.pool.csv, for MA_PI_DEFAULT and MA_PI_HTS. */
static void check_pool(const char *input, const char *ref)
{
    testutil_data_t d = testutil_data_load(input, SIZE_MAX, NULL, NULL);
    ma_table_t *t = testutil_ref_load(ref);
    size_t r;
    max_rel = 0;
    assert_true(t->nrow > 0);
    for (r = 0; r < t->nrow; r++) {
        ma_rma_opts_t o;
        ma_rma_t f, h;
        ma_error_t err;
        int m = ma_method_parse(cell(t, r, "method"));
        assert_true(m >= 0);
        ma_rma_opts_init(&o);
        o.method = (ma_method_t)m;
        o.test = strcmp(cell(t, r, "test"), "knha") == 0 ? MA_TEST_KNHA : MA_TEST_Z;
        assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &f, &err), MA_OK);
        assert_int_equal(f.converged, 1);
        assert_int_equal(f.method_used, m);
        cmp((double)f.k, testutil_num(t, r, "k"), "k", r);
        cmp(f.estimate, testutil_num(t, r, "estimate"), "estimate", r);
        cmp(f.se, testutil_num(t, r, "se"), "se", r);
        cmp(f.stat, testutil_num(t, r, "stat"), "stat", r);
        cmp(f.pval, testutil_num(t, r, "pval"), "pval", r);
        cmp(f.ci_lb, testutil_num(t, r, "ci_lb"), "ci_lb", r);
        cmp(f.ci_ub, testutil_num(t, r, "ci_ub"), "ci_ub", r);
        cmp(f.tau2, testutil_num(t, r, "tau2"), "tau2", r);
        cmp(f.tau2_lb, testutil_num(t, r, "tau2_lb"), "tau2_lb", r);
        cmp(f.tau2_ub, testutil_num(t, r, "tau2_ub"), "tau2_ub", r);
        cmp(f.I2, testutil_num(t, r, "I2"), "I2", r);
        cmp(f.I2_lb, testutil_num(t, r, "I2_lb"), "I2_lb", r);
        cmp(f.I2_ub, testutil_num(t, r, "I2_ub"), "I2_ub", r);
        cmp(f.H2, testutil_num(t, r, "H2"), "H2", r);
        cmp(f.Q, testutil_num(t, r, "Q"), "Q", r);
        cmp(f.Q_df, testutil_num(t, r, "Q_df"), "Q_df", r);
        cmp(f.Q_p, testutil_num(t, r, "Q_p"), "Q_p", r);
        cmp(f.pi_lb, testutil_num(t, r, "pi_lb"), "pi_lb", r);
        cmp(f.pi_ub, testutil_num(t, r, "pi_ub"), "pi_ub", r);
        /* the H2 bounds follow from the tau2 bounds as the I2 bounds do */
        if (!isnan(f.tau2_lb))
            assert_close(f.H2_lb, 100.0 / (100.0 - f.I2_lb), 1e-9, 1e-12);
        if (m == MA_METHOD_FE) {
            assert_true(isnan(f.pi_lb) && isnan(f.pi_ub));
            assert_true(isnan(f.tau2_lb));
        }

        o.pi = MA_PI_HTS;
        assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &h, &err), MA_OK);
        cmp(h.pi_lb, testutil_num(t, r, "pi_hts_lb"), "pi_hts_lb", r);
        cmp(h.pi_ub, testutil_num(t, r, "pi_hts_ub"), "pi_hts_ub", r);
        cmp(h.estimate, f.estimate, "estimate (hts)", r);

        /* the estimator alone gives the same tau2 */
        {
            double t2;
            int it;
            assert_int_equal(ma_tau2_estimate(d.yi, d.vi, d.k, o.method, &o, &t2, &it), MA_OK);
            cmp(t2, testutil_num(t, r, "tau2"), "tau2 (ma_tau2_estimate)", r);
        }
    }
    print_message("%s: %zu rows, max relative error %.3g\n", ref, t->nrow, max_rel);
    ma_table_free(t);
    testutil_data_free(&d);
}

static void test_ref_bcg(void **state)
{
    (void)state;
    check_pool("bcg.csv", "bcg.pool.csv");
}

static void test_ref_raudenbush1985(void **state)
{
    (void)state;
    check_pool("raudenbush1985.csv", "raudenbush1985.pool.csv");
}

static void test_ref_normand_smd(void **state)
{
    (void)state;
    check_pool("normand1999.smd.es.csv", "normand1999.smd.pool.csv");
}

static void test_ref_normand_md(void **state)
{
    (void)state;
    check_pool("normand1999.md.es.csv", "normand1999.md.pool.csv");
}

static void fit_ok(const double *yi, const double *vi, size_t k, ma_method_t m, ma_test_t test,
                   ma_rma_t *r)
{
    ma_rma_opts_t o;
    ma_error_t err;
    ma_rma_opts_init(&o);
    o.method = m;
    o.test = test;
    assert_int_equal(ma_rma_fit(yi, vi, k, &o, r, &err), MA_OK);
}

static void test_k1(void **state)
{
    const double yi[] = {0.5}, vi[] = {0.04};
    ma_rma_t r;
    int m;
    (void)state;
    for (m = MA_METHOD_FE; m <= MA_METHOD_EB; m++) {
        fit_ok(yi, vi, 1, (ma_method_t)m, MA_TEST_KNHA, &r);
        assert_int_equal(r.k, 1);
        assert_close(r.estimate, 0.5, 1e-15, 0);
        assert_close(r.se, 0.2, 1e-15, 0);
        assert_close(r.stat, 2.5, 1e-15, 0);
        assert_close(r.pval, 0.012419330651552265, 1e-12, 0); /* 2*pnorm(-2.5) */
        assert_close(r.ci_lb, 0.5 - 1.959963984540054 * 0.2, 1e-12, 0);
        assert_true(isnan(r.df)); /* z test */
        assert_close(r.tau2, 0, 0, 0);
        assert_close(r.Q, 0, 0, 0);
        assert_close(r.Q_df, 0, 0, 0);
        assert_true(isnan(r.Q_p) && isnan(r.I2) && isnan(r.H2));
        assert_true(isnan(r.tau2_lb) && isnan(r.tau2_ub) && isnan(r.I2_lb) && isnan(r.H2_ub));
        assert_true(isnan(r.pi_lb) && isnan(r.pi_ub));
        assert_true(strlen(r.note) > 0);
        assert_int_equal(r.converged, 1);
    }
}

/* R: rma(c(0.1, 0.9), c(0.02, 0.05), method=M, test=T, control=list(threshold=1e-12));
 * confint(r, control=list(tol=1e-12)): the upper bound (325.8 with tau2.max=1e6) lies
 * beyond the default search limit max(100, 10 tau2) and is reported as 100 ("> 100"). */
static void test_k2(void **state)
{
    const double yi[] = {0.1, 0.9}, vi[] = {0.02, 0.05};
    ma_rma_t r;
    ma_rma_opts_t o;
    ma_error_t err;
    (void)state;
    fit_ok(yi, vi, 2, MA_METHOD_REML, MA_TEST_Z, &r);
    assert_close(r.tau2, 0.28499999999999998, REL, ABS);
    assert_close(r.estimate, 0.48125000000000007, REL, ABS);
    assert_close(r.se, 0.39956030521061525, REL, ABS);
    assert_close(r.Q, 9.1428571428571459, REL, ABS);
    assert_close(r.Q_p, 0.002496908915141548, REL, ABS);
    assert_close(r.I2, 89.0625, REL, ABS);
    assert_close(r.tau2_lb, 0.028695710465732129, REL, ABS);
    assert_close(r.tau2_ub, 100, REL, ABS);
    assert_int_equal(r.tau2_ci_capped, 1);
    fit_ok(yi, vi, 2, MA_METHOD_DL, MA_TEST_KNHA, &r);
    assert_close(r.tau2, 0.28499999999999998, REL, ABS);
    assert_close(r.se, 0.39956030521061531, REL, ABS);
    assert_close(r.df, 1, 0, 0);
    assert_close(r.pval, 0.44112587790997865, REL, ABS);
    ma_rma_opts_init(&o);
    o.pi = MA_PI_HTS;
    assert_int_equal(ma_rma_fit(yi, vi, 2, &o, &r, &err), MA_OK);
    assert_true(isnan(r.pi_lb) && isnan(r.pi_ub)); /* t with k-2 = 0 df */
}

static void test_identical_effects(void **state)
{
    const double yi[] = {0.3, 0.3, 0.3, 0.3, 0.3}, vi[] = {0.01, 0.04, 0.02, 0.09, 0.05};
    ma_rma_t r;
    int m;
    (void)state;
    for (m = MA_METHOD_FE; m <= MA_METHOD_EB; m++) {
        double t2;
        int it;
        fit_ok(yi, vi, 5, (ma_method_t)m, MA_TEST_Z, &r);
        assert_int_equal(r.converged, 1);
        assert_close(r.estimate, 0.3, 1e-14, 0);
        assert_close(r.tau2, 0, 0, 0);
        assert_close(r.Q, 0, 0, 1e-25);
        assert_close(r.Q_p, 1, 1e-14, 0);
        assert_close(r.I2, 0, 0, 0);
        assert_close(r.H2, m == MA_METHOD_FE ? 0 : 1, 0, 1e-20); /* FE: H2 = Q/(k-1) */
        if (m != MA_METHOD_FE) {
            assert_close(r.tau2_lb, 0, 0, 0);
            assert_close(r.tau2_ub, 0, 0, 0);
            assert_close(r.I2_ub, 0, 0, 0);
        }
        assert_int_equal(ma_tau2_estimate(yi, vi, 5, (ma_method_t)m, NULL, &t2, &it), MA_OK);
        assert_close(t2, 0, 0, 0);
    }
    /* knha: metafor sets the scaling factor to 0 when the weighted RSS is 0 */
    fit_ok(yi, vi, 5, MA_METHOD_REML, MA_TEST_KNHA, &r);
    assert_close(r.se, 0, 0, 0);
    assert_true(strlen(r.note) > 0);
}

/* Scaling yi by c and vi by c^2 scales tau2 by c^2 and leaves the z statistic alone. */
static void check_scaled(double c)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_table_t *t = testutil_ref_load("bcg.pool.csv");
    size_t i, r;
    for (i = 0; i < d.k; i++) {
        d.yi[i] *= c;
        d.vi[i] *= c * c;
    }
    for (r = 0; r < t->nrow; r++) {
        ma_rma_opts_t o;
        ma_rma_t f;
        ma_error_t err;
        double c2 = c * c;
        ma_rma_opts_init(&o);
        o.method = (ma_method_t)ma_method_parse(cell(t, r, "method"));
        o.test = strcmp(cell(t, r, "test"), "knha") == 0 ? MA_TEST_KNHA : MA_TEST_Z;
        assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &f, &err), MA_OK);
        assert_int_equal(f.converged, 1);
        assert_close(f.estimate, c * testutil_num(t, r, "estimate"), REL, 0);
        assert_close(f.se, c * testutil_num(t, r, "se"), REL, 0);
        assert_close(f.stat, testutil_num(t, r, "stat"), REL, 0);
        assert_close(f.tau2, c2 * testutil_num(t, r, "tau2"), REL, ABS * c2);
        if (o.method != MA_METHOD_FE) {
            assert_close(f.tau2_lb, c2 * testutil_num(t, r, "tau2_lb"), REL, ABS * c2);
            assert_close(f.tau2_ub, c2 * testutil_num(t, r, "tau2_ub"), REL, ABS * c2);
            assert_close(f.pi_lb, c * testutil_num(t, r, "pi_lb"), REL, 0);
        }
        assert_close(f.I2, testutil_num(t, r, "I2"), REL, ABS);
        assert_close(f.Q, testutil_num(t, r, "Q"), REL, ABS);
    }
    ma_table_free(t);
    testutil_data_free(&d);
}

static void test_tiny_variances(void **state)
{
    (void)state;
    check_scaled(1e-6); /* vi ~ 1e-12 .. 1e-14 */
}

static void test_huge_variances(void **state)
{
    (void)state;
    check_scaled(1e6); /* vi ~ 1e10 .. 1e12 */
}

/* Mixed 1e-12 and 1e12 variances: finite results for every method, and a note. */
static void test_extreme_ratio(void **state)
{
    const double yi[] = {0.1, 0.5, 0.3, -0.2}, vi[] = {1e-12, 1e12, 1, 1e-12};
    ma_rma_t r;
    int m;
    (void)state;
    for (m = MA_METHOD_FE; m <= MA_METHOD_EB; m++) {
        fit_ok(yi, vi, 4, (ma_method_t)m, MA_TEST_Z, &r);
        assert_true(isfinite(r.tau2) && r.tau2 >= 0);
        assert_true(isfinite(r.estimate) && isfinite(r.se) && isfinite(r.Q));
        assert_non_null(strstr(r.note, "ratio of largest to smallest"));
    }
}

static void test_bad_input(void **state)
{
    double yi[] = {0.1, 0.2, 0.3}, vi[] = {0.1, 0.2, -1};
    ma_rma_t r;
    ma_rma_opts_t o;
    ma_error_t err;
    double t2;
    int it;
    (void)state;
    ma_rma_opts_init(&o);
    assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "study 3"));
    assert_string_equal(err.value, "-1");
    assert_string_equal(err.column, "vi");
    vi[2] = 0;
    assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "study 3"));
    assert_string_equal(err.value, "0");
    vi[2] = 0.3;
    vi[0] = NAN;
    assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "study 1"));
    vi[0] = 0.1;
    yi[1] = INFINITY;
    assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "study 2"));
    assert_string_equal(err.column, "yi");
    assert_int_equal(ma_tau2_estimate(yi, vi, 3, MA_METHOD_DL, &o, &t2, &it), MA_EINPUT);
    yi[1] = 0.2;
    assert_int_equal(ma_rma_fit(yi, vi, 0, &o, &r, &err), MA_EINPUT);
    o.level = 1.5;
    assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_EUSAGE);
}

/* REML/ML/EB -> PM -> DL when an estimator does not converge. */
/* A sum that overflows is a numerical failure naming its cause, never Q = 0 (as the
 * compensated sum's NaN was clamped to before): yi = +-1e160 make (yi - mu)^2 infinite;
 * a subnormal vi makes its weight infinite. */
static void test_overflow(void **state)
{
    const double yi[] = {1e160, -1e160, 0.5}, vi[] = {1, 1, 1};
    const double yi2[] = {0.1, 0.3, 0.5}, vi2[] = {0.04, 1e-310, 0.05};
    const double yi3[] = {1e100, -1e100, 0.5}, vi3[] = {1e-120, 1e-120, 0.05};
    ma_rma_t r;
    ma_rma_opts_t o;
    ma_error_t err;
    ma_method_t m;
    (void)state;
    ma_rma_opts_init(&o);
    for (m = MA_METHOD_FE; m <= MA_METHOD_EB; m++) {
        o.method = m;
        assert_int_equal(ma_rma_fit(yi, vi, 3, &o, &r, &err), MA_ENUMERIC);
        assert_string_equal(err.column, "yi");
        assert_non_null(strstr(err.msg, "study 1"));
        assert_int_equal(ma_rma_fit(yi2, vi2, 3, &o, &r, &err), MA_ENUMERIC);
        assert_string_equal(err.column, "vi");
        assert_non_null(strstr(err.msg, "study 2"));
        /* finite deviation and weight whose product overflows: the weight is named */
        assert_int_equal(ma_rma_fit(yi3, vi3, 3, &o, &r, &err), MA_ENUMERIC);
        assert_string_equal(err.column, "vi");
        assert_non_null(strstr(err.msg, "study 1"));
    }
}

static void test_fallback(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_rma_opts_t o;
    ma_rma_t r, dl, pm;
    ma_error_t err;
    double t2;
    int it;
    (void)state;
    fit_ok(d.yi, d.vi, d.k, MA_METHOD_DL, MA_TEST_Z, &dl);
    fit_ok(d.yi, d.vi, d.k, MA_METHOD_PM, MA_TEST_Z, &pm);

    ma_rma_opts_init(&o);
    o.maxiter = 1; /* neither scoring nor the PM root search can converge in 1 step */
    assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_int_equal(r.converged, 0);
    assert_int_equal(r.method, MA_METHOD_REML);
    assert_int_equal(r.method_used, MA_METHOD_DL);
    assert_close(r.tau2, dl.tau2, 1e-14, 0);
    assert_close(r.estimate, dl.estimate, 1e-14, 0);
    assert_non_null(strstr(r.note, "REML did not converge"));
    assert_non_null(strstr(r.note, "fell back to DL"));
    assert_int_equal(ma_tau2_estimate(d.yi, d.vi, d.k, MA_METHOD_REML, &o, &t2, &it),
                     MA_ENUMERIC);
    assert_true(isnan(t2));

    /* slow scoring (tiny stepadj) fails in 60 steps; PM's Brent search does not */
    o.maxiter = 60;
    o.stepadj = 0.01;
    o.method = MA_METHOD_EB;
    assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_int_equal(r.converged, 0);
    assert_int_equal(r.method_used, MA_METHOD_PM);
    assert_close(r.tau2, pm.tau2, 1e-10, 0);

    /* the same stepadj converges with enough iterations, to the same value */
    o.maxiter = 100000;
    o.method = MA_METHOD_REML;
    assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_int_equal(r.converged, 1);
    assert_close(r.tau2, 0.313243258137274, REL, ABS);
    testutil_data_free(&d);
}

static void test_weights(void **state)
{
    const double vi[] = {0.1, 0.2, 0.4, 0.3};
    double w[4], tot = 0;
    size_t i;
    (void)state;
    ma_rma_weights(vi, 4, 0.1, w);
    for (i = 0; i < 4; i++)
        tot += w[i];
    assert_close(tot, 100, 1e-14, 0);
    /* 1/0.2 : 1/0.3 : 1/0.5 : 1/0.4 */
    assert_close(w[0] / w[2], 2.5, 1e-14, 0);
    assert_close(w[1] / w[3], 0.4 / 0.3, 1e-14, 0);
    assert_close(w[0], 100 * 5 / (5 + 10.0 / 3 + 2 + 2.5), 1e-14, 0);
}

static void test_method_names(void **state)
{
    int m;
    (void)state;
    for (m = MA_METHOD_FE; m <= MA_METHOD_EB; m++)
        assert_int_equal(ma_method_parse(ma_method_name((ma_method_t)m)), m);
    assert_string_equal(ma_method_name(MA_METHOD_REML), "REML");
    assert_int_equal(ma_method_parse("reml"), MA_METHOD_REML);
    assert_int_equal(ma_method_parse("Pm"), MA_METHOD_PM);
    assert_int_equal(ma_method_parse("EE"), MA_METHOD_FE);
    assert_int_equal(ma_method_parse("REMLX"), -1);
    assert_int_equal(ma_method_parse(""), -1);
    assert_int_equal(ma_method_parse(NULL), -1);
}

static void test_defaults(void **state)
{
    ma_rma_opts_t o;
    (void)state;
    ma_rma_opts_init(&o);
    assert_int_equal(o.method, MA_METHOD_REML);
    assert_int_equal(o.test, MA_TEST_Z);
    assert_int_equal(o.pi, MA_PI_DEFAULT);
    assert_close(o.level, 0.95, 0, 0);
    assert_close(o.tol, 1e-12, 0, 0);
    assert_int_equal(o.tau2_ci, 1);
}

/* Large k: deterministic random-effects data (LCG + Box-Muller), tau2 = 0.05. */
static void test_large_k(void **state)
{
    size_t k = 200000, i;
    double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi);
    unsigned long long s = 12345;
    ma_rma_t r;
    (void)state;
    assert_non_null(yi);
    assert_non_null(vi);
    for (i = 0; i < k; i++) {
        double u1, u2, z1, z2;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        u1 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        u2 = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        z1 = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
        z2 = sqrt(-2 * log(u1)) * sin(6.283185307179586 * u2);
        vi[i] = 0.01 + 0.2 * ((double)(s >> 11) / 9007199254740992.0);
        yi[i] = 0.3 + sqrt(0.05) * z1 + sqrt(vi[i]) * z2;
    }
    fit_ok(yi, vi, k, MA_METHOD_REML, MA_TEST_Z, &r);
    assert_int_equal(r.converged, 1);
    assert_close(r.tau2, 0.05, 0.05, 0);
    assert_close(r.estimate, 0.3, 0.01, 0);
    assert_true(r.tau2_lb < r.tau2 && r.tau2 < r.tau2_ub);
    free(yi);
    free(vi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_bcg),
        cmocka_unit_test(test_ref_raudenbush1985),
        cmocka_unit_test(test_ref_normand_smd),
        cmocka_unit_test(test_ref_normand_md),
        cmocka_unit_test(test_k1),
        cmocka_unit_test(test_k2),
        cmocka_unit_test(test_identical_effects),
        cmocka_unit_test(test_tiny_variances),
        cmocka_unit_test(test_huge_variances),
        cmocka_unit_test(test_extreme_ratio),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_method_names),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_large_k),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
