/* Unit tests for the small-study and publication-bias methods (bias.c) against R metafor
 * 3.8-1. Reference inputs: bcg.csv, raudenbush1985.csv of tests/reference;
 *   dat <- escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
 *   res <- rma(yi, vi, data=dat, control=list(threshold=1e-12))
 *   d <- read.csv("raudenbush1985.csv"); r2 <- rma(yi, vi, data=d,
 *        control=list(threshold=1e-12)) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/bias.h"

#define REL 1e-7
#define ABS 1e-9

/* The reference *.bias.csv rows (regtest(model="lm", predictor="sei"), ranktest(),
 * trimfill() of the REML model; see make_reference.R). */
static void check_ref(const char *in, const char *ref)
{
    testutil_data_t d = testutil_data_load(in, SIZE_MAX, NULL, NULL);
    ma_table_t *t = testutil_ref_load(ref);
    ma_egger_t e;
    ma_begg_t b;
    ma_trimfill_t tf;
    ma_error_t err;
    const char *side = ma_table_cell(t, 0, ma_table_col(t, "trimfill_side"));

    assert_int_equal(ma_egger(d.yi, d.vi, NULL, d.k, 0.95, &e, &err), MA_OK);
    assert_close(e.bias, testutil_num(t, 0, "egger_bias"), REL, ABS);
    assert_close(e.bias_se, testutil_num(t, 0, "egger_bias_se"), REL, ABS);
    assert_close(e.t, testutil_num(t, 0, "egger_t"), REL, ABS);
    assert_close(e.df, testutil_num(t, 0, "egger_df"), 0, 0);
    assert_close(e.p, testutil_num(t, 0, "egger_p"), REL, ABS);
    assert_close(e.limit_estimate, testutil_num(t, 0, "egger_limit_estimate"), REL, ABS);
    assert_int_equal(ma_begg(d.yi, d.vi, d.k, &b, &err), MA_OK);
    assert_close(b.tau, testutil_num(t, 0, "begg_tau"), REL, ABS);
    assert_close(b.p, testutil_num(t, 0, "begg_p"), REL, ABS);
    assert_int_equal(ma_trimfill(d.yi, d.vi, d.k, MA_TF_L0, MA_SIDE_AUTO, NULL, &tf, &err),
                     MA_OK);
    assert_close((double)tf.k0, testutil_num(t, 0, "trimfill_k0"), 0, 0);
    assert_string_equal(ma_side_name(tf.side), side);
    assert_close(tf.fit.estimate, testutil_num(t, 0, "trimfill_estimate"), REL, ABS);
    assert_close(tf.fit.ci_lb, testutil_num(t, 0, "trimfill_ci_lb"), REL, ABS);
    assert_close(tf.fit.ci_ub, testutil_num(t, 0, "trimfill_ci_ub"), REL, ABS);
    assert_close(tf.fit.tau2, testutil_num(t, 0, "trimfill_tau2"), REL, ABS);
    assert_int_equal(tf.fit.k, d.k + tf.k0);
    ma_trimfill_clear(&tf);
    ma_table_free(t);
    testutil_data_free(&d);
}

static void test_ref_bcg(void **state)
{
    (void)state;
    check_ref("bcg.csv", "bcg.bias.csv");
}

static void test_ref_raudenbush(void **state)
{
    (void)state;
    check_ref("raudenbush1985.csv", "raudenbush1985.bias.csv"); /* ties: normal approx */
}

static void test_ref_normand(void **state)
{
    (void)state;
    check_ref("normand1999.smd.es.csv", "normand1999.smd.bias.csv");
    check_ref("normand1999.md.es.csv", "normand1999.md.bias.csv");
}

/* Egger limit estimate CI: regtest(res, model="lm", predictor="sei") prints the limit
 * estimate CI from qt(.975, 11); here the identity est +- qt * se is checked. */
static void test_egger_small(void **state)
{
    double y[3] = {0.1, 0.4, 0.2}, v[3] = {0.01, 0.04, 0.09}, same[3] = {0.04, 0.04, 0.04};
    ma_egger_t e;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_egger(y, v, NULL, 2, 0.95, &e, &err), MA_EINPUT);
    assert_int_equal(ma_egger(y, same, NULL, 3, 0.95, &e, &err), MA_EINPUT);
    assert_int_equal(ma_egger(y, v, NULL, 3, 0.95, &e, &err), MA_OK);
    assert_close(e.df, 1, 0, 0);
    assert_close(e.limit_ci_ub - e.limit_estimate, 12.706204736174707 * e.limit_se, 1e-10, 0);
}

