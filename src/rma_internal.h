/* Private to the pooling code: O(k) weighted sums at a given tau2, shared by the tau2
 * estimators (tau2.c), the Q-profile interval (qprofile.c) and the fit (rma.c). */
#ifndef IASTM_RMA_INTERNAL_H
#define IASTM_RMA_INTERNAL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include "iastm/rma.h"

/* Blockwise summation: plain sums over short blocks, block totals added with Neumaier's
 * compensation, so the error does not grow with k (10^6 studies) at little cost. */
#define MA_BLOCK 64

typedef struct {
    double s, c;
} ma_acc_t;

static inline void ma_acc_add(ma_acc_t *a, double x)
{
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static inline double ma_acc_get(const ma_acc_t *a)
{
    return a->s + a->c;
}

/* Data of one fit plus a scratch array for the weights (k doubles, owned by the caller). */
typedef struct {
    const double *yi, *vi;
    size_t k;
    double ybar;   /* unweighted mean, the centre for the weighted sums */
    double tscale; /* min(1, mean vi): absolute tau2 tolerances are scaled by it, so that
                    * data with tiny variances get the same relative precision */
    double *w;     /* scratch: w[i] = 1/(vi[i] + tau2) of the last evaluation */
} ma_wls_t;

/* Sums with weights w = 1/(vi + tau2) and residuals r = yi - mu. */
typedef struct {
    double sw, sw2, sw3; /* sum w, sum w^2, sum w^3 */
    double mu;           /* weighted mean, sum(w yi)/sum(w) */
    double q;            /* generalised Q: sum w r^2 */
    double sw2r2;        /* sum w^2 r^2 (= Y'PPY of metafor) */
    double trP, trPP;    /* tr(P), tr(PP) with P = W - w w'/sum(w), as sums of non-negative
                          * terms (no cancellation when one weight dominates) */
} ma_wsums_t;

/* Fill `d` (computes ybar). `scratch` must hold k doubles. */
void ma_wls_init(ma_wls_t *d, const double *yi, const double *vi, size_t k, double *scratch);

/* All sums at tau2, in two passes (mean, then residuals) with blockwise compensated
 * summation. O(k). */
void ma_wls_eval(const ma_wls_t *d, double tau2, ma_wsums_t *s);

/* Generalised Q statistic at tau2 (Q_gen of the Q-profile method). */
double ma_wls_q(const ma_wls_t *d, double tau2);

/* One evaluation of the scoring equation at tau2 (scoring.c): the step is num/den. */
typedef struct {
    double num;     /* twice the score, e.g. Y'PPY - tr(P) for REML */
    double den;     /* twice the Fisher information, e.g. tr(PP); must be > 0 */
} ma_score_eval_t;

typedef ma_status_t (*ma_score_fn)(double tau2, void *arg, ma_score_eval_t *e);

/* Fisher scoring as metafor's rma.uni from tau2_init (>= 0): step num/den * stepadj,
 * halved while it would leave [0, inf); and, unlike metafor, halved again (for the rest of
 * the run) while it would lower the log-likelihood (trapezoidal rule on the score), so
 * that an oscillating iteration converges to the maximum metafor finds with a smaller
 * stepadj. Converged when the step before that damping is <= tol (absolute, plus a few
 * ulps of tau2). At most maxiter steps, each trying at most 61 lengths. MA_ENUMERIC on
 * non-convergence or when an evaluation is not finite; *damped is 1 when the step was
 * halved for ascent. */
ma_status_t ma_fisher_scoring(ma_score_fn fn, void *arg, double tau2_init, double stepadj,
                              double tol, int maxiter, double *tau2, int *iterations,
                              int *damped);

/* Append to a note buffer of `size` bytes, "; " between notes, cut at the buffer's end. */
void ma_note_vappend(char *note, size_t size, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;

/* The note of a fallback from m, which stopped after `it` iterations (of maxiter), to
 * next: "did not converge" when the iterations ran out, else "without a finite solution". */
void ma_fallback_note(char *note, size_t size, ma_method_t m, int it, int maxiter,
                      ma_method_t next);

/* Root of a function of tau2 that decreases on [0, inf): 0 when fn(0) <= 0; otherwise the
 * bracket [0, hi] is widened (hi grows 4x while fn(hi) > 0) and GSL Brent narrows it to
 * |interval| < tol (absolute, plus a few ulps). MA_ENUMERIC when fn(0) is NaN, no bracket is
 * found, GSL fails or maxiter is exceeded; *iter gets the Brent iterations. */
ma_status_t ma_root_decreasing(double (*fn)(double tau2, void *arg), void *arg, double hi,
                               double tol, int maxiter, double *root, int *iter);

/* Decreasing root of Q(tau2) = target on [0, inf) by ma_root_decreasing: brackets upward from `hi` (growing it by
 * 4x while Q(hi) > target), then GSL Brent to |interval| < tol * tscale (plus a few ulps).
 * Requires Q(0) >= target. Returns MA_OK and *root, or MA_ENUMERIC (no bracket, GSL error,
 * more than maxiter iterations); *iter gets the Brent iterations. */
ma_status_t ma_q_root(const ma_wls_t *d, double target, double hi, double tol, int maxiter,
                      double *root, int *iter);

/* tau2 estimator on prepared data (k >= 2). Returns MA_ENUMERIC on non-convergence,
 * with *tau2 NaN. *ll0_reset set to 1 when ML/REML were reset to 0 by the log-likelihood
 * check at tau2 = 0 (as metafor's ll0check); *damped (may be NULL) to 1 when Fisher
 * scoring had to shorten its step to climb. */
ma_status_t ma_tau2_fit(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                        double *tau2, int *iterations, int *ll0_reset, int *damped);

/* MA_ENUMERIC naming the study (1-based) whose weight 1/vi overflows, or the smallest vi
 * when the sum of the weights does; MA_OK when all are finite. */
ma_status_t ma_check_weights(const double *vi, size_t k, ma_error_t *err);

/* Inference at a given tau2 from the sums s at that tau2 (k >= 2): estimate, se, stat,
 * df, pval, CI by o->test, and the prediction interval (when o->method is not FE) with
 * the test's SE and critical value, or t with k-2 df under --pi hts (as metafor's
 * predict()). r->test is set; notes are added to r->note. */
void ma_rma_inference(const ma_wsums_t *s, size_t k, double tau2, const ma_rma_opts_t *o,
                      ma_rma_t *r);

/* Q-profile CI for tau2 (Viechtbauer 2007) at the given level, k >= 2, as metafor's
 * confint(): the search runs on [0, max(100, 10 tau2)] and a bound beyond its end is
 * reported as that end with *capped = 1. Returns MA_ENUMERIC (bound NaN) when a root
 * search fails. */
ma_status_t ma_qprofile_ci(const ma_wls_t *d, double level, double tau2, double *lb,
                           double *ub, int *capped);

#endif
