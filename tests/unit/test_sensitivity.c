/* Unit tests for leave-one-out (loo.c) and cumulative meta-analysis (cumul.c) against R
 * metafor 3.8-1. Data: bcg.csv of tests/reference, i.e.
 *   dat <- escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
 *   res <- rma(yi, vi, data=dat, control=list(threshold=1e-12)) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/cumul.h"
#include "iastm/loo.h"

#define REL 1e-7
#define ABS 1e-9

/* Every leave-one-out row of the reference files (bcg: rma(yi[-i], vi[-i]) per row, see
 * make_reference.R), and each refit equal to a direct fit of the reduced data. */
static void check_loo_ref(const char *in, const char *ref)
{
    testutil_data_t d = testutil_data_load(in, SIZE_MAX, NULL, NULL);
    ma_table_t *t = testutil_ref_load(ref);
    ma_rma_t *out = malloc(d.k * sizeof *out), direct;
    ma_error_t err;
    double *y = malloc(d.k * sizeof *y), *v = malloc(d.k * sizeof *v);
    size_t i, j, m;

    assert_true(out && y && v);
    assert_int_equal(t->nrow, d.k);
    assert_int_equal(ma_loo(d.yi, d.vi, d.k, NULL, out, &err), MA_OK);
    for (i = 0; i < d.k; i++) {
        assert_int_equal(out[i].k, d.k - 1);
        assert_close(out[i].estimate, testutil_num(t, i, "estimate"), REL, ABS);
        assert_close(out[i].se, testutil_num(t, i, "se"), REL, ABS);
        assert_close(out[i].ci_lb, testutil_num(t, i, "ci_lb"), REL, ABS);
        assert_close(out[i].ci_ub, testutil_num(t, i, "ci_ub"), REL, ABS);
        assert_close(out[i].Q, testutil_num(t, i, "Q"), REL, ABS);
        assert_close(out[i].tau2, testutil_num(t, i, "tau2"), REL, ABS);
        assert_close(out[i].I2, testutil_num(t, i, "I2"), REL, ABS);
        for (j = 0, m = 0; j < d.k; j++)
            if (j != i) {
                y[m] = d.yi[j];
                v[m++] = d.vi[j];
            }
        assert_int_equal(ma_rma_fit(y, v, m, NULL, &direct, &err), MA_OK);
        assert_close(out[i].estimate, direct.estimate, 1e-15, 0);
        assert_close(out[i].tau2, direct.tau2, 1e-15, 0);
    }
    ma_table_free(t);
    free(out);
    free(y);
    free(v);
    testutil_data_free(&d);
}

static void test_loo_bcg(void **state)
{
    (void)state;
    check_loo_ref("bcg.csv", "bcg.loo.csv");
}

static void test_loo_raudenbush(void **state)
{
    (void)state;
    check_loo_ref("raudenbush1985.csv", "raudenbush1985.loo.csv");
}

static void test_loo_small(void **state)
{
    double y[2] = {0.1, 0.5}, v[2] = {0.04, 0.09};
    ma_rma_t out[2];
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_loo(y, v, 1, NULL, out, &err), MA_EINPUT);
    /* k = 2: each refit is the other study alone */
    assert_int_equal(ma_loo(y, v, 2, NULL, out, &err), MA_OK);
    assert_close(out[0].estimate, 0.5, 1e-15, 0);
    assert_close(out[0].se, 0.3, 1e-15, 0);
    assert_close(out[1].estimate, 0.1, 1e-15, 0);
    assert_close(out[1].tau2, 0, 0, 0);
}

/* cumul(res, order=dat$year): R output with options(digits=17); study 5 and 7 (1973) tie
 * and keep input order. */
