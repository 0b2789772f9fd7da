/* Unit tests for the Bayesian random-effects model (bayes.c): closed forms, limits, priors,
 * and bayesmeta's published example.
 *
 * Closed forms used below:
 *  - tau held at t0 by a narrow uniform prior: mu | y ~ N(mu_hat(t0), 1 / sum w), the new
 *    study N(mu_hat, 1 / sum w + t0^2), study i N((1 - B) y_i + B mu_hat,
 *    v_i (1 - B) + B^2 / sum w) with B = v_i / (v_i + t0^2), w_i = 1 / (v_i + t0^2).
 *  - k = 1, flat mu: p(y | tau) is constant (the terms log(v + tau^2) cancel), so the
 *    posterior of tau is the prior, the marginal likelihood is 1, and theta_1 | y ~ N(y, v).
 * Crins et al. (2014), the example of bayesmeta (Röver 2020): log odds ratios of acute
 * rejection from escalc("OR", ai=exp.AR.events, n1i=exp.total, ci=cont.AR.events,
 * n2i=cont.total) (0.5 added to the cells of Gras 2008, which has a zero). With
 * half-normal(0.5) bayesmeta reports tau median 0.345 and mu median -1.583; its mu comes
 * from a discrete mixture over tau (delta = 0.01), so we check mu to 1e-3 there and to
 * 1e-9 against exact base-R quadrature (the R function bm() of tests/unit/bayes_check.R:
 * tau median 0.345402807045527, mu median -1.58350935450340, log Z -7.24598241307579). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>

#include "testutil.h"
#include "iastm/bayes.h"

static const double NORMAND_Y[9] = {-0.355169640940107, -0.347940022739099, -2.31756916016373,
                                    -1.88798225293685, -0.383964141169701, 0.172148669069591,
                                    0.272052073852932, -0.424596271894261, 0.289556230080755};
static const double NORMAND_V[9] = {0.0130646755415297, 0.0644688760988567, 0.0458121102801828,
                                    0.160617735936173, 0.205433278392224, 0.0369105700003619,
                                    0.0602671258364327, 0.0148630384193327, 0.0362717341580545};

static const double CRINS_Y[6] = {-2.30970256076291, -0.459532329378441, -2.30258509299405,
                                  -1.75785791755237, -1.25846098961001, -2.41789593950504};
static const double CRINS_V[6] = {0.359371833839919, 0.309576023391813, 0.775,
                                  0.207816091954023, 0.412159090909091, 2.33726229765834};

static void fit_ok(const double *y, const double *v, size_t k, const ma_bayes_opts_t *o,
                   ma_bayes_t *r)
{
    ma_error_t err;
    ma_error_clear(&err);
    if (ma_bayes_fit(y, v, k, o, r, &err) != MA_OK)
        fail_msg("ma_bayes_fit: %s", err.msg);
}

/* Options holding tau at t0: a uniform prior on [t0, t0 (1 + 1e-9)]. */
static void tau_fixed_opts(ma_bayes_opts_t *o, double t0)
{
    ma_bayes_opts_init(o);
    o->tau_prior.kind = MA_TAU_UNIFORM;
    o->tau_prior.lo = t0;
    o->tau_prior.hi = t0 * (1 + 1e-9);
}

/* A normal summary: median = mean, central interval mean -+ z sd, shortest = central. */
static void check_normal(const ma_post_summary_t *s, double mean, double sd, double rel)
{
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    assert_close(s->mean, mean, rel, 1e-12);
    assert_close(s->sd, sd, rel, 1e-12);
    assert_close(s->median, mean, rel, 1e-9);
    assert_close(s->lb, mean - z * sd, rel, 1e-9);
    assert_close(s->ub, mean + z * sd, rel, 1e-9);
    assert_close(s->slb, mean - z * sd, rel, 1e-7);
    assert_close(s->sub, mean + z * sd, rel, 1e-7);
}

