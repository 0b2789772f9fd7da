/* Small-study effects and publication bias for models without moderators: Egger's
 * regression test, Begg and Mazumdar's rank correlation, trim-and-fill, Rosenthal's
 * fail-safe N (as metafor's regtest(), ranktest(), trimfill(), fsn()). */
#ifndef IASTM_BIAS_H
#define IASTM_BIAS_H

#include <stddef.h>
#include "error.h"
#include "rma.h"

/* Fewer studies than this: the tests have little power (reports say so). */
#define MA_BIAS_MIN_K 10

/* regtest()'s predictor x of the effects: sei (default), vi, ni, ninv (1/ni), sqrtni,
 * sqrtninv (1/sqrt(ni)), ni the total sample size (n1 + n2) of a study. */
typedef enum {
    MA_EGGER_SEI = 0, MA_EGGER_VI, MA_EGGER_NI, MA_EGGER_NINV, MA_EGGER_SQRTNI,
    MA_EGGER_SQRTNINV
} ma_egger_pred_t;
const char *ma_egger_pred_name(ma_egger_pred_t p); /* "sei", "vi", ... */
int ma_egger_pred_parse(const char *s);            /* -1 when unknown; case-insensitive */
/* 1 when x tends to 0 as a study grows (sei, vi, ninv, sqrtninv): the intercept is then
 * the limit estimate, which regtest() reports only for these. */
int ma_egger_pred_has_limit(ma_egger_pred_t p);
/* x[0..k) of predictor p from vi and ni (ni may be NULL for sei and vi). MA_EINPUT when
 * a sample size is missing or not positive: the message names study i + 1. */
ma_status_t ma_egger_predictor(ma_egger_pred_t p, const double *vi, const double *ni,
                               size_t k, double *x, ma_error_t *err);

/* Classic Egger test: weighted least squares of yi on x (sei unless given) with weights
 * 1/vi and the residual variance estimated (lm); the x coefficient is the bias, tested with
 * t on k - 2 df; the intercept is the limit estimate (effect of a study with x = 0). */
typedef struct {
    double bias, bias_se, t, df, p;
    double limit_estimate, limit_se, limit_ci_lb, limit_ci_ub;
} ma_egger_t;

/* x NULL: sei = sqrt(vi). Needs k >= 3 and x not all equal (MA_EINPUT). `level` as in
 * ma_rma_opts_t. */
ma_status_t ma_egger(const double *yi, const double *vi, const double *x, size_t k,
                     double level, ma_egger_t *e, ma_error_t *err);

/* Egger's test as metafor's regtest() default (model = "rma", predictor = "sei"): the
 * meta-regression of yi on (1, sei), or on another predictor x (regress.c), with the
 * model's tau2 method, test and level, as regtest() refits the model it is given. The x
 * coefficient is the bias, tested with the model's test (z; knha, t, adhoc: t with k - 2
 * df); the intercept is the limit estimate (effect at x = 0) with the model's CI. */
typedef struct {
    double bias, bias_se, stat, df, p; /* df NaN under z */
    double limit, limit_se, limit_ci_lb, limit_ci_ub;
    double tau2;             /* residual heterogeneity of the meta-regression */
    ma_test_t test;
    ma_method_t method_used; /* differs from o->method after a fallback (see note) */
    char note[256];
} ma_egger_rma_t;

/* x: another predictor (ma_egger_predictor), NULL for sei. Needs k >= 3 and x not all
 * equal (MA_EINPUT); `o` NULL: the defaults (REML, z). */
ma_status_t ma_egger_rma(const double *yi, const double *vi, const double *x, size_t k,
                         const ma_rma_opts_t *o, ma_egger_rma_t *e, ma_error_t *err);

/* Which of the two: metafor's default "rma" (ma_egger_rma) or the classic "lm" (ma_egger). */
typedef enum { MA_EGGER_RMA = 0, MA_EGGER_LM } ma_egger_model_t;
const char *ma_egger_model_name(ma_egger_model_t m); /* "rma", "lm" */
int ma_egger_model_parse(const char *s);             /* -1 when unknown; case-insensitive */

