/* Design matrix for meta-regression from moderator columns given as text: continuous
 * moderators as numbers, categorical ones as dummy variables (R's factor() with treatment
 * contrasts), intercept first; rows with a missing moderator are left out with a reason. */
#ifndef IASTM_DESIGN_H
#define IASTM_DESIGN_H

#include <stddef.h>
#include "error.h"

typedef struct {
    size_t n;            /* input rows */
    size_t nmods;        /* moderators */
    int *categorical;    /* nmods flags: 1 when some non-missing value is not a number */
    size_t *nlevels;     /* nmods: levels of a categorical moderator among the rows used
                          * (0 for continuous ones) */
    size_t k;            /* rows in the model (every moderator present) */
    size_t p;            /* columns: intercept, then each moderator's column(s) */
    double *X;           /* k x p, row-major */
    char **term;         /* p names as R prints them: "intrcpt", "ablat", "allocrandom" */
    size_t *rows;        /* k input row indices, increasing */
    size_t nmissing;     /* rows left out */
    size_t *missing;     /* their input row indices, increasing */
    char **reason;       /* why each was left out */
} ma_design_t;             /* everything owned; free with ma_design_free */

/* Build from `cells`, n x nmods strings, row-major (cells[i * nmods + j] is row i's value
 * of moderator `names[j]`). A moderator is continuous when every non-missing value parses
 * as a number (ma_parse_double), otherwise categorical: its levels are the distinct values
 * among the rows used, in byte order, the first the reference. Missing values (empty, NA,
 * N/A, ".") leave the row out. Errors (MA_EINPUT): no row with every moderator present, a
 * categorical moderator with a single level in the rows used. On success *out is new. */
ma_status_t ma_design_build(const char *const *names, size_t nmods, const char *const *cells,
                            size_t n, ma_design_t **out, ma_error_t *err);
void ma_design_free(ma_design_t *d); /* accepts NULL */

#endif
