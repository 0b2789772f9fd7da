/* Common-effect and random-effects pooling of yi, vi as metafor's rma.uni (no moderators). */
#ifndef IASTM_RMA_H
#define IASTM_RMA_H

#include <stddef.h>
#include "error.h"

typedef enum {
    MA_METHOD_FE = 0, MA_METHOD_DL, MA_METHOD_REML, MA_METHOD_ML, MA_METHOD_PM,
    MA_METHOD_HS, MA_METHOD_SJ, MA_METHOD_HE, MA_METHOD_EB
} ma_method_t;

/* Inference on the coefficients, as metafor's test argument: z; Knapp-Hartung (knha):
 * variance scaled by the weighted residual sum of squares over k - p, t with k - p df;
 * t: the z variance, t with k - p df; adhoc: Knapp-Hartung with the scale never below 1,
 * so that the SE is never below the z one. */
typedef enum { MA_TEST_Z = 0, MA_TEST_KNHA, MA_TEST_T, MA_TEST_ADHOC } ma_test_t;

/* Prediction interval: metafor's default (z, or t with k-1 df under knha), or
 * Higgins-Thompson-Spiegelhalter (t with k-2 df). */
typedef enum { MA_PI_DEFAULT = 0, MA_PI_HTS } ma_pi_t;

typedef struct {
    ma_method_t method;  /* default REML */
    ma_test_t test;      /* default z */
    ma_pi_t pi;          /* default MA_PI_DEFAULT */
    double level;        /* confidence level, default 0.95 */
    int maxiter;         /* Fisher scoring iterations, default 1000 */
    double tol;          /* convergence threshold on |delta tau2|, default 1e-12 */
    int tau2_ci;         /* 1: compute the Q-profile CI for tau2 (and I2, H2), default 1 */
    double stepadj;      /* Fisher scoring step multiplier (metafor's stepadj), default 1;
                          * values <= 0 are taken as 1. The step is halved further while it
                          * would lower the (restricted) log-likelihood. */
    double tau2_init;    /* Fisher scoring start (metafor's tau2.init); NaN (default) or
                          * negative: max(0, Hedges' estimate) as metafor */
} ma_rma_opts_t;

/* Defaults as documented above. */
void ma_rma_opts_init(ma_rma_opts_t *o);

typedef struct {
    size_t k;
    ma_method_t method;      /* method requested */
    ma_method_t method_used; /* method actually used (differs after a fallback) */
    ma_test_t test;          /* test used (z when k = 1) */
    int converged;           /* 1 when the requested estimator converged */
    int iterations;          /* iterations used by iterative estimators */
    char note[256];          /* fallback or boundary notes for the text output ("" if none) */

    double estimate, se, stat, pval, ci_lb, ci_ub;
    double df;               /* t degrees of freedom under knha, t, adhoc (k-1); NaN under z */
    double tau2, tau;        /* 0 for FE */
    double tau2_lb, tau2_ub; /* Q-profile CI; NaN when undefined (FE, k = 1, not asked) */
    int tau2_ci_capped;      /* 1: a bound lies beyond metafor's search limit max(100, 10 tau2)
                              * and is reported as that limit (metafor prints "> limit") */
    double I2, I2_lb, I2_ub; /* percent */
    double H2, H2_lb, H2_ub;
    double Q, Q_df, Q_p;     /* Cochran's Q with the FE weights */
    double pi_lb, pi_ub;     /* prediction interval; NaN for FE */
    double vbar;             /* "typical" within-study variance used for I2/H2 */
} ma_rma_t;

/* Fit the model. vi must all be > 0 and finite (MA_EINPUT otherwise), k >= 1.
 * k = 1: tau2 = 0, z test, heterogeneity quantities NaN where undefined. */
ma_status_t ma_rma_fit(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                       ma_rma_t *r, ma_error_t *err);

/* Weights in percent of each study under the fitted model (1/(vi + tau2), normalised). */
void ma_rma_weights(const double *vi, size_t k, double tau2, double *w_pct);

/* tau2 estimate alone for a method (used by subgroup, leave-one-out, resampling code).
 * Returns MA_OK and sets *tau2; on non-convergence returns MA_ENUMERIC. */
ma_status_t ma_tau2_estimate(const double *yi, const double *vi, size_t k, ma_method_t m,
                             const ma_rma_opts_t *o, double *tau2, int *iterations);

/* The tau2 methods, one row each in the table of src/model/methods.c. */
typedef enum {
    MA_METHOD_KIND_COMMON,     /* no tau2: the common-effect model */
    MA_METHOD_KIND_MOMENT,     /* closed form (method of moments and the like) */
    MA_METHOD_KIND_ROOT,       /* root of an estimating equation (generalised Q) */
    MA_METHOD_KIND_LIKELIHOOD  /* Fisher scoring on a (restricted) likelihood */
} ma_method_kind_t;

typedef struct {
    const char *name;      /* metafor's method= name, e.g. "REML" */
    ma_method_kind_t kind;
    int fallback;          /* the method tried when this one fails to converge; -1: none */
} ma_method_info_t;

size_t ma_method_count(void);                          /* methods are 0 .. count-1 */
const ma_method_info_t *ma_method_info(ma_method_t m); /* NULL when m is no method */
const char *ma_method_name(ma_method_t m); /* "REML" ... */
const char *ma_test_name(ma_test_t t);     /* "z", "knha", "t", "adhoc" */
int ma_test_parse(const char *s);          /* -1 when unknown; hksj = knha */
int ma_method_parse(const char *s);        /* -1 when unknown; case-insensitive */

#endif
