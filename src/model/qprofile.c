/* Roots of the generalised Q statistic in tau2: the Q-profile CI for tau2 (Viechtbauer
 * 2007, as metafor's confint.rma.uni). */
#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "qprofile.h"
#include "wls.h"

/* confint.rma.uni's iteration limit for the CI search */
#define QP_MAXITER 1000
/* CI bounds to this absolute precision (metafor reference: confint(control = list(tol)) */
#define QP_TOL 1e-12

typedef struct {
    double p, df;
    int upper;
} chisq_target_t;

static double chisq_tail_minus_p(double x, void *v)
{
    const chisq_target_t *c = v;
    return (c->upper ? gsl_cdf_chisq_Q(x, c->df) : gsl_cdf_chisq_P(x, c->df)) - c->p;
}

/* Chi-square quantile with tail probability p (upper or lower tail). GSL's inverse is the
 * starting point, but it is silently wrong for df >= ~1e5 (e.g. df = 1e5), so the value is
 * always refined by Brent's method on the CDF, with Wilson-Hilferty as the fallback start. */
static ma_status_t chisq_quantile(double p, double df, int upper, double *x)
{
    chisq_target_t c = {p, df, upper};
    double g, a, b, fa, fb, d = 1e-3;
    int i;

    *x = NAN;
    g = upper ? gsl_cdf_chisq_Qinv(p, df) : gsl_cdf_chisq_Pinv(p, df);
    if (!(g > 0) || !isfinite(g)) {
        double z = upper ? gsl_cdf_ugaussian_Qinv(p) : gsl_cdf_ugaussian_Pinv(p);
        double h = 2 / (9 * df), t = 1 - h + z * sqrt(h);
        g = t > 0 ? df * t * t * t : df * 1e-3;
    }
    fa = fb = chisq_tail_minus_p(g, &c);
    if (fa == 0) {
        *x = g;
        return MA_OK;
    }
    a = b = g;
    /* the tail function falls (upper) or rises (lower) with x: step towards the root */
    for (i = 0; i < 200 && (fa > 0) == (fb > 0); i++) {
        if ((fa > 0) == (upper != 0)) {
            a = b;
            fa = fb;
            b = g * (1 + d);
            fb = chisq_tail_minus_p(b, &c);
        } else {
            b = a;
            fb = fa;
            a = g / (1 + d);
            fa = chisq_tail_minus_p(a, &c);
        }
        d *= 2;
    }
    if ((fa > 0) == (fb > 0))
        return MA_ENUMERIC;
    return ma_brent(chisq_tail_minus_p, &c, a, b, 0, 4 * DBL_EPSILON, 200, x, NULL);
}

ma_status_t ma_qprofile_ci(const ma_wls_t *d, double level, double tau2, double *lb,
                          double *ub, int *capped)
{
    double df = (double)(d->k - 1), alpha = 1 - level, q0, qmax, crit_u, crit_l;
    /* metafor's search interval: [0, max(100, 10 tau2)] */
    double tmax = fmax(100.0, 10 * tau2);
    int it;
    ma_status_t st = MA_OK, s1;

    *lb = *ub = NAN;
    *capped = 0;
    /* lower bound solves Q = upper chi-square quantile, upper bound Q = lower quantile */
    if (chisq_quantile(alpha / 2, df, 1, &crit_u) != MA_OK
        || chisq_quantile(alpha / 2, df, 0, &crit_l) != MA_OK)
        return MA_ENUMERIC;
    q0 = ma_wls_q(d, 0.0);
    qmax = ma_wls_q(d, tmax);
    /* bounds truncated at 0 and, as metafor, at the end of the search interval */
    if (q0 < crit_l) {
        *lb = *ub = 0;
    } else if (qmax > crit_l) {
        *ub = tmax;
        *capped = 1;
    } else {
        s1 = ma_q_root(d, crit_l, tmax, QP_TOL, QP_MAXITER, ub, &it);
        if (s1 != MA_OK)
            st = s1;
    }
    if (qmax > crit_u) {
        *lb = *ub = tmax;
        *capped = 1;
    } else if (q0 < crit_u) {
        *lb = 0;
    } else {
        s1 = ma_q_root(d, crit_u, tmax, QP_TOL, QP_MAXITER, lb, &it);
        if (s1 != MA_OK)
            st = s1;
    }
    return st;
}