static void test_tau_fixed_limit(void **state)
{
    const double t0 = 0.3, t2 = t0 * t0;
    ma_bayes_opts_t o;
    ma_bayes_t r;
    double sw = 0, swy = 0, mu, vmu;
    size_t i;
    (void)state;
    tau_fixed_opts(&o, t0);
    fit_ok(NORMAND_Y, NORMAND_V, 9, &o, &r);
    for (i = 0; i < 9; i++) {
        sw += 1 / (NORMAND_V[i] + t2);
        swy += NORMAND_Y[i] / (NORMAND_V[i] + t2);
    }
    mu = swy / sw;
    vmu = 1 / sw;
    assert_close(r.tau.median, t0, 1e-9, 0);
    check_normal(&r.mu, mu, sqrt(vmu), 1e-7);
    check_normal(&r.theta, mu, sqrt(vmu + t2), 1e-7);
    assert_close(r.mu_p_gt0, gsl_cdf_ugaussian_Q(-mu / sqrt(vmu)), 1e-7, 0);
    for (i = 0; i < 9; i++) {
        double b = NORMAND_V[i] / (NORMAND_V[i] + t2);
        assert_close(r.shrunk_mean[i], (1 - b) * NORMAND_Y[i] + b * mu, 1e-7, 1e-12);
        assert_close(r.shrunk_sd[i], sqrt(NORMAND_V[i] * (1 - b) + b * b * vmu), 1e-7, 0);
    }
    ma_bayes_free(&r);
}

/* tau held near 0 (uniform on [0, 1e-12], a support far below the data's scale): the
 * common-effect model, mu | y ~ N(sum y_i / v_i / sum 1 / v_i, 1 / sum 1 / v_i). */
static void test_tau_zero_limit(void **state)
{
    ma_bayes_opts_t o;
    ma_bayes_t r;
    double sw = 0, swy = 0;
    size_t i;
    (void)state;
    ma_bayes_opts_init(&o);
    o.tau_prior.kind = MA_TAU_UNIFORM;
    o.tau_prior.lo = 0;
    o.tau_prior.hi = 1e-12;
    fit_ok(CRINS_Y, CRINS_V, 6, &o, &r);
    for (i = 0; i < 6; i++) {
        sw += 1 / CRINS_V[i];
        swy += CRINS_Y[i] / CRINS_V[i];
    }
    assert_true(r.tau.ub <= 1e-12);
    check_normal(&r.mu, swy / sw, sqrt(1 / sw), 1e-9);
    check_normal(&r.theta, swy / sw, sqrt(1 / sw), 1e-9);
    ma_bayes_free(&r);
}

/* Same limit with a normal prior on mu: the prior is one more observation. */
static void test_tau_fixed_mu_prior(void **state)
{
    const double t0 = 0.5, t2 = t0 * t0, m0 = 0.2, s0 = 0.7;
    ma_bayes_opts_t o;
    ma_bayes_t r;
    double sw = 1 / (s0 * s0), swy = m0 / (s0 * s0);
    size_t i;
    (void)state;
    tau_fixed_opts(&o, t0);
    o.mu_normal = 1;
    o.mu_mean = m0;
    o.mu_sd = s0;
    fit_ok(CRINS_Y, CRINS_V, 6, &o, &r);
    for (i = 0; i < 6; i++) {
        sw += 1 / (CRINS_V[i] + t2);
        swy += CRINS_Y[i] / (CRINS_V[i] + t2);
    }
    check_normal(&r.mu, swy / sw, sqrt(1 / sw), 1e-7);
    ma_bayes_free(&r);
}

