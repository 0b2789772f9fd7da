/* Unit tests for the case-deletion diagnostics (influence.c) against R metafor 3.8-1:
 *   dat <- escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg, data=dat.bcg)
 *   res <- rma(yi, vi, data=dat, control=list(threshold=1e-12)); inf <- influence(res)
 *   options(digits=17); as.data.frame(inf$inf); inf$dfbs$intrcpt */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/influence.h"

#define REL 1e-7
#define ABS 1e-9

static void test_bcg(void **state)
{
    static const double rstudent[13] = {
        -0.21814248573607822, -1.29179018551299007, -0.75471976574822541, -1.45120066425064631,
        0.84771057759748147, -0.11799949055617312, -1.30372705935772726, 1.45008052456805858,
        0.40761316840017930, -1.12773877628202523, 0.66907917679683904, 1.28984096809323034,
        1.18790289288211026};
    static const double dffits[13] = {
        -0.040707547501241816, -0.343587709850897816, -0.160361504015523404,
        -0.520050988469587305, 0.270745218217246286, -0.019006348327279154,
        -0.336157503751428388, 0.477460007374163775, 0.141548473008698633,
        -0.348694699477228531, 0.231504512883199037, 0.252619894828719160,
        0.354860899253081064};
    static const double cook[13] = {
        0.00171654134161676290, 0.11324970141448259531, 0.02598033104034323804,
        0.22948163911565547246, 0.07623144461860208165, 0.00041349626859830827,
        0.10874161953109047485, 0.19917759173866556033, 0.02199843081917249310,
        0.11701783523922024144, 0.05807815595317974977, 0.06343341625565566966,
        0.12281290395068836241};
    static const double covr[13] = {
        1.11644898614600163, 1.01019229175458869, 1.06699581106102515, 0.96512648513627519,
        1.13802335405797517, 1.24071642703881202, 1.00771140825968297, 1.00107013890372243,
        1.19676223794611558, 1.05052732509887825, 1.18597909184849826, 1.02585693499391195,
        1.06504067847918771};
    static const double tau2del[13] = {
        0.33615670180367124, 0.29258308399631078, 0.32073792964905623, 0.26275814809113363,
        0.32780326044208113, 0.35955407037681725, 0.29302586976726297, 0.27318292938666539,
        0.34945200980548863, 0.29872450463324640, 0.34048828779298917, 0.30816221479543732,
        0.30373336636716847};
    static const double qedel[13] = {
        151.582572747108600, 145.317607670208815, 150.197044457952614, 96.562594971391491,
        151.320008931120782, 128.186664682906382, 145.829638145065161, 67.985811499084903,
        152.205060685431107, 139.827073316801631, 151.465504507946974, 150.786834541142127,
        149.788423825434336};
    static const double hat[13] = {
        0.050594827343666576, 0.063646793725630285, 0.044360274026013960, 0.096987470189206851,
        0.088684563912428904, 0.100957385442390704, 0.060271814144444671, 0.101894390370956614,
        0.087431332116381905, 0.083676072578858743, 0.099250269998113858, 0.038216290629895809,
        0.084028515522011016};
    static const double dfbs[13] = {
        -0.040265889170163861, -0.345862309951213309, -0.159655276645786631,
        -0.513813387319709380, 0.271084262192488878, -0.019228680531235762,
        -0.338703872105723114, 0.471373883729408694, 0.141892189166113458,
        -0.348659750570533555, 0.233001917025957322, 0.253522002519312784,
        0.354815829342826849};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_infl_t f[13];
    ma_rma_t full;
    ma_error_t err;
    size_t i;
    (void)state;
    assert_int_equal(d.k, 13);
    assert_int_equal(ma_influence(d.yi, d.vi, d.k, NULL, f, &full, &err), MA_OK);
    assert_close(full.tau2, 0.313243258136485903, REL, ABS);
    for (i = 0; i < 13; i++) {
        assert_close(f[i].rstudent, rstudent[i], REL, ABS);
        assert_close(f[i].dffits, dffits[i], REL, ABS);
        assert_close(f[i].cook_d, cook[i], REL, ABS);
        assert_close(f[i].cov_r, covr[i], REL, ABS);
        assert_close(f[i].tau2_del, tau2del[i], REL, ABS);
        assert_close(f[i].QE_del, qedel[i], REL, ABS);
        assert_close(f[i].hat, hat[i], 1e-12, 0);
        assert_close(f[i].weight, 100 * hat[i], 1e-12, 0);
        assert_close(f[i].dfbetas, dfbs[i], REL, ABS);
        assert_false(f[i].inf); /* no study flagged in R's print */
    }
    testutil_data_free(&d);
}

