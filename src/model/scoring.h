/* Private to the model code: the one Fisher-scoring loop for tau2 (scoring.c), used by
 * the intercept-only fit, meta-regression and the trim-and-fill side regression. */
#ifndef IASTM_SCORING_H
#define IASTM_SCORING_H

#include "iastm/error.h"
#include "iastm/rma.h"

/* One evaluation of the scoring equation at tau2 (scoring.c): the step is num/den. */
typedef struct {
    double num;     /* twice the score, e.g. Y'PPY - tr(P) for REML */
    double den;     /* twice the Fisher information, e.g. tr(PP); must be > 0 */
} ma_score_eval_t;

/* The scoring equation of ML, REML or EB (m) with p coefficients over k studies, from the
 * sums at tau2 of the weights w = 1/(vi + tau2): q = Y'PY, sw = tr(W), sw2 = tr(W^2),
 * ypy2 = Y'PPY, and for REML trP = tr(P), trPP = tr(PP) (P the residual projection). */
void ma_score_equation(ma_method_t m, double k, double p, double q, double sw, double sw2,
                       double ypy2, double trP, double trPP, ma_score_eval_t *e);

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

#endif
