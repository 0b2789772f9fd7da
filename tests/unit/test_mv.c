/* Unit tests for the multilevel / CHE models (mv.c) and row grouping (dependence.c)
 * against R metafor 3.8-1 and clubSandwich 0.5.8. The reference rows come from
 * konstantopoulos2011.mv.csv (tests/reference); other R values were printed with %.15g by
 *   V <- vcalc(vi, cluster = study, obs = row, rho = 0.6, data = d)
 *   f <- rma.mv(yi, V, mods = ..., random = ~ 1 | study/row, data = d)
 *   ct <- coef_test(f, vcov = "CR2")
 * on the effect sizes of tests/cli/data/dependent.csv and multiarm.csv (`iastm es`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/dependence.h"
#include "iastm/mv.h"

#define REL 1e-6
#define ABS 1e-9

/* The reference data with cluster and observation ids numbered 0, 1, ... */
typedef struct {
    testutil_data_t r;
    size_t *cluster, *obs, nclusters;
} kdata_t;

static kdata_t load_konstantopoulos(void)
{
    kdata_t d;
    const char **ob;
    size_t n;
    ma_error_t err;
    d.r = testutil_data_load("konstantopoulos2011.mv_input.csv", SIZE_MAX, NULL, "cluster");
    ob = testutil_cells(d.r.t, "obs", d.r.k);
    d.cluster = malloc(d.r.k * sizeof *d.cluster);
    d.obs = malloc(d.r.k * sizeof *d.obs);
    assert_true(d.cluster && d.obs);
    assert_int_equal(ma_group_ids(d.r.g, d.r.k, d.cluster, &d.nclusters, &err), MA_OK);
    assert_int_equal(ma_group_ids(ob, d.r.k, d.obs, &n, &err), MA_OK);
    free(ob);
    return d;
}

static void kfree(kdata_t *d)
{
    testutil_data_free(&d->r);
    free(d->cluster);
    free(d->obs);
}

static ma_mv_data_t mvdata(const kdata_t *d)
{
    ma_mv_data_t md;
    memset(&md, 0, sizeof md);
    md.k = d->r.k;
    md.yi = d->r.yi;
    md.vi = d->r.vi;
    md.cluster = d->cluster;
    md.nclusters = d->nclusters;
    md.obs = d->obs;
    return md;
}

/* Every column of the reference row `model` of konstantopoulos2011.mv.csv. */
static void check_reference(const char *model, double rho)
{
    kdata_t d = load_konstantopoulos();
    ma_table_t *ref = testutil_ref_load("konstantopoulos2011.mv.csv");
    ma_mv_data_t md = mvdata(&d);
    ma_mv_opts_t o;
    ma_mv_t r;
    ma_error_t err;
    size_t row, mc = (size_t)ma_table_col(ref, "model");
    ma_mv_opts_init(&o);
    o.rho = rho;
    o.sigma2_ci = 0;
    for (row = 0; row < ref->nrow; row++)
        if (strcmp(ma_table_cell(ref, row, (long)mc), model) == 0)
            break;
    assert_true(row < ref->nrow);
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_true(r.converged);
    assert_int_equal(r.k, 56);
    assert_int_equal(r.nclusters, 11);
    assert_int_equal(r.nobs, 56);
    assert_close(r.b[0], testutil_num(ref, row, "estimate"), REL, ABS);
    assert_close(r.se[0], testutil_num(ref, row, "se"), REL, ABS);
    assert_close(r.stat[0], testutil_num(ref, row, "stat"), REL, ABS);
    assert_close(r.pval[0], testutil_num(ref, row, "pval"), REL, ABS);
    assert_close(r.ci_lb[0], testutil_num(ref, row, "ci_lb"), REL, ABS);
    assert_close(r.ci_ub[0], testutil_num(ref, row, "ci_ub"), REL, ABS);
    assert_close(r.sigma2_cluster, testutil_num(ref, row, "sigma2_cluster"), REL, ABS);
    assert_close(r.sigma2_obs, testutil_num(ref, row, "sigma2_obs"), REL, ABS);
    assert_close(r.Q, testutil_num(ref, row, "Q"), REL, 0);
    assert_close(r.Q_p, testutil_num(ref, row, "Q_p"), REL, 0);
    assert_close(r.logLik, testutil_num(ref, row, "logLik"), REL, ABS);
    assert_close(r.rve_se[0], testutil_num(ref, row, "rve_se"), REL, ABS);
    assert_close(r.rve_df[0], testutil_num(ref, row, "rve_df"), REL, ABS);
    assert_close(r.rve_p[0], testutil_num(ref, row, "rve_p"), REL, ABS);
    assert_close(r.rve_ci_lb[0], testutil_num(ref, row, "rve_ci_lb"), REL, ABS);
    assert_close(r.rve_ci_ub[0], testutil_num(ref, row, "rve_ci_ub"), REL, ABS);
    assert_string_equal(r.note, "");
    ma_mv_clear(&r);
    ma_table_free(ref);
    kfree(&d);
}

