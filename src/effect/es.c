/* Effect sizes of one trial row: Hedges' g (metafor's escalc "SMD") or the raw mean
 * difference ("MD"), from each data form a report may use, oriented so that > 0 favours IASTM.
 *
 * Sign rules. Arm-level forms (final_sd, change_sd, final_se, medians) and md_ci / md_se
 * give arm 1 - arm 2 on the printed scale: negated when higher_is_better == 0, as printed
 * when 1 or -1; `direction` is not used. es_reported and t_stat: a value >= 0 with direction
 * favours_iastm / favours_comp is read as a magnitude and signed by the direction; otherwise
 * the value is oriented like an MD and, when a direction is given, must agree with it.
 * p_exact: the sign is the direction's alone (higher_is_better is not used). yi_vi: as given.
 * es_reported is read by its es_kind: d (or not stated), g (kept, not corrected twice), or a
 * (log) odds ratio with its 95% CI converted to d (Chinn 2000); dz and r are refused. */
#include "iastm/es.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* qnorm(0.975), the normal quantile of a 95% CI (Cochrane Handbook 6.5.2.3). */
#define Z975 1.959963984540054

/* pi, for the logistic-distribution conversion of a log odds ratio (Chinn 2000). */
#define PI 3.14159265358979323846

/* Arms below this size use the t quantile for a 95% CI (Cochrane Handbook 6.5.2.3). */
#define SMALL_ARM 60.0

/* ---- method strings (static: results point at them) ---------------------------------- */

/* Index into the SMD method rows: vtype LS, UB, LS2, AV, then RevMan 5. */
enum { VT_LS, VT_UB, VT_LS2, VT_AV, VT_REVMAN, VT_COUNT };

#define SMD_ROW(src) { \
    src ": Hedges' g (exact J), vtype LS", \
    src ": Hedges' g (exact J), vtype UB", \
    src ": Hedges' g (exact J), vtype LS2", \
    src ": Hedges' g (exact J), vtype AV", \
    src ": Hedges' g (RevMan 5 J and variance)" }

enum {
    SRC_FINAL_SD, SRC_CHANGE_SD, SRC_FINAL_SE, SRC_MD_CI_T, SRC_MD_CI_Z, SRC_MD_SE,
    SRC_ES, SRC_T, SRC_P, SRC_MED_IQR, SRC_MED_RANGE, SRC_FIVENUM, SRC_ES_G, SRC_COUNT
};

static const char *const smd_method[SRC_COUNT][VT_COUNT] = {
    SMD_ROW("final_sd: means and SDs"),
    SMD_ROW("change_sd: mean changes and SDs"),
    SMD_ROW("final_se: means and SEs, SD = SE*sqrt(n)"),
    SMD_ROW("md_ci: SE from 95% CI (t quantile), SD = SE/sqrt(1/n1+1/n2)"),
    SMD_ROW("md_ci: SE from 95% CI (z quantile), SD = SE/sqrt(1/n1+1/n2)"),
    SMD_ROW("md_se: SD = SE/sqrt(1/n1+1/n2)"),
    SMD_ROW("es_reported: Cohen's d"),
    SMD_ROW("t_stat: d = t*sqrt(1/n1+1/n2)"),
    SMD_ROW("p_exact: |t| from two-sided p (t, n1+n2-2 df), sign from direction"),
    SMD_ROW("median_iqr: mean Luo et al., SD Wan et al. 2014"),
    SMD_ROW("median_range: mean Luo et al., SD Wan et al. 2014"),
    SMD_ROW("fivenum: mean Luo et al., SD Shi et al. 2020"),
    SMD_ROW("es_reported: Hedges' g, d = g/J (J not applied twice)"),
};

static const char *const md_method[SRC_COUNT] = {
    "final_sd: mean difference, v = sd1^2/n1 + sd2^2/n2",
    "change_sd: mean difference of changes, v = sd1^2/n1 + sd2^2/n2",
    "final_se: mean difference, v = se1^2 + se2^2 (via SD = SE*sqrt(n))",
    "md_ci: mean difference, SE from 95% CI (t quantile)",
    "md_ci: mean difference, SE from 95% CI (z quantile)",
    "md_se: mean difference with its SE",
    NULL,
    NULL,
    NULL,
    "median_iqr: mean difference, mean Luo et al., SD Wan et al. 2014",
    "median_range: mean difference, mean Luo et al., SD Wan et al. 2014",
    "fivenum: mean difference, mean Luo et al., SD Shi et al. 2020",
    NULL,
};