static void test_cumul_year(void **state)
{
    static const size_t order[13] = {0, 1, 5, 2, 9, 8, 11, 4, 6, 10, 12, 3, 7};
    static const double est[13] = {
        -0.88931133392020523, -1.32500344224487510, -0.97207993181325436, -1.00109617449620458,
        -1.10142578521124079, -0.97346389438197534, -0.90125110027263100, -0.78856550371883138,
        -0.86560743878643764, -0.78521036785666898, -0.70820599237062165, -0.79476760451552153,
        -0.71453234215813966};
    static const double se[13] = {
        0.57060035489295069, 0.34898877228738301, 0.24546334529254854, 0.22228483526711332,
        0.19966557517256930, 0.18765530168814493, 0.19073839298532555, 0.19695105108079106,
        0.19625320878238356, 0.18014313944042570, 0.17838441941061392, 0.17987768598058249,
        0.17978151610520687};
    static const double ci_lb[13] = {
        -2.0076674790761615, -2.0090088669369957, -1.4531792481113688, -1.4367664459291656,
        -1.4927631215019515, -1.3412615271987378, -1.2750914809929164, -1.1745824705544903,
        -1.2502566598503293, -1.1382844332218802, -1.0578330298185126, -1.1473213906598685,
        -1.0668976388103528};
    static const double ci_ub[13] = {
        0.22904481123575127, -0.64099801755275443, -0.49098061551513988, -0.56542590306324370,
        -0.71008844892053014, -0.60566626156521286, -0.52741071955234564, -0.40254853688317249,
        -0.48095821772254610, -0.43213630249145768, -0.35857895492273067, -0.44221381837117452,
        -0.36216704550592654};
    static const double Q[13] = {
        0, 0.9314790774491557, 3.1879116411930606, 3.8613700048834696, 7.6415365512728295,
        10.1853645892414448, 13.2116048412621474, 19.5748888402784758, 22.8207789507784504,
        34.1203009592417317, 39.6121545405398976, 67.9858114990849174, 152.2330080823732601};
    static const double tau2[13] = {
        0, 0, 0.087206792838736488, 0.076262308868794801, 0.085755170491871799,
        0.104604181564157850, 0.120459721859337690, 0.178027348266848351, 0.202335086896631433,
        0.200545845815637447, 0.228091928168616620, 0.273182929386665385, 0.313243258136485903};
    static const double I2[13] = {
        0 /* k = 1: metafor 0, NaN here (undefined) */, 0, 40.709105098749426,
        33.975636216558286, 48.412826887940732, 60.000789072349754, 59.997561462767827,
        72.390362826925724, 73.506456917925618, 81.402837014301340, 83.010867520199639,
        87.031362739574504, 92.221384521269073};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, "year", NULL);
    size_t perm[13], j;
    ma_rma_t out[13];
    ma_error_t err;
    ma_rma_opts_t o;
    (void)state;
    assert_int_equal(d.k, 13);
    ma_rma_opts_init(&o);
    o.tau2_ci = 0;
    assert_int_equal(ma_cumul_order_num(d.x, d.k, 0, perm, &err), MA_OK);
    for (j = 0; j < 13; j++)
        assert_int_equal(perm[j], order[j]);
    assert_int_equal(ma_cumul(d.yi, d.vi, d.k, perm, &o, out, &err), MA_OK);
    for (j = 0; j < 13; j++) {
        assert_int_equal(out[j].k, j + 1);
        assert_close(out[j].estimate, est[j], REL, ABS);
        assert_close(out[j].se, se[j], REL, ABS);
        assert_close(out[j].ci_lb, ci_lb[j], REL, ABS);
        assert_close(out[j].ci_ub, ci_ub[j], REL, ABS);
        assert_close(out[j].Q, Q[j], REL, ABS);
        assert_close(out[j].tau2, tau2[j], REL, ABS);
        if (j > 0)
            assert_close(out[j].I2, I2[j], REL, ABS);
    }
    testutil_data_free(&d);
}

/* test = "t" and "adhoc" carried into the refits:
 *   r <- rma(yi, vi, data = d, test = T, control = list(threshold = 1e-12, maxiter = 1000))
 *   leave1out(r) (row 1), cumul(r) (row 5, input order) */
static void test_t_adhoc(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_rma_t out[13];
    ma_error_t err;
    ma_rma_opts_t o;
    size_t perm[13], j;
    (void)state;
    for (j = 0; j < 13; j++)
        perm[j] = j;
    ma_rma_opts_init(&o);
    o.tau2_ci = 0;
    o.test = MA_TEST_T;
    assert_int_equal(ma_loo(d.yi, d.vi, d.k, &o, out, &err), MA_OK);
    assert_close(out[0].df, 11, 0, 0);
    assert_close(out[0].se, 0.189961014528878, REL, ABS);
    assert_close(out[0].pval, 0.00336852265566832, REL, ABS);
    assert_close(out[0].ci_lb, -1.12518515867327, REL, ABS);
    assert_int_equal(ma_cumul(d.yi, d.vi, d.k, perm, &o, out, &err), MA_OK);
    assert_close(out[4].se, 0.301058037907184, REL, ABS);
    assert_close(out[4].ci_ub, -0.222714293303154, REL, ABS);
    assert_true(isnan(out[0].df)); /* k = 1: z, as metafor */
    o.test = MA_TEST_ADHOC;
    assert_int_equal(ma_loo(d.yi, d.vi, d.k, &o, out, &err), MA_OK);
    assert_close(out[0].se, 0.194002738431948, REL, ABS);
    assert_close(out[0].pval, 0.00385620581313455, REL, ABS);
    assert_close(out[0].ci_lb, -1.13408093300512, REL, ABS);
    testutil_data_free(&d);
}

