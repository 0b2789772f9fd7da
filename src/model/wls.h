/* Private to the model code: O(k) weighted sums of an intercept-only fit at a given tau2
 * and root searches in tau2 (wls.c). */
#ifndef IASTM_WLS_H
#define IASTM_WLS_H

#include <math.h>
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

/* Root of fn on the bracket [a, b] by GSL Brent, until the interval is below
 * epsabs + epsrel * |x|, in at most maxiter iterations: the one root search of the models.
 * MA_ENUMERIC when the bracket is not one, GSL fails or maxiter is reached; MA_ENOMEM;
 * *iter (may be NULL) gets the iterations. */
ma_status_t ma_brent(double (*fn)(double x, void *arg), void *arg, double a, double b,
                     double epsabs, double epsrel, int maxiter, double *root, int *iter);

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

#endif