/* Not a g: metafor's escalc "OR2DL" does not correct it either, since J corrects the bias
 * of an SD estimated from the sample, which this conversion does not use. */
static const char *const log_or_method =
    "es_reported: log odds ratio, d = ln(OR)*sqrt(3)/pi, v = var(ln OR)*3/pi^2 (Chinn 2000), "
    "var(ln OR) from the 95% CI";

static const char *const yi_vi_method = "yi_vi: as given";

/* ---- names ---------------------------------------------------------------------------- */

/* (the data forms are listed once, in FORMS below ma_es_compute's helpers) */

int ma_direction_parse(const char *s)
{
    if (s == NULL)
        return -1;
    if (s[0] == '\0')
        return MA_DIR_UNKNOWN;
    if (strcmp(s, "favours_iastm") == 0)
        return MA_DIR_FAVOURS_IASTM;
    if (strcmp(s, "favours_comp") == 0)
        return MA_DIR_FAVOURS_COMP;
    if (strcmp(s, "no_difference") == 0)
        return MA_DIR_NO_DIFFERENCE;
    return -1;
}

/* Canonical name first, then the spellings reports use. */
static const struct {
    ma_es_kind_t kind;
    const char *names[4];
} es_kinds[] = {
    {MA_ES_KIND_D, {"d", "Cohen d", "Cohen's d", NULL}},
    {MA_ES_KIND_G, {"g", "Hedges g", "Hedges' g", NULL}},
    {MA_ES_KIND_LOG_OR, {"log_or", "log OR", NULL}},
    {MA_ES_KIND_OR, {"or", "OR", NULL}},
    {MA_ES_KIND_DZ, {"dz", "Cohen dz", "Cohen's dz", NULL}},
    {MA_ES_KIND_R, {"r", NULL}},
};
#define N_ES_KINDS (sizeof es_kinds / sizeof es_kinds[0])

int ma_es_kind_parse(const char *s)
{
    size_t a = 0, n, i, j;
    if (s == NULL)
        return -1;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (a < n && (s[a] == ' ' || s[a] == '\t'))
        a++;
    if (a == n)
        return MA_ES_KIND_NONE;
    if (s[n - 1] == ')') { /* "KIND (note)": the note is for readers */
        const char *open = memchr(s + a, '(', n - a);
        if (open == NULL || open == s + a || open[-1] != ' ')
            return -1;
        n = (size_t)(open - s);
        while (n > a && s[n - 1] == ' ')
            n--;
    }
    for (i = 0; i < N_ES_KINDS; i++)
        for (j = 0; es_kinds[i].names[j]; j++)
            if (strlen(es_kinds[i].names[j]) == n - a &&
                memcmp(es_kinds[i].names[j], s + a, n - a) == 0)
                return (int)es_kinds[i].kind;
    return -1;
}

const char *ma_es_kind_name(ma_es_kind_t k)
{
    size_t i;
    for (i = 0; i < N_ES_KINDS; i++)
        if (es_kinds[i].kind == k)
            return es_kinds[i].names[0];
    return k == MA_ES_KIND_NONE ? "" : "?";
}

int ma_es_kind_convertible(ma_es_kind_t k)
{
    return k == MA_ES_KIND_NONE || k == MA_ES_KIND_D || k == MA_ES_KIND_G ||
           k == MA_ES_KIND_LOG_OR || k == MA_ES_KIND_OR;
}

/* Rows whose variance is not the SMD formula in n1, n2 (vtype AV leaves them alone). */
static int variance_given(const ma_es_input_t *in)
{
    return in->form == MA_FORM_YI_VI ||
           (in->form == MA_FORM_ES_REPORTED &&
            (in->es_kind == MA_ES_KIND_LOG_OR || in->es_kind == MA_ES_KIND_OR));
}