static void test_multilevel_reference(void **state)
{
    (void)state;
    check_reference("multilevel", NAN);
}

static void test_che_reference(void **state)
{
    (void)state;
    check_reference("che", 0.6);
}

/* ML and the profile-likelihood CIs: R
 *   rma.mv(yi, vi, random = ~ 1 | cluster/obs, method = "ML") and
 *   confint(rma.mv(..., method = "REML"), control = list(tol = 1e-10)). */
static void test_ml_and_profile_ci(void **state)
{
    kdata_t d = load_konstantopoulos();
    ma_mv_data_t md = mvdata(&d);
    ma_mv_opts_t o;
    ma_mv_t r;
    ma_error_t err;
    (void)state;
    ma_mv_opts_init(&o);
    o.method = MA_MV_ML;
    o.sigma2_ci = 0;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_close(r.b[0], 0.1844553839656, 1e-7, 0);
    assert_close(r.se[0], 0.0804816821656, 1e-7, 0);
    assert_close(r.sigma2_cluster, 0.0577383588585, 1e-6, 0);
    assert_close(r.sigma2_obs, 0.0328647918614, 1e-6, 0);
    assert_close(r.logLik, -8.3949355712630, 1e-9, 0);
    ma_mv_clear(&r);
    ma_mv_opts_init(&o);
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_close(r.sigma2_cluster_lb, 0.0222396907, 1e-7, 0);
    assert_close(r.sigma2_cluster_ub, 0.2072416192, 1e-7, 0);
    assert_close(r.sigma2_obs_lb, 0.0162652550, 1e-7, 0);
    assert_true(r.sigma2_obs_ub > r.sigma2_obs); /* R fails to find this bound */
    ma_mv_clear(&r);
    kfree(&d);
}

/* Rows in any order, clusters numbered any way: the same fit. */
static void test_order_invariance(void **state)
{
    kdata_t d = load_konstantopoulos();
    ma_mv_data_t md = mvdata(&d), mr;
    ma_mv_opts_t o;
    ma_mv_t a, b;
    ma_error_t err;
    size_t i, k = d.r.k;
    double *yi = malloc(k * sizeof *yi), *vi = malloc(k * sizeof *vi);
    size_t *cl = malloc(k * sizeof *cl), *ob = malloc(k * sizeof *ob);
    (void)state;
    assert_true(yi && vi && cl && ob);
    for (i = 0; i < k; i++) { /* reversed rows, cluster ids reversed */
        yi[i] = d.r.yi[k - 1 - i];
        vi[i] = d.r.vi[k - 1 - i];
        cl[i] = d.nclusters - 1 - d.cluster[k - 1 - i];
        ob[i] = d.obs[k - 1 - i];
    }
    mr = md;
    mr.yi = yi;
    mr.vi = vi;
    mr.cluster = cl;
    mr.obs = ob;
    ma_mv_opts_init(&o);
    o.rho = 0.4;
    o.sigma2_ci = 0;
    assert_int_equal(ma_mv_fit(&md, &o, &a, &err), MA_OK);
    assert_int_equal(ma_mv_fit(&mr, &o, &b, &err), MA_OK);
    assert_close(b.b[0], a.b[0], 1e-10, 0);
    assert_close(b.sigma2_cluster, a.sigma2_cluster, 1e-9, 0);
    assert_close(b.rve_df[0], a.rve_df[0], 1e-9, 0);
    assert_close(b.logLik, a.logLik, 1e-12, 0);
    ma_mv_clear(&a);
    ma_mv_clear(&b);
    free(yi);
    free(vi);
    free(cl);
    free(ob);
    kfree(&d);
}

