/* Common-effect and random-effects pooling of yi, vi as metafor's rma.uni (intercept only):
 * the fit, z / Knapp-Hartung inference, heterogeneity, prediction interval and weights. */
#include "iastm/rma.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "qprofile.h"
#include "rma_internal.h"
#include "tau2.h"

void ma_rma_opts_init(ma_rma_opts_t *o)
{
    o->method = MA_METHOD_REML;
    o->test = MA_TEST_Z;
    o->pi = MA_PI_DEFAULT;
    o->level = 0.95;
    o->maxiter = 1000;
    o->tol = 1e-12;
    o->tau2_ci = 1;
    o->stepadj = 1.0;
    o->tau2_init = NAN;
}

static const char *const test_names[] = {"z", "knha", "t", "adhoc"};

const char *ma_test_name(ma_test_t t)
{
    if ((unsigned)t < sizeof test_names / sizeof test_names[0])
        return test_names[t];
    return "?";
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'a' && ca <= 'z')
            ca -= 'a' - 'A';
        if (cb >= 'a' && cb <= 'z')
            cb -= 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

/* Index of s in names (ASCII case-insensitive), or -1. */
static int name_index(const char *s, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; s && i < n; i++)
        if (ascii_casecmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

int ma_method_parse(const char *s)
{
    int i = -1;
    size_t m;
    for (m = 0; s && i < 0 && m < ma_method_count(); m++)
        if (ascii_casecmp(s, ma_method_name((ma_method_t)m)) == 0)
            i = (int)m;
    /* metafor's other names for the common-effect model */
    if (i < 0 && s && (ascii_casecmp(s, "EE") == 0 || ascii_casecmp(s, "CE") == 0))
        return MA_METHOD_FE;
    return i;
}

int ma_test_parse(const char *s)
{
    int i = name_index(s, test_names, sizeof test_names / sizeof test_names[0]);
    if (i < 0 && s && ascii_casecmp(s, "hksj") == 0)
        return MA_TEST_KNHA;
    return i;
}

void ma_rma_weights(const double *vi, size_t k, double tau2, double *w_pct)
{
    ma_acc_t sw = {0, 0};
    size_t i;
    double tot;
    for (i = 0; i < k; i++) {
        w_pct[i] = 1.0 / (vi[i] + tau2);
        ma_acc_add(&sw, w_pct[i]);
    }
    tot = ma_acc_get(&sw);
    for (i = 0; i < k; i++)
        w_pct[i] = 100.0 * (w_pct[i] / tot);
}

void ma_note_append(char *note, size_t size, const char *fmt, ...)
{
    size_t n = strlen(note);
    va_list ap;
    if (n > 0 && n + 2 < size) {
        memcpy(note + n, "; ", 3);
        n += 2;
    }
    if (n + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(note + n, size - n, fmt, ap);
    va_end(ap);
}

void ma_fallback_note(char *note, size_t size, ma_method_t m, int it, int maxiter,
                      ma_method_t next)
{
    if (it >= maxiter)
        ma_note_append(note, size, "%s did not converge in %d iterations; fell back to %s",
                    ma_method_name(m), it, ma_method_name(next));
    else /* scoring met a sum that is not finite, or could not climb */
        ma_note_append(note, size, "%s stopped after %d iterations without a finite solution; "
                                "fell back to %s",
                    ma_method_name(m), it, ma_method_name(next));
}

ma_status_t ma_check_study(const double *yi, const double *vi, size_t i, ma_error_t *err)
{
    char val[64];
    if (!isfinite(yi[i])) {
        snprintf(val, sizeof val, "%.17g", yi[i]);
        return ma_error_at(err, MA_EINPUT, NULL, 0, "yi", val,
                           "study %zu: effect size is not finite", i + 1);
    }
    if (!(vi[i] > 0) || !isfinite(vi[i])) {
        snprintf(val, sizeof val, "%.17g", vi[i]);
        return ma_error_at(err, MA_EINPUT, NULL, 0, "vi", val,
                           "study %zu: sampling variance must be positive and finite", i + 1);
    }
    return MA_OK;
}

/* MA_EINPUT naming the first bad study (1-based) and its value. */
static ma_status_t check_input(const double *yi, const double *vi, size_t k, ma_error_t *err)
{
    size_t i;
    ma_status_t st;
    for (i = 0; i < k; i++)
        if ((st = ma_check_study(yi, vi, i, err)) != MA_OK)
            return st;
    return MA_OK;
}

static int opts_valid(const ma_rma_opts_t *o)
{
    return ma_method_info(o->method) && (unsigned)o->test <= MA_TEST_ADHOC
           && (o->pi == MA_PI_DEFAULT || o->pi == MA_PI_HTS) && o->level > 0 && o->level < 1
           && o->maxiter > 0 && o->tol > 0;
}

const ma_rma_opts_t *ma_rma_opts_or_default(const ma_rma_opts_t *o, ma_rma_opts_t *def)
{
    if (o)
        return o;
    ma_rma_opts_init(def);
    return def;
}

ma_status_t ma_tau2_estimate(const double *yi, const double *vi, size_t k, ma_method_t m,
                             const ma_rma_opts_t *o, double *tau2, int *iterations)
{
    ma_rma_opts_t def;
    ma_wls_t d;
    double *scratch;
    ma_status_t st;
    int it = 0, reset = 0;
    size_t i;

    *tau2 = NAN;
    if (iterations)
        *iterations = 0;
    o = ma_rma_opts_or_default(o, &def);
    if (k == 0 || !ma_method_info(m) || o->maxiter <= 0 || !(o->tol > 0))
        return MA_EUSAGE;
    for (i = 0; i < k; i++)
        if (!isfinite(yi[i]) || !(vi[i] > 0) || !isfinite(vi[i]))
            return MA_EINPUT;
    if (m == MA_METHOD_FE || k == 1) {
        *tau2 = 0;
        return MA_OK;
    }
    scratch = malloc(k * sizeof *scratch);
    if (!scratch)
        return MA_ENOMEM;
    ma_wls_init(&d, yi, vi, k, scratch);
    st = ma_tau2_fit(&d, m, o, tau2, &it, &reset, NULL);
    free(scratch);
    if (iterations)
        *iterations = it;
    return st;
}

/* The weights 1/vi and their sum must be finite (rma_internal.h). */
ma_status_t ma_check_weights(const double *vi, size_t k, ma_error_t *err)
{
    ma_acc_t a = {0, 0};
    size_t i, imin = 0;
    char val[64];
    for (i = 0; i < k; i++) {
        double w = 1.0 / vi[i];
        if (vi[i] < vi[imin])
            imin = i;
        if (!isfinite(w)) {
            snprintf(val, sizeof val, "%.17g", vi[i]);
            return ma_error_at(err, MA_ENUMERIC, NULL, 0, "vi", val,
                               "study %zu: the weight 1/vi of this sampling variance "
                               "overflows double precision", i + 1);
        }
        ma_acc_add(&a, w);
    }
    if (!isfinite(ma_acc_get(&a))) {
        snprintf(val, sizeof val, "%.17g", vi[imin]);
        return ma_error_at(err, MA_ENUMERIC, NULL, 0, "vi", val,
                           "the sum of the weights 1/vi overflows double precision "
                           "(sampling variances too small; the smallest is study %zu)",
                           imin + 1);
    }
    return MA_OK;
}

/* Q overflowed (the weights are finite, ma_check_weights): name the study whose term
 * w (yi - mu)^2 overflows, and whether its deviation or its weight is the cause. */
static ma_status_t q_overflow(const ma_wls_t *d, const ma_wsums_t *s0, ma_error_t *err)
{
    size_t i;
    char val[64];
    for (i = 0; i < d->k; i++) {
        double r = d->yi[i] - s0->mu, w = 1.0 / d->vi[i];
        if (!isfinite(r * r)) {
            snprintf(val, sizeof val, "%.17g", d->yi[i]);
            return ma_error_at(err, MA_ENUMERIC, NULL, 0, "yi", val,
                               "study %zu: Cochran's Q overflows double precision: the "
                               "squared distance of this effect size from the pooled one "
                               "(%g) is not finite", i + 1, s0->mu);
        }
        if (!isfinite(w * r * r)) {
            snprintf(val, sizeof val, "%.17g", d->vi[i]);
            return ma_error_at(err, MA_ENUMERIC, NULL, 0, "vi", val,
                               "study %zu: Cochran's Q overflows double precision: the "
                               "weight 1/vi times the squared deviation %g is not finite",
                               i + 1, r * r);
        }
    }
    return ma_error_set(err, MA_ENUMERIC, "Cochran's Q overflows double precision (the sum "
                                          "of finite terms is not finite)");
}

/* The weighted mean overflowed (finite weights): name the study whose weight times its
 * deviation from the unweighted mean is not finite, with both factors. */
static ma_status_t mean_overflow(const ma_wls_t *d, ma_error_t *err)
{
    size_t i;
    for (i = 0; i < d->k; i++) {
        double w = 1.0 / d->vi[i], dev = d->yi[i] - d->ybar;
        if (!isfinite(w * dev))
            return ma_error_set(err, MA_ENUMERIC, "study %zu: the common-effect estimate "
                                "overflows double precision: the weight 1/vi = %g times the "
                                "distance %g of yi = %g from the mean is not finite", i + 1, w,
                                dev, d->yi[i]);
    }
    return ma_error_set(err, MA_ENUMERIC, "the common-effect estimate overflows double "
                                          "precision (the sum of weighted effect sizes)");
}

/* Q, its df and p-value, vbar; MA_ENUMERIC when a sum overflowed (never Q = 0). */
static ma_status_t heterogeneity(const ma_wls_t *d, ma_rma_t *r, ma_error_t *err)
{
    ma_wsums_t s0;
    double df = (double)(d->k - 1), trP;
    ma_status_t st;
    if ((st = ma_check_weights(d->vi, d->k, err)) != MA_OK)
        return st;
    ma_wls_eval(d, 0.0, &s0);
    if (!isfinite(s0.mu))
        return mean_overflow(d, err);
    if (!isfinite(s0.q))
        return q_overflow(d, &s0, err);
    r->Q = s0.q > 0 ? s0.q : 0;
    r->Q_df = df;
    r->Q_p = gsl_cdf_chisq_Q(r->Q, df);
    trP = s0.trP;
    r->vbar = df / trP;
    return MA_OK;
}

/* k = 1: tau2 = 0, z test, nothing about heterogeneity can be estimated. */
static void fit_single(const double *yi, const double *vi, const ma_rma_opts_t *o, ma_rma_t *r)
{
    double crit = gsl_cdf_ugaussian_Qinv((1 - o->level) / 2);
    r->estimate = yi[0];
    r->se = sqrt(vi[0]);
    r->stat = r->estimate / r->se;
    r->pval = 2 * gsl_cdf_ugaussian_Q(fabs(r->stat));
    r->ci_lb = r->estimate - crit * r->se;
    r->ci_ub = r->estimate + crit * r->se;
    r->df = NAN;
    r->test = MA_TEST_Z;
    r->tau2 = 0;
    r->tau = 0;
    r->Q = 0;
    r->Q_df = 0;
    r->iterations = 0;
    MA_NOTE(r, "k = 1: tau2 set to 0, z test used; heterogeneity, tau2 CI and prediction "
                "interval undefined");
}

double ma_knha_scale(ma_test_t test, double rss, double df, char *note, size_t size)
{
    double s2w;
    if (test != MA_TEST_KNHA && test != MA_TEST_ADHOC)
        return 1;
    /* Hartung-Knapp-Sidik-Jonkman: RSS/df, not truncated at 1 (metafor 3.8 default);
     * metafor sets it to 0 when RSS <= machine epsilon. adhoc truncates it at 1 (Knapp &
     * Hartung 2003's ad hoc variant). */
    s2w = rss <= DBL_EPSILON ? 0.0 : rss / df;
    if (test == MA_TEST_ADHOC && s2w < 1)
        return 1;
    if (s2w == 0)
        ma_note_append(note, size,
                       "knha: weighted residual sum of squares is 0, so se = 0 (as metafor)");
    return s2w;
}

void ma_rma_inference(const ma_wsums_t *s, size_t k, double tau2, const ma_rma_opts_t *o,
                      ma_rma_t *r)
{
    double alpha = 1 - o->level, crit, s2w, se_pi;
    r->test = o->test;
    r->estimate = s->mu;
    s2w = ma_knha_scale(o->test, s->q, (double)(k - 1), r->note, sizeof r->note);
    r->se = sqrt(s2w / s->sw);
    r->stat = r->estimate / r->se;
    if (o->test == MA_TEST_Z) {
        r->df = NAN;
        r->pval = 2 * gsl_cdf_ugaussian_Q(fabs(r->stat));
        crit = gsl_cdf_ugaussian_Qinv(alpha / 2);
    } else {
        r->df = (double)(k - 1);
        r->pval = 2 * gsl_cdf_tdist_Q(fabs(r->stat), r->df);
        crit = gsl_cdf_tdist_Qinv(alpha / 2, r->df);
    }
    r->ci_lb = r->estimate - crit * r->se;
    r->ci_ub = r->estimate + crit * r->se;
    r->pi_lb = r->pi_ub = NAN;
    if (o->method == MA_METHOD_FE)
        return;
    /* metafor's predict(): the test's SE and critical value (t with k-1 df unless z) */
    se_pi = sqrt(r->se * r->se + tau2);
    if (o->pi == MA_PI_HTS) {
        /* Higgins, Thompson & Spiegelhalter 2009: t with k-2 df */
        if (k > 2) {
            double c = gsl_cdf_tdist_Qinv(alpha / 2, (double)(k - 2));
            r->pi_lb = r->estimate - c * se_pi;
            r->pi_ub = r->estimate + c * se_pi;
        } else {
            MA_NOTE(r, "prediction interval (t, k-2 df) needs k >= 3");
        }
    } else {
        r->pi_lb = r->estimate - crit * se_pi;
        r->pi_ub = r->estimate + crit * se_pi;
    }
}

ma_status_t ma_tau2_fallback(ma_tau2_fn fit, void *ctx, const ma_rma_opts_t *o, double *tau2,
                             int *iterations, int *converged, ma_method_t *used, char *note,
                             size_t size)
{
    ma_method_t m = o->method;
    int reset = 0;
    ma_status_t st;
    for (;;) {
        st = fit(ctx, m, o, tau2, iterations, &reset);
        if (st == MA_OK)
            break;
        if (st != MA_ENUMERIC || ma_method_info(m)->fallback < 0)
            return st;
        *converged = 0;
        {
            ma_method_t next = (ma_method_t)ma_method_info(m)->fallback;
            ma_fallback_note(note, size, m, *iterations, o->maxiter, next);
            m = next;
        }
    }
    *used = m;
    if (reset)
        ma_note_append(note, size,
                       "%s: log-likelihood at tau2 = 0 was higher; tau2 set to 0 (as metafor)",
                       ma_method_name(m));
    return MA_OK;
}

static ma_status_t uni_fit(void *ctx, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    return ma_tau2_fit(ctx, m, o, tau2, iterations, reset, NULL);
}

ma_status_t ma_rma_fit(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                       ma_rma_t *r, ma_error_t *err)
{
    ma_rma_opts_t def;
    ma_wls_t d;
    ma_wsums_t s;
    double *scratch;
    ma_status_t st;

    o = ma_rma_opts_or_default(o, &def);
    memset(r, 0, sizeof *r);
    r->k = k;
    r->method = r->method_used = o->method;
    r->converged = 1;
    r->estimate = r->se = r->stat = r->pval = r->ci_lb = r->ci_ub = r->df = NAN;
    r->tau2 = r->tau = r->tau2_lb = r->tau2_ub = NAN;
    r->I2 = r->I2_lb = r->I2_ub = r->H2 = r->H2_lb = r->H2_ub = NAN;
    r->Q = r->Q_df = r->Q_p = r->pi_lb = r->pi_ub = r->vbar = NAN;

    if (!opts_valid(o))
        return ma_error_set(err, MA_EUSAGE, "invalid pooling options (method, test, level, "
                                            "maxiter or tol out of range)");
    if (k == 0)
        return ma_error_set(err, MA_EINPUT, "no studies to pool");
    st = check_input(yi, vi, k, err);
    if (st != MA_OK)
        return st;
    if (k == 1) {
        fit_single(yi, vi, o, r);
        return MA_OK;
    }

    scratch = malloc(k * sizeof *scratch);
    if (!scratch)
        return ma_error_set(err, MA_ENOMEM, "out of memory pooling %zu studies", k);
    ma_wls_init(&d, yi, vi, k, scratch);
    if ((st = heterogeneity(&d, r, err)) != MA_OK) {
        free(scratch);
        return st;
    }
    {
        /* metafor warns from a ratio of 1e7 (1/evtol): weights then differ so much that
         * the tau2 estimators lose precision */
        double vmin = vi[0], vmax = vi[0];
        size_t i;
        for (i = 1; i < k; i++) {
            vmin = fmin(vmin, vi[i]);
            vmax = fmax(vmax, vi[i]);
        }
        if (vmax / vmin >= 1e7)
            MA_NOTE(r, "ratio of largest to smallest sampling variance is %.3g; results may "
                        "be unstable", vmax / vmin);
    }

    /* tau2, with the documented fallback of the method table on non-convergence */
    if (o->method == MA_METHOD_FE) {
        r->tau2 = 0;
    } else {
        st = ma_tau2_fallback(uni_fit, &d, o, &r->tau2, &r->iterations, &r->converged,
                              &r->method_used, r->note, sizeof r->note);
        if (st != MA_OK) {
            free(scratch);
            if (st != MA_ENUMERIC)
                return ma_error_set(err, st, "tau2 estimation failed");
            /* DL, the last, failed: Q and w are finite */
            return ma_error_set(err, MA_ENUMERIC,
                                "tau^2 cannot be estimated: DerSimonian-Laird's "
                                "(Q - (k-1))/tr(P) overflows double precision (Q = %g, "
                                "tr(P) = %g)", r->Q, r->Q_df / r->vbar);
        }
    }
    r->tau = sqrt(r->tau2);

    /* pooled estimate, weights 1/(vi + tau2), its test and the prediction interval */
    ma_wls_eval(&d, r->tau2, &s);
    ma_rma_inference(&s, k, r->tau2, o, r);
    if (!isfinite(r->estimate) || !isfinite(r->se)) {
        free(scratch);
        return ma_error_set(err, MA_ENUMERIC, "the pooled estimate or its standard error is "
                                              "not finite (estimate %g, se %g, tau2 %g)",
                            r->estimate, r->se, r->tau2);
    }

    if (o->method == MA_METHOD_FE) {
        /* metafor: I2 and H2 of the common-effect model from Q */
        double df = r->Q_df;
        r->I2 = r->Q > 0 ? fmax(0.0, 100 * (r->Q - df) / r->Q) : 0.0;
        r->H2 = r->Q / df;
    } else {
        r->I2 = 100 * r->tau2 / (r->vbar + r->tau2);
        r->H2 = r->tau2 / r->vbar + 1;

        if (o->tau2_ci) {
            if (ma_qprofile_ci(&d, o->level, r->tau2, &r->tau2_lb, &r->tau2_ub,
                               &r->tau2_ci_capped) != MA_OK)
                MA_NOTE(r, "Q-profile search for the tau2 CI failed");
            if (r->tau2_ci_capped)
                MA_NOTE(r, "tau2 CI: bound beyond the search limit max(100, 10 tau2) = %g, "
                            "reported as the limit (as metafor)", fmax(100.0, 10 * r->tau2));
            r->I2_lb = 100 * r->tau2_lb / (r->vbar + r->tau2_lb);
            r->I2_ub = 100 * r->tau2_ub / (r->vbar + r->tau2_ub);
            r->H2_lb = r->tau2_lb / r->vbar + 1;
            r->H2_ub = r->tau2_ub / r->vbar + 1;
        }
    }
    free(scratch);
    return MA_OK;
}
