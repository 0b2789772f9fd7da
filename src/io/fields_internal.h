/* Strict reading of the cells of small tables (claims, published reviews): required
 * columns, fixed lists of values, text that must be there, numbers, unique ids. Each error
 * names file, line, column and value (MA_EINPUT). Private to the library. */
#ifndef IASTM_FIELDS_INTERNAL_H
#define IASTM_FIELDS_INTERNAL_H

#include <stddef.h>

#include "iastm/error.h"
#include "iastm/csv.h"

/* Every column of the NULL-terminated `cols` is in the header; `what` names the file's kind
 * for the message ("a claims file"). */
ma_status_t ma_fields_require(const ma_table_t *t, const char *const *cols, const char *what,
                              ma_error_t *err);

/* Cell (r, col) is not missing (not empty or an NA token); *out points into the table. */
ma_status_t ma_fields_text(const ma_table_t *t, size_t r, const char *col, const char **out,
                           ma_error_t *err);

/* Cell (r, col) is exactly one of the NULL-terminated lists `values` or `more` (either may
 * be NULL; `expected` lists them for the message). */
ma_status_t ma_fields_choice(const ma_table_t *t, size_t r, const char *col,
                             const char *const *values, const char *const *more,
                             const char *expected, const char **out, ma_error_t *err);

/* Cell (r, col) as a finite number; a missing value is an error when `required`, else NaN. */
ma_status_t ma_fields_num(const ma_table_t *t, size_t r, const char *col, int required,
                          double *out, ma_error_t *err);

/* The first of v[0..n-1] equal to an earlier one, as a left-to-right scan meets it: *dup
 * its index (n when none), *first the earlier one's. O(n log n), for 100,000 header names as
 * for a handful of ids. Returns -1 when out of memory, else 0. */
int ma_first_duplicate(const char *const *v, size_t n, size_t *dup, size_t *first);

/* No two rows share a value of column `col` (O(n log n)). */
ma_status_t ma_fields_unique(const ma_table_t *t, const char *col, ma_error_t *err);

#endif
