/* Data audit of reported trial numbers (see include/iastm/audit.h).
 *
 * Rules, each on the numbers as printed (a value printed with D decimals stands for the
 * interval of half a unit of the D-th decimal around it, h = 0.5 * 10^-D):
 *
 * SD or SE. The standardized difference implied by the arms' means and SDs,
 *   d = |m1 - m2| / s_p, s_p^2 = ((n1 - 1) sd1^2 + (n2 - 1) sd2^2) / (n1 + n2 - 2),
 * is suspect above 2.5 (rehabilitation trials rarely reach it; an SE printed as an SD
 * inflates d by about sqrt(n)). With the scale's range R known, an SD below 5% of R is
 * suspect too, and the reason gives the SD it implies when read as an SE (SE * sqrt(n)).
 *
 * GRIM (Brown & Heathers 2016). Scores that are multiples of a step s sum to T * s with T
 * an integer, so the mean of n of them is T * s / n. A printed mean M is possible when an
 * integer T has T * s / n in [M - h, M + h]; the test says nothing when s / n <= 2h.
 *
 * GRIMMER (Anaya 2016). In units of the step, the sum of squares Q = sum u_i^2 is an
 * integer with Q = T (mod 2) (u^2 and u have the same parity), at least the smallest sum
 * of squares of n integers summing to T (all equal to floor(T/n) or one more), and
 * Q = (n - 1) SD^2 + T^2 / n. A printed SD is possible when, for some GRIM-possible T,
 * an integer Q of T's parity and above that minimum lies in the interval the printed SD
 * gives. When every interval is 2 or more wide, parity cannot fail: not testable.
 *
 * p-value. The two-sided p of the two-sample t test (pooled variance, n1 + n2 - 2 df) is
 * computed at the corners of the printed means' and SDs' intervals (t is largest with
 * the means farthest apart and the SDs smallest); the printed p must meet that range.
 *
 * Range. A mean lies within the scale [a, b] (for change scores, [-(b - a), b - a]); the
 * sample SD of n values in [a, b] with mean m is at most sqrt(n / (n - 1) (m - a)(b - m))
 * (the Bhatia-Davis bound on the variance, scaled to the n - 1 denominator). */
#include "iastm/audit.h"

#include <float.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "iastm/num.h"

/* Slack for floating-point representation of printed decimals (relative). */
#define SLACK 1e-9

const char *ma_audit_check_name(ma_audit_check_t c)
{
    static const char *const names[MA_AUDIT_NCHECKS] = {"sd_se", "grim", "grimmer", "p",
                                                        "range"};
    return c < MA_AUDIT_NCHECKS ? names[c] : "?";
}

const char *ma_audit_result_name(ma_audit_result_t r)
{
    switch (r) {
    case MA_AUDIT_PASS:
        return "pass";
    case MA_AUDIT_FLAG:
        return "flag";
    default:
        return "not_checkable";
    }
}

int ma_decimals(const char *text)
{
    const char *p = text;
    int dec = -1, digits = 0;
    while (*p == ' ')
        p++;
    if (*p == '+' || *p == '-')
        p++;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            if (dec >= 0)
                dec++;
        } else if (*p == '.' && dec < 0) {
            dec = 0;
        } else if (*p == ' ') {
            break;
        } else {
            return -1;
        }
    }
    if (digits == 0)
        return -1;
    return dec < 0 ? 0 : dec;
}

static double half_unit(int dec)
{
    return 0.5 * pow(10.0, -dec);
}

/* Integers T with T * step / n within [mean - h, mean + h]: [*lo, *hi] (empty: lo > hi). */
static void grim_totals(double mean, int dec, double n, double step, double *lo, double *hi)
{
    double h = half_unit(dec);
    double a = (mean - h) * n / step, b = (mean + h) * n / step;
    *lo = ceil(a - SLACK * fmax(1.0, fabs(a)));
    *hi = floor(b + SLACK * fmax(1.0, fabs(b)));
}

int ma_grim(double mean, int dec, double n, double step)
{
    double lo, hi;
    if (!(n >= 1) || !(step > 0) || dec < 0 || !isfinite(mean))
        return -1;
    if (step / n <= 2 * half_unit(dec))
        return -1;
    grim_totals(mean, dec, n, step, &lo, &hi);
    return lo <= hi;
}

