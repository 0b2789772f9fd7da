/* Shared helpers for the cmocka unit tests: tolerant double comparison and reference files. */
#ifndef IASTM_TESTUTIL_H
#define IASTM_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "iastm/csv.h"

/* Passes when |got - want| <= rel * |want|, or |got - want| <= abs_tol (for values near
 * zero). NaN equals only NaN. Reports both values with 17 digits on failure. */
void testutil_close(double got, double want, double rel, double abs_tol, const char *expr,
                    const char *file, int line);
#define assert_close(got, want, rel, abs_tol) \
    testutil_close((got), (want), (rel), (abs_tol), #got, __FILE__, __LINE__)

/* Path of a file of the project's reference folder ($IASTM_REFERENCE, default
 * tests/reference, relative to the repository root the tests run from). Returns a static
 * buffer. */
const char *testutil_ref_path(const char *name);

/* Load a reference CSV (fails the test when it cannot). */
ma_table_t *testutil_ref_load(const char *name);

/* Numeric cell by column name; NaN for "NA"; fails the test on a bad number. */
double testutil_num(const ma_table_t *t, size_t row, const char *col);

/* A dataset from a reference CSV: yi and vi of its first k rows, optionally one more
 * numeric column (x) and one text column (g, pointing into t). */
typedef struct {
    size_t k;
    double *yi, *vi;
    double *x;      /* column xcol, NaN for NA; NULL when not asked for */
    const char **g; /* cells of column gcol; NULL when not asked for */
    ma_table_t *t;  /* the table (owned; NULL for data made in memory) */
} testutil_data_t;

/* Load at most kmax rows (SIZE_MAX: all) of reference NAME; xcol and gcol may be NULL.
 * Fails the test when the file, a column or a number is bad. */
testutil_data_t testutil_data_load(const char *name, size_t kmax, const char *xcol,
                                   const char *gcol);

/* The cells of column COL of the first k rows of T (a new array of pointers into T;
 * fails the test when there is no such column). */
const char **testutil_cells(const ma_table_t *t, const char *col, size_t k);

/* Free what testutil_data_load allocated (the arrays and the table). */
void testutil_data_free(testutil_data_t *d);

/* Remove a flat temporary directory and the files in it; 0 on success. */
int testutil_rmdir(const char *dir);

#endif
