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
