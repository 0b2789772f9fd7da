/* Unit tests for the shared Fisher scoring (scoring.c) and the non-negative traces of P
 * (rma.c, regress.c): data on which metafor's full Fisher step oscillates, variances
 * spanning twelve orders of magnitude, and the bound on every loop. Expected values from
 * R metafor 3.8-1 as given next to each. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/bias.h"
#include "iastm/regress.h"
#include "iastm/rma.h"
#include "model/rma_internal.h"

#define REL 1e-7
#define ABS 1e-9

/* Random data sets on which rma(yi, vi, method = "REML", control = list(threshold = 1e-12,
 * maxiter = 1000)) stops with "Fisher scoring algorithm did not converge" (and iastm fell
 * back to PM before), made in R by
 *   set.seed(1); for (s in 1:400) { k <- sample(c(10, 30), 1); vi <- rexp(k) *
 *     runif(1, 0.01, 1); yi <- rnorm(k, 0.3, sqrt(vi + rexp(1) * runif(1, 0, 0.5))) }
 * (data sets 312, k = 10, and 225, k = 30). Expected: rma(yi, vi, method = "REML",
 * control = list(stepadj = 0.5, maxiter = 1000, threshold = 1e-12)). */
static const double d312_yi[] = {
    -0.30839335124059197, 0.53807132028285998, 1.16275400614741, 0.57495127305902605,
    0.12507924860008099, 0.54096128347251304, -0.39806193782084698, -0.0089101926870178705,
    0.232142980313775, -0.064445808576157101};
static const double d312_vi[] = {
    0.019387579764972199, 0.053911044656134402, 0.71225692454030898, 0.54841424534306105,
    0.156963142098764, 0.22427562755924199, 0.29578973156093202, 0.35004968369227601,
    0.16951451864429301, 0.404606975285006};
static const double d225_yi[] = {
    0.60096900689594202, 0.10531174377668701, 0.78258295250829002, -0.14481450622629199,
    0.32593367474382801, 0.66953093648302298, 0.346302962188271, 0.52415313777429695,
    -0.16302152800304001, -0.0041765849010301798, -0.273101251114026, 1.17138351601768,
    0.13471050958623701, 0.26009823942289301, 0.191358442777188, -0.046431409768933403,
    1.9238690650680601, 2.2490440085172199, 0.051115925301044002, -0.99442423018264003,
    0.70730272625247603, 0.80379107681980799, -0.019300016311033698, 0.76709481149791703,
    0.56561763746858096, 1.8821567160107899, 3.0217039588447698, 0.273004753820563,
    0.38174326979569501, 0.34930378647279903};
static const double d225_vi[] = {
    0.14212732278717599, 0.072980961416720502, 1.0428142753716401, 0.48614112503870099,
    0.109345980225208, 0.76635319530942403, 0.89076645584625003, 0.00036436134993436599,
    0.56362399784925199, 0.238474146629398, 2.6531646718182, 1.13565626144539,
    0.146840064266298, 0.026330353388365701, 0.93966246392790598, 0.28494370910066502,
    1.6640119854834099, 1.2188790768628901, 0.14895752304661, 1.58178562429301,
    1.1492610321369801, 1.20218017921777, 0.19095240369451999, 0.38580306144765297,
    0.40660421040396599, 0.66526831437572598, 0.75867371779516901, 0.103977408211833,
    0.457449042463209, 1.0421634317907};

/* vi from 7.7e-8 to 8.6e3: set.seed(11); for (s in 1:83) { k <- sample(c(5, 10, 30), 1);
 * vi <- 10^runif(k, -8, 4); yi <- rnorm(k, 0.3, sqrt(vi + 0.1)) }. The textbook tr(PP)
 * came out <= 0 here and the fit fell back to PM (tau2 = 199, estimate 4.26). */
static const double s083_yi[] = {
    0.45666579799915102, 31.4149244400936, -0.80444990124654403, 43.7054681312936,
    164.90345654921799};
static const double s083_vi[] = {
    7.6657398552572806e-08, 2747.5985917101798, 8.2101783801636703, 2256.13056992975,
    8638.2544816833997};

/* Meta-regression on which the scoring of regress.c oscillated likewise: set.seed(2);
 * for (s in 1:36) { k <- sample(c(10, 30), 1); vi <- rexp(k) * runif(1, 0.01, 1);
 * x <- rnorm(k); yi <- rnorm(k, 0.3 + 0.2 * x, sqrt(vi + rexp(1) * runif(1, 0, 0.5))) } */
static const double g036_yi[] = {
    0.60633738370647505, -0.25033874461747802, -0.53908310233059697, 0.341200021955472,
    -0.19083815583258701, -0.78549686986073097, -0.49100482641877602, -0.65108366225868297,
    0.072526849153705303, 0.046237589181590398};
