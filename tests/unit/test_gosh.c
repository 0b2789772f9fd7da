/* Unit tests for GOSH (gosh.c) against R metafor 3.8-1's gosh(), plus brute-force checks
 * of the table method, thread independence, random subsets and the --all file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/gosh.h"
#include "iastm/plot.h"
#include "core/quantile.h"
#include "core/rng.h"

#define REL 1e-10 /* required: 1e-8 on the means */

/* Expected colMeans(sav$res): k, QE, I2, H2, tau2, estimate. */
static void check_means(const ma_gosh_t *r, const double *want)
{
    assert_close(r->mean_k, want[0], REL, 0);
    assert_close(r->mean_Q, want[1], REL, 0);
    assert_close(r->mean_I2, want[2], REL, 0);
    assert_close(r->mean_H2, want[3], REL, 0);
    assert_close(r->mean_tau2, want[4], REL, 1e-15);
    assert_close(r->mean_estimate, want[5], REL, 0);
}

static void run(const testutil_data_t *d, ma_method_t m, unsigned threads, ma_gosh_t *r)
{
    ma_gosh_opts_t o;
    ma_error_t err;
    ma_gosh_opts_init(&o);
    o.method = m;
    o.run.threads = threads;
    o.run.progress = NULL;
    assert_int_equal(ma_gosh(d->yi, d->vi, d->k, &o, r, &err), MA_OK);
}

static void test_bcg_dl(void **state)
{
    /* dat <- read.csv("bcg.csv"); sav <- gosh(rma(yi, vi, data=dat, method="DL"))
     * sprintf("%.17g", colMeans(sav$res)) */
    static const double want[6] = {6.500793553900623, 58.759927147272094, 83.269777732938508,
                                   10.346394632406088, 0.30718769318189842,
                                   -0.71134352182545124};
    /* sprintf("%.17g", quantile(sav$res$estimate, c(0,.025,.25,.5,.75,.975,1))), and the
     * same for I2 and tau2 */
    static const double q[3][7] = {
        {-1.62089822359839, -1.1342962823134122, -0.83758040302640191, -0.71049134308560413,
         -0.58272254174030236, -0.3008640277164597, 0.44591340057137901},
        {0, 37.231584950809591, 78.671182216033998, 87.706890815518577, 93.46742916593081,
         96.21987730799674, 98.865341822740334},
        {0, 0.039998256162721971, 0.18734823610355766, 0.27720832244319793,
         0.40386459493106175, 0.77054824582845338, 1.7580935985154047}};
    testutil_data_t d = testutil_data_load("bcg.csv", 100, NULL, NULL);
    ma_gosh_t r;
    int j, i;
    (void)state;
    run(&d, MA_METHOD_DL, 2, &r);
    assert_int_equal(r.exact, 1);
    assert_true(r.subsets == 8191);
    assert_true(r.failed == 0);
    check_means(&r, want);
    assert_int_equal(r.q_sampled, 0);
    for (j = 0; j < 3; j++)
        for (i = 0; i < 7; i++)
            assert_close(r.q[j][i], q[j][i], 1e-12, 1e-14);
    testutil_data_free(&d);
}

static void test_bcg_fe(void **state)
{
    /* sav <- gosh(rma(yi, vi, data=dat, method="FE")); colMeans(sav$res) */
    static const double want[6] = {6.500793553900623, 58.759927147272094, 83.269777732938508,
                                   10.346394632406088, 0, -0.51489370579767524};
    testutil_data_t d = testutil_data_load("bcg.csv", 100, NULL, NULL);
    ma_gosh_t r;
    (void)state;
    run(&d, MA_METHOD_FE, 1, &r);
    check_means(&r, want);
    testutil_data_free(&d);
}

