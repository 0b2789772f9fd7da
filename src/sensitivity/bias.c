/* Small-study effects and publication bias: Egger's regression test, Begg and Mazumdar's
 * rank correlation, trim-and-fill (Duval & Tweedie 2000), Rosenthal's fail-safe N, as
 * metafor's regtest() (model "rma" and "lm"), ranktest(), trimfill() and fsn(). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>

#include "iastm/bias.h"
#include "iastm/regress.h"
#include "model/rma_internal.h"
#include "sens_internal.h"

const char *ma_side_name(ma_side_t s)
{
    return s == MA_SIDE_LEFT ? "left" : s == MA_SIDE_RIGHT ? "right" : "auto";
}

/* ---- Egger: WLS of yi on (1, sei), weights 1/vi, residual variance from the fit ---- */

static const char *const PRED[] = {"sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"};

const char *ma_egger_pred_name(ma_egger_pred_t p)
{
    return (unsigned)p < sizeof PRED / sizeof PRED[0] ? PRED[p] : "?";
}

int ma_egger_pred_parse(const char *s)
{
    size_t i;
    for (i = 0; i < sizeof PRED / sizeof PRED[0]; i++)
        if (!strcasecmp(s, PRED[i]))
            return (int)i;
    return -1;
}

int ma_egger_pred_has_limit(ma_egger_pred_t p)
{
    return p == MA_EGGER_SEI || p == MA_EGGER_VI || p == MA_EGGER_NINV ||
           p == MA_EGGER_SQRTNINV;
}

ma_status_t ma_egger_predictor(ma_egger_pred_t p, const double *vi, const double *ni,
                               size_t k, double *x, ma_error_t *err)
{
    size_t i;
    for (i = 0; i < k; i++) {
        double n = ni ? ni[i] : NAN;
        if (p != MA_EGGER_SEI && p != MA_EGGER_VI && !(isfinite(n) && n > 0))
            return ma_error_set(err, MA_EINPUT, "Egger's test with predictor %s needs the "
                                "sample size of every study (study %zu has none)",
                                ma_egger_pred_name(p), i + 1);
        switch (p) {
        case MA_EGGER_VI: x[i] = vi[i]; break;
        case MA_EGGER_NI: x[i] = n; break;
        case MA_EGGER_NINV: x[i] = 1 / n; break;
        case MA_EGGER_SQRTNI: x[i] = sqrt(n); break;
        case MA_EGGER_SQRTNINV: x[i] = 1 / sqrt(n); break;
        default: x[i] = sqrt(vi[i]); break;
        }
    }
    return MA_OK;
}

ma_status_t ma_egger(const double *yi, const double *vi, const double *x, size_t k,
                     double level, ma_egger_t *e, ma_error_t *err)
{
    double sw = 0, sx = 0, sy = 0, xbar, ybar, sxx = 0, sxy = 0, rss = 0, s2, df, crit;
    size_t i;

    memset(e, 0, sizeof *e);
    if (k < 3)
        return ma_error_set(err, MA_EINPUT, "Egger's test needs at least 3 studies (got %zu)",
                            k);
    for (i = 0; i < k; i++) {
        double w = 1 / vi[i];
        sw += w;
        sx += w * (x ? x[i] : sqrt(vi[i]));
        sy += w * yi[i];
    }
    xbar = sx / sw;
    ybar = sy / sw;
    /* centred sums keep the fit accurate when the standard errors are all similar */
    for (i = 0; i < k; i++) {
        double w = 1 / vi[i], dx = (x ? x[i] : sqrt(vi[i])) - xbar;
        sxx += w * dx * dx;
        sxy += w * dx * (yi[i] - ybar);
    }
    if (!(sxx > 0))
        return ma_error_set(err, MA_EINPUT, "Egger's test: the predictor is the same for "
                                            "every study");
    e->bias = sxy / sxx;
    e->limit_estimate = ybar - e->bias * xbar;
    for (i = 0; i < k; i++) {
        double r = yi[i] - e->limit_estimate - e->bias * (x ? x[i] : sqrt(vi[i]));
        rss += r * r / vi[i];
    }
    df = (double)k - 2;
    s2 = rss / df;
    e->df = df;
    e->bias_se = sqrt(s2 / sxx);
    e->t = e->bias / e->bias_se;
    e->p = 2 * gsl_cdf_tdist_Q(fabs(e->t), df);
    e->limit_se = sqrt(s2 * (1 / sw + xbar * xbar / sxx));
    crit = gsl_cdf_tdist_Qinv((1 - level) / 2, df);
    e->limit_ci_lb = e->limit_estimate - crit * e->limit_se;
    e->limit_ci_ub = e->limit_estimate + crit * e->limit_se;
    return MA_OK;
}