static const double g036_vi[] = {
    0.72540206029355603, 0.73869705808837505, 2.6640714716034002, 0.0285143401803927,
    0.226634458230286, 0.35891845012231999, 0.52462026427506003, 0.64546769194738296,
    1.2521661574399301, 0.56372450814466102};
static const double g036_x[] = {
    -1.42519185417548, -0.72233394598364098, 2.5880143602524299, 0.38582749674184802,
    -0.073666562890235696, -0.042438026994037897, 0.42617079142075998, -2.2624494408652298,
    1.0008760950167801, 0.062932261807559203};

/* Trim-and-fill with one vi far below the others (trimfill() hung here: its side
 * regression halved an infinite step forever): set.seed(7); for (s in 1:20) {
 * k <- sample(5:15, 1); vi <- rexp(k) * 0.05 + 0.005; vi[1] <- 10^runif(1, -14, -8);
 * yi <- rnorm(k, 0.3, sqrt(vi + 0.05)) } (data sets 4 and 20). */
static const double h004_yi[] = {
    0.48710125645379398, 0.50559606643033395, 0.64332929175753195, 0.542865347104866,
    0.48017100110189798, 0.31532300952271702};
static const double h004_vi[] = {
    5.3870114944055002e-13, 0.026901514264755001, 0.101540417145462, 0.0067520267999374699,
    0.132929256198214, 0.011480637480566901};
static const double h020_yi[] = {
    0.161544093718126, 0.38543632759183799, 0.466936280718248, 0.51938847100130303,
    -0.10700071630949901};
static const double h020_vi[] = {
    2.2010722920151001e-13, 0.072593028254569203, 0.15165777542032, 0.072350041677937502,
    0.093846296719731104};

/* Meta-regression with vi from 8.3e-8 to 299, whose textbook tr(PP) cancelled so that the
 * fit fell back to PM (tau2 = 0): set.seed(5); for (s in 1:89) { k <- sample(c(5, 10, 30),
 * 1); vi <- 10^runif(k, -8, 4); yi <- rnorm(k, 0.3, sqrt(vi + 10^runif(1, -9, -4))) },
 * moderator x = (row + 1) mod 3 (row = study number). */
static const double u089_yi[] = {
    0.296057709796329, 0.22624365864905399, 0.44267946860615198, 0.043011235304065198, 1.04105883104299};
static const double u089_vi[] = {
    8.33930688154805e-08, 0.011498189450113499, 298.98518478090898, 14.692220184805199, 0.51361245922998999};
static const double u089_x[] = {2, 0, 1, 2, 0};

#define N(a) (sizeof a / sizeof a[0])

static void fit_reml(const double *yi, const double *vi, size_t k, ma_method_t m, ma_rma_t *r)
{
    ma_rma_opts_t o;
    ma_error_t err;
    ma_rma_opts_init(&o);
    o.method = m;
    assert_int_equal(ma_rma_fit(yi, vi, k, &o, r, &err), MA_OK);
}

/* Oscillating Fisher scoring now converges, to metafor's estimate with stepadj = 0.5. */
static void test_oscillation(void **state)
{
    ma_rma_t r;
    (void)state;
    fit_reml(d312_yi, d312_vi, N(d312_yi), MA_METHOD_REML, &r);
    assert_int_equal(r.converged, 1);
    assert_int_equal(r.method_used, MA_METHOD_REML);
    assert_true(r.iterations < 100);
    assert_close(r.tau2, 0.0863899489297228, REL, ABS);   /* rma(..., stepadj = 0.5) */
    assert_close(r.estimate, 0.139680073528124, REL, ABS);
    assert_close(r.se, 0.16310563254994, REL, ABS);
    fit_reml(d312_yi, d312_vi, N(d312_yi), MA_METHOD_ML, &r);
    assert_close(r.tau2, 0.0707847032683395, REL, ABS);   /* method = "ML", same control */

    fit_reml(d225_yi, d225_vi, N(d225_yi), MA_METHOD_REML, &r);
    assert_int_equal(r.converged, 1);
    assert_int_equal(r.method_used, MA_METHOD_REML);
    assert_close(r.tau2, 0.0135850074584155, REL, ABS);
    assert_close(r.estimate, 0.402049146622743, REL, ABS);
    assert_close(r.se, 0.0745877567187442, REL, ABS);
}

