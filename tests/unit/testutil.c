/* Shared helpers for the cmocka unit tests. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iastm/num.h"

void testutil_close(double got, double want, double rel, double abs_tol, const char *expr,
                    const char *file, int line)
{
    if (isnan(want) && isnan(got))
        return;
    if (!isnan(want) && !isnan(got)) {
        double d = fabs(got - want);
        if (d <= abs_tol || d <= rel * fabs(want))
            return;
    }
    print_error("%s = %.17g, expected %.17g (rel %.1e, abs %.1e)\n", expr, got, want, rel,
                abs_tol);
    _fail(file, line);
}

const char *testutil_ref_path(const char *name)
{
    static char buf[1024];
    const char *dir = getenv("IASTM_REFERENCE");
    snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/reference", name);
    return buf;
}

ma_table_t *testutil_ref_load(const char *name)
{
    ma_table_t *t = NULL;
    ma_error_t err;
    if (ma_table_read_file(testutil_ref_path(name), &t, &err) != MA_OK) {
        print_error("cannot read reference %s: %s\n", testutil_ref_path(name), err.msg);
        fail();
    }
    return t;
}

double testutil_num(const ma_table_t *t, size_t row, const char *col)
{
    long c = ma_table_col(t, col);
    double x;
    if (c < 0) {
        print_error("reference has no column '%s'\n", col);
        fail();
    }
    switch (ma_parse_double(ma_table_cell(t, row, c), &x)) {
    case MA_NUM_OK:
        return x;
    case MA_NUM_MISSING:
        return NAN;
    default:
        print_error("bad number '%s' in column '%s'\n", ma_table_cell(t, row, c), col);
        fail();
    }
    return NAN;
}

static void *alloc_or_fail(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        print_error("out of memory\n");
        fail();
    }
    return p;
}

testutil_data_t testutil_data_load(const char *name, size_t kmax, const char *xcol,
                                   const char *gcol)
{
    testutil_data_t d = {0};
    size_t i;
    d.t = testutil_ref_load(name);
    d.k = d.t->nrow < kmax ? d.t->nrow : kmax;
    d.yi = alloc_or_fail(d.k, sizeof *d.yi);
    d.vi = alloc_or_fail(d.k, sizeof *d.vi);
    if (xcol)
        d.x = alloc_or_fail(d.k, sizeof *d.x);
    for (i = 0; i < d.k; i++) {
        d.yi[i] = testutil_num(d.t, i, "yi");
        d.vi[i] = testutil_num(d.t, i, "vi");
        if (xcol)
            d.x[i] = testutil_num(d.t, i, xcol);
    }
    if (gcol)
        d.g = testutil_cells(d.t, gcol, d.k);
    return d;
}

const char **testutil_cells(const ma_table_t *t, const char *col, size_t k)
{
    long c = ma_table_col(t, col);
    const char **cells;
    size_t i;
    if (c < 0) {
        print_error("reference has no column '%s'\n", col);
        fail();
    }
    cells = alloc_or_fail(k, sizeof *cells);
    for (i = 0; i < k; i++)
        cells[i] = ma_table_cell(t, i, c);
    return cells;
}

void testutil_data_free(testutil_data_t *d)
{
    free(d->yi);
    free(d->vi);
    free(d->x);
    free(d->g);
    ma_table_free(d->t);
    d->yi = d->vi = d->x = NULL;
    d->g = NULL;
    d->t = NULL;
}

int testutil_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(dir);
}