int ma_grimmer(double mean, int dec, double sd, int sd_dec, double n, double step)
{
    double tlo, thi, t, hs;
    int informative = 0;
    if (ma_grim(mean, dec, n, step) != 1 || !(n >= 2) || n > 1e6 || sd_dec < 0 || !(sd >= 0))
        return -1;
    grim_totals(mean, dec, n, step, &tlo, &thi);
    hs = half_unit(sd_dec);
    for (t = tlo; t <= thi; t++) {
        double s_lo = fmax(0.0, (sd - hs) / step), s_hi = (sd + hs) / step;
        double qa = (n - 1) * s_lo * s_lo + t * t / n, qb = (n - 1) * s_hi * s_hi + t * t / n;
        double qlo = ceil(qa - SLACK * fmax(1.0, qa)), qhi = floor(qb + SLACK * fmax(1.0, qb));
        double a = floor(t / n), r = t - n * a;
        double qmin = n * a * a + r * (2 * a + 1); /* smallest sum of squares for sum t */
        if (qlo < qmin)
            qlo = qmin;
        if (qhi - qlo < 1)
            informative = 1;
        if (qlo > qhi)
            continue;
        if (qhi > qlo || fmod(fabs(qlo - t), 2.0) == 0.0)
            return 1;
    }
    return informative ? 0 : -1;
}

