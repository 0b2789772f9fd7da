/* Fisher scoring for tau2 (ML, REML, EB), shared by pooling, meta-regression and the
 * trim-and-fill side regression: metafor's iteration, with a step that halves whenever a
 * full step would lower the (restricted) log-likelihood, and every loop bounded.
 *
 * The change of the log-likelihood over a step s from tau2 is measured by the trapezoidal
 * rule on the score, s/2 (score(tau2) + score(tau2 + s)), with score = num/2: exact for a
 * quadratic log-likelihood, and free of the rounding of the log-likelihood itself (its
 * log-determinant loses digits with an uncentred moderator such as a year, so that a
 * direct comparison sees decreases that are not there). For EB, which solves an equation,
 * the same test detects a step that overshoots the root by more than it started from. */
#include <float.h>
#include <math.h>

#include "scoring.h"

/* Halvings of the step for ascent within one iteration: 2^-60 of a Fisher step is below
 * any tolerance, so more cannot help. */
#define MAX_HALVINGS 60
/* metafor halves a step that would leave [0, inf); 2200 halvings reach 0 from DBL_MAX. */
#define MAX_BOUNDARY_HALVINGS 2200

static int usable(const ma_score_eval_t *e)
{
    return isfinite(e->num) && isfinite(e->den) && e->den > 0;
}

void ma_score_equation(ma_method_t m, double k, double p, double q, double sw, double sw2,
                       double ypy2, double trP, double trPP, ma_score_eval_t *e)
{
    if (m == MA_METHOD_EB) {
        /* EB (Morris): (Y'PY k/(k-p) - k) / tr(W); an equation, not a likelihood */
        e->num = q * k / (k - p) - k;
        e->den = sw;
    } else if (m == MA_METHOD_ML) {
        /* (Y'PPY - tr(W)) / tr(W^2) */
        e->num = ypy2 - sw;
        e->den = sw2;
    } else {
        /* REML: (Y'PPY - tr(P)) / tr(PP) */
        e->num = ypy2 - trP;
        e->den = trPP;
    }
}

ma_status_t ma_fisher_scoring(ma_score_fn fn, void *arg, double tau2_init, double stepadj,
                              double tol, int maxiter, double *tau2_out, int *iterations,
                              int *damped)
{
    double tau2 = tau2_init, factor = 1.0;
    ma_score_eval_t cur, next;
    int iter = 0;
    ma_status_t st;

    *iterations = 0;
    *damped = 0;
    if (!(stepadj > 0) || !isfinite(stepadj))
        stepadj = 1.0;
    if (!(tau2 >= 0) || !isfinite(tau2))
        tau2 = 0;
    if ((st = fn(tau2, arg, &cur)) != MA_OK)
        return st;
    while (iter < maxiter) {
        double full, step;
        int h;
        iter++;
        *iterations = iter;
        if (!usable(&cur))
            return MA_ENUMERIC; /* information not positive or a sum not finite */
        full = cur.num / cur.den * stepadj;
        if (!isfinite(full))
            return MA_ENUMERIC;
        /* keep tau2 >= 0 as metafor (tau2.min = 0); ends at exactly 0 at worst */
        for (h = 0; tau2 + full < 0 && h < MAX_BOUNDARY_HALVINGS; h++)
            full /= 2;
        if (tau2 + full < 0)
            full = -tau2;
        /* converged when the undamped step is below tol (metafor's criterion on |change|;
         * a few ulps of tau2 let very large tau2 converge in floating point) */
        if (fabs(full) <= tol + 64 * DBL_EPSILON * tau2) {
            tau2 += factor * full;
            *tau2_out = tau2;
            return MA_OK;
        }
        /* step-halving on a decrease of the log-likelihood: Fisher scoring overshoots where
         * the observed information exceeds twice the expected one; the halved factor is
         * kept for the rest of the run. step has the sign of cur.num unless the boundary
         * clamp made it 0, so the trapezoidal change is >= 0 iff cur.num (cur.num +
         * next.num) >= 0. */
        for (h = 0;; h++) {
            step = factor * full;
            if ((st = fn(tau2 + step, arg, &next)) != MA_OK)
                return st;
            if (usable(&next) && step * (cur.num + next.num) >= 0)
                break;
            if (h == MAX_HALVINGS)
                return MA_ENUMERIC;
            factor /= 2;
            *damped = 1;
        }
        tau2 += step;
        cur = next;
    }
    return MA_ENUMERIC; /* maxiter reached */
}