/* cumul(res, order=dat$year, decreasing=TRUE): rows 1, 2 and 13;
 * order(dat.bcg$year, decreasing=TRUE) = 8 4 13 11 5 7 12 9 10 3 6 2 1 */
static void test_cumul_decreasing(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, "year", NULL);
    size_t perm[13];
    ma_rma_t out[13];
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_cumul_order_num(d.x, d.k, 1, perm, &err), MA_OK);
    assert_int_equal(perm[0], 7);
    assert_int_equal(perm[1], 3);
    assert_int_equal(perm[4], 4); /* 1973 tie: input order kept when decreasing too */
    assert_int_equal(perm[5], 6);
    assert_int_equal(ma_cumul(d.yi, d.vi, d.k, perm, NULL, out, &err), MA_OK);
    assert_close(out[0].estimate, 0.011952333523840508, REL, ABS);
    assert_close(out[0].se, 0.062941077984236413, REL, ABS);
    assert_close(out[1].estimate, -0.709278818100747221, REL, ABS);
    assert_close(out[1].se, 0.726730793418809307, REL, ABS);
    assert_close(out[1].tau2, 1.04435044087904405, REL, ABS);
    assert_close(out[12].estimate, -0.714532342158139988, REL, ABS);
    assert_close(out[12].tau2, 0.31324325813648596, REL, ABS);
    testutil_data_free(&d);
}

/* R: order(c(3, NA, 1, 3, 2)) = 3 5 1 4 2; decreasing = 1 4 5 3 2 */
static void test_cumul_order_missing(void **state)
{
    double x[5] = {3, NAN, 1, 3, 2};
    const char *s[5] = {"b", NULL, "a", "b", "ab"};
    size_t p[5];
    static const size_t inc[5] = {2, 4, 0, 3, 1}, dec[5] = {0, 3, 4, 2, 1};
    size_t i;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_cumul_order_num(x, 5, 0, p, &err), MA_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(p[i], inc[i]);
    assert_int_equal(ma_cumul_order_num(x, 5, 1, p, &err), MA_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(p[i], dec[i]);
    assert_int_equal(ma_cumul_order_str(s, 5, 0, p, &err), MA_OK); /* a ab b b NA */
    for (i = 0; i < 5; i++)
        assert_int_equal(p[i], inc[i]);
    assert_int_equal(ma_cumul_order_str(s, 5, 1, p, &err), MA_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(p[i], dec[i]);
}

static void test_cumul_input_order(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_rma_t *out = malloc(d.k * sizeof *out), full;
    ma_error_t err;
    (void)state;
    assert_non_null(out);
    assert_int_equal(ma_cumul(d.yi, d.vi, d.k, NULL, NULL, out, &err), MA_OK);
    assert_int_equal(ma_rma_fit(d.yi, d.vi, d.k, NULL, &full, &err), MA_OK);
    assert_close(out[d.k - 1].estimate, full.estimate, 1e-15, 0);
    assert_close(out[0].estimate, d.yi[0], 1e-15, 0);
    assert_int_equal(ma_cumul(d.yi, d.vi, 0, NULL, NULL, out, &err), MA_EINPUT);
    free(out);
    testutil_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loo_bcg),
        cmocka_unit_test(test_loo_raudenbush),
        cmocka_unit_test(test_loo_small),
        cmocka_unit_test(test_t_adhoc),
        cmocka_unit_test(test_cumul_year),
        cmocka_unit_test(test_cumul_decreasing),
        cmocka_unit_test(test_cumul_order_missing),
        cmocka_unit_test(test_cumul_input_order),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
