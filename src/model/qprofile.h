/* Private to the model code: the Q-profile interval for tau2 (qprofile.c). */
#ifndef IASTM_QPROFILE_H
#define IASTM_QPROFILE_H

#include "wls.h"

/* Q-profile CI for tau2 (Viechtbauer 2007) at the given level, k >= 2, as metafor's
 * confint(): the search runs on [0, max(100, 10 tau2)] and a bound beyond its end is
 * reported as that end with *capped = 1. Returns MA_ENUMERIC (bound NaN) when a root
 * search fails. */
ma_status_t ma_qprofile_ci(const ma_wls_t *d, double level, double tau2, double *lb,
                           double *ub, int *capped);

#endif