/* Begg-Mazumdar: Kendall's tau (tau-b) between standardized deviates
 * (yi - theta_FE)/sqrt(vi - 1/sum w) and vi. The p-value is exact (distribution of
 * Kendall's statistic) when there are no ties and k <= MA_BEGG_EXACT_MAX, as R's
 * cor.test(exact = TRUE) that metafor calls; otherwise the normal approximation with the
 * tie-corrected variance (z is then set). */
#define MA_BEGG_EXACT_MAX 1000
typedef struct {
    double tau, p;
    int exact; /* 1: exact p-value */
    int ties;  /* 1: ties in either variable */
    double z;  /* normal statistic when not exact; NaN otherwise */
} ma_begg_t;

ma_status_t ma_begg(const double *yi, const double *vi, size_t k, ma_begg_t *b,
                    ma_error_t *err); /* k >= 2 */

/* Kendall's tau-b of x and y (O(k log k), Knight's algorithm), with the number of
 * concordant minus discordant pairs in *s (may be NULL). NaN when undefined. */
double ma_kendall_tau(const double *x, const double *y, size_t k, double *s, ma_error_t *err);

/* Exact two-sided p-value of Kendall's statistic for n untied pairs with c concordant pairs
 * (R's cor.test exact branch). NaN when out of memory. */
double ma_kendall_exact_p(size_t n, double c);

/* Trim-and-fill (Duval & Tweedie 2000) as metafor's trimfill.rma.uni. */
typedef enum { MA_TF_L0 = 0, MA_TF_R0 } ma_tf_estimator_t;
typedef enum { MA_SIDE_AUTO = 0, MA_SIDE_LEFT, MA_SIDE_RIGHT } ma_side_t;

typedef struct {
    ma_tf_estimator_t estimator;
    ma_side_t side;        /* side where studies are missing (left or right after fit) */
    int side_auto;         /* 1: side chosen by the sign of the slope of yi on sei in a
                            * meta-regression (negative slope: right), as metafor */
    double side_slope;     /* that slope (NaN when the side was given) */
    size_t k0;             /* estimated number of missing studies */
    double se_k0;
    double p_k0;           /* R0 only: P(k0 >= observed | no missing studies); NaN for L0 */
    int iterations;
    double trimmed_estimate; /* estimate from the trimmed data at convergence */
    double *fill_yi, *fill_vi; /* k0 filled (mirrored) studies, owned */
    size_t *fill_of;       /* k0: index of the study each one mirrors, owned */
    ma_rma_t fit;          /* fit on observed + filled data (the observed fit when k0 = 0) */
} ma_trimfill_t;

/* `o` (NULL: defaults): its method, test and level are used for every fit. As metafor's
 * trimfill(), the trimmed fits and the fit on the filled data use rma.uni's default
 * convergence control (threshold 1e-5 on tau2, 100 iterations, stepadj 1), not the one in
 * `o`, so that the results are metafor's; with k0 = 0 the fit is the observed one with `o`
 * as given. The side regression supports FE, DL, ML and REML; for the other methods the
 * side is chosen with REML (noted in fit.note) unless given. Needs k >= 3 with an automatic
 * side, k >= 2 otherwise. MA_ENUMERIC when the iteration does not settle in 100 rounds or
 * (R0) every centred effect lies on one side. Free with ma_trimfill_clear. */
ma_status_t ma_trimfill(const double *yi, const double *vi, size_t k, ma_tf_estimator_t est,
                        ma_side_t side, const ma_rma_opts_t *o, ma_trimfill_t *tf,
                        ma_error_t *err);
void ma_trimfill_clear(ma_trimfill_t *tf); /* frees the arrays; accepts a zeroed struct */

const char *ma_side_name(ma_side_t s); /* "left", "right", "auto" */

/* Rosenthal's fail-safe N (Stouffer's method, as metafor fsn(type="Rosenthal")): the number
 * of studies averaging z = 0 that would raise the one-sided combined p above alpha. fsn is
 * rounded up to an integer as metafor does. */
typedef struct {
    double fsn, z, p, alpha;
} ma_fsn_t;

ma_status_t ma_fsn_rosenthal(const double *yi, const double *vi, size_t k, double alpha,
                             ma_fsn_t *f, ma_error_t *err);

#endif