static void test_bcg8_reml(void **state)
{
    /* sav <- gosh(rma(yi, vi, data=dat[1:8,], method="REML",
     *                 control=list(threshold=1e-12, maxiter=1000))); colMeans(sav$res)
     * (a full fit of each subset; I2 and H2 from tau2) */
    static const double want[6] = {4.0156862745098039, 44.676036782647707, 72.042375175918878,
                                   12.165818040822975, 0.32167585474881422,
                                   -0.91535544033117477};
    testutil_data_t d = testutil_data_load("bcg.csv", 8, NULL, NULL);
    ma_gosh_t r;
    (void)state;
    run(&d, MA_METHOD_REML, 2, &r);
    assert_true(r.subsets == 255);
    /* REML tau2 converged to 1e-12: compare at 1e-8 */
    assert_close(r.mean_k, want[0], 1e-12, 0);
    assert_close(r.mean_Q, want[1], 1e-10, 0);
    assert_close(r.mean_I2, want[2], 1e-8, 0);
    assert_close(r.mean_H2, want[3], 1e-8, 0);
    assert_close(r.mean_tau2, want[4], 1e-8, 0);
    assert_close(r.mean_estimate, want[5], 1e-8, 0);
    testutil_data_free(&d);
}

static void test_normand_dl(void **state)
{
    /* n <- read.csv("normand1999.smd.es.csv"); colMeans(gosh(rma(yi, vi, data=n,
     * method="DL"))$res) */
    static const double want[6] = {4.5088062622309195, 55.527672959671634, 82.288136043784689,
                                   15.593931152474076, 0.66829155822401531,
                                   -0.52964573189765052};
    testutil_data_t d = testutil_data_load("normand1999.smd.es.csv", 100, NULL, NULL);
    ma_gosh_t r;
    (void)state;
    run(&d, MA_METHOD_DL, 3, &r);
    check_means(&r, want);
    testutil_data_free(&d);
}

static void test_raudenbush_dl(void **state)
{
    /* r <- read.csv("raudenbush1985.csv"); colMeans(gosh(rma(yi, vi, data=r,
     * method="DL"))$res)   (524287 subsets; 25 s in R) */
    static const double want[6] = {9.5000181198465725, 17.250785627961527, 44.770325517626802,
                                   2.0349119218654343, 0.031468914112116088,
                                   0.098852467946884792};
    testutil_data_t d = testutil_data_load("raudenbush1985.csv", 100, NULL, NULL);
    ma_gosh_t r;
    (void)state;
    assert_int_equal((int)d.k, 19);
    run(&d, MA_METHOD_DL, 2, &r);
    assert_true(r.subsets == 524287);
    check_means(&r, want);
    testutil_data_free(&d);
}

/* Direct two-pass computation of one subset, as metafor's closed forms. */
static void direct(const double *y, const double *v, size_t k, uint64_t mask, double *est,
                   double *I2, double *tau2, double *Q)
{
    double sw = 0, swy = 0, sw2 = 0, mu, q = 0, a = 0, b = 0;
    size_t i;
    int m = 0;
    for (i = 0; i < k; i++)
        if ((mask >> i) & 1) {
            sw += 1 / v[i];
            swy += y[i] / v[i];
            sw2 += 1 / (v[i] * v[i]);
            m++;
        }
    mu = swy / sw;
    for (i = 0; i < k; i++)
        if ((mask >> i) & 1)
            q += (y[i] - mu) * (y[i] - mu) / v[i];
    *Q = m > 1 ? q : 0;
    *I2 = m > 1 ? fmax(0, 100 * (q - (m - 1)) / q) : 0;
    *tau2 = m > 1 ? fmax(0, (q - (m - 1)) / (sw - sw2 / sw)) : 0;
    for (i = 0; i < k; i++)
        if ((mask >> i) & 1) {
            a += 1 / (v[i] + *tau2);
            b += y[i] / (v[i] + *tau2);
        }
    *est = b / a;
}

/* Random data with a large common offset: the centring keeps Q exact. */
static testutil_data_t random_data(size_t k, uint64_t seed, double offset)
{
    testutil_data_t d = {0};
    ma_rng_t g;
    size_t i;
    d.k = k;
    d.yi = malloc(k * sizeof *d.yi);
    d.vi = malloc(k * sizeof *d.vi);
    assert_non_null(d.yi);
    assert_non_null(d.vi);
    ma_rng_init(&g, seed, 0);
    for (i = 0; i < k; i++) {
        d.vi[i] = 0.01 + 0.2 * ma_rng_uniform(&g);
        d.yi[i] = offset + 0.3 + sqrt(d.vi[i] + 0.05) * ma_rng_normal(&g);
    }
    return d;
}