/* Egger as regtest()'s default (model "rma", predictor "sei", REML, z): the
 * NAME.egger_rma.csv references (make_reference.R, egger_rma_table). */
static void check_egger_rma(const char *name)
{
    char in[64], ref[64];
    testutil_data_t d;
    ma_table_t *t;
    ma_egger_rma_t e;
    ma_error_t err;
    snprintf(in, sizeof in, "%s.yivi.csv", name);
    snprintf(ref, sizeof ref, "%s.egger_rma.csv", name);
    d = testutil_data_load(in, SIZE_MAX, NULL, NULL);
    t = testutil_ref_load(ref);
    assert_int_equal(ma_egger_rma(d.yi, d.vi, NULL, d.k, NULL, &e, &err), MA_OK);
    assert_int_equal(e.test, MA_TEST_Z);
    assert_true(isnan(e.df));
    assert_close(e.stat, testutil_num(t, 0, "egger_rma_stat"), REL, ABS);
    assert_close(e.p, testutil_num(t, 0, "egger_rma_p"), REL, ABS);
    assert_close(e.limit, testutil_num(t, 0, "egger_rma_limit"), REL, ABS);
    assert_close(e.limit_ci_lb, testutil_num(t, 0, "egger_rma_limit_lb"), REL, ABS);
    assert_close(e.limit_ci_ub, testutil_num(t, 0, "egger_rma_limit_ub"), REL, ABS);
    ma_table_free(t);
    testutil_data_free(&d);
}

/* The test is the model's: regtest(rma(yi, vi, data = bcg, test = T)) with T knha or adhoc
 * gives t = -0.781154133601451 on 11 df, p = 0.451196679953963, limit CI lower bound
 * -1.21234101659772; method = "DL" (z): -0.837908440484418, p = 0.402082127973013. */
static void test_egger_rma(void **state)
{
    static const ma_test_t tests[2] = {MA_TEST_KNHA, MA_TEST_ADHOC};
    testutil_data_t d = testutil_data_load("bcg.yivi.csv", SIZE_MAX, NULL, NULL);
    double same[3] = {0.04, 0.04, 0.04};
    ma_rma_opts_t o;
    ma_egger_rma_t e;
    ma_error_t err;
    size_t i;
    (void)state;
    check_egger_rma("bcg");
    check_egger_rma("normand1999");
    check_egger_rma("raudenbush1985");
    for (i = 0; i < 2; i++) {
        ma_rma_opts_init(&o);
        o.test = tests[i];
        assert_int_equal(ma_egger_rma(d.yi, d.vi, NULL, d.k, &o, &e, &err), MA_OK);
        assert_int_equal(e.test, tests[i]);
        assert_close(e.df, 11, 0, 0);
        assert_close(e.stat, -0.781154133601451, REL, ABS);
        assert_close(e.p, 0.451196679953963, REL, ABS);
        assert_close(e.limit_ci_lb, -1.21234101659772, REL, ABS);
    }
    ma_rma_opts_init(&o);
    o.method = MA_METHOD_DL;
    assert_int_equal(ma_egger_rma(d.yi, d.vi, NULL, d.k, &o, &e, &err), MA_OK);
    assert_close(e.stat, -0.837908440484418, REL, ABS);
    assert_close(e.p, 0.402082127973013, REL, ABS);
    assert_int_equal(ma_egger_rma(d.yi, d.vi, NULL, 2, NULL, &e, &err), MA_EINPUT);
    assert_int_equal(ma_egger_rma(d.yi, same, NULL, 3, NULL, &e, &err), MA_EINPUT);
    assert_int_equal(ma_egger_model_parse("RMA"), MA_EGGER_RMA);
    assert_int_equal(ma_egger_model_parse("lm"), MA_EGGER_LM);
    assert_int_equal(ma_egger_model_parse("ols"), -1);
    testutil_data_free(&d);
}