/* ---- Egger as regtest(model = "rma"): the meta-regression of regress.c on (1, sei), so
 * that its Fisher scoring (scoring.c), fallbacks and tests are the model's own ---- */

ma_status_t ma_egger_rma(const double *yi, const double *vi, const double *x, size_t k,
                         const ma_rma_opts_t *o, ma_egger_rma_t *e, ma_error_t *err)
{
    ma_rma_opts_t oo;
    ma_reg_t r;
    ma_status_t st;
    double *X;
    size_t i;

    memset(e, 0, sizeof *e);
    if (k < 3)
        return ma_error_set(err, MA_EINPUT, "Egger's test needs at least 3 studies (got %zu)",
                            k);
    if (o)
        oo = *o;
    else
        ma_rma_opts_init(&oo);
    oo.tau2_ci = 0;
    if (!(X = malloc(2 * k * sizeof *X)))
        return ma_error_set(err, MA_ENOMEM, "out of memory (Egger's test, %zu studies)", k);
    for (i = 0; i < k; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = x ? x[i] : sqrt(vi[i]);
    }
    st = ma_regress_fit(yi, vi, k, X, 2, &oo, &r, err);
    free(X);
    if (st == MA_EINPUT)
        return ma_error_set(err, MA_EINPUT, "Egger's test: the predictor is the same for "
                                            "every study");
    if (st != MA_OK)
        return st;
    e->bias = r.b[1];
    e->bias_se = r.se[1];
    e->stat = r.stat[1];
    e->p = r.pval[1];
    e->df = r.df;
    e->limit = r.b[0];
    e->limit_se = r.se[0];
    e->limit_ci_lb = r.ci_lb[0];
    e->limit_ci_ub = r.ci_ub[0];
    e->tau2 = r.tau2;
    e->test = r.test;
    e->method_used = r.method_used;
    memcpy(e->note, r.note, sizeof e->note);
    ma_reg_clear(&r);
    return MA_OK;
}

const char *ma_egger_model_name(ma_egger_model_t m)
{
    return m == MA_EGGER_LM ? "lm" : "rma";
}

int ma_egger_model_parse(const char *s)
{
    return !strcasecmp(s, "rma") ? MA_EGGER_RMA : !strcasecmp(s, "lm") ? MA_EGGER_LM : -1;
}

/* ---- Kendall's tau-b in O(k log k) (Knight 1966) ---- */

typedef struct {
    const double *x, *y;
} xy_t;

/* Orders of the merge sort: by (x, y), and by y alone. */
static int before_xy(const void *ctx, size_t a, size_t b)
{
    const xy_t *d = ctx;
    return d->x[a] < d->x[b] || (d->x[a] == d->x[b] && d->y[a] < d->y[b]);
}

static int before_y(const void *ctx, size_t a, size_t b)
{
    const xy_t *d = ctx;
    return d->y[a] < d->y[b];
}

/* Tie groups of sizes t: sums of t(t-1)/2, t(t-1)(2t+5), t(t-1)(t-2) */
typedef struct {
    double pairs, v5, v2;
} ties_t;

static void tie_add(ties_t *t, double n)
{
    t->pairs += n * (n - 1) / 2;
    t->v5 += n * (n - 1) * (2 * n + 5);
    t->v2 += n * (n - 1) * (n - 2);
}

typedef struct {
    double s, tau, n0;
    ties_t tx, ty;
    double joint; /* pairs tied in both */
} kendall_t;