static void test_k1_prior_is_posterior(void **state)
{
    const double y = 0.4, v = 0.09, s = 0.5;
    ma_bayes_opts_t o;
    ma_bayes_t r;
    double z = gsl_cdf_ugaussian_Pinv(0.975);
    (void)state;
    ma_bayes_opts_init(&o); /* half-normal(0.5) */
    fit_ok(&y, &v, 1, &o, &r);
    assert_close(r.tau.median, s * gsl_cdf_ugaussian_Pinv(0.75), 1e-10, 0);
    assert_close(r.tau.lb, s * gsl_cdf_ugaussian_Pinv(0.5125), 1e-10, 0);
    assert_close(r.tau.ub, s * gsl_cdf_ugaussian_Pinv(0.9875), 1e-10, 0);
    assert_close(r.tau.mean, s * sqrt(2 / M_PI), 1e-10, 0);
    assert_close(r.tau.sd, s * sqrt(1 - 2 / M_PI), 1e-10, 0);
    /* half-normal density decreases from 0: the shortest interval starts there */
    assert_close(r.tau.slb, 0, 0, 1e-12);
    assert_close(r.tau.sub, s * gsl_cdf_ugaussian_Pinv(0.975), 1e-10, 0);
    assert_close(r.log_marglik, 0, 0, 1e-10);
    assert_close(r.mu.median, y, 1e-10, 1e-12);
    assert_close(r.mu.mean, y, 1e-10, 1e-12);
    assert_close(r.mu.sd, sqrt(v + s * s), 1e-9, 0); /* E tau^2 = s^2 */
    assert_close(r.shrunk_mean[0], y, 1e-10, 0);
    assert_close(r.shrunk_sd[0], sqrt(v), 1e-10, 0);
    assert_close(r.shrunk_lb[0], y - z * sqrt(v), 1e-9, 0);
    assert_close(r.shrunk_ub[0], y + z * sqrt(v), 1e-9, 0);
    assert_string_equal(r.note, "");
    ma_bayes_free(&r);
}

/* k = 1 with a half-Cauchy prior: the posterior is the prior, which has no mean. */
static void test_k1_halfcauchy_no_mean(void **state)
{
    const double y = -0.2, v = 0.04;
    ma_bayes_opts_t o;
    ma_bayes_t r;
    (void)state;
    ma_bayes_opts_init(&o);
    o.tau_prior.kind = MA_TAU_HALFCAUCHY;
    o.tau_prior.scale = 1;
    fit_ok(&y, &v, 1, &o, &r);
    assert_close(r.tau.median, 1.0, 1e-9, 0); /* half-Cauchy median = scale */
    assert_close(r.tau.ub, tan(M_PI / 2 * 0.975), 1e-8, 0); /* CDF (2/pi) atan(tau) */
    assert_close(r.tau.slb, 0, 0, 1e-12); /* decreasing from 0 */
    assert_close(r.tau.sub, tan(M_PI / 2 * 0.95), 1e-8, 0);
    assert_true(isnan(r.tau.mean) && isnan(r.tau.sd));
    assert_true(isnan(r.mu.mean));
    assert_true(strstr(r.note, "no mean") != NULL);
    ma_bayes_free(&r);
}

static void test_crins_published(void **state)
{
    ma_bayes_opts_t o;
    ma_bayes_t r;
    (void)state;
    ma_bayes_opts_init(&o);
    fit_ok(CRINS_Y, CRINS_V, 6, &o, &r);
    assert_true(fabs(r.tau.median - 0.345) <= 0.0005);
    assert_true(fabs(r.mu.median - -1.583) <= 0.001);
    assert_close(r.tau.median, 0.345402807045527, 1e-9, 0);
    assert_close(r.tau.lb, 0.0177932562823911, 1e-8, 0);
    assert_close(r.tau.ub, 0.974805316868423, 1e-9, 0);
    assert_close(r.tau.mean, 0.381950244698571, 1e-9, 0);
    assert_close(r.mu.median, -1.58350935450340, 1e-9, 0);
    assert_close(r.mu.lb, -2.25546726344562, 1e-9, 0);
    assert_close(r.mu.ub, -0.943198466138261, 1e-9, 0);
    assert_close(r.theta.lb, -2.79305028520124, 1e-9, 0);
    assert_close(r.mu_p_gt0, 5.55068888361543e-05, 1e-7, 0);
    assert_close(r.log_marglik, -7.24598241307579, 1e-10, 0);
    ma_bayes_free(&r);
}

