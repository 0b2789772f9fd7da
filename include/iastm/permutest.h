/* Permutation tests for the pooled effect and for meta-regression coefficients, as
 * metafor's permutest() (Follmann and Proschan 1999; Higgins and Thompson 2004). */
#ifndef IASTM_PERMUTEST_H
#define IASTM_PERMUTEST_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "progress.h"
#include "rma.h"

typedef struct {
    ma_rma_opts_t rma;  /* method and test of the model (tau2_ci is not used) */
    int exact;          /* 1: exact test whatever its size (metafor's exact = TRUE) */
    uint64_t iter;      /* permutations of the approximate test, >= 2 (default 1000); the
                         * test is exact when the exact number of permutations is <= iter */
    uint64_t seed;      /* permutation i is drawn from stream i of this seed (default 1) */
    ma_run_opts_t run;
} ma_permutest_opts_t;

void ma_permutest_opts_init(ma_permutest_opts_t *o);

typedef struct {
    size_t k, p;        /* studies; coefficients (1 without moderators) */
    int exact;          /* 1: every distinct permutation was used */
    double exact_iter;  /* permutations of the exact test (metafor's exact.iter; HUGE_VAL
                         * when beyond 2^53) */
    uint64_t iter;      /* permutations used (exact_iter, or iter with the observed data
                         * counted as the first, as metafor) */
    uint64_t failed;    /* fits that failed (exact test: left out, as metafor's na.rm) */
    ma_test_t test;
    ma_method_t method_used;
    double tau2;        /* observed model */
    double *b, *se, *stat, *pval_model; /* p each: coefficient, se, z (t under knha),
                                         * model-based p-value */
    double *pval;       /* p permutation p-values: share of |stat*| >= |stat| - tol */
    double QM, QM_df, QM_pval_model, QM_pval; /* omnibus test of the coefficients but the
                         * intercept (the intercept alone without moderators): QM is z^2 or
                         * F under knha; QM_pval the permutation p-value */
    unsigned threads;
} ma_permutest_t;       /* arrays owned; free with ma_permutest_clear */

/* Without moderators (X NULL, p 0): the signs of yi are flipped (2^k permutations). With
 * moderators: X is k x p row-major including the intercept column; the rows of X are
 * permuted against (yi, vi) (k! / prod(ties!) distinct permutations, ties being identical
 * rows). p-values as metafor: mean(|stat*| >= |stat| - sqrt(machine eps)) over the
 * permutations that could be fitted. Returns MA_EINTR when interrupted (r incomplete). */
ma_status_t ma_permutest(const double *yi, const double *vi, size_t k, const double *X,
                         size_t p, const ma_permutest_opts_t *o, ma_permutest_t *r,
                         ma_error_t *err);
void ma_permutest_clear(ma_permutest_t *r); /* accepts a zeroed struct */

#endif
