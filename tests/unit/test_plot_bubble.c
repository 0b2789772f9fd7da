/* Unit tests for the meta-regression bubble plot (plot_bubble.c): the confidence band
 * against R metafor 3.8-1's predict(), circle areas, and the script's inert text. R values
 * come from
 *   ctl <- list(threshold=1e-12, tol=1e-12, maxiter=10000)
 *   d <- read.csv("bcg.csv")   # tests/reference: yi, vi of escalc(RR) on dat.bcg
 * (with metafor's default threshold 1e-5, tau2 and so the band differ from these by ~1e-4). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm/model_matrix.h"
#include "iastm/plot.h"
#include "iastm/regress.h"

#define REL 1e-8
#define ABS 1e-10

typedef struct {
    testutil_data_t d; /* yi, vi and the moderator (x) */
    double *X;
    ma_reg_t r;
    ma_bubble_t b;
} model_t;

/* Fit yi ~ mod on a reference data set, as rma(yi, vi, mods = ~ mod, control = ctl). */
static void fit(model_t *m, const char *file, const char *mod, ma_test_t test)
{
    ma_rma_opts_t o;
    ma_error_t err;
    size_t i, k;
    memset(m, 0, sizeof *m);
    m->d = testutil_data_load(file, SIZE_MAX, mod, NULL);
    k = m->d.k;
    m->X = malloc(2 * k * sizeof *m->X);
    assert_non_null(m->X);
    for (i = 0; i < k; i++) {
        m->X[2 * i] = 1;
        m->X[2 * i + 1] = m->d.x[i];
    }
    ma_rma_opts_init(&o);
    o.test = test;
    o.tau2_ci = 0;
    assert_int_equal(ma_regress_fit(m->d.yi, m->d.vi, k, m->X, 2, &o, &m->r, &err), MA_OK);
    m->b.x = m->d.x;
    m->b.yi = m->d.yi;
    m->b.vi = m->d.vi;
    m->b.k = k;
    m->b.fit = &m->r;
    m->b.level = 0.95;
}

static void unfit(model_t *m)
{
    ma_reg_clear(&m->r);
    free(m->X);
    testutil_data_free(&m->d);
}

/* want: pred[3], se[3], ci.lb[3], ci.ub[3] as R prints them with sprintf("%.17g"). */
static void check_band(const model_t *m, const double *x0, const double *want)
{
    double pred[3], se[3], lb[3], ub[3];
    ma_error_t err;
    size_t i;
    assert_int_equal(ma_bubble_predict(&m->b, x0, 3, pred, se, lb, ub, &err), MA_OK);
    for (i = 0; i < 3; i++) {
        assert_close(pred[i], want[i], REL, ABS);
        assert_close(se[i], want[3 + i], REL, ABS);
        assert_close(lb[i], want[6 + i], REL, ABS);
        assert_close(ub[i], want[9 + i], REL, ABS);
    }
}

static void test_band_bcg_ablat_z(void **state)
{
    /* res <- rma(yi, vi, mods = ~ ablat, data = d, control = ctl)
     * p <- predict(res, newmods = c(20, 40, 55))
     * sprintf("%.17g", c(p$pred, p$se, p$ci.lb, p$ci.ub)) */
    static const double x0[3] = {20, 40, 55};
    static const double want[12] = {
        -0.33056629022590373, -0.91260079045876097, -1.3491266656334038,
        0.13397808463080954, 0.12357153701224705, 0.20109813080127253,
        -0.59315851081994975, -1.1547965525170234, -1.7432717593622229,
        -0.067974069631857703, -0.67040502840049854, -0.95498157190458466};
    model_t m;
    (void)state;
    fit(&m, "bcg.csv", "ablat", MA_TEST_Z);
    check_band(&m, x0, want);
    unfit(&m);
}