/* Priors other than the references' (base-R quadrature, tests/unit/bayes_check.R). */
static void test_other_priors(void **state)
{
    static const struct {
        const char *prior;
        double tau_median, tau_ub, mu_median, mu_lb;
    } C[] = {
        {"lomax:0.5:1", 0.899694594220694, 1.652650890276515, -0.534441662462948,
         -1.225014084655038},
        {"halfstudent:0.5:3", 0.852549583431428, 1.468805562602635, -0.533093872096039,
         -1.176687450700882},
        {"uniform:0.1:2", 0.993225722560071, 1.762551620574939, -0.536998714302988,
         -1.291036792961224},
        {"jeffreys", 0.930534396962509, 1.757427008876515, -0.535322276423969,
         -1.254460102427234},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof C / sizeof C[0]; i++) {
        ma_bayes_opts_t o;
        ma_bayes_t r;
        ma_error_t err;
        ma_bayes_opts_init(&o);
        assert_int_equal(ma_tau_prior_parse(C[i].prior, &o.tau_prior, &err), MA_OK);
        fit_ok(NORMAND_Y, NORMAND_V, 9, &o, &r);
        assert_close(r.tau.median, C[i].tau_median, 1e-9, 0);
        assert_close(r.tau.ub, C[i].tau_ub, 1e-9, 0);
        assert_close(r.mu.median, C[i].mu_median, 1e-9, 0);
        assert_close(r.mu.lb, C[i].mu_lb, 1e-9, 0);
        if (o.tau_prior.kind == MA_TAU_JEFFREYS)
            assert_true(isnan(r.log_marglik));
        ma_bayes_free(&r);
    }
}

/* Shortest intervals: the level's mass between bounds of equal density. */
static void test_shortest_interval(void **state)
{
    ma_bayes_opts_t o, o2;
    ma_bayes_t r, r2;
    (void)state;
    ma_bayes_opts_init(&o);
    fit_ok(CRINS_Y, CRINS_V, 6, &o, &r);
    /* never longer than the central interval of the same level (the closed forms of the
     * other tests pin it where it is known: normal, half-normal, half-Cauchy) */
    assert_true(r.mu.sub - r.mu.slb <= r.mu.ub - r.mu.lb);
    assert_true(r.theta.sub - r.theta.slb <= r.theta.ub - r.theta.lb);
    assert_true(r.tau.sub - r.tau.slb <= r.tau.ub - r.tau.lb);
    /* a narrower level gives a nested interval */
    o2 = o;
    o2.level = 0.5;
    fit_ok(CRINS_Y, CRINS_V, 6, &o2, &r2);
    assert_true(r2.mu.slb > r.mu.slb && r2.mu.sub < r.mu.sub);
    assert_close(r2.mu.median, r.mu.median, 1e-12, 0);
    ma_bayes_free(&r);
    ma_bayes_free(&r2);
}

/* A uniform prior whose upper bound B cuts the likelihood: the density rises up to B, so
 * the shortest interval ends at B and every bound stays inside [A, B] (exp(log B) rounds
 * above B, where the prior density is zero). */
static void test_uniform_bound(void **state)
{
    /* very precise, very different studies: tau is far above B = 0.1, and the posterior
     * sits in the last few ulps below B */
    static const double Y[4] = {-50, 80, 10, 0}, V[4] = {1e-6, 2e-6, 1e-6, 1e-6};
    ma_bayes_opts_t o;
    ma_bayes_t r;
    (void)state;
    ma_bayes_opts_init(&o);
    o.tau_prior.kind = MA_TAU_UNIFORM;
    o.tau_prior.lo = 0;
    o.tau_prior.hi = 0.1; /* exp(log 0.1) = 0.10000000000000002 */
    fit_ok(Y, V, 4, &o, &r);
    assert_true(r.tau.ub <= 0.1 && r.tau.sub <= 0.1);
    assert_close(r.tau.sub, 0.1, 1e-12, 0);
    assert_close(r.tau.slb, 0.1, 1e-9, 0);
    assert_close(r.tau.median, 0.1, 1e-9, 0);
    ma_bayes_free(&r);
}

static void test_improper_refused(void **state)
{
    const double y = 0.1, v = 0.05;
    ma_bayes_opts_t o;
    ma_bayes_t r;
    ma_error_t err;
    (void)state;
    ma_bayes_opts_init(&o);
    o.tau_prior.kind = MA_TAU_JEFFREYS;
    assert_int_equal(ma_bayes_fit(&y, &v, 1, &o, &r, &err), MA_EUSAGE);
    assert_true(strstr(err.msg, "improper posterior") != NULL);
    /* a normal prior on mu makes it proper */
    o.mu_normal = 1;
    o.mu_mean = 0;
    o.mu_sd = 1;
    fit_ok(&y, &v, 1, &o, &r);
    assert_true(r.tau.median > 0);
    ma_bayes_free(&r);
}

