/* Published reviews' pooled estimates (data/published_reviews.csv), read strictly for the
 * side-by-side comparison of `iastm evidence --reviews`. */
#ifndef IASTM_REVIEWS_H
#define IASTM_REVIEWS_H

#include <stddef.h>
#include "error.h"
#include "csv.h"

typedef struct {
    const char *id;        /* review_id (points into the table, as the other strings) */
    const char *region;    /* spine, other or mixed */
    const char *outcome;   /* pain, function or rom */
    const char *measure;   /* their measure as printed ("SMD", "MD (degrees)") */
    const char *k;         /* their number of trials as printed, "" when not reported */
    double estimate, ci_lb, ci_ub; /* as printed, ci_lb <= estimate <= ci_ub */
    int sign;              /* +1: "positive favours ..." as printed; -1: "negative favours" */
    long line;             /* source line */
} ma_review_t;

/* Read the reviews of a published-reviews table. Required columns: review_id, region,
 * outcome, measure, k, estimate, ci_lb, ci_ub, sign_convention. review_id (unique) and
 * measure are not empty; region is spine, other or mixed; outcome from the trial schema;
 * k empty or a whole number >= 1 (as n, when that column is there); estimate, ci_lb and
 * ci_ub finite numbers with ci_lb <= estimate <= ci_ub; sign_convention starts with
 * "positive favours " or "negative favours " (what the review's pooled value favours, the
 * intervention named after it). Any other value is an error naming file, line, column and
 * value (MA_EINPUT). On success *out is a new array of *n reviews (free() it) whose
 * strings point into `t`. */
ma_status_t ma_reviews_read(const ma_table_t *t, ma_review_t **out, size_t *n,
                            ma_error_t *err);

/* The review's estimate and CI oriented as here: positive favours IASTM. */
void ma_review_oriented(const ma_review_t *r, double *est, double *lb, double *ub);

#endif
