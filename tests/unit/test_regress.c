/* Unit tests for meta-regression (regress.c) and the design matrix builder (design.c)
 * against R metafor 3.8-1. Unless stated, R values come from
 *   d <- read.csv("bcg.csv"); ctl <- list(threshold=1e-12, maxiter=10000, tol=1e-12)
 * with bcg.csv of tests/reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/model_matrix.h"
#include "iastm/regress.h"

#define REL 1e-6
#define ABS 1e-9
/* hand-computed R values printed with %.15g */
#define RREL 1e-8

/* X from the named columns of the table through the design builder. */
static ma_design_t *design(const testutil_data_t *d, const char *const *names, size_t nm)
{
    const char **cells = malloc(d->k * nm * sizeof *cells);
    ma_design_t *x = NULL;
    ma_error_t err;
    size_t i, j;
    assert_non_null(cells);
    for (i = 0; i < d->k; i++)
        for (j = 0; j < nm; j++)
            cells[i * nm + j] = ma_table_cell(d->t, i, ma_table_col(d->t, names[j]));
    assert_int_equal(ma_design_build(names, nm, cells, d->k, &x, &err), MA_OK);
    free(cells);
    return x;
}

static ma_reg_t fit(const testutil_data_t *d, const ma_design_t *x, ma_method_t m, ma_test_t t)
{
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_error_t err;
    ma_rma_opts_init(&o);
    o.method = m;
    o.test = t;
    assert_int_equal(x->k, d->k);
    if (ma_regress_fit(d->yi, d->vi, d->k, x->X, x->p, &o, &r, &err) != MA_OK)
        fail_msg("%s", err.msg);
    return r;
}

/* reference rows of NAME.metareg_MOD.csv (test = z, knha) */
static void check_metareg(const char *name, const char *mod)
{
    char in[256], ref[256];
    testutil_data_t d;
    ma_table_t *t;
    ma_design_t *x;
    const char *names[1];
    size_t row;
    snprintf(in, sizeof in, "%s.csv", name);
    snprintf(ref, sizeof ref, "%s.metareg_%s.csv", name, mod);
    d = testutil_data_load(in, SIZE_MAX, NULL, NULL);
    t = testutil_ref_load(ref);
    names[0] = mod;
    x = design(&d, names, 1);
    assert_int_equal(x->p, 2);
    assert_string_equal(x->term[1], mod);
    for (row = 0; row < t->nrow; row++) {
        const char *test = ma_table_cell(t, row, ma_table_col(t, "test"));
        ma_reg_t r = fit(&d, x, MA_METHOD_REML, strcmp(test, "knha") == 0 ? MA_TEST_KNHA
                                                                         : MA_TEST_Z);
        assert_close(r.b[0], testutil_num(t, row, "intercept"), REL, ABS);
        assert_close(r.b[1], testutil_num(t, row, "slope"), REL, ABS);
        assert_close(r.se[0], testutil_num(t, row, "se_intercept"), REL, ABS);
        assert_close(r.se[1], testutil_num(t, row, "se_slope"), REL, ABS);
        assert_close(r.pval[1], testutil_num(t, row, "p_slope"), REL, ABS);
        assert_close(r.ci_lb[1], testutil_num(t, row, "slope_ci_lb"), REL, ABS);
        assert_close(r.ci_ub[1], testutil_num(t, row, "slope_ci_ub"), REL, ABS);
        assert_close(r.tau2, testutil_num(t, row, "tau2"), REL, ABS);
        assert_close(r.I2, testutil_num(t, row, "I2"), REL, ABS);
        assert_close(r.R2, testutil_num(t, row, "R2"), REL, ABS);
        assert_close(r.QM, testutil_num(t, row, "QM"), REL, ABS);
        assert_close(r.QM_p, testutil_num(t, row, "QM_p"), REL, ABS);
        assert_close(r.QE, testutil_num(t, row, "QE"), REL, ABS);
        assert_close(r.QE_p, testutil_num(t, row, "QE_p"), REL, ABS);
        assert_close(r.QM_df, 1, 0, 0);
        assert_close(r.QE_df, (double)d.k - 2, 0, 0);
        ma_reg_clear(&r);
    }
    ma_design_free(x);
    ma_table_free(t);
    testutil_data_free(&d);
}

