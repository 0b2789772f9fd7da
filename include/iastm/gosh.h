/* GOSH: graphical display of study heterogeneity (Olkin, Dahabreh and Trikalinos 2012), as
 * metafor's gosh(): a fit of every subset of the studies (or of random subsets). */
#ifndef IASTM_GOSH_H
#define IASTM_GOSH_H

#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "progress.h"
#include "rma.h"

/* Probabilities of the reported quantiles (R's quantile type 7). */
#define MA_GOSH_NQ 7
extern const double ma_gosh_probs[MA_GOSH_NQ]; /* 0, .025, .25, .5, .75, .975, 1 */

/* Quantities with quantiles: estimate, I2, tau2. */
enum { MA_GOSH_EST = 0, MA_GOSH_I2, MA_GOSH_TAU2, MA_GOSH_NQTY };

/* The subsets' (estimate, I2) pairs for a plot, binned as they come: O(1) per subset, so
 * that millions of subsets make a grid, not millions of points. Every estimate is a
 * weighted mean of the yi (positive weights), so the grid spans [min yi, max yi] x
 * [0, 100] and is fixed before the first fit. The pairs themselves are kept as well when
 * there are at most max_points subsets. */
typedef struct {
    size_t nx, ny;          /* bins of the estimate and of I2 */
    size_t max_points;
    double x_lo, x_hi;      /* set by ma_gosh: the estimate's range */
    uint64_t *count;        /* nx * ny, row-major by I2 bin: count[iy * nx + ix] */
    double *px, *py;        /* np pairs (estimate, I2) when subsets <= max_points */
    size_t np;
} ma_gosh_grid_t;

/* Allocate an empty grid; MA_ENOMEM. ma_gosh_grid_free accepts a zeroed grid. */
ma_status_t ma_gosh_grid_init(ma_gosh_grid_t *g, size_t nx, size_t ny, size_t max_points,
                              ma_error_t *err);
void ma_gosh_grid_free(ma_gosh_grid_t *g);

typedef struct {
    ma_method_t method;  /* default REML (the pooling default). FE and DL: metafor's closed forms (I2 = (Q - (m-1))/Q, H2 =
                          * Q/(m-1)), O(1) per subset for FE and for DL subsets with tau2 = 0;
                          * other methods: a full fit of each subset (I2, H2 from tau2) */
    uint64_t subsets;    /* 0: FE and DL: all subsets when 2^k - 1 <= 2^30, else 10^6
                          * random ones; other methods: all when 2^k - 1 <= 10^6, else
                          * 10^6 random ones (metafor's default);
                          * N > 0: all subsets when 2^k - 1 <= N (metafor's rule), else N
                          * random ones */
    uint64_t seed;       /* random subsets: subset i is drawn from stream i of this seed */
    uint64_t q_cap;      /* quantiles from at most about this many values (default 2^25):
                          * beyond it from a pseudo-random (hash of the subset) sample */
    ma_rma_opts_t rma;   /* fit options of the other methods */
    ma_run_opts_t run;
    FILE *all;           /* not NULL: every subset as CSV rows
                          * "subset,k,estimate,I2,H2,tau2,Q,method" (subset: one 0/1 per
                          * study, study 1 first), in bitmask order (all subsets) or draw
                          * order */
    ma_gosh_grid_t *grid; /* not NULL: an initialised grid to fill (see above) */
} ma_gosh_opts_t;

void ma_gosh_opts_init(ma_gosh_opts_t *o); /* REML, defaults above, seed 1 */

typedef struct {
    size_t k;
    ma_method_t method;
    int exact;                /* 1: all 2^k - 1 subsets */
    uint64_t subsets;         /* subsets fitted */
    uint64_t failed;          /* fits that failed (left out of means and quantiles) */
    double mean_estimate, mean_I2, mean_H2, mean_tau2, mean_Q, mean_k;
    double q[MA_GOSH_NQTY][MA_GOSH_NQ];
    uint64_t q_n;             /* values behind the quantiles */
    int q_sampled;            /* 1: quantiles from a sample (subsets > q_cap) */
    unsigned threads;         /* threads used */
} ma_gosh_t;

/* Run. k >= 2 (MA_EINPUT otherwise), vi > 0. All subsets need k <= 62. Returns MA_EINTR
 * when interrupted (then `r` is incomplete and must not be reported), MA_EIO when writing
 * `all` failed. */
ma_status_t ma_gosh(const double *yi, const double *vi, size_t k, const ma_gosh_opts_t *o,
                    ma_gosh_t *r, ma_error_t *err);

#endif
