/* Unit tests for subgroup analysis (subgroup.c) against R metafor 3.8-1. R values not from
 * the reference files come from
 *   d <- read.csv("bcg.csv"); ctl <- list(threshold=1e-12, maxiter=10000, tol=1e-12)
 * with bcg.csv of tests/reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "iastm/subgroup.h"

#define REL 1e-6
#define ABS 1e-9
#define RREL 1e-8

static double max_rel;

static void cmp(double got, double want)
{
    if (fabs(want) > ABS && fabs(got - want) / fabs(want) > max_rel)
        max_rel = fabs(got - want) / fabs(want);
    assert_close(got, want, REL, ABS);
}

/* NAME.subgroup.csv and NAME.subgroup_test.csv (REML, separate tau2 per subgroup) */
static void check_reference(const char *name, const char *by)
{
    char in[256], ref[256], reft[256];
    testutil_data_t d;
    ma_table_t *t, *tt;
    ma_subgroups_t *s;
    ma_error_t err;
    size_t r;
    snprintf(in, sizeof in, "%s.csv", name);
    snprintf(ref, sizeof ref, "%s.subgroup.csv", name);
    snprintf(reft, sizeof reft, "%s.subgroup_test.csv", name);
    d = testutil_data_load(in, SIZE_MAX, NULL, by);
    t = testutil_ref_load(ref);
    tt = testutil_ref_load(reft);
    assert_int_equal(ma_subgroups_fit(d.yi, d.vi, d.g, d.k, NULL, 0, &s, &err), MA_OK);
    assert_int_equal(s->ngroups, t->nrow);
    for (r = 0; r < t->nrow; r++) {
        const ma_subgroup_t *g = &s->g[r];
        size_t i;
        assert_string_equal(g->value, ma_table_cell(t, r, ma_table_col(t, "group")));
        assert_int_equal(g->k, (size_t)testutil_num(t, r, "k"));
        for (i = 0; i < g->k; i++)
            assert_string_equal(d.g[g->members[i]], g->value);
        cmp(g->fit.estimate, testutil_num(t, r, "estimate"));
        cmp(g->fit.se, testutil_num(t, r, "se"));
        cmp(g->fit.ci_lb, testutil_num(t, r, "ci_lb"));
        cmp(g->fit.ci_ub, testutil_num(t, r, "ci_ub"));
        cmp(g->fit.tau2, testutil_num(t, r, "tau2"));
        cmp(g->fit.I2, testutil_num(t, r, "I2"));
        cmp(g->fit.Q, testutil_num(t, r, "Q"));
        cmp(g->fit.Q_p, testutil_num(t, r, "Q_p"));
    }
    cmp(s->Q_between, testutil_num(tt, 0, "Q_between"));
    cmp(s->Q_between_df, testutil_num(tt, 0, "Q_between_df"));
    cmp(s->Q_between_p, testutil_num(tt, 0, "Q_between_p"));
    assert_true(isnan(s->common_tau2));
    assert_int_equal(s->overall.k, d.k);
    ma_subgroups_free(s);

    /* common tau2: the mixed model's */
    assert_int_equal(ma_subgroups_fit(d.yi, d.vi, d.g, d.k, NULL, 1, &s, &err), MA_OK);
    cmp(s->common_tau2, testutil_num(tt, 0, "common_tau2"));
    for (r = 0; r < s->ngroups; r++)
        assert_close(s->g[r].fit.tau2, s->common_tau2, 0, 0);
    ma_subgroups_free(s);
    ma_table_free(t);
    ma_table_free(tt);
    testutil_data_free(&d);
}

static void test_bcg(void **state)
{
    (void)state;
    max_rel = 0;
    check_reference("bcg", "alloc");
    print_message("bcg subgroups: max relative error %.2e\n", max_rel);
}

static void test_raudenbush(void **state)
{
    (void)state;
    max_rel = 0;
    check_reference("raudenbush1985", "tester");
    print_message("raudenbush1985 subgroups: max relative error %.2e\n", max_rel);
}

/* Common tau2 per subgroup:
 *   mm <- rma(yi, vi, mods = ~ factor(alloc), data = d, method = "REML", control = ctl)
 *   rma(yi, vi, data = d[d$alloc == lv, ], tau2 = mm$tau2, control = ctl) */
