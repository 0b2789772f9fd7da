/* The tau2 estimators of metafor's rma.uni for the intercept-only model: DL, HS, HE, SJ
 * (closed form), PM (root of the generalised Q), ML, REML, EB (Fisher scoring). */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "methods.h"
#include "tau2.h"
#include "scoring.h"

/* sum (yi - ybar)^2 and sum vi */
static void raw_sums(const ma_wls_t *d, double *ss, double *sv)
{
    ma_acc_t a = {0, 0}, b = {0, 0};
    size_t i0, i, k = d->k;
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double pa = 0, pb = 0;
        for (i = i0; i < i1; i++) {
            double r = d->yi[i] - d->ybar;
            pa += r * r;
            pb += d->vi[i];
        }
        ma_acc_add(&a, pa);
        ma_acc_add(&b, pb);
    }
    *ss = ma_acc_get(&a);
    *sv = ma_acc_get(&b);
}

/* Hedges (HE): (RSS - tr(PV))/(k-1) with unweighted P, i.e. var(yi) - mean(vi). */
static double tau2_he(const ma_wls_t *d)
{
    double ss, sv, k = (double)d->k;
    raw_sums(d, &ss, &sv);
    return ss / (k - 1) - sv / k;
}

/* sum log(1 + tau2/vi), for the log-likelihood difference to tau2 = 0 */
static double sum_log1p(const ma_wls_t *d, double tau2)
{
    ma_acc_t a = {0, 0};
    size_t i0, i, k = d->k;
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double p = 0;
        for (i = i0; i < i1; i++)
            p += log1p(tau2 / d->vi[i]);
        ma_acc_add(&a, p);
    }
    return ma_acc_get(&a);
}

typedef struct {
    const ma_wls_t *d;
    ma_method_t m;
} score_arg_t;

/* The scoring equations of ML, REML and EB at tau2. */
static ma_status_t score_eval(double tau2, void *arg, ma_score_eval_t *e)
{
    const score_arg_t *a = arg;
    const ma_wls_t *d = a->d;
    double k = (double)d->k;
    ma_wsums_t s;

    ma_wls_eval(d, tau2, &s);
    /* one coefficient: P = W - w w'/sum(w) */
    ma_score_equation(a->m, k, 1.0, s.q, s.sw, s.sw2, s.sw2r2, s.trP, s.trPP, e);
    return MA_OK;
}

/* Fisher scoring for ML, REML and EB from tau2_init or max(0, HE), as metafor, with the
 * shared ascent safeguard (scoring.c). */
static ma_status_t fisher_scoring(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                                  double *tau2_out, int *iterations, int *damped)
{
    score_arg_t a = {d, m};
    double t0 = o->tau2_init >= 0 && isfinite(o->tau2_init) ? o->tau2_init
                                                              : fmax(0.0, tau2_he(d));
    return ma_fisher_scoring(score_eval, &a, isfinite(t0) ? t0 : 0.0, o->stepadj,
                             o->tol * d->tscale, o->maxiter, tau2_out, iterations, damped);
}

/* metafor's ll0check: if the (restricted) log-likelihood at tau2 = 0 exceeds the one at
 * the estimate by more than tol, scoring stopped at a local maximum: use tau2 = 0. */
static int ll0_higher(const ma_wls_t *d, ma_method_t m, double tau2, double tol)
{
    ma_wsums_t s0, s;
    double diff;
    ma_wls_eval(d, 0.0, &s0);
    ma_wls_eval(d, tau2, &s);
    diff = 0.5 * sum_log1p(d, tau2) - 0.5 * (s0.q - s.q);
    if (m == MA_METHOD_REML)
        diff -= 0.5 * log(s0.sw / s.sw);
    return diff > tol;
}

/* The estimators of the method table (methods.h), for k >= 2. */
ma_status_t ma_tau2_uni_fe(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    (void)d, (void)m, (void)o, (void)iterations, (void)reset, (void)damped;
    *tau2 = 0;
    return MA_OK;
}

/* DerSimonian & Laird 1986: (Q - (k-1)) / tr(P), FE weights */
ma_status_t ma_tau2_uni_dl(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    ma_wsums_t s;
    (void)m, (void)o, (void)iterations, (void)reset, (void)damped;
    ma_wls_eval(d, 0.0, &s);
    *tau2 = (s.q - ((double)d->k - 1)) / s.trP;
    return MA_OK;
}

/* Hunter-Schmidt as metafor: (Q - k) / sum(w) */
ma_status_t ma_tau2_uni_hs(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    ma_wsums_t s;
    (void)m, (void)o, (void)iterations, (void)reset, (void)damped;
    ma_wls_eval(d, 0.0, &s);
    *tau2 = (s.q - (double)d->k) / s.sw;
    return MA_OK;
}

ma_status_t ma_tau2_uni_he(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    (void)m, (void)o, (void)iterations, (void)reset, (void)damped;
    *tau2 = tau2_he(d);
    return MA_OK;
}

/* Sidik & Jonkman 2005: tau0 = sum (yi - ybar)^2 / k, then tau0 Q(tau0)/(k-1) */
ma_status_t ma_tau2_uni_sj(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    double k = (double)d->k, ss, sv, t0;
    ma_wsums_t s;
    (void)m, (void)o, (void)iterations, (void)reset, (void)damped;
    raw_sums(d, &ss, &sv);
    t0 = ss / k;
    *tau2 = 0;
    if (t0 > 0) {
        ma_wls_eval(d, t0, &s);
        *tau2 = t0 * s.q / (k - 1);
    }
    return MA_OK;
}

/* Paule & Mandel 1982: Q(tau2) = k - 1, or 0 when Q(0) < k - 1 */
ma_status_t ma_tau2_uni_pm(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                           double *tau2, int *iterations, int *reset, int *damped)
{
    double k = (double)d->k;
    (void)m, (void)reset, (void)damped;
    *tau2 = 0;
    if (ma_wls_q(d, 0.0) >= k - 1)
        return ma_q_root(d, k - 1, 100.0, o->tol, o->maxiter, tau2, iterations);
    return MA_OK;
}

/* ML, REML, EB: Fisher scoring; ML and REML then metafor's ll0check */
ma_status_t ma_tau2_uni_lik(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                            double *tau2, int *iterations, int *reset, int *damped)
{
    ma_status_t st = fisher_scoring(d, m, o, tau2, iterations, damped);
    if (st == MA_OK && m != MA_METHOD_EB && *tau2 > o->tol && ll0_higher(d, m, *tau2, o->tol)) {
        *tau2 = 0;
        *reset = 1;
    }
    return st;
}

ma_status_t ma_tau2_fit(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                        double *tau2, int *iterations, int *ll0_reset, int *damped)
{
    const ma_method_def_t *def = ma_method_def(m);
    double t = 0;
    ma_status_t st;
    int dummy;

    if (!damped)
        damped = &dummy;
    *damped = 0;
    *iterations = 0;
    *ll0_reset = 0;
    *tau2 = NAN;
    if (!def)
        return MA_EUSAGE;
    st = def->uni(d, m, o, &t, iterations, ll0_reset, damped);
    if (st != MA_OK)
        return st;
    if (!isfinite(t))
        return MA_ENUMERIC;
    *tau2 = t > 0 ? t : 0; /* truncation at 0 as metafor (tau2.min = 0) */
    return MA_OK;
}