static void test_metareg_bcg(void **state)
{
    (void)state;
    check_metareg("bcg", "ablat");
}

static void test_metareg_raudenbush(void **state)
{
    (void)state;
    check_metareg("raudenbush1985", "weeks");
}

/* bcg.subgroup_test.csv: QM and tau2 of rma(mods = ~ factor(alloc)) */
static void test_factor_vs_reference(void **state)
{
    const char *names[] = {"alloc"};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_table_t *t = testutil_ref_load("bcg.subgroup_test.csv");
    ma_design_t *x = design(&d, names, 1);
    ma_reg_t r = fit(&d, x, MA_METHOD_REML, MA_TEST_Z);
    (void)state;
    assert_close(r.tau2, testutil_num(t, 0, "common_tau2"), REL, ABS);
    assert_close(r.QM, testutil_num(t, 0, "QM"), REL, ABS);
    assert_close(r.QM_df, testutil_num(t, 0, "QM_df"), 0, 0);
    assert_close(r.QM_p, testutil_num(t, 0, "QM_p"), REL, ABS);
    ma_reg_clear(&r);
    ma_design_free(x);
    ma_table_free(t);
    testutil_data_free(&d);
}

/* Categorical moderator with 3 levels, dummy coded against "alternate":
 *   rma(yi, vi, mods = ~ factor(alloc), data = d, method = "REML", test = T, control = ctl) */
static void test_factor_three_levels(void **state)
{
    static const double b[] = {-0.517955777155299, -0.447818401390527, 0.0890382162317082};
    static const double se_z[] = {0.441194460386783, 0.515821633598989, 0.560035586835431};
    static const double se_t[] = {0.421947058594139, 0.493318571737075, 0.535603661854888};
    static const double p_t[] = {0.247732561391872, 0.385354852493113, 0.871281961022355};
    static const double lb_t[] = {-1.45811241189023, -1.54700067748428, -1.10436111201329};
    const char *names[] = {"alloc"};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_design_t *x = design(&d, names, 1);
    ma_reg_t r;
    size_t j;
    (void)state;
    assert_int_equal(x->p, 3);
    assert_true(x->categorical[0]);
    assert_int_equal(x->nlevels[0], 3);
    assert_string_equal(x->term[0], "intrcpt");
    assert_string_equal(x->term[1], "allocrandom");
    assert_string_equal(x->term[2], "allocsystematic");

    r = fit(&d, x, MA_METHOD_REML, MA_TEST_Z);
    for (j = 0; j < 3; j++) {
        assert_close(r.b[j], b[j], RREL, ABS);
        assert_close(r.se[j], se_z[j], RREL, ABS);
    }
    assert_close(r.tau2, 0.361503664323899, RREL, ABS);
    assert_close(r.I2, 88.7709035717039, RREL, ABS);
    assert_close(r.H2, 8.90543603740107, RREL, ABS);
    assert_close(r.R2, 0, 0, 0); /* metafor: max(0, ...) */
    assert_close(r.QM, 1.76751140193196, RREL, ABS);
    assert_close(r.QM_p, 0.413228032757313, RREL, ABS);
    assert_close(r.QE, 132.367638262708, RREL, ABS);
    assert_close(r.QE_p, 1.53521295641896e-23, RREL, ABS);
    ma_reg_clear(&r);

    r = fit(&d, x, MA_METHOD_REML, MA_TEST_KNHA);
    for (j = 0; j < 3; j++) {
        assert_close(r.se[j], se_t[j], RREL, ABS);
        assert_close(r.pval[j], p_t[j], RREL, ABS);
        assert_close(r.ci_lb[j], lb_t[j], RREL, ABS);
    }
    assert_close(r.df, 10, 0, 0);
    assert_close(r.QM, 0.966220844813314, RREL, ABS); /* F statistic */
    assert_close(r.QM_df, 2, 0, 0);
    assert_close(r.QM_p, 0.413383745721661, RREL, ABS);
    ma_reg_clear(&r);
    ma_design_free(x);
    testutil_data_free(&d);
}