static void test_common_tau2(void **state)
{
    static const struct {
        double est, se, lb, ub, I2, H2, Q, pilb, piub;
    } want[] = {
        {-0.5179557771553, 0.441194460386783, -1.38268102969198, 0.346769475381378,
         92.5599704846012, 13.440806893713, 5.56251350798383, -1.97961620365829,
         0.943704649347693},
        {-0.965774178545825, 0.267244094065229, -1.48956297799471, -0.441985379096942,
         89.1640809202967, 9.22856651701185, 110.213261175188, -2.25536952068164,
         0.323821163589991},
        {-0.428917560923591, 0.344945367625253, -1.10499805810301, 0.247162936255833,
         85.1794431366112, 6.74738479274218, 16.5918635795357, -1.78751473400201,
         0.929679612154827},
    };
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, "alloc");
    ma_subgroups_t *s;
    ma_error_t err;
    size_t r;
    (void)state;
    assert_int_equal(ma_subgroups_fit(d.yi, d.vi, d.g, d.k, NULL, 1, &s, &err), MA_OK);
    assert_int_equal(s->ngroups, 3);
    assert_close(s->common_tau2, 0.361503664323899, RREL, ABS);
    for (r = 0; r < 3; r++) {
        const ma_rma_t *f = &s->g[r].fit;
        assert_close(f->estimate, want[r].est, RREL, ABS);
        assert_close(f->se, want[r].se, RREL, ABS);
        assert_close(f->ci_lb, want[r].lb, RREL, ABS);
        assert_close(f->ci_ub, want[r].ub, RREL, ABS);
        assert_close(f->I2, want[r].I2, RREL, ABS);
        assert_close(f->H2, want[r].H2, RREL, ABS);
        assert_close(f->Q, want[r].Q, RREL, ABS);
        assert_close(f->pi_lb, want[r].pilb, RREL, ABS);
        assert_close(f->pi_ub, want[r].piub, RREL, ABS);
        assert_true(isnan(f->tau2_lb));
    }
    ma_subgroups_free(s);
    testutil_data_free(&d);
}

/* A subgroup with one study (the last bcg study moved to group "zz"):
 *   g <- d$alloc; g[13] <- "zz"; per group rma(yi, vi, data = d[g == lv, ], "REML");
 *   rma(est, sei = se, method = "FE") over the 4 groups -> Qb, p
 *   rma(yi, vi, mods = ~ factor(g), data = d, method = "REML") -> tau2 */
static void test_singleton(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, "alloc");
    ma_subgroups_t *s;
    ma_error_t err;
    const ma_rma_t *z;
    (void)state;
    d.g[12] = "zz";
    assert_int_equal(ma_subgroups_fit(d.yi, d.vi, d.g, d.k, NULL, 0, &s, &err), MA_OK);
    assert_int_equal(s->ngroups, 4);
    assert_string_equal(s->g[3].value, "zz");
    z = &s->g[3].fit;
    assert_int_equal(z->k, 1);
    assert_close(z->estimate, d.yi[12], 0, 0);
    assert_close(z->se, sqrt(d.vi[12]), 1e-15, 0);
    assert_close(z->tau2, 0, 0, 0);
    assert_close(s->g[2].fit.estimate, -0.5576761784823868, RREL, ABS);
    assert_close(s->g[2].fit.tau2, 0.533775880432852, RREL, ABS);
    assert_close(s->Q_between, 6.21042638367057, RREL, ABS);
    assert_close(s->Q_between_df, 3, 0, 0);
    assert_close(s->Q_between_p, 0.101809464554836, RREL, ABS);
    ma_subgroups_free(s);

    /* common tau2: the singleton's se is sqrt(vi + tau2) (rma(..., tau2 = t) with k = 1) */
    assert_int_equal(ma_subgroups_fit(d.yi, d.vi, d.g, d.k, NULL, 1, &s, &err), MA_OK);
    assert_close(s->common_tau2, 0.377144753992316, RREL, ABS);
    assert_close(s->g[3].fit.se, sqrt(d.vi[12] + s->common_tau2), 1e-15, 0);
    ma_subgroups_free(s);
    testutil_data_free(&d);
}

/* One group: no test for differences; NULL group value refused. */
static void test_edge(void **state)
{
    static const double yi[] = {0.1, 0.3, -0.2}, vi[] = {0.01, 0.02, 0.03};
    const char *g[] = {"a", "a", "a"};
    ma_subgroups_t *s;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_subgroups_fit(yi, vi, g, 3, NULL, 0, &s, &err), MA_OK);
    assert_int_equal(s->ngroups, 1);
    assert_true(isnan(s->Q_between));
    assert_close(s->g[0].fit.estimate, s->overall.estimate, 1e-15, 0);
    ma_subgroups_free(s);
    g[1] = NULL;
    assert_int_equal(ma_subgroups_fit(yi, vi, g, 3, NULL, 0, &s, &err), MA_EINPUT);
    assert_null(s);
    ma_subgroups_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcg),
        cmocka_unit_test(test_raudenbush),
        cmocka_unit_test(test_common_tau2),
        cmocka_unit_test(test_singleton),
        cmocka_unit_test(test_edge),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