static void test_band_bcg_ablat_knha(void **state)
{
    /* res <- rma(yi, vi, mods = ~ ablat, data = d, test = "knha", control = ctl)
     * p <- predict(res, newmods = c(20, 40, 55)): t quantile with 11 df */
    static const double x0[3] = {20, 40, 55};
    static const double want[12] = {
        -0.33056629022590373, -0.91260079045876097, -1.3491266656334038,
        0.15271163662914017, 0.140849988338907, 0.22921677647764471,
        -0.6666823362199481, -1.2226095245917756, -1.8536293891047422,
        0.0055497557681406517, -0.60259205632574619, -0.84462394216206538};
    model_t m;
    (void)state;
    fit(&m, "bcg.csv", "ablat", MA_TEST_KNHA);
    check_band(&m, x0, want);
    unfit(&m);
}

static void test_band_bcg_year(void **state)
{
    /* A moderator far from 0: res <- rma(yi, vi, mods = ~ year, data = d, control = ctl)
     * p <- predict(res, newmods = c(1940, 1960, 1980)) */
    static const double x0[3] = {1940, 1960, 1980};
    static const double want[12] = {
        -1.445581059796659, -0.91232810375441886, -0.37907514771218587,
        0.47964604642778474, 0.20906622434667749, 0.26287775768986654,
        -2.3856700361221437, -1.3220903738576777, -0.89430608512097143,
        -0.50549208347117436, -0.50256583365116003, 0.13615578969659969};
    model_t m;
    (void)state;
    fit(&m, "bcg.csv", "year", MA_TEST_Z);
    check_band(&m, x0, want);
    unfit(&m);
}

static void test_band_raudenbush_weeks_knha(void **state)
{
    /* d2 <- read.csv("raudenbush1985.csv")
     * res <- rma(yi, vi, mods = ~ weeks, data = d2, test = "knha", control = ctl)
     * p <- predict(res, newmods = c(0, 10, 24)) */
    static const double x0[3] = {0, 10, 24};
    static const double want[12] = {
        0.19415555183772135, 0.03672851870147803, -0.18366932768926261,
        0.070712341161868641, 0.054343634565101273, 0.11791619928785256,
        0.04496555290934684, -0.077926528060053707, -0.43245076182567177,
        0.34334555076609585, 0.15138356546300977, 0.065112106447146545};
    model_t m;
    (void)state;
    fit(&m, "raudenbush1985.csv", "weeks", MA_TEST_KNHA);
    check_band(&m, x0, want);
    unfit(&m);
}

/* The numbers of datablock `name` (rows of `ncol` columns) into v; returns the rows. */
static size_t datablock(const char *script, const char *name, size_t ncol, double *v,
                        size_t max)
{
    char head[64];
    const char *p;
    size_t rows = 0, j;
    snprintf(head, sizeof head, "%s << EOD\n", name);
    p = strstr(script, head);
    assert_non_null(p);
    p += strlen(head);
    while (strncmp(p, "EOD\n", 4) != 0) {
        for (j = 0; j < ncol; j++) {
            char *end;
            assert_true(rows < max);
            v[rows * ncol + j] = strtod(p, &end);
            assert_true(end != p);
            p = end;
        }
        assert_int_equal(*p, '\n');
        p++;
        rows++;
    }
    return rows;
}

