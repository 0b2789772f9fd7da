/* Case-deletion diagnostics for models without moderators, as metafor's
 * influence.rma.uni() (Viechtbauer & Cheung 2010). */
#ifndef IASTM_INFLUENCE_H
#define IASTM_INFLUENCE_H

#include <stddef.h>
#include "error.h"
#include "rma.h"

typedef struct {
    double rstudent; /* externally studentized residual */
    double dffits;
    double cook_d;   /* Cook's distance */
    double cov_r;    /* covariance ratio: var(estimate) without / with the study */
    double tau2_del; /* tau2 with the study left out */
    double QE_del;   /* Q with the study left out */
    double hat;      /* leverage: w_i / sum w */
    double weight;   /* weight in percent */
    double dfbetas;  /* DFBETAS of the pooled estimate */
    double estimate_del; /* pooled estimate with the study left out */
    int inf;         /* 1: flagged as influential by metafor's rules (see ma_influence) */
} ma_infl_t;

/* Diagnostics of each study (out: k entries, allocated by the caller) for the model with
 * options `o` (NULL: defaults); `full` receives the fit of all studies (may be NULL).
 * A study is flagged influential (metafor) when |dffits| > 3 sqrt(1/(k-1)), or
 * pchisq(cook_d, 1) > 0.5, or hat > 3/k, or |dfbetas| > 1. A refit that fails leaves that
 * study's deletion quantities NaN. Needs k >= 2; O(k) work per deletion. */
ma_status_t ma_influence(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                         ma_infl_t *out, ma_rma_t *full, ma_error_t *err);

/* The cutoffs used for the flag, for reports: |dffits|, hat. */
double ma_influence_dffits_cut(size_t k);
double ma_influence_hat_cut(size_t k);

#endif
