/* Mixed-effects meta-regression (metafor rma.uni with mods): WLS with p coefficients,
 * O(k p^2) per iteration; p is small. */
#ifndef IASTM_REGRESS_H
#define IASTM_REGRESS_H

#include <stddef.h>
#include "error.h"
#include "rma.h"

typedef struct {
    size_t k, p;          /* studies, coefficients (intercept included) */
    double *b, *se, *stat, *pval, *ci_lb, *ci_ub; /* p each (owned) */
    ma_test_t test;       /* test used (z when k = 1) */
    double df;            /* knha, t, adhoc: k - p; NaN under z */
    double tau2, I2, H2, R2; /* R2 in percent as metafor (NaN when undefined) */
    double QM, QM_df, QM_p;  /* omnibus test of the coefficients but the intercept (F under
                                knha, t, adhoc: QM is then metafor's F statistic, QM_df
                                its df1) */
    double QE, QE_df, QE_p;  /* residual heterogeneity */
    int converged, iterations;
    ma_method_t method_used;
    char note[256];
} ma_reg_t;

/* Fit. X is k x p, row-major, with the intercept column included when wanted. Returns
 * MA_EINPUT when X is rank deficient (message names the problem). */
ma_status_t ma_regress_fit(const double *yi, const double *vi, size_t k, const double *X,
                           size_t p, const ma_rma_opts_t *o, ma_reg_t *r, ma_error_t *err);
void ma_reg_clear(ma_reg_t *r); /* free the arrays; accepts a zeroed struct */

#endif