/* resk <- rma(yi, vi, data=dat, test="knha", control=list(threshold=1e-12));
 * ik <- influence(resk): rows 1-3 (s2w scaling of the knha test) */
static void test_bcg_knha(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_infl_t f[13];
    ma_rma_opts_t o;
    ma_error_t err;
    (void)state;
    ma_rma_opts_init(&o);
    o.test = MA_TEST_KNHA;
    assert_int_equal(ma_influence(d.yi, d.vi, d.k, &o, f, NULL, &err), MA_OK);
    assert_close(f[0].rstudent, -0.21359785040772808, REL, ABS);
    assert_close(f[1].rstudent, -1.28682963691934460, REL, ABS);
    assert_close(f[2].rstudent, -0.74276411917003604, REL, ABS);
    assert_close(f[0].dffits, -0.039859473555992751, REL, ABS);
    assert_close(f[1].dffits, -0.342268313287888759, REL, ABS);
    assert_close(f[2].dffits, -0.157821189644856641, REL, ABS);
    assert_close(f[0].cook_d, 0.001697411560909128, REL, ABS);
    assert_close(f[1].cook_d, 0.111987604253907566, REL, ABS);
    assert_close(f[2].cook_d, 0.025690796484160970, REL, ABS);
    assert_close(f[0].cov_r, 1.1514856541054084, REL, ABS);
    assert_close(f[1].cov_r, 1.0066506787302223, REL, ABS);
    assert_close(f[2].cov_r, 1.0893444341877785, REL, ABS);
    assert_close(f[0].dfbetas, -0.039427016440568431, REL, ABS);
    assert_close(f[1].dfbetas, -0.344534178793023615, REL, ABS);
    assert_close(f[2].dfbetas, -0.157126149745250632, REL, ABS);
    assert_close(f[0].tau2_del, 0.33615670180367124, REL, ABS);
    testutil_data_free(&d);
}

/* d <- read.csv("raudenbush1985.csv"); r2 <- rma(yi, vi, data=d,
 * control=list(threshold=1e-12)); i2 <- influence(r2); which(i2$is.infl) = 10 */
static void test_raudenbush_flag(void **state)
{
    testutil_data_t d = testutil_data_load("raudenbush1985.csv", SIZE_MAX, NULL, NULL);
    ma_infl_t *f = malloc(d.k * sizeof *f);
    ma_error_t err;
    size_t i;
    (void)state;
    assert_non_null(f);
    assert_int_equal(ma_influence(d.yi, d.vi, d.k, NULL, f, NULL, &err), MA_OK);
    for (i = 0; i < d.k; i++)
        assert_int_equal(f[i].inf, i == 9);
    assert_close(f[9].rstudent, 2.9034896160835864, REL, ABS);
    assert_close(f[9].dffits, 0.78735144029700033, REL, ABS);
    assert_close(f[9].cook_d, 0.49724650177792018, REL, ABS); /* > qchisq(.5, 1): flagged */
    assert_close(f[9].cov_r, 0.59260308940708539, REL, ABS);
    assert_close(f[9].tau2_del, 0.0026273506866557892, REL, ABS);
    assert_close(f[9].QE_del, 26.9588010200853, REL, ABS);
    assert_close(f[9].hat, 0.03259367800986037, 1e-10, 0);
    assert_close(f[9].dfbetas, 0.92698120595211464, REL, ABS);
    free(f);
    testutil_data_free(&d);
}

static void test_small(void **state)
{
    double y[2] = {0.1, 0.5}, v[2] = {0.04, 0.09};
    ma_infl_t f[2];
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_influence(y, v, 1, NULL, f, NULL, &err), MA_EINPUT);
    assert_int_equal(ma_influence(y, v, 2, NULL, f, NULL, &err), MA_OK);
    assert_close(f[0].tau2_del, 0, 0, 0);
    assert_close(f[0].hat + f[1].hat, 1, 1e-15, 0);
    assert_close(ma_influence_dffits_cut(10), 1, 1e-15, 0);
    assert_close(ma_influence_hat_cut(12), 0.25, 1e-15, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcg),
        cmocka_unit_test(test_bcg_knha),
        cmocka_unit_test(test_raudenbush_flag),
        cmocka_unit_test(test_small),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