/* t and adhoc tests with one moderator:
 *   rma(yi, vi, mods = ~ ablat, data = d, test = "t" | "adhoc",
 *       control = list(threshold = 1e-12, maxiter = 10000)) */
static void test_t_adhoc(void **state)
{
    const char *names[] = {"ablat"};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_design_t *x = design(&d, names, 1);
    ma_reg_t r;
    (void)state;
    r = fit(&d, x, MA_METHOD_REML, MA_TEST_T); /* the z SEs, t and F with k - p = 11 df */
    assert_int_equal(r.test, MA_TEST_T);
    assert_close(r.df, 11, 0, 0);
    assert_close(r.se[0], 0.249095396617645, RREL, ABS);
    assert_close(r.se[1], 0.00719532722092874, RREL, ABS);
    assert_close(r.pval[1], 0.00193348799854073, RREL, ABS);
    assert_close(r.ci_lb[1], -0.0449385334469105, RREL, ABS);
    assert_close(r.ci_ub[1], -0.0132649165763754, RREL, ABS);
    assert_close(r.QM, 16.3582321470468, RREL, ABS);
    assert_close(r.QM_p, 0.00193348799854073, RREL, ABS);
    ma_reg_clear(&r);
    r = fit(&d, x, MA_METHOD_REML, MA_TEST_ADHOC); /* Knapp-Hartung, scale at least 1 */
    assert_int_equal(r.test, MA_TEST_ADHOC);
    assert_close(r.se[1], 0.00820141741104984, RREL, ABS);
    assert_close(r.pval[1], 0.0045650515415925, RREL, ABS);
    assert_close(r.ci_lb[1], -0.0471529230250808, RREL, ABS);
    assert_close(r.QM, 12.59098288438, RREL, ABS);
    ma_reg_clear(&r);
    ma_design_free(x);
    testutil_data_free(&d);
}

/* Two continuous moderators:
 *   rma(yi, vi, mods = ~ ablat + year, data = d, method = "REML", test = T, control = ctl) */
static void test_two_moderators(void **state)
{
    static const double b[] = {-3.54535301994065, -0.0280113294442077, 0.00190748044749929};
    static const double se_z[] = {29.0956222326708, 0.0102339432310297, 0.0146836858920521};
    static const double se_t[] = {32.2563394834999, 0.0113456775206645, 0.016278804873651};
    static const double ub_t[] = {68.3262502061043, -0.00273158455830771, 0.0381789180503846};
    const char *names[] = {"ablat", "year"};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_design_t *x = design(&d, names, 2);
    ma_reg_t r;
    size_t j;
    (void)state;
    assert_int_equal(x->p, 3);
    r = fit(&d, x, MA_METHOD_REML, MA_TEST_Z);
    for (j = 0; j < 3; j++) {
        assert_close(r.b[j], b[j], RREL, ABS);
        assert_close(r.se[j], se_z[j], RREL, ABS);
    }
    assert_close(r.pval[1], 0.00619833850448589, RREL, ABS);
    assert_close(r.tau2, 0.110784696947656, RREL, ABS);
    assert_close(r.I2, 71.9773177793338, RREL, ABS);
    assert_close(r.R2, 64.6330147353451, RREL, ABS);
    assert_close(r.QM, 12.2044868791974, RREL, ABS);
    assert_close(r.QM_p, 0.00223784162121124, RREL, ABS);
    assert_close(r.QE, 28.325143660619, RREL, ABS);
    assert_close(r.QE_p, 0.0016009744196547, RREL, ABS);
    ma_reg_clear(&r);
    r = fit(&d, x, MA_METHOD_REML, MA_TEST_KNHA);
    for (j = 0; j < 3; j++) {
        assert_close(r.se[j], se_t[j], RREL, ABS);
        assert_close(r.ci_ub[j], ub_t[j], RREL, ABS);
    }
    assert_close(r.QM, 4.96494755588609, RREL, ABS);
    assert_close(r.QM_p, 0.0318035012858745, RREL, ABS);
    ma_reg_clear(&r);
    ma_design_free(x);
    testutil_data_free(&d);
}