static void test_brute_force(void **state)
{
    testutil_data_t d = random_data(14, 3, 100);
    ma_gosh_t r;
    double s_est = 0, s_I2 = 0, s_tau2 = 0, s_Q = 0, n = 0;
    uint64_t mask;
    (void)state;
    run(&d, MA_METHOD_DL, 2, &r);
    for (mask = 1; mask < (1ULL << d.k); mask++) {
        double est, I2, tau2, Q;
        direct(d.yi, d.vi, d.k, mask, &est, &I2, &tau2, &Q);
        s_est += est;
        s_I2 += I2;
        s_tau2 += tau2;
        s_Q += Q;
        n++;
    }
    assert_close(r.mean_estimate, s_est / n, 1e-12, 0);
    assert_close(r.mean_I2, s_I2 / n, 1e-9, 0);
    assert_close(r.mean_tau2, s_tau2 / n, 1e-9, 0);
    assert_close(r.mean_Q, s_Q / n, 1e-10, 0);
    testutil_data_free(&d);
}

static void test_threads(void **state)
{
    testutil_data_t d = random_data(18, 5, 0);
    ma_gosh_t a, b;
    int j, i;
    (void)state;
    run(&d, MA_METHOD_DL, 1, &a);
    run(&d, MA_METHOD_DL, 7, &b);
    assert_int_equal(b.threads, 7);
    assert_close(a.mean_estimate, b.mean_estimate, 1e-14, 0);
    assert_close(a.mean_I2, b.mean_I2, 1e-14, 0);
    assert_close(a.mean_tau2, b.mean_tau2, 1e-14, 0);
    for (j = 0; j < 3; j++)
        for (i = 0; i < 7; i++)
            assert_true(a.q[j][i] == b.q[j][i]);
    testutil_data_free(&d);
}

static void test_random_subsets(void **state)
{
    testutil_data_t d = random_data(20, 9, 0);
    ma_gosh_opts_t o;
    ma_gosh_t a, b, ex;
    ma_error_t err;
    (void)state;
    ma_gosh_opts_init(&o);
    o.run.progress = NULL;
    o.subsets = 200000; /* < 2^20 - 1: random subsets */
    o.seed = 11;
    o.run.threads = 1;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &a, &err), MA_OK);
    o.run.threads = 3;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &b, &err), MA_OK);
    assert_int_equal(a.exact, 0);
    assert_true(a.subsets == 200000);
    assert_close(a.mean_estimate, b.mean_estimate, 1e-13, 0);
    assert_close(a.mean_tau2, b.mean_tau2, 1e-13, 0);
    assert_true(a.q[MA_GOSH_I2][3] == b.q[MA_GOSH_I2][3]);
    /* random subsets estimate the all-subsets means (sizes ~ binomial(20, 1/2)) */
    run(&d, MA_METHOD_DL, 2, &ex);
    assert_close(a.mean_k, ex.mean_k, 0.01, 0);
    assert_close(a.mean_I2, ex.mean_I2, 0.02, 0);
    assert_close(a.mean_estimate, ex.mean_estimate, 0.02, 0.01);
    /* metafor's rule: all subsets when 2^k - 1 <= subsets */
    o.subsets = (1ULL << 20) - 1;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &b, &err), MA_OK);
    assert_int_equal(b.exact, 1);
    testutil_data_free(&d);
}

static void test_quantile_sample(void **state)
{
    testutil_data_t d = random_data(16, 4, 0);
    ma_gosh_opts_t o;
    ma_gosh_t a, s;
    ma_error_t err;
    (void)state;
    ma_gosh_opts_init(&o);
    o.run.progress = NULL;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &a, &err), MA_OK);
    o.q_cap = 1 << 12;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &s, &err), MA_OK);
    assert_int_equal(s.q_sampled, 1);
    assert_true(s.q_n > 3000 && s.q_n < 6000);
    assert_close(s.mean_I2, a.mean_I2, 1e-14, 0); /* means always from every subset */
    assert_close(s.q[MA_GOSH_EST][3], a.q[MA_GOSH_EST][3], 0.05, 0.01);
    testutil_data_free(&d);
}

