/* Unit tests for the bootstrap (boot.c): the replicates depend only on the seed (not on
 * the number of threads), and the intervals cover the true values about as often as they
 * should on simulated data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/boot.h"
#include "core/rng.h"

static void opts(ma_boot_opts_t *o, ma_boot_type_t type, uint64_t reps, uint64_t seed,
                 unsigned threads)
{
    ma_boot_opts_init(o);
    o->type = type;
    o->reps = reps;
    o->seed = seed;
    o->run.threads = threads;
    o->run.progress = NULL;
}

static void same(const ma_boot_t *a, const ma_boot_t *b)
{
    uint64_t i;
    assert_true(a->reps == b->reps);
    for (i = 0; i < a->reps; i++) {
        assert_memory_equal(&a->est_rep[i], &b->est_rep[i], sizeof(double));
        assert_memory_equal(&a->tau2_rep[i], &b->tau2_rep[i], sizeof(double));
    }
    assert_memory_equal(&a->estimate, &b->estimate, sizeof a->estimate);
    assert_memory_equal(&a->tau2, &b->tau2, sizeof a->tau2);
}

static void test_determinism(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    const double *yi = d.yi, *vi = d.vi;
    size_t k = d.k;
    int type;
    (void)state;
    for (type = 0; type < 2; type++) {
        ma_boot_opts_t o;
        ma_boot_t a, b, c;
        ma_error_t err;
        opts(&o, (ma_boot_type_t)type, 500, 42, 1);
        o.bca = 1;
        assert_int_equal(ma_boot(yi, vi, k, &o, &a, &err), MA_OK);
        o.run.threads = 2;
        assert_int_equal(ma_boot(yi, vi, k, &o, &b, &err), MA_OK);
        o.run.threads = 7;
        assert_int_equal(ma_boot(yi, vi, k, &o, &c, &err), MA_OK);
        assert_int_equal(c.threads, 7);
        same(&a, &b);
        same(&a, &c);
        ma_boot_clear(&b);
        /* another seed gives other replicates */
        o.seed = 43;
        assert_int_equal(ma_boot(yi, vi, k, &o, &b, &err), MA_OK);
        assert_true(a.est_rep[0] != b.est_rep[0]);
        /* the observed values are the REML fit */
        assert_close(a.estimate.observed, -0.71453234215813921, 1e-7, 0);
        assert_true(a.estimate.pct_lb < a.estimate.observed);
        assert_true(a.estimate.pct_ub > a.estimate.observed);
        assert_true(a.tau2.pct_lb >= 0);
        assert_true(a.estimate.bca_lb < a.estimate.bca_ub);
        assert_true(a.failed == 0);
        ma_boot_clear(&a);
        ma_boot_clear(&b);
        ma_boot_clear(&c);
    }
    testutil_data_free(&d);
}

/* Simulated meta-analyses (mu = 0.3, tau2 = 0.05, k = 20): the 95% percentile interval of
 * the estimate should cover mu in roughly 95% of them (bootstrap intervals of a pooled
 * estimate run a little narrow with few studies). */
static void test_coverage(void **state)
{
    enum { NSIM = 200, K = 20 };
    double y[K], v[K], mu = 0.3, tau2 = 0.05;
    int sim, cover_np = 0, cover_p = 0, cover_tau = 0;
    (void)state;
    for (sim = 0; sim < NSIM; sim++) {
        ma_rng_t g;
        ma_boot_opts_t o;
        ma_boot_t r;
        ma_error_t err;
        size_t i;
        ma_rng_init(&g, 2024, (uint64_t)sim);
        for (i = 0; i < K; i++) {
            v[i] = 0.01 + 0.2 * ma_rng_uniform(&g);
            y[i] = mu + sqrt(v[i] + tau2) * ma_rng_normal(&g);
        }
        opts(&o, MA_BOOT_NONPARAM, 400, (uint64_t)sim + 1, 2);
        o.rma.method = MA_METHOD_DL;
        assert_int_equal(ma_boot(y, v, K, &o, &r, &err), MA_OK);
        cover_np += r.estimate.pct_lb <= mu && mu <= r.estimate.pct_ub;
        ma_boot_clear(&r);
        o.type = MA_BOOT_PARAM;
        assert_int_equal(ma_boot(y, v, K, &o, &r, &err), MA_OK);
        cover_p += r.estimate.pct_lb <= mu && mu <= r.estimate.pct_ub;
        cover_tau += r.tau2.pct_lb <= tau2 && tau2 <= r.tau2.pct_ub;
        ma_boot_clear(&r);
    }
    printf("coverage of mu: nonparametric %d/%d, parametric %d/%d; of tau2: %d/%d\n",
           cover_np, NSIM, cover_p, NSIM, cover_tau, NSIM);
    assert_true(cover_np >= 0.85 * NSIM && cover_np <= NSIM);
    assert_true(cover_p >= 0.85 * NSIM && cover_p <= NSIM);
    assert_true(cover_tau >= 0.75 * NSIM);
}

/* The threads of a run: as asked, the CPUs when 0, never more than the units of work,
 * never 0; the bootstrap uses no more threads than replicates. */
static void test_threads(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", SIZE_MAX, NULL, NULL);
    ma_run_opts_t run;
    ma_boot_opts_t o;
    ma_boot_t r;
    ma_error_t err;
    (void)state;
    ma_run_opts_init(&run);
    assert_int_equal(ma_run_threads(&run, 1u << 20), ma_cpu_count());
    assert_int_equal(ma_run_threads(NULL, 1u << 20), ma_cpu_count());
    run.threads = 5;
    assert_int_equal(ma_run_threads(&run, 8), 5);
    assert_int_equal(ma_run_threads(&run, 3), 3);
    assert_int_equal(ma_run_threads(&run, 0), 1);
    opts(&o, MA_BOOT_NONPARAM, 3, 42, 8);
    assert_int_equal(ma_boot(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_int_equal(r.threads, 3);
    ma_boot_clear(&r);
    testutil_data_free(&d);
}

static void test_errors(void **state)
{
    double y[2] = {0.1, 0.2}, v[2] = {0.1, 0.1};
    ma_boot_opts_t o;
    ma_boot_t r;
    ma_error_t err;
    static const volatile sig_atomic_t cancel = 1; /* set, as by a Ctrl-C */
    (void)state;
    opts(&o, MA_BOOT_NONPARAM, 100, 1, 1);
    assert_int_equal(ma_boot(y, v, 1, &o, &r, &err), MA_EINPUT);
    o.reps = 1;
    assert_int_equal(ma_boot(y, v, 2, &o, &r, &err), MA_EUSAGE);
    o.reps = 100000;
    o.run.cancel = &cancel;
    assert_int_equal(ma_boot(y, v, 2, &o, &r, &err), MA_EINTR);
    assert_null(r.est_rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
