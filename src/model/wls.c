/* Weighted sums of one intercept-only fit at a given tau2 (O(k), compensated) and the
 * decreasing-root search on them: the building blocks of the tau2 estimators (tau2.c), the
 * Q-profile interval (qprofile.c), the fit (rma.c) and the subgroup and bias code. */
#include <float.h>
#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "wls.h"

void ma_wls_init(ma_wls_t *d, const double *yi, const double *vi, size_t k, double *scratch)
{
    ma_acc_t sy = {0, 0}, sr = {0, 0}, sv = {0, 0};
    size_t i0, i;
    double m;
    d->yi = yi;
    d->vi = vi;
    d->k = k;
    d->w = scratch;
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double b = 0, bv = 0;
        for (i = i0; i < i1; i++) {
            b += yi[i];
            bv += vi[i];
        }
        ma_acc_add(&sy, b);
        ma_acc_add(&sv, bv);
    }
    d->tscale = fmin(1.0, ma_acc_get(&sv) / (double)k);
    m = ma_acc_get(&sy) / (double)k;
    /* second pass corrects the mean for rounding */
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double b = 0;
        for (i = i0; i < i1; i++)
            b += yi[i] - m;
        ma_acc_add(&sr, b);
    }
    d->ybar = m + ma_acc_get(&sr) / (double)k;
}

/* tr(P) and tr(PP) for P = W - w w'/S, S = sum w, from sums over the studies other than
 * the one of largest weight wmax, with u = w/wmax and d = (wmax - w)/wmax (both in [0, 1]):
 * with r = sum u, a2 = sum u^2, d1 = sum u d, b = sum u^2 d, c = sum u^2 d^2,
 * e = sum u^2 d (1 + u),
 *   tr(P)  = wmax (r^2 + r + d1) / (1 + r),
 *   tr(PP) = wmax^2 (r^2 a2 + 2 r b + c + r^2 + a2^2 + e + a2) / (1 + r)^2,
 * expansions of tr(P) = sum_i w_i (S - w_i)/S and tr(PP) = sum_i P_ii^2 + sum_{i!=j} P_ij^2
 * in which every term is non-negative. The textbook forms S - sum w^2/S and
 * sum w^2 - 2 sum w^3/S + (sum w^2/S)^2 cancel to nothing (or below 0) when one vi is
 * orders of magnitude below the others. */
static void traces_p(const double *w, size_t k, size_t imax, double *trP, double *trPP)
{
    ma_acc_t ar = {0, 0}, aa2 = {0, 0}, ad1 = {0, 0}, ab = {0, 0}, ac = {0, 0}, ae = {0, 0};
    double wmax = w[imax], r, a2;
    size_t i0, i;
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double br = 0, ba2 = 0, bd1 = 0, bb = 0, bc = 0, be = 0;
        for (i = i0; i < i1; i++) {
            double u, dd, u2;
            if (i == imax)
                continue;
            u = w[i] / wmax;
            dd = (wmax - w[i]) / wmax;
            u2 = u * u;
            br += u;
            ba2 += u2;
            bd1 += u * dd;
            bb += u2 * dd;
            bc += u2 * dd * dd;
            be += u2 * dd * (1 + u);
        }
        ma_acc_add(&ar, br);
        ma_acc_add(&aa2, ba2);
        ma_acc_add(&ad1, bd1);
        ma_acc_add(&ab, bb);
        ma_acc_add(&ac, bc);
        ma_acc_add(&ae, be);
    }
    r = ma_acc_get(&ar);
    a2 = ma_acc_get(&aa2);
    *trP = wmax * ((r * r + r + ma_acc_get(&ad1)) / (1 + r));
    *trPP = wmax * wmax
            * ((r * r * a2 + 2 * r * ma_acc_get(&ab) + ma_acc_get(&ac) + r * r + a2 * a2
                + ma_acc_get(&ae) + a2)
               / ((1 + r) * (1 + r)));
}