void ma_es_input_init(ma_es_input_t *in)
{
    if (in == NULL)
        return;
    memset(in, 0, sizeof *in);
    in->form = MA_FORM_NONE;
    in->higher_is_better = -1;
    in->direction = MA_DIR_UNKNOWN;
    in->es_kind = MA_ES_KIND_NONE;
    double *nums[] = {
        &in->n1, &in->n2, &in->m1, &in->sd1, &in->m2, &in->sd2, &in->se1, &in->se2,
        &in->md, &in->md_lb, &in->md_ub, &in->md_se, &in->es, &in->t, &in->p,
        &in->min1, &in->q1_1, &in->med1, &in->q3_1, &in->max1,
        &in->min2, &in->q1_2, &in->med2, &in->q3_2, &in->max2, &in->yi, &in->vi,
        &in->es_lb, &in->es_ub
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        *nums[i] = NAN;
}

/* ---- helpers -------------------------------------------------------------------------- */

/* Mark the row not computable; always returns 0 so callers can `return fail(...)`. */
static int fail(ma_es_result_t *out, const char *fmt, ...)
{
    va_list ap;
    out->ok = 0;
    out->yi = NAN;
    out->vi = NAN;
    out->method = NULL;
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    return 0;
}

/* A value the form needs: present and finite. */
static int need(ma_es_result_t *out, const char *name, double x)
{
    if (isnan(x))
        return fail(out, "%s missing", name);
    if (!isfinite(x))
        return fail(out, "%s must be finite (got %g)", name, x);
    return 1;
}

/* A group size: a whole number >= 2. */
static int need_n(ma_es_result_t *out, const char *name, double n)
{
    if (!need(out, name, n))
        return 0;
    if (n != floor(n))
        return fail(out, "%s must be a whole number (got %g)", name, n);
    if (n < 2)
        return fail(out, "%s must be >= 2 (got %g)", name, n);
    return 1;
}

/* An SD or SE: > 0. */
static int need_pos(ma_es_result_t *out, const char *name, double x)
{
    if (!need(out, name, x))
        return 0;
    if (!(x > 0))
        return fail(out, "%s must be > 0 (got %g)", name, x);
    return 1;
}

static int need_ns(ma_es_result_t *out, const ma_es_input_t *in)
{
    return need_n(out, "n_iastm", in->n1) && need_n(out, "n_comp", in->n2);
}

double ma_hedges_j(double m)
{
    if (isnan(m) || m <= 1)
        return NAN; /* undefined, as metafor's .cmicalc (NA for m <= 1) */
    if (isinf(m))
        return 1.0;
    return exp(lgamma(m / 2) - log(sqrt(m / 2)) - lgamma((m - 1) / 2));
}

/* The J that smd_from_d applies for vtype index vt (NaN when undefined). */
static double smd_j(double n1, double n2, int vt)
{
    return vt == VT_REVMAN ? 1 - 3 / (4 * (n1 + n2) - 9) : ma_hedges_j(n1 + n2 - 2);
}

/* Hedges' g and its variance from Cohen's d (pooled-SD scale) and the group sizes, as
 * metafor's escalc(measure = "SMD", vtype = ...) or RevMan 5. For vtype AV a single row is
 * its own weighted mean (ma_es_compute_all uses the mean over all rows). */
static void smd_from_d(double d, double n1, double n2, int vt, double *g, double *v)
{
    double n = n1 + n2;
    double inv = 1 / n1 + 1 / n2;
    double m = n - 2;
    double j = smd_j(n1, n2, vt);
    *g = j * d;
    switch (vt) {
    case VT_REVMAN:
        *v = n / (n1 * n2) + *g * *g / (2 * (n - 3.94));
        break;
    case VT_UB:
        *v = inv + (1 - (m - 2) / (m * j * j)) * *g * *g;
        break;
    case VT_LS2:
        *v = j * j * (inv + d * d / (2 * n));
        break;
    default: /* LS, and AV for one row */
        *v = inv + *g * *g / (2 * n);
        break;
    }
}

/* Cohen's d from two means and SDs (pooled SD with n1 + n2 - 2 df). */
static double cohen_d(double m1, double sd1, double n1, double m2, double sd2, double n2)
{
    double sdp = sqrt(((n1 - 1) * sd1 * sd1 + (n2 - 1) * sd2 * sd2) / (n1 + n2 - 2));
    return (m1 - m2) / sdp;
}

/* Sign that orients a printed arm1 - arm2 difference: -1 when lower is better. */
static double orient(int higher_is_better)
{
    return higher_is_better == 0 ? -1.0 : 1.0;
}

/* ---- medians (metafor conv.fivenum, method "luo/wan/shi", dist "norm", test TRUE) ------ */

enum { CASE_RANGE = 1, CASE_IQR = 2, CASE_FIVE = 3 };

typedef struct {
    const char *arm; /* "iastm" or "comp" */
    double n, min, q1, med, q3, max;
} arm_summary_t;

/* Estimate one arm's mean and SD. Case 1 (min, median, max): mean Luo et al. eq. 7, SD Wan
 * et al. 2014 eq. 9. Case 2 (q1, median, q3): Luo eq. 11, Wan eq. 16. Case 3 (all five):
 * Luo eq. 15, Shi et al. 2020 eq. 10. A significant skewness test (Shi et al. 2023) leaves
 * the arm without estimates, as conv.fivenum(test = TRUE) does. */
static int fivenum_arm(ma_es_result_t *out, int kase, const arm_summary_t *a, double *mean,
                       double *sd)
{
    char name[32];
    double n = a->n;

    snprintf(name, sizeof name, "median_%s", a->arm);
    if (!need(out, name, a->med))
        return 0;
    if (kase != CASE_IQR) {
        snprintf(name, sizeof name, "min_%s", a->arm);
        if (!need(out, name, a->min))
            return 0;
        snprintf(name, sizeof name, "max_%s", a->arm);
        if (!need(out, name, a->max))
            return 0;
    }
    if (kase != CASE_RANGE) {
        snprintf(name, sizeof name, "q1_%s", a->arm);
        if (!need(out, name, a->q1))
            return 0;
        snprintf(name, sizeof name, "q3_%s", a->arm);
        if (!need(out, name, a->q3))
            return 0;
    }
    if (n < 5)
        return fail(out, "median-based estimates need n >= 5 per arm (n_%s = %g)", a->arm, n);

    /* min <= q1 <= median <= q3 <= max over the values this case uses */
    double seq[5];
    int k = 0;
    if (kase != CASE_IQR)
        seq[k++] = a->min;
    if (kase != CASE_RANGE)
        seq[k++] = a->q1;
    seq[k++] = a->med;
    if (kase != CASE_RANGE)
        seq[k++] = a->q3;
    if (kase != CASE_IQR)
        seq[k++] = a->max;
    for (int i = 1; i < k; i++)
        if (seq[i] < seq[i - 1])
            return fail(out, "arm %s: min <= q1 <= median <= q3 <= max does not hold", a->arm);
    if (kase != CASE_IQR && !(a->max > a->min))
        return fail(out, "arm %s: range is zero (min = max = %g)", a->arm, a->min);
    if (kase != CASE_RANGE && !(a->q3 > a->q1))
        return fail(out, "arm %s: IQR is zero (q1 = q3 = %g)", a->arm, a->q1);

    double tval, crit, xi = NAN, eta = NAN;
    if (kase != CASE_IQR)
        xi = 2 * gsl_cdf_ugaussian_Pinv((n - 0.375) / (n + 0.25));
    if (kase != CASE_RANGE)
        eta = 2 * gsl_cdf_ugaussian_Pinv((0.75 * n - 0.125) / (n + 0.25));

    switch (kase) {
    case CASE_RANGE: {
        tval = fabs((a->min + a->max - 2 * a->med) / (a->max - a->min));
        crit = 1 / log(n + 9) + 2.5 / (n + 1);
        double w = 4 / (4 + pow(n, 0.75));
        *mean = w * (a->min + a->max) / 2 + (1 - w) * a->med;
        *sd = (a->max - a->min) / xi;
        break;
    }
    case CASE_IQR: {
        tval = fabs((a->q1 + a->q3 - 2 * a->med) / (a->q3 - a->q1));
        crit = 2.65 / sqrt(n) - 6 / (n * n);
        double w = 0.7 + 0.39 / n;
        *mean = w * (a->q1 + a->q3) / 2 + (1 - w) * a->med;
        *sd = (a->q3 - a->q1) / eta;
        break;
    }
    default: {
        double t1 = 2.65 * log(0.6 * n) / sqrt(n)
                    * fabs((a->min + a->max - 2 * a->med) / (a->max - a->min));
        double t2 = fabs((a->q1 + a->q3 - 2 * a->med) / (a->q3 - a->q1));
        tval = t1 > t2 ? t1 : t2;
        crit = 3 / sqrt(n) - 40 / (n * n * n);
        double w1 = 2.2 / (2.2 + pow(n, 0.75));
        double w2 = 0.7 - 0.72 / pow(n, 0.55);
        *mean = w1 * (a->min + a->max) / 2 + w2 * (a->q1 + a->q3) / 2
                + (1 - w1 - w2) * a->med;
        double w = 1 / (1 + 0.07 * pow(n, 0.6));
        *sd = w * (a->max - a->min) / xi + (1 - w) * (a->q3 - a->q1) / eta;
        break;
    }
    }
    if (tval >= crit)
        return fail(out, "arm %s: skewed (Shi et al. 2023 test %.3g >= critical %.3g); "
                    "no mean/SD estimated", a->arm, tval, crit);
    if (!isfinite(*mean) || !(*sd > 0) || !isfinite(*sd))
        return fail(out, "arm %s: mean/SD estimate not finite", a->arm);
    return 1;
}

/* ---- the forms ------------------------------------------------------------------------ */

typedef struct {
    const ma_es_input_t *in;
    ma_measure_t measure;
    int vt;
    ma_es_result_t *out;
} ctx_t;

/* Set the result from two arms' means and SDs (also for estimated ones). */
static int from_means(const ctx_t *c, int src, double m1, double sd1, double m2, double sd2)
{
    const ma_es_input_t *in = c->in;
    double s = orient(in->higher_is_better);
    if (c->measure == MA_MEASURE_MD) {
        c->out->yi = s * (m1 - m2);
        c->out->vi = sd1 * sd1 / in->n1 + sd2 * sd2 / in->n2;
        c->out->method = md_method[src];
    } else {
        double g, v;
        smd_from_d(cohen_d(m1, sd1, in->n1, m2, sd2, in->n2), in->n1, in->n2, c->vt, &g, &v);
        c->out->yi = s * g;
        c->out->vi = v;
        c->out->method = smd_method[src][c->vt];
    }
    return 1;
}

/* Set the result from a Cohen's d that is already oriented. */
static int from_d(const ctx_t *c, int src, double d)
{
    double g, v;
    smd_from_d(d, c->in->n1, c->in->n2, c->vt, &g, &v);
    c->out->yi = g;
    c->out->vi = v;
    c->out->method = smd_method[src][c->vt];
    return 1;
}

static int form_sd(const ctx_t *c, int src)
{
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    if (!need_ns(o, in) || !need(o, "mean_iastm", in->m1) || !need_pos(o, "sd_iastm", in->sd1)
        || !need(o, "mean_comp", in->m2) || !need_pos(o, "sd_comp", in->sd2))
        return 0;
    return from_means(c, src, in->m1, in->sd1, in->m2, in->sd2);
}

static int form_se(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    if (!need_ns(o, in) || !need(o, "mean_iastm", in->m1) || !need_pos(o, "se_iastm", in->se1)
        || !need(o, "mean_comp", in->m2) || !need_pos(o, "se_comp", in->se2))
        return 0;
    return from_means(c, SRC_FINAL_SE, in->m1, in->se1 * sqrt(in->n1), in->m2,
                      in->se2 * sqrt(in->n2));
}

/* A between-group MD with its SE: MD as is, or g from the implied pooled SD. */
static int from_md_se(const ctx_t *c, int src, double md, double se)
{
    double s = orient(c->in->higher_is_better);
    if (c->measure == MA_MEASURE_MD) {
        c->out->yi = s * md;
        c->out->vi = se * se;
        c->out->method = md_method[src];
        return 1;
    }
    double sdp = se / sqrt(1 / c->in->n1 + 1 / c->in->n2);
    return from_d(c, src, s * md / sdp);
}

/* SE = (ub - lb) / (2 q): q the t quantile (n1 + n2 - 2 df) when both arms are small,
 * else the normal one (Cochrane Handbook 6.5.2.3). */
static int form_md_ci(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    if (!need_ns(o, in) || !need(o, "md", in->md) || !need(o, "md_ci_lb", in->md_lb)
        || !need(o, "md_ci_ub", in->md_ub))
        return 0;
    if (in->md_lb > in->md_ub)
        return fail(o, "md_ci_lb must be <= md_ci_ub (got %g > %g)", in->md_lb, in->md_ub);
    if (in->md_lb == in->md_ub)
        return fail(o, "95%% CI of md has zero width (%g to %g)", in->md_lb, in->md_ub);
    if (in->md < in->md_lb || in->md > in->md_ub)
        return fail(o, "md %g lies outside its 95%% CI (%g to %g)", in->md, in->md_lb,
                    in->md_ub);
    int small = in->n1 < SMALL_ARM && in->n2 < SMALL_ARM;
    double q = small ? gsl_cdf_tdist_Qinv(0.025, in->n1 + in->n2 - 2) : Z975;
    if (!(q > 0) || !isfinite(q))
        return fail(o, "t quantile for %g df not available", in->n1 + in->n2 - 2);
    double se = (in->md_ub - in->md_lb) / (2 * q);
    return from_md_se(c, small ? SRC_MD_CI_T : SRC_MD_CI_Z, in->md, se);
}

static int form_md_se(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    if (c->measure == MA_MEASURE_SMD && !need_ns(o, in))
        return 0;
    if (!need(o, "md", in->md) || !need_pos(o, "md_se", in->md_se))
        return 0;
    return from_md_se(c, SRC_MD_SE, in->md, in->md_se);
}

/* Sign of a d or t that may be printed as a magnitude: a value >= 0 with a stated direction
 * takes its sign from the direction; otherwise the value is arm 1 - arm 2 on the printed
 * scale and is oriented by higher_is_better, and must then agree with a stated direction. */
static int signed_stat(const ctx_t *c, const char *name, double x, double *signed_x)
{
    const ma_es_input_t *in = c->in;
    int fav_i = in->direction == MA_DIR_FAVOURS_IASTM;
    int fav_c = in->direction == MA_DIR_FAVOURS_COMP;
    if (x >= 0 && (fav_i || fav_c)) {
        *signed_x = fav_i ? x : -x;
        return 1;
    }
    *signed_x = orient(in->higher_is_better) * x;
    if ((fav_i && *signed_x < 0) || (fav_c && *signed_x > 0))
        return fail(c->out, "%s %g, oriented by higher_is_better, contradicts direction %s",
                    name, x, fav_i ? "favours_iastm" : "favours_comp");
    return 1;
}

/* An odds ratio (kind or) or log odds ratio (log_or) with its 95% CI on the printed scale:
 * var(ln OR) = ((ln ub - ln lb) / (2 z))^2 (Wald), then d = ln(OR) sqrt(3) / pi and
 * var(d) = var(ln OR) 3 / pi^2 (Chinn 2000; metafor's escalc "OR2DL" from a 2x2 table). */
static int form_es_or(const ctx_t *c)
{
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    int logs = in->es_kind == MA_ES_KIND_LOG_OR;
    double est = in->es, lb = in->es_lb, ub = in->es_ub, lnor;
    if (!need(o, "es_reported", est) || !need(o, "es_ci_lb", lb) || !need(o, "es_ci_ub", ub))
        return 0;
    if (!logs) {
        if (!(est > 0) || !(lb > 0) || !(ub > 0))
            return fail(o, "an odds ratio and its CI must be > 0 (got %g [%g, %g])", est, lb,
                        ub);
        est = log(est);
        lb = log(lb);
        ub = log(ub);
    }
    if (!(lb < ub))
        return fail(o, "95%% CI of es_reported is reversed or of zero width (%g to %g)",
                    in->es_lb, in->es_ub);
    if (est < lb || est > ub)
        return fail(o, "es_reported %g lies outside its 95%% CI (%g to %g)", in->es,
                    in->es_lb, in->es_ub);
    if (!signed_stat(c, logs ? "es_reported (log OR)" : "ln(es_reported)", est, &lnor))
        return 0;
    double se = (ub - lb) / (2 * Z975);
    o->yi = lnor * sqrt(3) / PI;
    o->vi = se * se * 3 / (PI * PI);
    o->method = log_or_method;
    return 1;
}

static int form_es(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    double d, j;
    if (c->measure == MA_MEASURE_MD)
        return fail(c->out, "es_reported gives no mean difference (use measure SMD)");
    switch (in->es_kind) {
    case MA_ES_KIND_LOG_OR:
    case MA_ES_KIND_OR:
        return form_es_or(c);
    case MA_ES_KIND_DZ:
        return fail(c->out, "es_kind dz (within-subject d) has no conversion to a "
                    "between-group d without the correlation between conditions");
    case MA_ES_KIND_R:
        return fail(c->out, "es_kind r has no conversion to d without a stated design");
    case MA_ES_KIND_NONE:
    case MA_ES_KIND_D:
    case MA_ES_KIND_G:
        break;
    default:
        return fail(c->out, "unknown es_kind (%d)", (int)in->es_kind);
    }
    if (!need_ns(c->out, in) || !need(c->out, "es_reported", in->es)
        || !signed_stat(c, "es_reported", in->es, &d))
        return 0;
    if (in->es_kind != MA_ES_KIND_G)
        return from_d(c, SRC_ES, d);
    /* g is already corrected: back to d with the same J, so that g comes out unchanged */
    j = smd_j(in->n1, in->n2, c->vt);
    if (!(j > 0))
        return fail(c->out, "Hedges' J undefined for n_iastm + n_comp = %g", in->n1 + in->n2);
    return from_d(c, SRC_ES_G, d / j);
}

static int form_t(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    double t;
    if (c->measure == MA_MEASURE_MD)
        return fail(c->out, "t_stat gives no mean difference (use measure SMD)");
    if (!need_ns(c->out, in) || !need(c->out, "t_stat", in->t)
        || !signed_stat(c, "t_stat", in->t, &t))
        return 0;
    return from_d(c, SRC_T, t * sqrt(1 / in->n1 + 1 / in->n2));
}

/* |t| = t quantile at 1 - p/2 with n1 + n2 - 2 df; the sign comes from `direction` only. */
static int form_p(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    ma_es_result_t *o = c->out;
    if (c->measure == MA_MEASURE_MD)
        return fail(o, "p_exact gives no mean difference (use measure SMD)");
    if (!need_ns(o, in) || !need(o, "p_exact", in->p))
        return 0;
    if (!(in->p > 0 && in->p < 1))
        return fail(o, "p_exact must be in (0, 1) (got %g)", in->p);
    if (in->direction == MA_DIR_NO_DIFFERENCE)
        return fail(o, "p_exact with direction no_difference: sign of the effect unknown");
    if (in->direction != MA_DIR_FAVOURS_IASTM && in->direction != MA_DIR_FAVOURS_COMP)
        return fail(o, "p_exact without direction (favours_iastm or favours_comp)");
    double t = gsl_cdf_tdist_Qinv(in->p / 2, in->n1 + in->n2 - 2);
    if (!(t >= 0) || !isfinite(t))
        return fail(o, "t quantile for p_exact %g not available", in->p);
    double d = t * sqrt(1 / in->n1 + 1 / in->n2);
    return from_d(c, SRC_P, in->direction == MA_DIR_FAVOURS_IASTM ? d : -d);
}

static int form_median(const ctx_t *c, int kase)
{
    const ma_es_input_t *in = c->in;
    double m1, sd1, m2, sd2;
    if (!need_ns(c->out, in))
        return 0;
    arm_summary_t a1 = { "iastm", in->n1, in->min1, in->q1_1, in->med1, in->q3_1, in->max1 };
    arm_summary_t a2 = { "comp", in->n2, in->min2, in->q1_2, in->med2, in->q3_2, in->max2 };
    if (!fivenum_arm(c->out, kase, &a1, &m1, &sd1) || !fivenum_arm(c->out, kase, &a2, &m2, &sd2))
        return 0;
    int src = kase == CASE_IQR ? SRC_MED_IQR : kase == CASE_RANGE ? SRC_MED_RANGE : SRC_FIVENUM;
    return from_means(c, src, m1, sd1, m2, sd2);
}

static int form_yi_vi(const ctx_t *c, int arg)
{
    (void)arg;
    const ma_es_input_t *in = c->in;
    if (!need(c->out, "yi", in->yi) || !need_pos(c->out, "vi", in->vi))
        return 0;
    c->out->yi = in->yi;
    c->out->vi = in->vi;
    c->out->method = yi_vi_method;
    return 1;
}

static int form_narrative(const ctx_t *c, int arg)
{
    (void)arg;
    return fail(c->out, "narrative result only");
}

static int form_none(const ctx_t *c, int arg)
{
    (void)arg;
    return fail(c->out, "data form missing");
}

/* The data forms, one row each, in the order of ma_form_t: the name of the data_form
 * column, whether the numbers are a signed scale difference that needs higher_is_better,
 * and the computation (with its argument). */
static const struct {
    const char *name;
    int oriented;
    int (*compute)(const ctx_t *c, int arg);
    int arg;
} FORMS[] = {
    [MA_FORM_NONE] = {"", 0, form_none, 0},
    [MA_FORM_YI_VI] = {"yi_vi", 0, form_yi_vi, 0},
    [MA_FORM_FINAL_SD] = {"final_sd", 1, form_sd, SRC_FINAL_SD},
    [MA_FORM_CHANGE_SD] = {"change_sd", 1, form_sd, SRC_CHANGE_SD},
    [MA_FORM_FINAL_SE] = {"final_se", 1, form_se, 0},
    [MA_FORM_MD_CI] = {"md_ci", 1, form_md_ci, 0},
    [MA_FORM_MD_SE] = {"md_se", 1, form_md_se, 0},
    [MA_FORM_ES_REPORTED] = {"es_reported", 1, form_es, 0},
    [MA_FORM_T_STAT] = {"t_stat", 1, form_t, 0},
    [MA_FORM_P_EXACT] = {"p_exact", 0, form_p, 0},
    [MA_FORM_MEDIAN_IQR] = {"median_iqr", 1, form_median, CASE_IQR},
    [MA_FORM_MEDIAN_RANGE] = {"median_range", 1, form_median, CASE_RANGE},
    [MA_FORM_FIVENUM] = {"fivenum", 1, form_median, CASE_FIVE},
    [MA_FORM_NARRATIVE] = {"narrative", 0, form_narrative, 0},
};
#define N_FORMS (sizeof FORMS / sizeof FORMS[0])

int ma_form_parse(const char *s)
{
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < N_FORMS; i++)
        if (strcmp(s, FORMS[i].name) == 0)
            return (int)i;
    return -1;
}

