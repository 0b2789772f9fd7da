/* Bayesian random-effects meta-analysis: the normal-normal hierarchical model with a prior
 * on tau (bayesmeta's definitions, Röver 2020), computed by deterministic quadrature. */
#ifndef IASTM_BAYES_H
#define IASTM_BAYES_H

#include <stddef.h>
#include "error.h"

typedef enum {
    MA_TAU_HALFNORMAL = 0, /* 2 dnorm(tau, 0, S) */
    MA_TAU_HALFCAUCHY,     /* 2 dcauchy(tau, 0, S) */
    MA_TAU_HALFSTUDENT,    /* 2 dt(tau / S, NU) / S */
    MA_TAU_LOMAX,          /* (A / S) (1 + tau / S)^-(A + 1) */
    MA_TAU_UNIFORM,        /* 1 / (B - A) on [A, B], B finite */
    MA_TAU_JEFFREYS        /* sqrt(sum_i (tau / (v_i + tau^2))^2), improper */
} ma_tau_prior_kind_t;

typedef struct {
    ma_tau_prior_kind_t kind;
    double scale; /* S: halfnormal, halfcauchy, halfstudent, lomax */
    double df;    /* NU: halfstudent */
    double shape; /* A: lomax */
    double lo, hi; /* A, B: uniform */
} ma_tau_prior_t;

/* Parse "halfnormal:S", "halfcauchy:S", "halfstudent:S:NU", "lomax:S:A", "uniform:A:B" or
 * "jeffreys" (names case-insensitive; numbers parsed strictly). MA_EUSAGE with the reason
 * (unknown name, malformed or out-of-range parameter) in err->msg. */
ma_status_t ma_tau_prior_parse(const char *s, ma_tau_prior_t *p, ma_error_t *err);

/* "halfnormal:0.5" style text (the form parsed above, numbers %g) into buf; returns buf. */
char *ma_tau_prior_format(const ma_tau_prior_t *p, char *buf, size_t n);
/* Readable description, e.g. "half-normal (scale 0.5)"; returns buf. */
char *ma_tau_prior_describe(const ma_tau_prior_t *p, char *buf, size_t n);

typedef struct {
    ma_tau_prior_t tau_prior; /* default halfnormal:0.5 */
    int mu_normal;            /* 1: mu ~ N(mu_mean, mu_sd^2); 0 (default): flat */
    double mu_mean, mu_sd;
    double level;             /* interval level, default 0.95 */
    double margin;            /* P(mu > margin) is reported too (default 0) */
    size_t gl_points;         /* Gauss-Legendre points per subinterval (default 15) */
} ma_bayes_opts_t;

void ma_bayes_opts_init(ma_bayes_opts_t *o);

/* Posterior summary of one quantity. Moments that do not exist (heavy-tailed posterior)
 * are NaN, with the reason in ma_bayes_t.note. */
typedef struct {
    double median, mean, sd;
    double lb, ub;   /* central interval */
    double slb, sub; /* shortest interval */
} ma_post_summary_t;

typedef struct {
    size_t k;
    ma_post_summary_t tau, mu, theta; /* theta: the effect of a new study */
    double mu_p_gt0;                  /* P(mu > 0 | y) */
    double mu_p_gt_margin;            /* P(mu > margin | y) */
    double log_marglik;  /* log of integral prior(tau) p(y | tau) dtau (flat mu: relative to
                          * the density 1 on mu, as bayesmeta); NaN for an improper tau prior */
    size_t nodes;        /* quadrature nodes over tau */
    /* Posterior of each study's own effect theta_i (shrinkage), k values each; owned,
     * released by ma_bayes_free. */
    double *shrunk_mean, *shrunk_sd, *shrunk_lb, *shrunk_ub;
    char note[512];      /* why a moment is missing, "" if none */
} ma_bayes_t;

/* Fit the model to yi, vi (vi > 0 and finite, k >= 1). MA_EUSAGE when the posterior is
 * improper for this k (e.g. Jeffreys prior with k = 1 and a flat prior on mu), MA_EINPUT
 * for bad data, MA_ENUMERIC when the quadrature fails, MA_ENOMEM. On success free r with
 * ma_bayes_free. */
ma_status_t ma_bayes_fit(const double *yi, const double *vi, size_t k, const ma_bayes_opts_t *o,
                         ma_bayes_t *r, ma_error_t *err);

void ma_bayes_free(ma_bayes_t *r); /* accepts NULL; frees the arrays only */

#endif