static ma_status_t kendall(const double *x, const double *y, size_t n, kendall_t *kd,
                           ma_error_t *err)
{
    size_t *a = malloc((n ? n : 1) * sizeof *a), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    xy_t d = {x, y};
    double swaps = 0;
    size_t i, j;

    memset(kd, 0, sizeof *kd);
    if (!a || !tmp) {
        free(a);
        free(tmp);
        return ma_error_set(err, MA_ENOMEM, "out of memory (Kendall's tau, %zu pairs)", n);
    }
    for (i = 0; i < n; i++)
        a[i] = i;
    ma_merge_sort(a, tmp, n, before_xy, &d, NULL);
    for (i = 0; i < n; i = j) { /* ties in x, and in (x, y) */
        size_t l;
        for (j = i + 1; j < n && x[a[j]] == x[a[i]]; j++)
            ;
        tie_add(&kd->tx, (double)(j - i));
        for (l = i; l < j;) {
            size_t m;
            for (m = l + 1; m < j && y[a[m]] == y[a[l]]; m++)
                ;
            kd->joint += (double)(m - l) * (double)(m - l - 1) / 2;
            l = m;
        }
    }
    ma_merge_sort(a, tmp, n, before_y, &d, &swaps);
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && y[a[j]] == y[a[i]]; j++)
            ;
        tie_add(&kd->ty, (double)(j - i));
    }
    free(a);
    free(tmp);
    kd->n0 = (double)n * ((double)n - 1) / 2;
    kd->s = kd->n0 - kd->tx.pairs - kd->ty.pairs + kd->joint - 2 * swaps;
    kd->tau = kd->s / sqrt((kd->n0 - kd->tx.pairs) * (kd->n0 - kd->ty.pairs));
    return MA_OK;
}

double ma_kendall_tau(const double *x, const double *y, size_t k, double *s, ma_error_t *err)
{
    kendall_t kd;
    if (kendall(x, y, k, &kd, err) != MA_OK)
        return NAN;
    if (s)
        *s = kd.s;
    return kd.tau;
}

/* P(T <= q) for T the number of concordant pairs among n untied pairs, which has the
 * distribution of the number of inversions of a random permutation:
 * f_m(s) = (1/m) sum_{j=0}^{m-1} f_{m-1}(s - j), kept as probabilities (no overflow). */
static double kendall_cdf(size_t n, size_t q)
{
    double *f = malloc((q + 1) * sizeof *f), *c = malloc((q + 2) * sizeof *c), p = 0;
    size_t m, s;
    if (!f || !c) {
        free(f);
        free(c);
        return NAN;
    }
    for (s = 0; s <= q; s++)
        f[s] = s == 0;
    for (m = 2; m <= n; m++) {
        c[0] = 0;
        for (s = 0; s <= q; s++)
            c[s + 1] = c[s] + f[s]; /* c[s+1] = sum_{t<=s} f(t) */
        for (s = 0; s <= q; s++)
            f[s] = (c[s + 1] - (s + 1 >= m ? c[s + 1 - m] : 0)) / (double)m;
    }
    for (s = 0; s <= q; s++)
        p += f[s];
    free(f);
    free(c);
    return p > 1 ? 1 : p;
}

double ma_kendall_exact_p(size_t n, double c)
{
    double N = (double)n * ((double)n - 1) / 2, q = c, p;
    /* two-sided as R's cor.test: upper tail P(T >= q) = P(T <= N - q) by symmetry */
    if (q > N / 2)
        q = N - q;
    if (q < 0)
        q = 0;
    p = kendall_cdf(n, (size_t)q);
    return 2 * p < 1 ? 2 * p : 1;
}

