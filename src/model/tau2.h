/* Private to the model code: the tau2 estimators of the intercept-only model (tau2.c). */
#ifndef IASTM_TAU2_H
#define IASTM_TAU2_H

#include "iastm/rma.h"
#include "wls.h"

/* tau2 estimator on prepared data (k >= 2). Returns MA_ENUMERIC on non-convergence,
 * with *tau2 NaN. *ll0_reset set to 1 when ML/REML were reset to 0 by the log-likelihood
 * check at tau2 = 0 (as metafor's ll0check); *damped (may be NULL) to 1 when Fisher
 * scoring had to shorten its step to climb. */
ma_status_t ma_tau2_fit(const ma_wls_t *d, ma_method_t m, const ma_rma_opts_t *o,
                        double *tau2, int *iterations, int *ll0_reset, int *damped);

#endif