/* A bad study is named with its column and value, as by the other fits. */
static void test_bad_study(void **state)
{
    double y[3] = {0.1, 0.2, 0.3}, v[3] = {0.05, -1, 0.05};
    ma_bayes_opts_t o;
    ma_bayes_t r;
    ma_error_t err;
    (void)state;
    ma_bayes_opts_init(&o);
    assert_int_equal(ma_bayes_fit(y, v, 3, &o, &r, &err), MA_EINPUT);
    assert_string_equal(err.column, "vi");
    assert_string_equal(err.value, "-1");
    assert_non_null(strstr(err.msg, "study 2"));
    v[1] = 0.05;
    y[2] = NAN;
    assert_int_equal(ma_bayes_fit(y, v, 3, &o, &r, &err), MA_EINPUT);
    assert_string_equal(err.column, "yi");
    assert_non_null(strstr(err.msg, "study 3"));
}

static void test_prior_parse(void **state)
{
    static const char *BAD[] = {"halfnormal:-1", "halfnormal:0", "halfnormal", "halfnormal:1:2",
                                "normal:1", "halfcauchy:abc", "halfstudent:1", "halfstudent:1:0",
                                "lomax:1:-2", "uniform:0:inf", "uniform:1:1", "uniform:-1:2",
                                "jeffreys:1", "halfnormal:1e999", ""};
    ma_tau_prior_t p;
    ma_error_t err;
    char buf[64];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
        if (ma_tau_prior_parse(BAD[i], &p, &err) != MA_EUSAGE)
            fail_msg("'%s' accepted", BAD[i]);
    assert_int_equal(ma_tau_prior_parse("HalfStudent:0.5:4", &p, &err), MA_OK);
    assert_int_equal(p.kind, MA_TAU_HALFSTUDENT);
    assert_close(p.scale, 0.5, 0, 0);
    assert_close(p.df, 4, 0, 0);
    assert_string_equal(ma_tau_prior_format(&p, buf, sizeof buf), "halfstudent:0.5:4");
    assert_int_equal(ma_tau_prior_parse("uniform:0:2", &p, &err), MA_OK);
    assert_string_equal(ma_tau_prior_format(&p, buf, sizeof buf), "uniform:0:2");
}

/* The effort per fit grows linearly with k: the node count stays bounded. */
static void test_large_k(void **state)
{
    size_t k = 2000, i;
    double *y = malloc(k * sizeof *y), *v = malloc(k * sizeof *v);
    ma_bayes_opts_t o;
    ma_bayes_t r;
    (void)state;
    assert_true(y && v);
    for (i = 0; i < k; i++) {
        y[i] = 0.3 * sin((double)i * 1.7) + 0.1;
        v[i] = 0.02 + 0.01 * (double)(i % 7);
    }
    ma_bayes_opts_init(&o);
    fit_ok(y, v, k, &o, &r);
    assert_true(r.nodes < 1000);
    assert_true(r.tau.lb < r.tau.median && r.tau.median < r.tau.ub);
    assert_true(r.mu.lb < r.mu.median && r.mu.median < r.mu.ub);
    ma_bayes_free(&r);
    free(y);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tau_fixed_limit),
        cmocka_unit_test(test_tau_zero_limit),
        cmocka_unit_test(test_tau_fixed_mu_prior),
        cmocka_unit_test(test_k1_prior_is_posterior),
        cmocka_unit_test(test_k1_halfcauchy_no_mean),
        cmocka_unit_test(test_crins_published),
        cmocka_unit_test(test_other_priors),
        cmocka_unit_test(test_shortest_interval),
        cmocka_unit_test(test_uniform_bound),
        cmocka_unit_test(test_improper_refused),
        cmocka_unit_test(test_bad_study),
        cmocka_unit_test(test_prior_parse),
        cmocka_unit_test(test_large_k),
    };
    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
