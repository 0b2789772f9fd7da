/* Design matrix for meta-regression: moderator text columns to an intercept, numeric
 * columns and treatment-coded dummies (as R's model.matrix with factor()). */
#include "iastm/model_matrix.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/num.h"

void ma_design_free(ma_design_t *d)
{
    size_t j;
    if (!d)
        return;
    if (d->term)
        for (j = 0; j < d->p; j++)
            free(d->term[j]);
    if (d->reason)
        for (j = 0; j < d->nmissing; j++)
            free(d->reason[j]);
    free(d->term);
    free(d->reason);
    free(d->categorical);
    free(d->nlevels);
    free(d->X);
    free(d->rows);
    free(d->missing);
    free(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *str_cat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb + 1);
    }
    return s;
}

/* Value with surrounding blanks removed, as the number parser reads it. */
static char *trimmed(const char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    {
        char *t = malloc(n + 1);
        if (t) {
            memcpy(t, s, n);
            t[n] = '\0';
        }
        return t;
    }
}

ma_status_t ma_design_build(const char *const *names, size_t nmods, const char *const *cells,
                            size_t n, ma_design_t **out, ma_error_t *err)
{
    ma_design_t *d;
    const char ***levels = NULL; /* per categorical moderator: sorted distinct levels */
    const char **tmp = NULL;
    size_t i, j, r, c, col;
    ma_status_t st = MA_ENOMEM;

    *out = NULL;
    d = calloc(1, sizeof *d);
    if (!d)
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    d->n = n;
    d->nmods = nmods;
    d->categorical = calloc(nmods ? nmods : 1, sizeof *d->categorical);
    d->nlevels = calloc(nmods ? nmods : 1, sizeof *d->nlevels);
    d->rows = malloc((n ? n : 1) * sizeof *d->rows);
    d->missing = malloc((n ? n : 1) * sizeof *d->missing);
    d->reason = calloc(n ? n : 1, sizeof *d->reason);
    levels = calloc(nmods ? nmods : 1, sizeof *levels);
    tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!d->categorical || !d->nlevels || !d->rows || !d->missing || !d->reason || !levels
        || !tmp)
        goto nomem;

    /* rows used; type of each moderator from all its non-missing values */
    for (i = 0; i < n; i++) {
        for (j = 0; j < nmods && !ma_is_missing(cells[i * nmods + j]); j++)
            ;
        if (j < nmods) {
            d->reason[d->nmissing] = str_cat("missing value of moderator ", names[j]);
            if (!d->reason[d->nmissing])
                goto nomem;
            d->missing[d->nmissing++] = i;
        } else {
            d->rows[d->k++] = i;
        }
    }
    for (j = 0; j < nmods; j++)
        for (i = 0; i < n; i++) {
            const char *s = cells[i * nmods + j];
            double x;
            if (!ma_is_missing(s) && ma_parse_double(s, &x) != MA_NUM_OK) {
                d->categorical[j] = 1;
                break;
            }
        }
    if (d->k == 0) {
        st = ma_error_set(err, MA_EINPUT, "no row has a value for every moderator (%zu row%s)",
                          n, n == 1 ? "" : "s");
        goto fail;
    }

    /* levels of the categorical moderators among the rows used */
    d->p = 1;
    for (j = 0; j < nmods; j++) {
        size_t nl = 0;
        if (!d->categorical[j]) {
            d->p++;
            continue;
        }
        for (r = 0; r < d->k; r++)
            tmp[r] = cells[d->rows[r] * nmods + j];
        qsort(tmp, d->k, sizeof *tmp, cmp_str);
        levels[j] = malloc(d->k * sizeof **levels);
        if (!levels[j])
            goto nomem;
        for (r = 0; r < d->k; r++)
            if (nl == 0 || strcmp(tmp[r], levels[j][nl - 1]) != 0)
                levels[j][nl++] = tmp[r];
        d->nlevels[j] = nl;
        if (nl < 2) {
            st = ma_error_at(err, MA_EINPUT, NULL, 0, names[j], levels[j][0],
                             "categorical moderator has a single value in the %zu row%s "
                             "used: nothing to compare",
                             d->k, d->k == 1 ? "" : "s");
            goto fail;
        }
        d->p += nl - 1;
    }

    d->term = calloc(d->p, sizeof *d->term);
    d->X = malloc(d->k * d->p * sizeof *d->X);
    if (!d->term || !d->X)
        goto nomem;
    if (!(d->term[0] = str_cat("intrcpt", "")))
        goto nomem;
    col = 1;
    for (j = 0; j < nmods; j++) {
        if (!d->categorical[j]) {
            if (!(d->term[col++] = str_cat(names[j], "")))
                goto nomem;
            continue;
        }
        for (c = 1; c < d->nlevels[j]; c++) {
            char *lv = trimmed(levels[j][c]);
            if (!lv)
                goto nomem;
            d->term[col] = str_cat(names[j], lv);
            free(lv);
            if (!d->term[col++])
                goto nomem;
        }
    }
    for (r = 0; r < d->k; r++) {
        double *x = d->X + r * d->p;
        x[0] = 1;
        col = 1;
        for (j = 0; j < nmods; j++) {
            const char *s = cells[d->rows[r] * nmods + j];
            if (!d->categorical[j]) {
                ma_parse_double(s, &x[col++]);
                continue;
            }
            for (c = 1; c < d->nlevels[j]; c++)
                x[col++] = strcmp(s, levels[j][c]) == 0 ? 1.0 : 0.0;
        }
    }
    for (j = 0; j < nmods; j++)
        free(levels[j]);
    free(levels);
    free(tmp);
    *out = d;
    return MA_OK;

nomem:
    st = ma_error_set(err, MA_ENOMEM, "out of memory building the design matrix");
fail:
    if (levels)
        for (j = 0; j < nmods; j++)
            free(levels[j]);
    free(levels);
    free(tmp);
    ma_design_free(d);
    return st;
}
