/* Cumulative meta-analysis: studies added one at a time in a given order, as metafor's
 * cumul() for models without moderators. */
#ifndef IASTM_CUMUL_H
#define IASTM_CUMUL_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"
#include "rma.h"

/* The order of k studies by a numeric key, as R's order(key, decreasing=): a stable sort
 * (ties keep input order), NaN keys last in either direction. perm (k entries, allocated by
 * the caller) receives the 0-based study indices in that order. MA_ENOMEM on failure. */
ma_status_t ma_cumul_order_num(const double *key, size_t k, int decreasing, size_t *perm,
                               ma_error_t *err);

/* Same for text keys compared bytewise (strcmp); NULL keys (missing) last. */
ma_status_t ma_cumul_order_str(const char *const *key, size_t k, int decreasing, size_t *perm,
                               ma_error_t *err);

/* The one rule for ordering the pooled rows of d by column `col` (cumul --order, forest
 * --type cumul --order): numerically when every cell that is not missing is a number,
 * else bytewise as text; a missing cell (empty, NA, '.', as ma_is_missing) goes last in
 * either direction; ties keep input order. perm (d->k entries) receives pooled-row indices
 * (0..d->k) in that order, key[j] (d->k entries, may be NULL) the cell of pooled row j or
 * NULL when it is missing, *nmissing (may be NULL) the count of missing cells. col NULL:
 * input order. MA_ENOMEM on failure. */
ma_status_t ma_cumul_order_rows(const ma_dataset_t *d, const char *col, int decreasing,
                                size_t *perm, const char **key, size_t *nmissing,
                                ma_error_t *err);

/* out[j] (k entries, allocated by the caller) is the fit of studies perm[0..j] (perm NULL:
 * input order). A step whose fit fails has NaN numbers, converged = 0 and the reason in
 * out[j].note. The first step is a fit of one study (tau2 = 0). */
ma_status_t ma_cumul(const double *yi, const double *vi, size_t k, const size_t *perm,
                     const ma_rma_opts_t *o, ma_rma_t *out, ma_error_t *err);

#endif