/* Every tau2 estimator with one moderator:
 *   rma(yi, vi, mods = ~ ablat, data = d, method = M, control = ctl) */
static void test_methods(void **state)
{
    static const struct {
        ma_method_t m;
        double b0, b1, se1, tau2, I2, R2, QM;
    } want[] = {
        {MA_METHOD_FE, 0.343564577446591, -0.0292369342595418, 0.00265242943424624, 0,
         64.2079595766235, 77.9765192143401, 121.499918071625},
        {MA_METHOD_DL, 0.259543712434025, -0.0292287387551885, 0.00673301083956725,
         0.0633005024264147, 64.2079595766235, 79.4984944501652, 18.8452335426354},
        {MA_METHOD_ML, 0.282107173895613, -0.0295093353884493, 0.0054877363075714,
         0.0343514424818794, 49.3288501854824, 87.7328604129087, 28.9156119038646},
        {MA_METHOD_HE, 0.203115006214942, -0.0281767595986624, 0.0105618511391468,
         0.209048026358875, 85.5582288334695, 36.3752216588693, 7.11708264472831},
        {MA_METHOD_HS, 0.287256156217648, -0.0295511231930158, 0.00520882518933756,
         0.0290849078998508, 45.1831795471157, 87.2637313127231, 32.1861047011765},
        {MA_METHOD_SJ, 0.198271729163406, -0.0280713689567708, 0.011014243980389,
         0.231843716118978, 86.7906259924945, 32.8992242476077, 6.49557796479169},
        {MA_METHOD_PM, 0.221915964507362, -0.0285645258944061, 0.0090701888711823,
         0.142131941472758, 80.1112838825893, 55.3140399535312, 9.9179377734761},
        {MA_METHOD_EB, 0.221915964507332, -0.0285645258944055, 0.00907018887118455,
         0.14213194147285, 80.1112838825996, 55.3140399535035, 9.91793777347073},
    };
    const char *names[] = {"ablat"};
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_design_t *x = design(&d, names, 1);
    size_t i;
    (void)state;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        ma_reg_t r = fit(&d, x, want[i].m, MA_TEST_Z);
        assert_int_equal(r.method_used, want[i].m);
        assert_close(r.b[0], want[i].b0, REL, ABS);
        assert_close(r.b[1], want[i].b1, REL, ABS);
        assert_close(r.se[1], want[i].se1, REL, ABS);
        assert_close(r.tau2, want[i].tau2, REL, ABS);
        assert_close(r.I2, want[i].I2, REL, ABS);
        assert_close(r.R2, want[i].R2, REL, ABS);
        assert_close(r.QM, want[i].QM, REL, ABS);
        assert_close(r.QE, 30.7330900107491, RREL, ABS);
        ma_reg_clear(&r);
    }
    ma_design_free(x);
    testutil_data_free(&d);
}

/* No intercept: metafor estimates tau2 and QE on the centred yi even then:
 *   rma(yi, vi, mods = ~ ablat - 1, data = d, method = "DL", control = ctl) */
/* Effect sizes exactly on the regression line: RSS = 0, so the Knapp-Hartung se is 0 (as
 * metafor) and the fits of both the intercept-only model and meta-regression say so; adhoc
 * keeps the factor at 1 and says nothing. */