/* The same data with metafor's own stepadj = 0.5 and a start value (tau2.init) agree. */
static void test_control(void **state)
{
    ma_rma_opts_t o;
    ma_rma_t r;
    ma_error_t err;
    (void)state;
    ma_rma_opts_init(&o);
    o.stepadj = 0.5;
    o.tau2_init = 2.0;
    assert_int_equal(ma_rma_fit(d312_yi, d312_vi, N(d312_yi), &o, &r, &err), MA_OK);
    assert_int_equal(r.converged, 1);
    assert_close(r.tau2, 0.0863899489297228, REL, ABS);
    o.tau2_init = 0;
    assert_int_equal(ma_rma_fit(d312_yi, d312_vi, N(d312_yi), &o, &r, &err), MA_OK);
    assert_close(r.tau2, 0.0863899489297228, REL, ABS);
}

/* tr(P), tr(PP) at tau2 = 0 for w = (a, b, b), a = 1e8, b = 1e-4 (vi = 1e-8, 1e4, 1e4):
 * S = a + 2b, S tr(P) = 4ab + 2b^2, S^2 tr(PP) = 8a^2b^2 + 2b^2(a+b)^2 + 2b^4 (from
 * P_11 = 2ab/S, P_22 = b(a+b)/S, P_12 = -ab/S, P_23 = -b^2/S). The textbook form
 * sum w^2 - 2 sum w^3/S + (sum w^2/S)^2 gives 1e16 - 2e16 + 1e16: nothing left of 1e-7. */
static void test_traces_no_cancellation(void **state)
{
    const double yi[] = {0.1, 0.5, -0.3}, vi[] = {1e-8, 1e4, 1e4};
    const long double a = 1e8L, b = 1e-4L, S = a + 2 * b;
    double w[3];
    ma_wls_t d;
    ma_wsums_t s;
    (void)state;
    ma_wls_init(&d, yi, vi, 3, w);
    ma_wls_eval(&d, 0.0, &s);
    assert_true(s.trPP > 0);
    assert_close(s.trP, (double)((4 * a * b + 2 * b * b) / S), 1e-13, 0);
    assert_close(s.trPP,
                 (double)((8 * a * a * b * b + 2 * b * b * (a + b) * (a + b) + 2 * b * b * b * b)
                          / (S * S)),
                 1e-13, 0);
}

/* vi spanning 7.7e-8 to 8.6e3: REML stays REML (metafor: tau2 3.3e-13, i.e. 0). */
static void test_wide_variances(void **state)
{
    ma_rma_t r;
    (void)state;
    fit_reml(s083_yi, s083_vi, N(s083_yi), MA_METHOD_REML, &r);
    assert_int_equal(r.converged, 1);
    assert_int_equal(r.method_used, MA_METHOD_REML);
    assert_close(r.tau2, 3.33455065024244e-13, 0, ABS);
    assert_close(r.estimate, 0.456665790016778, REL, ABS);
    assert_close(r.se, 0.000276871326226584, REL, ABS);
}

/* REML meta-regression on an intercept and x, checked against metafor's
 * tau2, b0, b1, se(b0), se(b1) (want[0..4]) at 1e-6, converged as REML. */
static void check_line(const double *yi, const double *vi, const double *x, size_t k,
                       const double *want)
{
    double *X = malloc(2 * k * sizeof *X);
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_error_t err;
    size_t i;
    assert_non_null(X);
    for (i = 0; i < k; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = x[i];
    }
    ma_rma_opts_init(&o);
    assert_int_equal(ma_regress_fit(yi, vi, k, X, 2, &o, &r, &err), MA_OK);
    free(X);
    assert_int_equal(r.converged, 1);
    assert_int_equal(r.method_used, MA_METHOD_REML);
    assert_close(r.tau2, want[0], 1e-6, ABS);
    for (i = 0; i < 2; i++) {
        assert_close(r.b[i], want[1 + i], 1e-6, ABS);
        assert_close(r.se[i], want[3 + i], 1e-6, ABS);
    }
    ma_reg_clear(&r);
}

/* Meta-regression: rma(yi, vi, mods = ~ x, method = "REML", control = list(stepadj = 0.5,
 * maxiter = 1000, threshold = 1e-12)) on g036. */
static void test_regress_oscillation(void **state)
{
    static const double want[] = {0.0603511403988641, -0.0058104978635426, 0.128256488338888,
                                  0.198102437606611, 0.252275129314236};
    (void)state;
    check_line(g036_yi, g036_vi, g036_x, N(g036_yi), want);
}

/* rma(yi, vi, mods = ~ x, method = "REML", control = list(stepadj = 0.5, maxiter = 10000,
 * threshold = 1e-12)) on u089. */
static void test_regress_wide_variances(void **state)
{
    static const double want[] = {0.0553661139241887, 0.311942346300152, -0.00840912561762893,
                                  0.244601632857895, 0.169552387979048};
    (void)state;
    check_line(u089_yi, u089_vi, u089_x, N(u089_yi), want);
}

