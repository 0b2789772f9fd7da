/* Strict reading of cells for the small input tables (claims, published reviews). */
#include "fields_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/num.h"

ma_status_t ma_fields_require(const ma_table_t *t, const char *const *cols, const char *what,
                              ma_error_t *err)
{
    size_t i;
    for (i = 0; cols[i]; i++)
        if (ma_table_col(t, cols[i]) < 0) {
            char list[512];
            size_t j, n = 0;
            list[0] = '\0';
            for (j = 0; cols[j] && n < sizeof list; j++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", j ? ", " : "",
                                      cols[j]);
            return ma_error_at(err, MA_EINPUT, t->path, 0, NULL, NULL,
                               "column '%s' missing (%s needs the columns %s)", cols[i], what,
                               list);
        }
    return MA_OK;
}

ma_status_t ma_fields_text(const ma_table_t *t, size_t r, const char *col, const char **out,
                           ma_error_t *err)
{
    const char *v = ma_table_cell(t, r, ma_table_col(t, col));
    if (ma_is_missing(v))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col, NULL, "missing value");
    *out = v;
    return MA_OK;
}

static int in_list(const char *const *list, const char *v)
{
    size_t i;
    for (i = 0; list && list[i]; i++)
        if (strcmp(list[i], v) == 0)
            return 1;
    return 0;
}

ma_status_t ma_fields_choice(const ma_table_t *t, size_t r, const char *col,
                             const char *const *values, const char *const *more,
                             const char *expected, const char **out, ma_error_t *err)
{
    const char *v = ma_table_cell(t, r, ma_table_col(t, col));
    if (ma_is_missing(v))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col, NULL,
                           "missing value (expected %s)", expected);
    if (!in_list(values, v) && !in_list(more, v))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col, v,
                           "unknown value (expected %s):", expected);
    *out = v;
    return MA_OK;
}

ma_status_t ma_fields_num(const ma_table_t *t, size_t r, const char *col, int required,
                          double *out, ma_error_t *err)
{
    const char *v = ma_table_cell(t, r, ma_table_col(t, col));
    *out = NAN; /* ma_parse_double writes only a number it read */
    switch (ma_parse_double(v, out)) {
    case MA_NUM_OK:
        return MA_OK;
    case MA_NUM_MISSING:
        if (required)
            return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col, NULL,
                               "missing value: a number is needed");
        return MA_OK;
    default:
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], col, v, "%s:", ma_num_why(v));
    }
}

typedef struct {
    const char *v;
    size_t i;
} indexed_t;

/* By string, then by position. */
static int cmp_indexed(const void *a, const void *b)
{
    const indexed_t *x = a, *y = b;
    int c = strcmp(x->v, y->v);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

int ma_first_duplicate(const char *const *v, size_t n, size_t *dup, size_t *first)
{
    indexed_t *ix;
    size_t i;
    *dup = n;
    *first = 0;
    if (n < 2)
        return 0;
    if (!(ix = malloc(n * sizeof *ix)))
        return -1;
    for (i = 0; i < n; i++) {
        ix[i].v = v[i];
        ix[i].i = i;
    }
    qsort(ix, n, sizeof *ix, cmp_indexed);
    /* In each run of equal strings the first two are its first and second occurrence. */
    for (i = 1; i < n; i++)
        if (strcmp(ix[i].v, ix[i - 1].v) == 0 && (i < 2 || strcmp(ix[i - 1].v, ix[i - 2].v) != 0)
            && ix[i].i < *dup) {
            *dup = ix[i].i;
            *first = ix[i - 1].i;
        }
    free(ix);
    return 0;
}

ma_status_t ma_fields_unique(const ma_table_t *t, const char *col, ma_error_t *err)
{
    long c = ma_table_col(t, col);
    size_t i, dup, first;
    const char **v;
    int rc;
    if (!(v = malloc((t->nrow ? t->nrow : 1) * sizeof *v)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    for (i = 0; i < t->nrow; i++)
        v[i] = ma_table_cell(t, i, c);
    rc = ma_first_duplicate(v, t->nrow, &dup, &first);
    free(v);
    if (rc)
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    if (dup < t->nrow)
        return ma_error_at(err, MA_EINPUT, t->path, t->line[dup], col,
                           ma_table_cell(t, dup, c), "duplicate value (first on line %ld):",
                           t->line[first]);
    return MA_OK;
}