void ma_wls_eval(const ma_wls_t *d, double tau2, ma_wsums_t *s)
{
    const double *y = d->yi, *v = d->vi;
    double *w = d->w, c = d->ybar, e;
    ma_acc_t sw = {0, 0}, swd = {0, 0}, sw2 = {0, 0}, sw3 = {0, 0}, q = {0, 0}, q2 = {0, 0};
    size_t k = d->k, i0, i, imax = 0;

    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (i = i0; i < i1; i++) {
            double wi = 1.0 / (v[i] + tau2), wi2 = wi * wi;
            w[i] = wi;
            if (wi > w[imax])
                imax = i;
            b0 += wi;
            b1 += wi * (y[i] - c);
            b2 += wi2;
            b3 += wi2 * wi;
        }
        ma_acc_add(&sw, b0);
        ma_acc_add(&swd, b1);
        ma_acc_add(&sw2, b2);
        ma_acc_add(&sw3, b3);
    }
    s->sw = ma_acc_get(&sw);
    s->sw2 = ma_acc_get(&sw2);
    s->sw3 = ma_acc_get(&sw3);
    e = ma_acc_get(&swd) / s->sw;
    s->mu = c + e;
    for (i0 = 0; i0 < k; i0 += MA_BLOCK) {
        size_t i1 = i0 + MA_BLOCK < k ? i0 + MA_BLOCK : k;
        double b0 = 0, b1 = 0;
        for (i = i0; i < i1; i++) {
            double r = (y[i] - c) - e, wr2 = w[i] * r * r;
            b0 += wr2;
            b1 += w[i] * wr2;
        }
        ma_acc_add(&q, b0);
        ma_acc_add(&q2, b1);
    }
    s->q = ma_acc_get(&q);
    s->sw2r2 = ma_acc_get(&q2);
    traces_p(w, k, imax, &s->trP, &s->trPP);
}

double ma_wls_q(const ma_wls_t *d, double tau2)
{
    ma_wsums_t s;
    ma_wls_eval(d, tau2, &s);
    return s.q;
}

ma_status_t ma_brent(double (*fn)(double x, void *arg), void *arg, double a, double b,
                     double epsabs, double epsrel, int maxiter, double *root, int *iter)
{
    gsl_function f;
    gsl_root_fsolver *s;
    int it = 0, status;
    ma_status_t st = MA_ENUMERIC;

    *root = NAN;
    if (iter)
        *iter = 0;
    f.function = fn;
    f.params = arg;
    s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return MA_ENOMEM;
    status = gsl_root_fsolver_set(s, &f, a, b);
    while (status == GSL_SUCCESS && it < maxiter) {
        it++;
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                        epsabs, epsrel);
        if (status == GSL_SUCCESS) {
            *root = gsl_root_fsolver_root(s);
            st = MA_OK;
            break;
        }
        if (status != GSL_CONTINUE)
            break;
        status = GSL_SUCCESS;
    }
    gsl_root_fsolver_free(s);
    if (iter)
        *iter = it;
    return st;
}

ma_status_t ma_root_decreasing(double (*fn)(double tau2, void *arg), void *arg, double hi,
                               double tol, int maxiter, double *root, int *iter)
{
    double lo = 0, f0 = fn(0, arg), fhi;
    int grow;

    *iter = 0;
    *root = NAN;
    if (isnan(f0))
        return MA_ENUMERIC;
    if (f0 <= 0) {
        *root = 0;
        return MA_OK;
    }
    /* the function decreases as tau2 grows: widen the bracket until it changes sign */
    fhi = fn(hi, arg);
    for (grow = 0; fhi > 0 && grow < 600; grow++) {
        lo = hi;
        hi *= 4;
        if (!isfinite(hi))
            return MA_ENUMERIC;
        fhi = fn(hi, arg);
    }
    if (!(fhi <= 0))
        return MA_ENUMERIC;
    if (fhi == 0) {
        *root = hi;
        return MA_OK;
    }
    /* absolute tolerance, plus a few ulps so that huge tau2 can terminate */
    return ma_brent(fn, arg, lo, hi, tol, 4 * DBL_EPSILON, maxiter, root, iter);
}

typedef struct {
    const ma_wls_t *d;
    double target;
} q_target_t;

static double q_minus_target(double tau2, void *p)
{
    const q_target_t *qt = p;
    return ma_wls_q(qt->d, tau2) - qt->target;
}

ma_status_t ma_q_root(const ma_wls_t *d, double target, double hi, double tol, int maxiter,
                      double *root, int *iter)
{
    q_target_t qt = {d, target};
    return ma_root_decreasing(q_minus_target, &qt, hi, tol * d->tscale, maxiter, root, iter);
}