static void test_all_file(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", 6, NULL, NULL);
    ma_gosh_opts_t o;
    ma_gosh_t r;
    ma_error_t err;
    FILE *f = tmpfile();
    char line[512];
    int n = 0;
    (void)state;
    assert_non_null(f);
    ma_gosh_opts_init(&o);
    o.method = MA_METHOD_DL;
    o.run.progress = NULL;
    o.run.threads = 2;
    o.all = f;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "subset,k,estimate,I2,H2,tau2,Q,method\n");
    while (fgets(line, sizeof line, f)) {
        n++;
        if (n == 1) /* study 1 alone */
            assert_int_equal(strncmp(line, "100000,1,", 9), 0);
        /* every row names its method */
        assert_string_equal(line + strlen(line) - 4, ",DL\n");
        if (n == 63) { /* every study: the DL fit of studies 1-6 */
            double est, I2, H2, tau2, Q, e2, i2, t2, q2;
            assert_int_equal(sscanf(line, "111111,6,%lf,%lf,%lf,%lf,%lf", &est, &I2, &H2,
                                    &tau2, &Q), 5);
            direct(d.yi, d.vi, d.k, 63, &e2, &i2, &t2, &q2);
            assert_close(est, e2, 1e-12, 0);
            assert_close(I2, i2, 1e-12, 0);
            assert_close(H2, q2 / 5, 1e-12, 0);
            assert_close(tau2, t2, 1e-12, 0);
            assert_close(Q, q2, 1e-12, 0);
        }
    }
    assert_int_equal(n, 63);
    fclose(f);
    testutil_data_free(&d);
}

/* The default method is the pooling default (REML, as iastm pool and metafor's rma). */
static void test_default_method(void **state)
{
    ma_gosh_opts_t o;
    (void)state;
    ma_gosh_opts_init(&o);
    assert_int_equal(o.method, MA_METHOD_REML);
}

/* The plot grid: every fitted subset lands in one bin; with few subsets the pairs are
 * kept, equal to the fits of the --all file, in bitmask order; with more subsets than
 * max_points only the grid. */
static void test_grid(void **state)
{
    testutil_data_t d = testutil_data_load("bcg.csv", 6, NULL, NULL);
    ma_gosh_opts_t o;
    ma_gosh_grid_t g;
    ma_gosh_t r;
    ma_error_t err;
    uint64_t sum = 0, row0 = 0;
    size_t b, i;
    double lo = d.yi[0], hi = d.yi[0];
    (void)state;
    for (i = 1; i < d.k; i++) {
        lo = d.yi[i] < lo ? d.yi[i] : lo;
        hi = d.yi[i] > hi ? d.yi[i] : hi;
    }
    ma_gosh_opts_init(&o);
    o.method = MA_METHOD_DL;
    o.run.progress = NULL;
    o.run.threads = 2;
    assert_int_equal(ma_gosh_grid_init(&g, 20, 10, 100, &err), MA_OK);
    o.grid = &g;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_close(g.x_lo, lo, 0, 0);
    assert_close(g.x_hi, hi, 0, 0);
    for (b = 0; b < g.nx * g.ny; b++)
        sum += g.count[b];
    for (b = 0; b < g.nx; b++)
        row0 += g.count[b];
    assert_int_equal(sum, 63);
    assert_true(row0 >= 6); /* the single studies have I2 = 0 */
    assert_int_equal(g.np, 63);
    for (i = 0; i < g.np; i++) {
        double e2, i2, t2, q2;
        direct(d.yi, d.vi, d.k, i + 1, &e2, &i2, &t2, &q2);
        assert_close(g.px[i], e2, 1e-12, 1e-14);
        assert_close(g.py[i], i2, 1e-12, 1e-12);
        assert_true(g.px[i] >= lo && g.px[i] <= hi);
    }
    ma_gosh_grid_free(&g);
    assert_int_equal(ma_gosh_grid_init(&g, 20, 10, 62, &err), MA_OK);
    o.grid = &g;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &r, &err), MA_OK);
    assert_int_equal(g.np, 0);
    for (sum = 0, b = 0; b < g.nx * g.ny; b++)
        sum += g.count[b];
    assert_int_equal(sum, 63);
    ma_gosh_grid_free(&g);
    testutil_data_free(&d);
}