static void test_script_bcg(void **state)
{
    /* weights(res) in R are percent: w_i / sum(w) with w_i = 1/(vi + tau2) */
    static double band[4 * 1000], pts[3 * 100];
    static const ma_plot_excluded_t excl[1] = {{"it's `id` @x\nEOD", 7, "vi missing"}};
    ma_bubble_opts_t o;
    ma_gp_script_t s;
    ma_error_t err;
    model_t m;
    size_t nb, np, i, j;
    double xmin = INFINITY, xmax = -INFINITY, pred, lb, ub;
    (void)state;
    fit(&m, "bcg.csv", "ablat", MA_TEST_Z);
    m.b.excluded = excl;
    m.b.nexcluded = 1;
    ma_bubble_opts_init(&o);
    o.title = "x' ; system 'touch /tmp/x' ; '";
    o.xlabel = "ablat `id`";
    o.ylabel = "Log risk ratio";
    ma_gp_init(&s);
    assert_int_equal(ma_bubble_script(&m.b, &o, &s, &err), MA_OK);
    assert_non_null(strstr(s.buf, "set xlabel 'ablat `id`' offset 0,0.3 noenhanced"));
    assert_non_null(strstr(s.buf, "set label 'x'.\"\\047\".' ; system '.\"\\047\".'touch "
                                  "/tmp/x'.\"\\047\".' ; '.\"\\047\" at"));
    assert_non_null(strstr(s.buf, "'it'.\"\\047\".'s `id` @x EOD (line 7): vi missing'"));

    assert_non_null(strstr(s.buf, "with circles"));
    assert_null(strstr(s.buf, "\nEOD (line"));
    /* The band spans the observed moderator range and agrees with predict(). */
    nb = datablock(s.buf, "$band", 4, band, 1000);
    for (i = 0; i < m.d.k; i++) {
        xmin = fmin(xmin, m.d.x[i]);
        xmax = fmax(xmax, m.d.x[i]);
    }
    assert_true(nb >= 50);
    assert_close(band[0], xmin, 0, 0);
    assert_close(band[4 * (nb - 1)], xmax, 0, 0);
    for (i = 0; i < nb; i++) {
        assert_int_equal(ma_bubble_predict(&m.b, &band[4 * i], 1, &pred, NULL, &lb, &ub,
                                           &err), MA_OK);
        assert_close(band[4 * i + 1], pred, 1e-9, 1e-12);
        assert_close(band[4 * i + 2], lb, 1e-9, 1e-12);
        assert_close(band[4 * i + 3], ub, 1e-9, 1e-12);
    }
    /* One circle per study, largest first; area (radius^2) proportional to the weight
     * for circles above the visibility floor. */
    np = datablock(s.buf, "$studies", 3, pts, 100);
    assert_int_equal(np, m.d.k);
    for (i = 1; i < np; i++)
        assert_true(pts[3 * i + 2] <= pts[3 * (i - 1) + 2]);
    for (i = 0; i < np; i++) {
        double wi = NAN, w0 = NAN;
        for (j = 0; j < m.d.k; j++) {
            if (m.d.x[j] == pts[3 * i] && fabs(m.d.yi[j] - pts[3 * i + 1]) < 1e-9)
                wi = 1 / (m.d.vi[j] + m.r.tau2);
            if (m.d.x[j] == pts[0] && fabs(m.d.yi[j] - pts[1]) < 1e-9)
                w0 = 1 / (m.d.vi[j] + m.r.tau2);
        }
        assert_false(isnan(wi) || isnan(w0));
        if (pts[3 * i + 2] > 0.25 * pts[2])
            assert_close(pts[3 * i + 2] * pts[3 * i + 2] / (pts[2] * pts[2]), wi / w0, 1e-8,
                         0);
    }
    ma_gp_clear(&s);
    unfit(&m);
}

static void test_errors(void **state)
{
    static const double x0 = 1;
    ma_bubble_opts_t o;
    ma_gp_script_t s;
    ma_error_t err;
    model_t m;
    double pred;
    (void)state;
    fit(&m, "bcg.csv", "ablat", MA_TEST_Z);
    ma_bubble_opts_init(&o);
    ma_gp_init(&s);
    m.r.p = 3; /* not a one-moderator fit */
    assert_int_equal(ma_bubble_predict(&m.b, &x0, 1, &pred, NULL, NULL, NULL, &err),
                     MA_EUSAGE);
    assert_int_equal(ma_bubble_script(&m.b, &o, &s, &err), MA_EUSAGE);
    m.r.p = 2;
    m.b.level = 1;
    assert_int_equal(ma_bubble_predict(&m.b, &x0, 1, &pred, NULL, NULL, NULL, &err),
                     MA_EUSAGE);
    m.b.level = 0.95;
    m.b.k = 0;
    assert_int_equal(ma_bubble_script(&m.b, &o, &s, &err), MA_EUSAGE);
    m.b.k = m.d.k;
    o.width_pt = 50;
    assert_int_equal(ma_bubble_script(&m.b, &o, &s, &err), MA_EUSAGE);
    ma_gp_clear(&s);
    unfit(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_bcg_ablat_z),
        cmocka_unit_test(test_band_bcg_ablat_knha),
        cmocka_unit_test(test_band_bcg_year),
        cmocka_unit_test(test_band_raudenbush_weeks_knha),
        cmocka_unit_test(test_script_bcg),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