static void test_knha_zero_rss(void **state)
{
    double yi[4] = {0.1, 0.3, 0.5, 0.7}, vi[4] = {0.1, 0.2, 0.1, 0.3}, X[8];
    const char *note = "knha: weighted residual sum of squares is 0, so se = 0 (as metafor)";
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_rma_t f;
    ma_error_t err;
    size_t i;
    (void)state;
    for (i = 0; i < 4; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = (double)i;
    }
    ma_rma_opts_init(&o);
    o.method = MA_METHOD_FE;
    o.test = MA_TEST_KNHA;
    assert_int_equal(ma_regress_fit(yi, vi, 4, X, 2, &o, &r, &err), MA_OK);
    assert_true(r.se[1] == 0);
    assert_non_null(strstr(r.note, note));
    ma_reg_clear(&r);
    for (i = 0; i < 4; i++)
        yi[i] = 0.25;
    assert_int_equal(ma_rma_fit(yi, vi, 4, &o, &f, &err), MA_OK);
    assert_true(f.se == 0);
    assert_non_null(strstr(f.note, note));
    o.test = MA_TEST_ADHOC;
    assert_int_equal(ma_rma_fit(yi, vi, 4, &o, &f, &err), MA_OK);
    assert_true(f.se > 0);
    assert_null(strstr(f.note, "knha:"));
}

static void test_no_intercept(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    double *X = malloc(d.k * sizeof *X);
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_error_t err;
    size_t i;
    (void)state;
    assert_non_null(X);
    for (i = 0; i < d.k; i++)
        X[i] = testutil_num(d.t, i, "ablat");
    ma_rma_opts_init(&o);
    o.method = MA_METHOD_DL;
    assert_int_equal(ma_regress_fit(d.yi, d.vi, d.k, X, 1, &o, &r, &err), MA_OK);
    assert_close(r.b[0], -0.0230242229134599, RREL, ABS);
    assert_close(r.se[0], 0.00554764423740466, RREL, ABS);
    assert_close(r.tau2, 0.393614361567854, RREL, ABS);
    assert_close(r.QE, 209.685615288003, RREL, ABS);
    assert_close(r.QM, 17.2247432638063, RREL, ABS);
    assert_close(r.QM_df, 1, 0, 0);
    assert_true(isnan(r.R2)); /* R: NULL without an intercept */
    ma_reg_clear(&r);
    free(X);
    testutil_data_free(&d);
}

/* k = p: FE fits exactly (QE = 0, QEp = 1, I2 = 0, H2 = 1); REML is refused as metafor:
 *   rma(yi, vi, mods = ~ ablat, data = d[1:2, ], method = "FE")
 *   rma(yi, vi, mods = ~ ablat, data = d[1:2, ], method = "REML")  -> error
 *   rma(yi, vi, mods = ~ ablat, data = d[1:3, ], method = "REML", test = "knha") */
static void test_k_equals_p(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    double X[6];
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_error_t err;
    size_t i;
    (void)state;
    for (i = 0; i < 3; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = testutil_num(d.t, i, "ablat");
    }
    ma_rma_opts_init(&o);
    o.method = MA_METHOD_FE;
    assert_int_equal(ma_regress_fit(d.yi, d.vi, 2, X, 2, &o, &r, &err), MA_OK);
    assert_close(r.b[0], 1.89499795920468, RREL, ABS);
    assert_close(r.b[1], -0.0632797566619294, RREL, ABS);
    assert_close(r.se[0], 3.35453678880846, RREL, ABS);
    assert_close(r.se[1], 0.0655659334041536, RREL, ABS);
    assert_close(r.QM, 0.93147907744915, RREL, ABS);
    assert_close(r.QE, 0, 0, 0);
    assert_close(r.QE_p, 1, 0, 0);
    assert_close(r.I2, 0, 0, 0);
    assert_close(r.H2, 1, 0, 0);
    assert_true(isnan(r.R2));
    ma_reg_clear(&r);

    o.method = MA_METHOD_REML;
    assert_int_equal(ma_regress_fit(d.yi, d.vi, 2, X, 2, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "at least 3 studies"));
    assert_null(r.b);

    o.test = MA_TEST_KNHA;
    assert_int_equal(ma_regress_fit(d.yi, d.vi, 3, X, 2, &o, &r, &err), MA_OK);
    assert_close(r.b[1], -0.0377736802496774, RREL, ABS);
    assert_close(r.se[1], 0.0320886747085787, RREL, ABS);
    assert_close(r.ci_lb[0], -19.558560527263, RREL, ABS);
    assert_close(r.tau2, 0, 0, ABS);
    assert_close(r.QM, 1.38571857345123, RREL, ABS);
    assert_close(r.QM_p, 0.448309357340114, RREL, ABS);
    assert_close(r.QE, 0.390854928616771, RREL, ABS);
    assert_close(r.R2, 0, 0, 0);
    ma_reg_clear(&r);
    testutil_data_free(&d);
}