/* The plot refuses an empty grid and draws a filled one as points or as a density. */
static void test_plot_script(void **state)
{
    ma_gosh_grid_t g;
    ma_gosh_plot_t p;
    ma_gosh_plot_opts_t o;
    ma_gp_script_t s;
    ma_error_t err;
    (void)state;
    assert_int_equal(ma_gosh_grid_init(&g, 4, 5, 10, &err), MA_OK);
    g.x_lo = -1;
    g.x_hi = 1;
    memset(&p, 0, sizeof p);
    p.grid = &g;
    p.method = "REML";
    p.k = 3;
    p.subsets = 7;
    p.exact = 1;
    ma_gosh_plot_opts_init(&o);
    ma_gp_init(&s);
    assert_int_equal(ma_gosh_plot_script(&p, &o, &s, &err), MA_EUSAGE);
    g.count[0] = 3;
    g.count[19] = 4;
    assert_int_equal(ma_gosh_plot_script(&p, &o, &s, &err), MA_OK);
    assert_non_null(strstr(s.buf, "with image"));
    assert_non_null(strstr(s.buf, "REML, k = 3: all 7 subsets"));
    assert_non_null(strstr(s.buf, "set cbrange [1:4]"));
    ma_gp_clear(&s);
    ma_gosh_grid_free(&g);
}

static void test_errors(void **state)
{
    double y[2] = {0.1, 0.2}, v[2] = {0.1, -1};
    ma_gosh_opts_t o;
    ma_gosh_t r;
    ma_error_t err;
    (void)state;
    ma_gosh_opts_init(&o);
    o.run.progress = NULL;
    assert_int_equal(ma_gosh(y, v, 1, &o, &r, &err), MA_EINPUT);
    assert_int_equal(ma_gosh(y, v, 2, &o, &r, &err), MA_EINPUT);
    /* the bad study named with its column and value, as by the other fits */
    assert_string_equal(err.column, "vi");
    assert_string_equal(err.value, "-1");
    assert_non_null(strstr(err.msg, "study 2"));
    v[1] = 0.1;
    y[0] = NAN;
    assert_int_equal(ma_gosh(y, v, 2, &o, &r, &err), MA_EINPUT);
    assert_string_equal(err.column, "yi");
    assert_non_null(strstr(err.msg, "study 1"));
}

static void test_interrupt(void **state)
{
    testutil_data_t d = random_data(22, 1, 0);
    ma_gosh_opts_t o;
    ma_gosh_t r;
    ma_error_t err;
    static const volatile sig_atomic_t cancel = 1; /* set, as by a Ctrl-C */
    (void)state;
    ma_gosh_opts_init(&o);
    o.run.progress = NULL;
    o.run.cancel = &cancel;
    assert_int_equal(ma_gosh(d.yi, d.vi, d.k, &o, &r, &err), MA_EINTR);
    testutil_data_free(&d);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantiles against a full sort, for sizes on both sides of the sampled-bracket
 * method and for data with many ties (as I2 = 0 and tau2 = 0 in GOSH). */
static void test_quantiles(void **state)
{
    static const double p[] = {0, 0.025, 0.25, 0.5, 0.75, 0.975, 1};
    static const size_t sizes[] = {1, 2, 7, 1000, 200000, 1000003};
    size_t s, i, j;
    (void)state;
    for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (j = 0; j < 3; j++) {
            size_t n = sizes[s];
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), q[7];
            ma_rng_t g;
            assert_non_null(x);
            assert_non_null(y);
            ma_rng_init(&g, 77, s * 3 + j);
            for (i = 0; i < n; i++) {
                double u = ma_rng_uniform(&g);
                x[i] = j == 0 ? ma_rng_normal(&g) : j == 1 ? (u < 0.3 ? 0 : u)
                                                            : (u < 0.5 ? 0 : u < 0.9 ? 1 : u);
                y[i] = x[i];
            }
            qsort(y, n, sizeof *y, cmp_double);
            ma_quantiles(x, n, p, 7, q);
            for (i = 0; i < 7; i++) {
                double h = (double)(n - 1) * p[i], g2 = h - floor(h);
                size_t f = (size_t)floor(h);
                double want = f + 1 < n && g2 > 0 && y[f + 1] != y[f]
                                  ? (1 - g2) * y[f] + g2 * y[f + 1] : y[f];
                assert_true(q[i] == want);
            }
            free(x);
            free(y);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcg_dl),
        cmocka_unit_test(test_bcg_fe),
        cmocka_unit_test(test_bcg8_reml),
        cmocka_unit_test(test_normand_dl),
        cmocka_unit_test(test_raudenbush_dl),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_random_subsets),
        cmocka_unit_test(test_quantile_sample),
        cmocka_unit_test(test_all_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_default_method),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_plot_script),
        cmocka_unit_test(test_interrupt),
        cmocka_unit_test(test_quantiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