static double t_test_p(double diff, double sd1, double n1, double sd2, double n2)
{
    double df = n1 + n2 - 2;
    double sp2 = ((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / df;
    double se = sqrt(sp2 * (1 / n1 + 1 / n2));
    if (!(se > 0))
        return diff > 0 ? 0.0 : 1.0;
    return 2 * gsl_cdf_tdist_Q(diff / se, df);
}

int ma_audit_p_range(double m1, int m1_dec, double sd1, int sd1_dec, double n1, double m2,
                     int m2_dec, double sd2, int sd2_dec, double n2, double *p_min,
                     double *p_max)
{
    double hm, d, dmax, dmin;
    if (!(n1 >= 2) || !(n2 >= 2) || !(sd1 > 0) || !(sd2 > 0) || m1_dec < 0 || m2_dec < 0 ||
        sd1_dec < 0 || sd2_dec < 0 || !isfinite(m1) || !isfinite(m2))
        return -1;
    hm = half_unit(m1_dec) + half_unit(m2_dec);
    d = fabs(m1 - m2);
    dmax = d + hm;
    dmin = fmax(0.0, d - hm);
    *p_min = t_test_p(dmax, fmax(sd1 - half_unit(sd1_dec), 0.0), n1,
                      fmax(sd2 - half_unit(sd2_dec), 0.0), n2);
    *p_max = t_test_p(dmin, sd1 + half_unit(sd1_dec), n1, sd2 + half_unit(sd2_dec), n2);
    return 0;
}

/* ---- the audit of a dataset --------------------------------------------------------- */

typedef struct {
    const char *m_text, *sd_text;
    double m, sd, n;
    int m_dec, sd_dec;
} arm_t;

typedef struct {
    ma_audit_t *a;
    size_t cap;
} builder_t;

static ma_audit_item_t *add_item(builder_t *b, size_t study, ma_audit_check_t check, int arm)
{
    ma_audit_item_t *it;
    if (b->a->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        ma_audit_item_t *p = realloc(b->a->items, cap * sizeof *p);
        if (!p)
            return NULL;
        b->a->items = p;
        b->cap = cap;
    }
    it = &b->a->items[b->a->n++];
    it->study = study;
    it->check = check;
    it->arm = arm;
    it->result = MA_AUDIT_NA;
    it->reason[0] = '\0';
    return it;
}

static void set_result(ma_audit_item_t *it, ma_audit_result_t r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void set_result(ma_audit_item_t *it, ma_audit_result_t r, const char *fmt, ...)
{
    va_list ap;
    it->result = r;
    va_start(ap, fmt);
    vsnprintf(it->reason, sizeof it->reason, fmt, ap);
    va_end(ap);
}

static const char *arm_name(int arm)
{
    return arm == 1 ? "IASTM arm" : "comparator arm";
}

/* A printed number: its value (NaN when the cell is empty or NA) and decimals. */
static void read_printed(const char *text, double *x, int *dec)
{
    if (ma_parse_double(text, x) != MA_NUM_OK)
        *x = NAN;
    *dec = isnan(*x) ? -1 : ma_decimals(text);
}

/* A scale bound or step: NaN when empty; a malformed value is an input error. */
static ma_status_t read_scale(const ma_dataset_t *d, size_t i, long col, const char *name,
                              double *x, ma_error_t *err)
{
    const char *v = ma_table_cell(d->table, d->s[i].row, col);
    switch (ma_parse_double(v, x)) {
    case MA_NUM_OK:
        return MA_OK;
    case MA_NUM_MISSING:
        *x = NAN;
        return MA_OK;
    default:
        return ma_error_at(err, MA_EINPUT, d->table->path, d->s[i].line, name, v, "%s",
                           ma_num_why(v));
    }
}

static void check_sd_se(ma_audit_item_t *it, const arm_t *arm, double range)
{
    char extra[160] = "";
    double df = arm[0].n + arm[1].n - 2, sp, dsmd;
    int flagged = 0, j;
    if (isnan(arm[0].m) || isnan(arm[1].m) || isnan(arm[0].sd) || isnan(arm[1].sd)) {
        set_result(it, MA_AUDIT_NA, "no means and SDs for both arms");
        return;
    }
    if (!(df > 0)) {
        set_result(it, MA_AUDIT_NA, "group sizes not reported");
        return;
    }
    sp = sqrt(((arm[0].n - 1) * arm[0].sd * arm[0].sd + (arm[1].n - 1) * arm[1].sd * arm[1].sd) /
              df);
    dsmd = fabs(arm[0].m - arm[1].m) / sp;
    if (dsmd > MA_AUDIT_MAX_SMD)
        flagged = 1;
    for (j = 0; j < 2 && isfinite(range); j++) {
        if (arm[j].sd < MA_AUDIT_MIN_SD_RANGE * range) {
            size_t l = strlen(extra);
            snprintf(extra + l, sizeof extra - l,
                     "%s%s SD %s is below %.0f%% of the scale range %g (as an SE: SD %.2f)",
                     "; ", arm_name(j + 1), arm[j].sd_text,
                     100 * MA_AUDIT_MIN_SD_RANGE, range, arm[j].sd * sqrt(arm[j].n));
            flagged = 1;
        }
    }
    set_result(it, flagged ? MA_AUDIT_FLAG : MA_AUDIT_PASS,
               "implied |SMD| %.2f (means %s vs %s, SDs %s and %s)%s%s", dsmd, arm[0].m_text,
               arm[1].m_text, arm[0].sd_text, arm[1].sd_text,
               dsmd > MA_AUDIT_MAX_SMD ? ": above 2.5, an SD may be an SE" : "", extra);
}

static void check_grim(ma_audit_item_t *it, const arm_t *a, double step)
{
    int g;
    double lo, hi;
    if (isnan(a->m)) {
        set_result(it, MA_AUDIT_NA, "no mean");
        return;
    }
    if (!(a->n >= 1)) {
        set_result(it, MA_AUDIT_NA, "group size not reported");
        return;
    }
    if (isnan(step)) {
        set_result(it, MA_AUDIT_NA, "scale_step not known (continuous or not recorded)");
        return;
    }
    g = ma_grim(a->m, a->m_dec, a->n, step);
    if (g < 0) {
        set_result(it, MA_AUDIT_NA, "n = %.0f too large for GRIM at %d decimals", a->n,
                   a->m_dec);
        return;
    }
    if (g == 1) {
        set_result(it, MA_AUDIT_PASS, "mean %s possible for n = %.0f scores in steps of %g",
                   a->m_text, a->n, step);
        return;
    }
    lo = floor(a->m * a->n / step);
    hi = lo + 1;
    set_result(it, MA_AUDIT_FLAG,
               "mean %s impossible for n = %.0f scores in steps of %g: nearest possible "
               "means %.*f and %.*f",
               a->m_text, a->n, step, a->m_dec, lo * step / a->n, a->m_dec, hi * step / a->n);
}

static void check_grimmer(ma_audit_item_t *it, const arm_t *a, double step)
{
    int g;
    if (isnan(a->m) || isnan(a->sd) || !(a->n >= 2) || isnan(step)) {
        set_result(it, MA_AUDIT_NA, isnan(step) ? "scale_step not known" :
                                    "needs a mean, an SD and the group size");
        return;
    }
    if (ma_grim(a->m, a->m_dec, a->n, step) != 1) {
        set_result(it, MA_AUDIT_NA, "mean not testable or already impossible by GRIM");
        return;
    }
    g = ma_grimmer(a->m, a->m_dec, a->sd, a->sd_dec, a->n, step);
    if (g < 0)
        set_result(it, MA_AUDIT_NA, "SD %s printed too coarsely for n = %.0f to test",
                   a->sd_text, a->n);
    else if (g == 1)
        set_result(it, MA_AUDIT_PASS, "SD %s possible with mean %s, n = %.0f", a->sd_text,
                   a->m_text, a->n);
    else
        set_result(it, MA_AUDIT_FLAG,
                   "SD %s impossible with mean %s for n = %.0f scores in steps of %g",
                   a->sd_text, a->m_text, a->n, step);
}

static void check_p(ma_audit_item_t *it, const arm_t *arm, const char *p_text)
{
    double p, pmin, pmax, hp;
    int pdec;
    read_printed(p_text, &p, &pdec);
    if (isnan(p)) {
        set_result(it, MA_AUDIT_NA, "no reported p-value");
        return;
    }
    if (ma_audit_p_range(arm[0].m, arm[0].m_dec, arm[0].sd, arm[0].sd_dec, arm[0].n, arm[1].m,
                         arm[1].m_dec, arm[1].sd, arm[1].sd_dec, arm[1].n, &pmin, &pmax) != 0) {
        set_result(it, MA_AUDIT_NA, "p %s reported without means, SDs and n to recompute it",
                   p_text);
        return;
    }
    hp = pdec >= 0 ? half_unit(pdec) : 0;
    if (p + hp < pmin * (1 - SLACK) || p - hp > pmax * (1 + SLACK))
        set_result(it, MA_AUDIT_FLAG,
                   "reported p %s, but a two-sample t test on the printed means, SDs and n "
                   "gives p between %.3g and %.3g (a different test may explain it)",
                   p_text, pmin, pmax);
    else
        set_result(it, MA_AUDIT_PASS, "reported p %s within the recomputed %.3g to %.3g",
                   p_text, pmin, pmax);
}

static void check_range(ma_audit_item_t *it, const arm_t *a, double lo, double hi)
{
    double hm, hs, m_star, bound;
    if (isnan(lo) || isnan(hi)) {
        set_result(it, MA_AUDIT_NA, "scale range not known");
        return;
    }
    if (isnan(a->m)) {
        set_result(it, MA_AUDIT_NA, "no mean");
        return;
    }
    hm = a->m_dec >= 0 ? half_unit(a->m_dec) : 0;
    if (a->m + hm < lo || a->m - hm > hi) {
        set_result(it, MA_AUDIT_FLAG, "mean %s outside the scale's range [%g, %g]", a->m_text,
                   lo, hi);
        return;
    }
    if (isnan(a->sd) || !(a->n >= 2)) {
        set_result(it, MA_AUDIT_PASS, "mean %s within [%g, %g]", a->m_text, lo, hi);
        return;
    }
    /* the largest SD any mean the printed one stands for allows */
    m_star = fmin(fmax(0.5 * (lo + hi), a->m - hm), a->m + hm);
    bound = sqrt(a->n / (a->n - 1) * (m_star - lo) * (hi - m_star));
    hs = a->sd_dec >= 0 ? half_unit(a->sd_dec) : 0;
    if (a->sd - hs > bound * (1 + SLACK))
        set_result(it, MA_AUDIT_FLAG,
                   "SD %s larger than values in [%g, %g] with mean %s allow (at most %.3g)",
                   a->sd_text, lo, hi, a->m_text, bound);
    else
        set_result(it, MA_AUDIT_PASS, "mean %s and SD %s possible within [%g, %g]",
                   a->m_text, a->sd_text, lo, hi);
}

static ma_status_t audit_row(builder_t *b, const ma_dataset_t *d, size_t i, const long *scol,
                             ma_error_t *err)
{
    const ma_study_t *s = &d->s[i];
    const ma_colkey_t mk[2] = {MA_COL_M1, MA_COL_M2}, sk[2] = {MA_COL_SD1, MA_COL_SD2};
    double smin, smax, step, lo, hi;
    arm_t arm[2];
    ma_audit_item_t *it;
    ma_status_t st;
    int j;

    if ((st = read_scale(d, i, scol[0], "scale_min", &smin, err)) != MA_OK ||
        (st = read_scale(d, i, scol[1], "scale_max", &smax, err)) != MA_OK ||
        (st = read_scale(d, i, scol[2], "scale_step", &step, err)) != MA_OK)
        return st;
    if (!isnan(smin) && !isnan(smax) && !(smin < smax))
        return ma_error_at(err, MA_EINPUT, d->table->path, s->line, "scale_max",
                           ma_table_cell(d->table, s->row, scol[1]),
                           "scale_max must be above scale_min");
    if (!isnan(step) && !(step > 0))
        return ma_error_at(err, MA_EINPUT, d->table->path, s->line, "scale_step",
                           ma_table_cell(d->table, s->row, scol[2]),
                           "scale_step must be positive");
    lo = smin;
    hi = smax;
    if (s->form == MA_FORM_CHANGE_SD && !isnan(smin) && !isnan(smax)) {
        lo = -(smax - smin); /* a change can go either way across the whole range */
        hi = smax - smin;
    }
    for (j = 0; j < 2; j++) {
        arm[j].m_text = ma_table_cell(d->table, s->row, d->col[mk[j]]);
        arm[j].sd_text = ma_table_cell(d->table, s->row, d->col[sk[j]]);
        read_printed(arm[j].m_text, &arm[j].m, &arm[j].m_dec);
        read_printed(arm[j].sd_text, &arm[j].sd, &arm[j].sd_dec);
        arm[j].n = j == 0 ? s->n1 : s->n2;
    }
    if (!(it = add_item(b, i, MA_AUDIT_SD_SE, 0)))
        goto oom;
    check_sd_se(it, arm, isnan(smin) || isnan(smax) ? NAN : smax - smin);
    for (j = 0; j < 2; j++) {
        if (!(it = add_item(b, i, MA_AUDIT_GRIM, j + 1)))
            goto oom;
        check_grim(it, &arm[j], step);
    }
    for (j = 0; j < 2; j++) {
        if (!(it = add_item(b, i, MA_AUDIT_GRIMMER, j + 1)))
            goto oom;
        check_grimmer(it, &arm[j], step);
    }
    if (!(it = add_item(b, i, MA_AUDIT_P, 0)))
        goto oom;
    check_p(it, arm, ma_table_cell(d->table, s->row, d->col[MA_COL_P]));
    for (j = 0; j < 2; j++) {
        if (!(it = add_item(b, i, MA_AUDIT_RANGE, j + 1)))
            goto oom;
        check_range(it, &arm[j], lo, hi);
    }
    return MA_OK;
oom:
    return ma_error_set(err, MA_ENOMEM, "out of memory in the data audit");
}

ma_status_t ma_audit_run(const ma_dataset_t *d, ma_audit_t **out, ma_error_t *err)
{
    builder_t b = {NULL, 0};
    long scol[3];
    size_t i, j;
    ma_status_t st;

    *out = NULL;
    if (!(b.a = calloc(1, sizeof *b.a)))
        return ma_error_set(err, MA_ENOMEM, "out of memory in the data audit");
    scol[0] = ma_table_col(d->table, "scale_min");
    scol[1] = ma_table_col(d->table, "scale_max");
    scol[2] = ma_table_col(d->table, "scale_step");
    for (i = 0; i < d->n; i++) {
        size_t first = b.a->n;
        int flagged = 0;
        if ((st = audit_row(&b, d, i, scol, err)) != MA_OK) {
            ma_audit_free(b.a);
            return st;
        }
        for (j = first; j < b.a->n; j++)
            if (b.a->items[j].result == MA_AUDIT_FLAG) {
                b.a->nflags++;
                flagged = 1;
            }
        b.a->nrows_flagged += (size_t)flagged;
    }
    *out = b.a;
    return MA_OK;
}

void ma_audit_free(ma_audit_t *a)
{
    if (!a)
        return;
    free(a->items);
    free(a);
}