/* Collinear columns are refused with the offending column named. */
static void test_rank_deficient(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    double *X = malloc(d.k * 3 * sizeof *X);
    ma_rma_opts_t o;
    ma_reg_t r;
    ma_error_t err;
    size_t i;
    (void)state;
    assert_non_null(X);
    for (i = 0; i < d.k; i++) {
        double a = testutil_num(d.t, i, "ablat");
        X[3 * i] = 1;
        X[3 * i + 1] = a;
        X[3 * i + 2] = 2 * a - 3; /* combination of the first two */
    }
    ma_rma_opts_init(&o);
    assert_int_equal(ma_regress_fit(d.yi, d.vi, d.k, X, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "rank deficient"));
    assert_non_null(strstr(err.msg, "column 3"));
    assert_null(r.b);
    for (i = 0; i < d.k; i++)
        X[3 * i + 2] = 0;
    assert_int_equal(ma_regress_fit(d.yi, d.vi, d.k, X, 3, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "column 3 is zero"));
    ma_reg_clear(&r); /* accepts the cleared struct */
    free(X);
    testutil_data_free(&d);
}

/* Design builder: missing values leave rows out with a reason, a single-level factor is
 * refused, a column with any non-number is categorical. */
static void test_design(void **state)
{
    const char *names[] = {"dose", "arm"};
    const char *cells[] = {"1.5", "b",  "NA", "a", "2", "c",  "3", "",
                           "4",   "a",  "5",  "b", ".", "c"};
    const char *cells2[] = {"x", "a", "1", "a"};
    const char *cells3[] = {"2", "a", "NA", "b"};
    ma_design_t *x;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_design_build(names, 2, cells, 7, &x, &err), MA_OK);
    assert_int_equal(x->k, 4);
    assert_int_equal(x->p, 4);
    assert_false(x->categorical[0]);
    assert_true(x->categorical[1]);
    assert_string_equal(x->term[1], "dose");
    assert_string_equal(x->term[2], "armb");
    assert_string_equal(x->term[3], "armc");
    assert_int_equal(x->nmissing, 3);
    assert_int_equal(x->missing[0], 1);
    assert_int_equal(x->missing[1], 3);
    assert_int_equal(x->missing[2], 6);
    assert_string_equal(x->reason[0], "missing value of moderator dose");
    assert_string_equal(x->reason[1], "missing value of moderator arm");
    assert_int_equal(x->rows[3], 5);
    /* row 0: dose 1.5, arm b */
    assert_close(x->X[0], 1, 0, 0);
    assert_close(x->X[1], 1.5, 0, 0);
    assert_close(x->X[2], 1, 0, 0);
    assert_close(x->X[3], 0, 0, 0);
    /* row 5 (4th used): dose 5, arm b */
    assert_close(x->X[3 * 4 + 1], 5, 0, 0);
    ma_design_free(x);

    /* "x" makes dose categorical; arm has one level */
    assert_int_equal(ma_design_build(names, 2, cells2, 2, &x, &err), MA_EINPUT);
    assert_string_equal(err.column, "arm");
    assert_null(x);
    /* arm "b" only in a row left out: single level among the rows used */
    assert_int_equal(ma_design_build(names, 2, cells3, 2, &x, &err), MA_EINPUT);
    ma_design_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metareg_bcg),
        cmocka_unit_test(test_metareg_raudenbush),
        cmocka_unit_test(test_factor_vs_reference),
        cmocka_unit_test(test_factor_three_levels),
        cmocka_unit_test(test_two_moderators),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_t_adhoc),
        cmocka_unit_test(test_knha_zero_rss),
        cmocka_unit_test(test_no_intercept),
        cmocka_unit_test(test_k_equals_p),
        cmocka_unit_test(test_rank_deficient),
        cmocka_unit_test(test_design),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