void ma_es_ci(double yi, double vi, double z, double *lb, double *ub)
{
    double h = z * sqrt(vi);
    *lb = yi - h;
    *ub = yi + h;
}

void ma_es_ci95(double yi, double vi, double *lb, double *ub)
{
    ma_es_ci(yi, vi, Z975, lb, ub);
}

const char *ma_form_name(ma_form_t f)
{
    if ((unsigned)f >= N_FORMS)
        return "?";
    return FORMS[f].name;
}

int ma_form_oriented(ma_form_t f)
{
    return (unsigned)f < N_FORMS && FORMS[f].oriented;
}

void ma_es_compute(const ma_es_input_t *in, const ma_es_opts_t *opts, ma_es_result_t *out)
{
    static const ma_es_opts_t defaults = { MA_MEASURE_SMD, MA_VTYPE_LS, 0 };
    if (out == NULL)
        return;
    out->reason[0] = '\0';
    if (in == NULL) {
        fail(out, "no input row");
        return;
    }
    if (opts == NULL)
        opts = &defaults;
    if (opts->measure != MA_MEASURE_SMD && opts->measure != MA_MEASURE_MD) {
        fail(out, "unknown measure (%d)", (int)opts->measure);
        return;
    }
    if ((unsigned)opts->vtype > MA_VTYPE_AV) {
        fail(out, "unknown vtype (%d)", (int)opts->vtype);
        return;
    }
    if (in->higher_is_better < -1 || in->higher_is_better > 1) {
        fail(out, "higher_is_better must be 1, 0 or -1 (got %d)", in->higher_is_better);
        return;
    }

    static const int vt_of[] = { VT_LS, VT_UB, VT_LS2, VT_AV }; /* by ma_vtype_t */
    ctx_t c = { in, opts->measure, opts->revman5 ? VT_REVMAN : vt_of[opts->vtype], out };
    int ok;
    if ((unsigned)in->form >= N_FORMS)
        ok = fail(out, "unknown data form (%d)", (int)in->form);
    else
        ok = FORMS[in->form].compute(&c, FORMS[in->form].arg);
    if (!ok)
        return;
    /* Extreme inputs (huge means, tiny SDs) can overflow: never report NaN/inf as ok. */
    if (!isfinite(out->yi) || !isfinite(out->vi) || !(out->vi > 0)) {
        fail(out, "effect size not finite (yi %g, vi %g): check the inputs", out->yi, out->vi);
        return;
    }
    out->ok = 1;
}

