/* Dependent rows: several effects from one study (outcomes, instruments, time points,
 * comparisons). Grouping rows by a column, the guard against pooling different outcomes,
 * and the summary behind the "rows are not independent" note. */
#ifndef IASTM_DEPENDENCE_H
#define IASTM_DEPENDENCE_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"

/* Group ids for n strings: id[i] in 0..*ngroups-1, numbered in order of first appearance
 * (equal strings, byte for byte, share an id). O(n log n). MA_ENOMEM only. */
ma_status_t ma_group_ids(const char *const *values, size_t n, size_t *id, size_t *ngroups,
                         ma_error_t *err);

/* The pooled (included) rows must share one value of the `outcome` column when the table
 * has one: pooling pain with range of motion answers no question. Otherwise MA_EUSAGE
 * naming the outcomes, their row counts and the `--where outcome=...` that picks one. */
ma_status_t ma_dataset_check_outcomes(const ma_dataset_t *d, ma_error_t *err);

#define MA_DEPENDENCE_SHOW 3

typedef struct {
    const char *column;   /* the cluster column's header (NULL: no cluster column) */
    size_t k;             /* pooled rows */
    size_t nclusters;     /* distinct clusters among them */
    size_t nmulti;        /* clusters contributing more than one row */
    size_t nshow;         /* the largest clusters (by rows, then first appearance) */
    const char *show[MA_DEPENDENCE_SHOW];
    size_t show_rows[MA_DEPENDENCE_SHOW];
    char note[768];       /* "" when the rows are independent as far as is known */
} ma_dependence_t;

/* Summarise the clusters of the pooled rows (d->cluster: --cluster COL, or study_id). */
ma_status_t ma_dataset_dependence(const ma_dataset_t *d, ma_dependence_t *dep,
                                  ma_error_t *err);
/* The same with clusters counted within each value of column `within` (e.g. outcome, for
 * reports that pool each outcome apart); NULL or a missing column: as above. */
ma_status_t ma_dataset_dependence_within(const ma_dataset_t *d, const char *within,
                                         ma_dependence_t *dep, ma_error_t *err);

#endif