/* regtest()'s other predictors on normand1999 (SMD from escalc, ni = n1i + n2i):
 *   r <- rma(yi, vi, data = escalc("SMD", ...)); regtest(r, predictor = P) and
 *   regtest(r, predictor = P, model = "lm"): zval, pval, est (NULL for ni, sqrtni). */
static void test_egger_predictors(void **state)
{
    static const double ni[9] = {311, 63, 146, 36, 21, 109, 67, 293, 112};
    static const struct {
        ma_egger_pred_t p;
        double z, pv, est, t, tp, lm_est;
    } R[] = {
        {MA_EGGER_VI, -0.746092958816152, 0.455611262463304, -0.277299380428349,
         -0.54418199441378, 0.603209984936168, -0.277441000552445},
        {MA_EGGER_NI, 0.106184360559901, 0.91543607925496, NAN, -0.0918565680844101,
         0.929385479715151, NAN},
        {MA_EGGER_NINV, -0.250075840488994, 0.802528698992099, -0.4471292161886,
         -0.0432335676492136, 0.966722739205754, -0.399267318982515},
        {MA_EGGER_SQRTNI, 0.133823145321244, 0.893542424497068, NAN, -0.105414458818835,
         0.919004060631005, NAN},
        {MA_EGGER_SQRTNINV, -0.232326111210002, 0.816284733380733, -0.362909713672781,
         0.0348717578419181, 0.973155560416171, -0.432777831339119},
    };
    testutil_data_t d = testutil_data_load("normand1999.smd.es.csv", SIZE_MAX, NULL, NULL);
    double x[9], bad[9];
    ma_egger_rma_t e;
    ma_egger_t l;
    ma_error_t err;
    size_t i;
    (void)state;
    assert_int_equal(d.k, 9);
    for (i = 0; i < sizeof R / sizeof R[0]; i++) {
        assert_int_equal(ma_egger_predictor(R[i].p, d.vi, ni, d.k, x, &err), MA_OK);
        assert_int_equal(ma_egger_rma(d.yi, d.vi, x, d.k, NULL, &e, &err), MA_OK);
        assert_close(e.stat, R[i].z, REL, ABS);
        assert_close(e.p, R[i].pv, REL, ABS);
        assert_int_equal(ma_egger_pred_has_limit(R[i].p), !isnan(R[i].est));
        if (!isnan(R[i].est))
            assert_close(e.limit, R[i].est, REL, ABS);
        assert_int_equal(ma_egger(d.yi, d.vi, x, d.k, 0.95, &l, &err), MA_OK);
        assert_close(l.t, R[i].t, REL, ABS);
        assert_close(l.p, R[i].tp, REL, ABS);
        if (!isnan(R[i].lm_est))
            assert_close(l.limit_estimate, R[i].lm_est, REL, ABS);
        assert_int_equal(ma_egger_pred_parse(ma_egger_pred_name(R[i].p)), (int)R[i].p);
    }
    assert_int_equal(ma_egger_predictor(MA_EGGER_SEI, d.vi, NULL, d.k, x, &err), MA_OK);
    assert_close(x[0], sqrt(d.vi[0]), 0, 0);
    memcpy(bad, ni, sizeof bad);
    bad[4] = NAN;
    assert_int_equal(ma_egger_predictor(MA_EGGER_NINV, d.vi, bad, d.k, x, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "study 5"));
    assert_int_equal(ma_egger_predictor(MA_EGGER_NI, d.vi, NULL, d.k, x, &err), MA_EINPUT);
    assert_int_equal(ma_egger_pred_parse("n"), -1);
    testutil_data_free(&d);
}

/* Kendall's tau-b and the exact p-value, R 4 cor()/cor.test():
 *   cor(c(1,2,2,3,4), c(1,3,2,2,5), method="kendall")            = 0.66666666666666685
 *   cor.test(1:4, 1:4, method="kendall")$p.value                 = 0.083333333333333259
 *   x <- 1:7; y <- c(2,1,4,3,7,5,6)
 *   cor(x, y, method="kendall") = 0.61904761904761907;
 *   cor.test(x, y, method="kendall", exact=TRUE)$p.value         = 0.069047619047619024
 *   set.seed(1); x <- rnorm(60); y <- x + rnorm(60)*3
 *   cor.test(x, y, method="kendall", exact=TRUE): T = 987, p = 0.19630847958694653 */