/* tests/cli/data/dependent.csv: clusters t1 (3 rows), t2, t3 (2 rows), t4. */
static const double DEP_YI[] = {0.69064877458557705, 0.40532202038008097,
                                0.15669236055399105, 0.55496164803548453,
                                0.10936438069954627, 0.37453918382654472,
                                0.56693214778565071};
static const double DEP_VI[] = {0.10596244662295699, 0.1020535742525624,
                                0.10030690619819978, 0.13413412522779988,
                                0.080119605677657954, 0.081402796002214547,
                                0.17336275125401771};
static const size_t DEP_CL[] = {0, 0, 0, 1, 2, 2, 3};
static const size_t ROWS[] = {0, 1, 2, 3, 4, 5, 6, 7};

/* A moderator (region: other = reference, spine), CHE rho = 0.6; sigma2_cluster on the
 * boundary (R: 1.6e-12). */
static void test_moderator_che(void **state)
{
    double X[14];
    static const int spine[] = {1, 1, 1, 0, 1, 1, 0};
    ma_mv_data_t md;
    ma_mv_opts_t o;
    ma_mv_t r;
    ma_error_t err;
    size_t i;
    (void)state;
    for (i = 0; i < 7; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = spine[i];
    }
    memset(&md, 0, sizeof md);
    md.k = 7;
    md.yi = DEP_YI;
    md.vi = DEP_VI;
    md.cluster = DEP_CL;
    md.nclusters = 4;
    md.obs = ROWS;
    md.X = X;
    md.p = 2;
    ma_mv_opts_init(&o);
    o.rho = 0.6;
    o.sigma2_ci = 0;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_close(r.b[0], 0.56022981873713, 1e-6, 0);
    assert_close(r.b[1], -0.24291746140762, 1e-6, 0);
    assert_close(r.se[0], 0.284046634149633, 1e-6, 0);
    assert_close(r.se[1], 0.342923731236469, 1e-6, 0);
    assert_close(r.sigma2_cluster, 1.61415158746421e-12, 0, 1e-9);
    assert_close(r.sigma2_obs, 0.00996648872817955, 1e-5, 0);
    assert_close(r.QM, 0.501790444461549, 1e-6, 0);
    assert_close(r.Q, 4.7327013651279, 1e-9, 0);
    assert_close(r.rve_se[0], 0.00594213880065148, 1e-5, 0);
    assert_close(r.rve_se[1], 0.0834022039447067, 1e-6, 0);
    assert_close(r.rve_df[0], 1, 1e-6, 0);
    assert_close(r.rve_df[1], 1.75666909754976, 1e-6, 0);
    assert_close(r.rve_p[1], 0.116564311233886, 1e-6, 0);
    assert_non_null(strstr(r.note, "unreliable")); /* 4 clusters, df 1 */
    ma_mv_clear(&r);
}

/* A multi-arm trial: rows 1 and 3 compare the IASTM arm with stretching, row 2 with sham
 * (shared IASTM arm); vcalc(..., grp1, grp2, w1 = n1, w2 = n2). R evaluated at the
 * components found here (its optimiser stops on the boundary without convergence). */
