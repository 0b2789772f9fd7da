/* Bootstrap confidence intervals for the pooled estimate and tau2: nonparametric
 * (studies resampled with replacement) or parametric (yi* ~ N(mu, vi + tau2) under the
 * fitted model), percentile and BCa intervals (Efron 1987). */
#ifndef IASTM_BOOT_H
#define IASTM_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "progress.h"
#include "rma.h"

typedef enum { MA_BOOT_NONPARAM = 0, MA_BOOT_PARAM } ma_boot_type_t;

typedef struct {
    ma_boot_type_t type; /* default nonparametric */
    uint64_t reps;       /* replicates, default 1000 */
    uint64_t seed;       /* replicate b is drawn from stream b of this seed (default 1): the
                          * results do not depend on the number of threads */
    int bca;             /* 1: BCa intervals too (k leave-one-out fits for the acceleration) */
    ma_rma_opts_t rma;   /* model of every fit; rma.level is the interval level */
    ma_run_opts_t run;
} ma_boot_opts_t;

void ma_boot_opts_init(ma_boot_opts_t *o);

typedef struct {
    double observed;       /* value of the fit to the data */
    double mean, bias, se; /* over the replicates fitted: mean, mean - observed, SD */
    double pct_lb, pct_ub; /* percentile interval: type-7 quantiles at (1 -+ level)/2 */
    double bca_lb, bca_ub; /* BCa interval (NaN unless asked, or when z0 is infinite) */
    double z0, accel;      /* BCa bias correction Phi^-1(#(t* < t)/B) and jackknife
                            * acceleration sum(L^3) / (6 sum(L^2)^1.5) */
} ma_boot_ci_t;

typedef struct {
    size_t k;
    ma_boot_type_t type;
    ma_method_t method;
    double level;
    uint64_t reps, failed;  /* replicates drawn; fits that failed (left out) */
    ma_boot_ci_t estimate, tau2;
    double *est_rep, *tau2_rep; /* reps values in replicate order (NaN: failed); owned */
    unsigned threads;
} ma_boot_t;

/* Run. k >= 2. Returns MA_EINTR when interrupted (r incomplete and cleared). */
ma_status_t ma_boot(const double *yi, const double *vi, size_t k, const ma_boot_opts_t *o,
                    ma_boot_t *r, ma_error_t *err);
void ma_boot_clear(ma_boot_t *r); /* accepts a zeroed struct */

#endif
