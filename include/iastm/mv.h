/* Multilevel and correlated-and-hierarchical effects (CHE) models for dependent effect
 * sizes, as R metafor's rma.mv(yi, V, random = ~ 1 | cluster/obs) with V from
 * vcalc(vi, cluster, obs, rho, grp1, grp2, w1, w2), and CR2 cluster-robust inference with
 * Satterthwaite degrees of freedom as clubSandwich's coef_test / conf_int. Every step works
 * cluster by cluster: O(sum of n_j^3) per iteration, never a k x k matrix. */
#ifndef IASTM_MV_H
#define IASTM_MV_H

#include <stddef.h>
#include "error.h"

typedef enum { MA_MV_REML = 0, MA_MV_ML } ma_mv_method_t;

typedef struct {
    ma_mv_method_t method;   /* REML (default) or ML */
    double rho;              /* sampling correlation of two rows of one cluster with
                                different obs (CHE; rows with the same obs correlate 1, and
                                shared arms enter as vcalc's grp1/grp2); NaN (default):
                                the multilevel model, V = diag(vi) */
    double level;            /* confidence level, default 0.95 */
    int sigma2_ci;           /* 1 (default): profile-likelihood CIs of the components */
    int robust;              /* 1 (default): CR2 cluster-robust inference */
    int max_iter;            /* Fisher scoring iterations, default 500 */
} ma_mv_opts_t;

void ma_mv_opts_init(ma_mv_opts_t *o);

/* The rows: yi, vi, the cluster (ids 0..nclusters-1) and the obs (any ids; rows of one
 * cluster with the same obs share the obs-level random effect and, in V, correlate 1
 * instead of rho). Shared arms (multi-arm trials, as vcalc's grp1/grp2/w1/w2): grp1 and
 * grp2 are the ids of the two groups each row compares and w1, w2 their sizes; NULL
 * arrays mean grp1 = 0, grp2 = 1 and w1 = w2 = 1 for every row (no shared arm). X is
 * k x p row-major (NULL: intercept only, p = 1); terms names its p columns (NULL:
 * "intrcpt"). cluster_label (NULL allowed) names each row's cluster in messages. */
typedef struct {
    size_t k;
    const double *yi, *vi;
    const size_t *cluster;
    size_t nclusters;
    const size_t *obs;
    const size_t *grp1, *grp2;
    const double *w1, *w2;
    const double *X;
    size_t p;
    const char *const *cluster_label;
} ma_mv_data_t;

typedef struct {
    size_t k, p, nclusters, nobs;  /* rows, coefficients, clusters, obs-level units */
    ma_mv_method_t method;
    double rho;                    /* as given (NaN: multilevel, V = diag(vi)) */
    double *b, *se, *stat, *pval, *ci_lb, *ci_ub;          /* p each, z tests */
    double *rve_se, *rve_df, *rve_stat, *rve_p, *rve_ci_lb, *rve_ci_ub; /* p each, CR2 */
    double sigma2_cluster, sigma2_obs;
    double sigma2_cluster_lb, sigma2_cluster_ub, sigma2_obs_lb, sigma2_obs_ub; /* profile */
    double Q, Q_df, Q_p;           /* residual heterogeneity, with V alone */
    double QM, QM_df, QM_p;        /* Wald test of the coefficients but the intercept */
    double logLik, deviance, AIC, BIC;
    int converged, iterations;
    char note[512];                /* "" or why some inference is unreliable */
} ma_mv_t;

/* Fit. Errors: MA_EUSAGE for bad options (rho outside (-1, 1), level outside (0, 1)),
 * MA_EINPUT for data that cannot be fitted (fewer than 2 rows, vi <= 0, X rank deficient,
 * a cluster whose V block is not positive definite), MA_ENUMERIC when the fit fails. On
 * success the arrays of *r are new; free with ma_mv_clear. */
ma_status_t ma_mv_fit(const ma_mv_data_t *d, const ma_mv_opts_t *o, ma_mv_t *r,
                      ma_error_t *err);
void ma_mv_clear(ma_mv_t *r); /* accepts a zeroed struct */

#endif