/* trimfill(rma(yi, vi)) with one vi of 5e-13 and of 1e-9..1e-14: returns, as metafor. */
static void test_trimfill_tiny_vi(void **state)
{
    ma_rma_opts_t o;
    ma_trimfill_t tf;
    ma_error_t err;
    (void)state;
    alarm(20); /* a hang fails the test (SIGALRM) instead of stalling the suite */
    ma_rma_opts_init(&o);
    o.tau2_ci = 0;
    assert_int_equal(ma_trimfill(h004_yi, h004_vi, N(h004_yi), MA_TF_L0, MA_SIDE_AUTO, &o, &tf,
                                 &err),
                     MA_OK);
    assert_int_equal(tf.k0, 0);
    assert_int_equal(tf.side, MA_SIDE_RIGHT);
    assert_close(tf.fit.estimate, 0.487101256451354, 1e-6, ABS);
    assert_close(tf.fit.tau2, 0, 0, ABS);
    ma_trimfill_clear(&tf);
    assert_int_equal(ma_trimfill(h020_yi, h020_vi, N(h020_yi), MA_TF_L0, MA_SIDE_AUTO, &o, &tf,
                                 &err),
                     MA_OK);
    assert_int_equal(tf.k0, 2);
    assert_int_equal(tf.side, MA_SIDE_LEFT);
    assert_close(tf.fit.estimate, 0.161544422550178, 1e-6, ABS);
    assert_close(tf.fit.tau2, 1.47694159011514e-06, 1e-6, ABS);
    ma_trimfill_clear(&tf);
    alarm(0);
}

/* A log-likelihood with score 3 (1 - tau2) and expected information 1: the full Fisher
 * step overshoots by twice its gain and diverges (3, -3, 9, -15, ...); halving on a
 * decrease converges to 1. den = 2 so that num/den is the step. */
typedef struct {
    int calls;
    double info;
} toy_t;

static ma_status_t toy_eval(double tau2, void *arg, ma_score_eval_t *e)
{
    toy_t *t = arg;
    t->calls++;
    e->num = 2 * 3 * (1 - tau2);
    e->den = 2 * t->info;
    return MA_OK;
}

static void test_scoring_halving(void **state)
{
    toy_t t = {0, 1.0};
    double tau2 = NAN;
    int it, damped;
    (void)state;
    assert_int_equal(ma_fisher_scoring(toy_eval, &t, 0.0, 1.0, 1e-12, 1000, &tau2, &it, &damped),
                     MA_OK);
    assert_close(tau2, 1.0, 1e-11, 0);
    assert_int_equal(damped, 1);
    assert_true(it < 100);
    /* with the information right (3) the first step lands on the maximum, undamped */
    t.info = 3;
    assert_int_equal(ma_fisher_scoring(toy_eval, &t, 0.0, 1.0, 1e-12, 1000, &tau2, &it, &damped),
                     MA_OK);
    assert_close(tau2, 1.0, 1e-15, 0);
    assert_int_equal(damped, 0);
    assert_int_equal(it, 2);
}

/* An infinite step (information 0+) or a NaN score ends at once, not after endless
 * halvings; maxiter bounds the evaluations. */
static ma_status_t bad_eval(double tau2, void *arg, ma_score_eval_t *e)
{
    toy_t *t = arg;
    t->calls++;
    e->num = -1;
    e->den = tau2 > 0.5 ? NAN : DBL_MIN * DBL_EPSILON;
    return MA_OK;
}

static void test_scoring_bounded(void **state)
{
    toy_t t = {0, 1.0};
    double tau2 = NAN;
    int it, damped;
    (void)state;
    assert_int_equal(ma_fisher_scoring(bad_eval, &t, 1.0, 1.0, 1e-12, 1000, &tau2, &it, &damped),
                     MA_ENUMERIC);
    assert_true(t.calls <= 2);
    t.calls = 0;
    assert_int_equal(ma_fisher_scoring(bad_eval, &t, 0.25, 1.0, 1e-12, 1000, &tau2, &it, &damped),
                     MA_ENUMERIC);
    assert_true(t.calls <= 62);
    t.calls = 0;
    t.info = 1e-3; /* slow: steps of 0.001 of the way would need far more than 5 */
    assert_int_equal(ma_fisher_scoring(toy_eval, &t, 0.0, 1e-3, 1e-12, 5, &tau2, &it, &damped),
                     MA_ENUMERIC);
    assert_int_equal(it, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oscillation),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_traces_no_cancellation),
        cmocka_unit_test(test_wide_variances),
        cmocka_unit_test(test_regress_oscillation),
        cmocka_unit_test(test_regress_wide_variances),
        cmocka_unit_test(test_trimfill_tiny_vi),
        cmocka_unit_test(test_scoring_halving),
        cmocka_unit_test(test_scoring_bounded),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