ma_status_t ma_begg(const double *yi, const double *vi, size_t k, ma_begg_t *b, ma_error_t *err)
{
    double *ys, sw = 0, swy = 0, theta, vb;
    kendall_t kd;
    size_t i;
    ma_status_t st;

    memset(b, 0, sizeof *b);
    b->tau = b->p = b->z = NAN;
    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "the rank correlation test needs at least 2 "
                                            "studies (got %zu)", k);
    ys = malloc(k * sizeof *ys);
    if (!ys)
        return ma_error_set(err, MA_ENOMEM, "out of memory (rank correlation test)");
    for (i = 0; i < k; i++) {
        sw += 1 / vi[i];
        swy += yi[i] / vi[i];
    }
    theta = swy / sw;
    vb = 1 / sw;
    /* standardized deviates from the common-effect estimate (Begg & Mazumdar 1994) */
    for (i = 0; i < k; i++)
        ys[i] = (yi[i] - theta) / sqrt(vi[i] - vb);
    st = kendall(ys, vi, k, &kd, err);
    free(ys);
    if (st != MA_OK)
        return st;
    b->tau = kd.tau;
    b->ties = kd.tx.pairs > 0 || kd.ty.pairs > 0;
    if (!isfinite(kd.tau))
        return MA_OK;
    if (!b->ties && k <= MA_BEGG_EXACT_MAX) {
        b->exact = 1;
        b->p = ma_kendall_exact_p(k, (kd.s + kd.n0) / 2);
        if (isnan(b->p))
            return ma_error_set(err, MA_ENOMEM, "out of memory (exact Kendall p-value)");
    } else {
        /* normal approximation with the tie-corrected variance of S (as R's cor.test) */
        double n = (double)k;
        double var = (n * (n - 1) * (2 * n + 5) - kd.tx.v5 - kd.ty.v5) / 18
                     + (2 * kd.tx.pairs) * (2 * kd.ty.pairs) / (2 * n * (n - 1))
                     + (k > 2 ? kd.tx.v2 * kd.ty.v2 / (9 * n * (n - 1) * (n - 2)) : 0);
        b->z = kd.s / sqrt(var);
        b->p = 2 * gsl_cdf_ugaussian_Q(fabs(b->z));
    }
    return MA_OK;
}

/* ---- Trim-and-fill ---- */

/* Slope of yi on sqrt(vi) in a meta-regression with the tau2 estimator m (FE, DL, ML or
 * REML) and z tests, as metafor's trimfill() chooses the side: Egger's meta-regression. */
static ma_status_t side_slope(const double *yi, const double *vi, size_t k, ma_method_t m,
                              const ma_rma_opts_t *o, double *slope, ma_error_t *err)
{
    ma_rma_opts_t oo = *o;
    ma_egger_rma_t e;
    ma_status_t st;

    oo.method = m;
    oo.test = MA_TEST_Z;
    st = ma_egger_rma(yi, vi, NULL, k, &oo, &e, err);
    if (st == MA_EINPUT)
        return ma_error_set(err, MA_EINPUT, "trim-and-fill: cannot regress the effects on "
                                            "their standard errors (all equal)");
    if (st != MA_OK)
        return st;
    *slope = e.bias;
    return isfinite(*slope) ? MA_OK
                            : ma_error_set(err, MA_ENUMERIC, "trim-and-fill: the slope of "
                                           "the effects on their standard errors is not "
                                           "finite");
}

void ma_trimfill_clear(ma_trimfill_t *tf)
{
    if (!tf)
        return;
    free(tf->fill_yi);
    free(tf->fill_vi);
    free(tf->fill_of);
    tf->fill_yi = tf->fill_vi = NULL;
    tf->fill_of = NULL;
}

/* Order of the merge sort (sens_internal.h): ascending by a key array. */
static int before_key(const void *ctx, size_t a, size_t b)
{
    const double *key = ctx;
    return key[a] < key[b];
}

/* metafor's trimfill() refits with rma.uni's default control (threshold 1e-5 on the change
 * in tau2, at most 100 iterations, stepadj 1, tau2.init from HE): the model's own control
 * is not passed on.
 * Reproduce that convergence so that the results are metafor's; ma_rma_fit scales tol by
 * the data's tscale (rma_internal.h), hence the division. */
static ma_status_t refit(const double *y, const double *v, size_t n, const ma_rma_opts_t *o,
                         ma_rma_t *r, ma_error_t *err)
{
    ma_rma_opts_t oo = *o;
    ma_wls_t d;
    double *scratch = malloc(n * sizeof *scratch);
    if (!scratch)
        return ma_error_set(err, MA_ENOMEM, "out of memory (trim-and-fill)");
    ma_wls_init(&d, y, v, n, scratch);
    free(scratch);
    oo.tol = 1e-5 / d.tscale;
    oo.maxiter = 100;
    oo.stepadj = 1;
    oo.tau2_init = NAN;
    return ma_rma_fit(y, v, n, &oo, r, err);
}