static void test_kendall(void **state)
{
    double x[5] = {1, 2, 2, 3, 4}, y[5] = {1, 3, 2, 2, 5};
    double a[7] = {1, 2, 3, 4, 5, 6, 7}, b[7] = {2, 1, 4, 3, 7, 5, 6}, s;
    ma_error_t err;
    (void)state;
    assert_close(ma_kendall_tau(x, y, 5, NULL, &err), 0.66666666666666685, 1e-14, 0);
    assert_close(ma_kendall_tau(a, b, 7, &s, &err), 0.61904761904761907, 1e-14, 0);
    assert_close(s, 13, 0, 0);
    assert_close(ma_kendall_exact_p(7, (s + 21) / 2), 0.069047619047619024, 1e-12, 0);
    assert_close(ma_kendall_exact_p(4, 6), 0.083333333333333259, 1e-12, 0);
    assert_close(ma_kendall_exact_p(4, 0), 0.083333333333333259, 1e-12, 0);
    assert_close(ma_kendall_exact_p(4, 3), 1, 0, 0);
    assert_close(ma_kendall_exact_p(60, 987), 0.19630847958694653, 1e-10, 0);
}

/* yy <- c(0.1,0.3,-0.2,0.5,0.4,0.05,0.6,0.2); vv <- c(0.04,0.04,0.09,0.01,0.09,0.04,0.02,0.05)
 * ranktest(yy, vv): tau = -0.3857583749052298, p = 0.1991834291115625 (ties in vv:
 * normal approximation, R warns "Cannot compute exact p-value with ties") */
static void test_begg_ties(void **state)
{
    double yy[8] = {0.1, 0.3, -0.2, 0.5, 0.4, 0.05, 0.6, 0.2};
    double vv[8] = {0.04, 0.04, 0.09, 0.01, 0.09, 0.04, 0.02, 0.05};
    ma_begg_t b;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_begg(yy, vv, 8, &b, &err), MA_OK);
    assert_false(b.exact);
    assert_true(b.ties);
    assert_close(b.tau, -0.3857583749052298, 1e-12, 0);
    assert_close(b.p, 0.1991834291115625, 1e-12, 0);
    assert_int_equal(ma_begg(yy, vv, 1, &b, &err), MA_EINPUT);
}

/* tf <- trimfill(res, estimator="R0"): k0 = 0, se.k0 = 1.41421356237309515, p.k0 = 0.5,
 * b = -0.71453234215813966, side "right"
 * tf <- trimfill(res, side="left"): k0 = 0, se.k0 = 2.16665853701038902 */
static void test_trimfill_bcg_r0(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_trimfill_t tf;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_trimfill(d.yi, d.vi, d.k, MA_TF_R0, MA_SIDE_AUTO, NULL, &tf, &err),
                     MA_OK);
    assert_int_equal(tf.k0, 0);
    assert_int_equal(tf.side, MA_SIDE_RIGHT);
    assert_close(tf.se_k0, 1.41421356237309515, 1e-14, 0);
    assert_close(tf.p_k0, 0.5, 0, 0);
    assert_close(tf.fit.estimate, -0.71453234215813966, REL, ABS);
    assert_null(tf.fill_yi);
    ma_trimfill_clear(&tf);
    assert_int_equal(ma_trimfill(d.yi, d.vi, d.k, MA_TF_L0, MA_SIDE_LEFT, NULL, &tf, &err),
                     MA_OK);
    assert_int_equal(tf.k0, 0);
    assert_false(tf.side_auto);
    assert_close(tf.se_k0, 2.16665853701038902, 1e-10, 0);
    ma_trimfill_clear(&tf);
    testutil_data_free(&d);
}

/* tf <- trimfill(r2, estimator="R0"): k0 = 2, se.k0 = 2.449489742783177881, p.k0 = 0.125,
 * b = 0.046048513928810146, ci = [-0.096586135730092448, 0.188683163587712754],
 * tau2 = 0.069537876001657270, side "left", filled yi = tail(tf$yi, 2) =
 * -0.7335670634330711 -1.1135670634330708, vi = 0.0630 0.1391
 * tf <- trimfill(r2): k0 = 3, se.k0 = 2.9465084705798232, filled yi =
 * -0.48905092706167980 -0.74905092706167986 -1.12905092706167953 */
