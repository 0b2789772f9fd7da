/* Private to the sensitivity code (loo.c, cumul.c, influence.c, bias.c). */
#ifndef IASTM_SENS_INTERNAL_H
#define IASTM_SENS_INTERNAL_H

#include <stddef.h>
#include "iastm/rma.h"

/* Mark a refit that could not be made: NaN numbers, converged = 0, the reason in note. */
void ma_rma_mark_failed(ma_rma_t *r, size_t k, const ma_rma_opts_t *o, const ma_error_t *e);

/* 1 when a refit error is fatal for the whole analysis (memory, bad options or data). */
int ma_refit_fatal(const ma_error_t *e);

/* Refit without each study i in turn (loo.c): each(ctx, i, y, v, fit, e) gets the k-1
 * other studies in their order, the fit, and NULL, or the error of a refit that failed
 * without being fatal; a fatal one (ma_refit_fatal) ends the walk and is returned. `what`
 * names the analysis in the out-of-memory message. */
typedef void (*ma_loo_each_fn)(void *ctx, size_t i, const double *y, const double *v,
                               const ma_rma_t *fit, const ma_error_t *e);
ma_status_t ma_loo_each(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                        const char *what, ma_loo_each_fn each, void *ctx, ma_error_t *err);

/* Stable merge sort of the index array a (n entries, tmp as long): before(ctx, i, j)
 * nonzero when i goes first; ties keep their order. With swaps, adds the number of
 * exchanges (pairs out of order) to *swaps (cumul.c). */
typedef int (*ma_before_fn)(const void *ctx, size_t a, size_t b);
void ma_merge_sort(size_t *a, size_t *tmp, size_t n, ma_before_fn before, const void *ctx,
                   double *swaps);

#endif