ma_status_t ma_trimfill(const double *yi, const double *vi, size_t k, ma_tf_estimator_t est,
                        ma_side_t side, const ma_rma_opts_t *o, ma_trimfill_t *tf,
                        ma_error_t *err)
{
    ma_rma_opts_t oo, ot;
    double *ys = NULL, *vs = NULL, *c = NULL, *ac = NULL, *ya = NULL, *va = NULL, beta = NAN;
    size_t *ix = NULL, *rk = NULL, *tmp = NULL, i, n = k;
    long k0 = 0, k0_prev = -1;
    double se_k0 = NAN, sign;
    ma_status_t st = MA_OK;
    ma_rma_t fit;
    const char *side_note = "";

    memset(tf, 0, sizeof *tf);
    tf->estimator = est;
    tf->side_slope = tf->se_k0 = tf->p_k0 = tf->trimmed_estimate = NAN;
    if (o)
        oo = *o;
    else
        ma_rma_opts_init(&oo);
    ot = oo;
    ot.tau2_ci = 0; /* the trimmed fits only need the estimate */
    if (k < 2 || (side == MA_SIDE_AUTO && k < 3))
        return ma_error_set(err, MA_EINPUT, "trim-and-fill needs at least %d studies (got %zu)",
                            side == MA_SIDE_AUTO ? 3 : 2, k);
    if (side == MA_SIDE_AUTO) {
        ma_method_t m = oo.method;
        if (m != MA_METHOD_FE && m != MA_METHOD_DL && m != MA_METHOD_ML && m != MA_METHOD_REML) {
            side_note = "side chosen with a REML meta-regression; ";
            m = MA_METHOD_REML;
        }
        if ((st = side_slope(yi, vi, k, m, &oo, &tf->side_slope, err)) != MA_OK)
            return st;
        side = tf->side_slope < 0 ? MA_SIDE_RIGHT : MA_SIDE_LEFT;
        tf->side_auto = 1;
    }
    tf->side = side;
    sign = side == MA_SIDE_RIGHT ? -1 : 1; /* work on -yi when studies are missing right */

    ys = malloc(n * sizeof *ys);
    vs = malloc(n * sizeof *vs);
    c = malloc(n * sizeof *c);
    ac = malloc(n * sizeof *ac);
    ix = malloc(n * sizeof *ix);
    rk = malloc(n * sizeof *rk);
    tmp = malloc(n * sizeof *tmp);
    if (!ys || !vs || !c || !ac || !ix || !rk || !tmp) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory (trim-and-fill, %zu studies)", k);
        goto done;
    }
    for (i = 0; i < n; i++) {
        c[i] = sign * yi[i];
        ix[i] = i;
    }
    ma_merge_sort(ix, tmp, n, before_key, c, NULL);
    for (i = 0; i < n; i++) {
        ys[i] = c[ix[i]];
        vs[i] = vi[ix[i]];
    }

    while (k0 != k0_prev) {
        double kd = (double)n, k0r;
        k0_prev = k0;
        if (++tf->iterations > 100) {
            st = ma_error_set(err, MA_ENUMERIC, "trim-and-fill did not converge in 100 "
                                                "iterations");
            goto done;
        }
        if ((st = refit(ys, vs, n - (size_t)k0, &ot, &fit, err)) != MA_OK)
            goto done;
        beta = fit.estimate;
        for (i = 0; i < n; i++) {
            c[i] = ys[i] - beta;
            ac[i] = fabs(c[i]);
            rk[i] = i;
        }
        /* ranks of |c|, ties by position (ties.method "first") */
        ma_merge_sort(rk, tmp, n, before_key, ac, NULL);
        if (est == MA_TF_L0) {
            double sr = 0, var;
            for (i = 0; i < n; i++)
                if (c[rk[i]] > 0)
                    sr += (double)(i + 1);
            k0r = (4 * sr - kd * (kd + 1)) / (2 * kd - 1);
            var = (kd * (kd + 1) * (2 * kd + 1) + 10 * k0r * k0r * k0r + 27 * k0r * k0r
                   + 17 * k0r - 18 * kd * k0r * k0r - 18 * kd * k0r + 6 * kd * kd * k0r) / 24;
            se_k0 = 4 * sqrt(var) / (2 * kd - 1);
        } else {
            double maxneg = 0;
            for (i = 0; i < n; i++)
                if (c[rk[i]] < 0)
                    maxneg = (double)(i + 1);
            if (maxneg == 0) {
                st = ma_error_set(err, MA_ENUMERIC, "trim-and-fill R0: every centred effect "
                                  "lies on one side, k0 is undefined");
                goto done;
            }
            k0r = kd - maxneg - 1;
            se_k0 = sqrt(2 * (k0r > 0 ? k0r : 0) + 2);
        }
        k0r = nearbyint(k0r); /* R's round(): halves to even */
        k0 = k0r > 0 ? (long)k0r : 0;
        if (se_k0 < 0)
            se_k0 = 0;
        if ((size_t)k0 >= n) {
            st = ma_error_set(err, MA_ENUMERIC, "trim-and-fill: estimated %ld missing studies "
                              "of %zu", k0, n);
            goto done;
        }
    }
    tf->k0 = (size_t)k0;
    tf->se_k0 = se_k0;
    tf->trimmed_estimate = sign * beta;
    if (est == MA_TF_R0)
        tf->p_k0 = pow(0.5, (double)k0 + 1); /* 1 - sum_{j=0}^{k0} 0.5^(j+1) */
    if (k0 > 0) {
        size_t k0u = (size_t)k0;
        tf->fill_yi = malloc(k0u * sizeof *tf->fill_yi);
        tf->fill_vi = malloc(k0u * sizeof *tf->fill_vi);
        tf->fill_of = malloc(k0u * sizeof *tf->fill_of);
        ya = malloc((n + k0u) * sizeof *ya);
        va = malloc((n + k0u) * sizeof *va);
        if (!tf->fill_yi || !tf->fill_vi || !tf->fill_of || !ya || !va) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory (trim-and-fill)");
            goto done;
        }
        memcpy(ya, yi, n * sizeof *ya);
        memcpy(va, vi, n * sizeof *va);
        /* the k0 most extreme studies mirrored about the trimmed estimate */
        for (i = 0; i < k0u; i++) {
            size_t s = ix[n - k0u + i];
            tf->fill_of[i] = s;
            tf->fill_yi[i] = sign * (2 * beta - ys[n - k0u + i]);
            tf->fill_vi[i] = vi[s];
            ya[n + i] = tf->fill_yi[i];
            va[n + i] = tf->fill_vi[i];
        }
        st = refit(ya, va, n + k0u, &oo, &tf->fit, err);
    } else {
        st = ma_rma_fit(yi, vi, n, &oo, &tf->fit, err);
    }
    if (st == MA_OK && side_note[0]) {
        char buf[sizeof tf->fit.note];
        snprintf(buf, sizeof buf, "%s%.200s", side_note, tf->fit.note);
        memcpy(tf->fit.note, buf, sizeof buf);
    }
