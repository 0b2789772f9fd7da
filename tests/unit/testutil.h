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

/* Remove a flat temporary directory and the files in it; 0 on success. */
int testutil_rmdir(const char *dir);

#endif