static void test_shared_arm(void **state)
{
    static const double yi[] = {0.69212148731344136, 0.4747543823286185,
                                0.15686267471684404, 0.55496164803548453,
                                0.10936438069954627, 0.37453918382654472,
                                0.56693214778565071, 0.5640020463017088};
    static const double vi[] = {0.11185861020293675, 0.098137780258595791,
                                0.1058793173808098, 0.13413412522779988,
                                0.080119605677657954, 0.081402796002214547,
                                0.17336275125401771, 0.06931748590193762};
    static const double n1[] = {20, 20, 20, 15, 25, 25, 12, 30};
    static const double n2[] = {18, 22, 18, 16, 25, 25, 12, 30};
    static const size_t cl[] = {0, 0, 0, 1, 2, 2, 3, 4};
    static const size_t g1[] = {0, 0, 0, 0, 0, 0, 0, 0};
    static const size_t g2[] = {1, 2, 1, 3, 3, 3, 3, 3};
    ma_mv_data_t md;
    ma_mv_opts_t o;
    ma_mv_t r;
    ma_error_t err;
    (void)state;
    memset(&md, 0, sizeof md);
    md.k = 8;
    md.yi = yi;
    md.vi = vi;
    md.cluster = cl;
    md.nclusters = 5;
    md.obs = ROWS;
    md.grp1 = g1;
    md.grp2 = g2;
    md.w1 = n1;
    md.w2 = n2;
    ma_mv_opts_init(&o);
    o.rho = 0.6;
    o.sigma2_ci = 0;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_close(r.sigma2_cluster, 0, 0, 1e-10);
    assert_close(r.sigma2_obs, 0.007320329071399229, 1e-6, 0);
    assert_close(r.b[0], 0.442510369686659, 1e-9, 0);
    assert_close(r.se[0], 0.133733400509249, 1e-9, 0);
    assert_close(r.logLik, -0.507463407637029, 1e-9, 0);
    assert_close(r.rve_se[0], 0.0725601780331407, 1e-8, 0);
    assert_close(r.rve_df[0], 3.42678333317418, 1e-8, 0);
    ma_mv_clear(&r);
}

static void test_bad_input(void **state)
{
    ma_mv_data_t md;
    ma_mv_opts_t o;
    ma_mv_t r;
    ma_error_t err;
    static const size_t one[] = {0, 0, 0};
    static const size_t same_obs[] = {0, 0, 1, 2, 3, 4, 5};
    double X[14];
    size_t i;
    (void)state;
    memset(&md, 0, sizeof md);
    md.k = 7;
    md.yi = DEP_YI;
    md.vi = DEP_VI;
    md.cluster = DEP_CL;
    md.nclusters = 4;
    md.obs = ROWS;
    ma_mv_opts_init(&o);
    o.rho = 1;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EUSAGE);
    o.rho = -1;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EUSAGE);
    o.rho = -0.9; /* three rows of t1 with rho = -0.9: V block not positive definite */
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "not positive definite"));
    o.rho = 0.5;
    md.obs = same_obs; /* CHE: two rows of t1 with one obs and one arm correlate 1 */
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EINPUT);
    o.rho = NAN; /* the multilevel model has V = diag(vi): the same rows can be fitted */
    o.sigma2_ci = 0;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_OK);
    assert_int_equal(r.nobs, 6);
    ma_mv_clear(&r);
    md.obs = ROWS;
    md.k = 3; /* one cluster */
    md.cluster = one;
    md.nclusters = 1;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "2 clusters"));
    md.k = 7;
    md.cluster = DEP_CL;
    md.nclusters = 4;
    for (i = 0; i < 7; i++) { /* a constant moderator beside the intercept */
        X[2 * i] = 1;
        X[2 * i + 1] = 2;
    }
    md.X = X;
    md.p = 2;
    assert_int_equal(ma_mv_fit(&md, &o, &r, &err), MA_EINPUT);
    assert_non_null(strstr(err.msg, "rank deficient"));
}

static void test_group_ids(void **state)
{
    static const char *v[] = {"b", "a", "b", "c", "a", "b"};
    size_t id[6], ng;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_group_ids(v, 6, id, &ng, &err), MA_OK);
    assert_int_equal(ng, 3);
    assert_int_equal(id[0], 0);
    assert_int_equal(id[1], 1);
    assert_int_equal(id[2], 0);
    assert_int_equal(id[3], 2);
    assert_int_equal(id[4], 1);
    assert_int_equal(id[5], 0);
    assert_int_equal(ma_group_ids(v, 0, id, &ng, &err), MA_OK);
    assert_int_equal(ng, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multilevel_reference),
        cmocka_unit_test(test_che_reference),
        cmocka_unit_test(test_ml_and_profile_ci),
        cmocka_unit_test(test_order_invariance),
        cmocka_unit_test(test_moderator_che),
        cmocka_unit_test(test_shared_arm),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_group_ids),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