done:
    free(ys);
    free(vs);
    free(c);
    free(ac);
    free(ix);
    free(rk);
    free(tmp);
    free(ya);
    free(va);
    if (st != MA_OK)
        ma_trimfill_clear(tf);
    return st;
}

/* ---- Rosenthal's fail-safe N (Stouffer's combined z) ---- */

ma_status_t ma_fsn_rosenthal(const double *yi, const double *vi, size_t k, double alpha,
                             ma_fsn_t *f, ma_error_t *err)
{
    double sz = 0, za, n, kd = (double)k;
    size_t i;
    memset(f, 0, sizeof *f);
    if (k < 1)
        return ma_error_set(err, MA_EINPUT, "fail-safe N needs at least 1 study");
    if (!(alpha > 0 && alpha < 1))
        return ma_error_set(err, MA_EUSAGE, "fail-safe N: alpha must lie in (0, 1)");
    for (i = 0; i < k; i++)
        sz += yi[i] / sqrt(vi[i]);
    f->alpha = alpha;
    f->z = fabs(sz / sqrt(kd));
    f->p = gsl_cdf_ugaussian_Q(f->z);
    za = gsl_cdf_ugaussian_Qinv(alpha);
    n = kd * (f->z / za) * (f->z / za) - kd;
    if (n < 0)
        n = 0;
    /* rounded up, unless within sqrt(machine epsilon) of an integer (as metafor) */
    f->fsn = fabs(n - nearbyint(n)) >= 1.4901161193847656e-08 ? ceil(n) : nearbyint(n);
    return MA_OK;
}