static void test_trimfill_raudenbush(void **state)
{
    testutil_data_t d = testutil_data_load("raudenbush1985.csv", SIZE_MAX, NULL, NULL);
    ma_trimfill_t tf;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_trimfill(d.yi, d.vi, d.k, MA_TF_R0, MA_SIDE_AUTO, NULL, &tf, &err),
                     MA_OK);
    assert_int_equal(tf.k0, 2);
    assert_int_equal(tf.side, MA_SIDE_LEFT);
    assert_close(tf.se_k0, 2.449489742783177881, 1e-14, 0);
    assert_close(tf.p_k0, 0.125, 0, 0);
    assert_close(tf.fit.estimate, 0.046048513928810146, REL, ABS);
    assert_close(tf.fit.ci_lb, -0.096586135730092448, REL, ABS);
    assert_close(tf.fit.ci_ub, 0.188683163587712754, REL, ABS);
    assert_close(tf.fit.tau2, 0.069537876001657270, REL, ABS);
    assert_close(tf.fill_yi[0], -0.7335670634330711, REL, ABS);
    assert_close(tf.fill_yi[1], -1.1135670634330708, REL, ABS);
    assert_close(tf.fill_vi[0], 0.0630, 1e-15, 0);
    assert_close(tf.fill_vi[1], 0.1391, 1e-15, 0);
    assert_close(tf.fill_vi[0], d.vi[tf.fill_of[0]], 0, 0);
    ma_trimfill_clear(&tf);
    assert_int_equal(ma_trimfill(d.yi, d.vi, d.k, MA_TF_L0, MA_SIDE_AUTO, NULL, &tf, &err),
                     MA_OK);
    assert_int_equal(tf.k0, 3);
    assert_close(tf.se_k0, 2.9465084705798232, 1e-10, 0);
    assert_close(tf.fill_yi[0], -0.48905092706167980, REL, ABS);
    assert_close(tf.fill_yi[1], -0.74905092706167986, REL, ABS);
    assert_close(tf.fill_yi[2], -1.12905092706167953, REL, ABS);
    ma_trimfill_clear(&tf);
    assert_int_equal(ma_trimfill(d.yi, d.vi, 2, MA_TF_L0, MA_SIDE_AUTO, NULL, &tf, &err),
                     MA_EINPUT);
    ma_trimfill_clear(&tf);
    testutil_data_free(&d);
}

/* fsn(yi, vi, data=d) (Rosenthal): 26, pval 0.0057297267619450618;
 * fsn(yi, vi, data=dat): 598; fsn(yi, vi, data=dat, alpha=0.01): 293 */
static void test_fsn(void **state)
{
    testutil_data_t r = testutil_data_load("raudenbush1985.csv", SIZE_MAX, NULL, NULL), b = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_fsn_t f;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_fsn_rosenthal(r.yi, r.vi, r.k, 0.05, &f, &err), MA_OK);
    assert_close(f.fsn, 26, 0, 0);
    assert_close(f.p, 0.0057297267619450618, 1e-10, 0);
    assert_int_equal(ma_fsn_rosenthal(b.yi, b.vi, b.k, 0.05, &f, &err), MA_OK);
    assert_close(f.fsn, 598, 0, 0);
    assert_int_equal(ma_fsn_rosenthal(b.yi, b.vi, b.k, 0.01, &f, &err), MA_OK);
    assert_close(f.fsn, 293, 0, 0);
    assert_int_equal(ma_fsn_rosenthal(b.yi, b.vi, b.k, 1.5, &f, &err), MA_EUSAGE);
    testutil_data_free(&r);
    testutil_data_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_bcg),
        cmocka_unit_test(test_ref_raudenbush),
        cmocka_unit_test(test_ref_normand),
        cmocka_unit_test(test_egger_small),
        cmocka_unit_test(test_egger_rma),
        cmocka_unit_test(test_egger_predictors),
        cmocka_unit_test(test_kendall),
        cmocka_unit_test(test_begg_ties),
        cmocka_unit_test(test_trimfill_bcg_r0),
        cmocka_unit_test(test_trimfill_raudenbush),
        cmocka_unit_test(test_fsn),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