void ma_es_compute_all(const ma_es_input_t *in, size_t k, const ma_es_opts_t *opts,
                       ma_es_result_t *out)
{
    if (in == NULL || out == NULL)
        return;
    for (size_t i = 0; i < k; i++)
        ma_es_compute(&in[i], opts, &out[i]);
    if (opts == NULL || opts->revman5 || opts->vtype != MA_VTYPE_AV
        || opts->measure != MA_MEASURE_SMD)
        return;

    /* vtype AV (metafor): 1/n1 + 1/n2 + gbar^2 / (2 (n1 + n2)), gbar the (n1 + n2)-weighted
     * mean of the rows' g (here oriented, as they are pooled). */
    double sw = 0, swy = 0;
    for (size_t i = 0; i < k; i++) {
        if (!out[i].ok || variance_given(&in[i]))
            continue;
        double n = in[i].n1 + in[i].n2;
        sw += n;
        swy += n * out[i].yi;
    }
    if (!(sw > 0))
        return;
    double gbar = swy / sw;
    for (size_t i = 0; i < k; i++) {
        if (!out[i].ok || variance_given(&in[i]))
            continue;
        double n1 = in[i].n1, n2 = in[i].n2;
        out[i].vi = 1 / n1 + 1 / n2 + gbar * gbar / (2 * (n1 + n2));
    }
}
