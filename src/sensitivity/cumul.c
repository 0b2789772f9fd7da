/* Cumulative meta-analysis in a given order (metafor cumul with order=). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/cumul.h"
#include "iastm/num.h"
#include "sens_internal.h"

void ma_merge_sort(size_t *a, size_t *tmp, size_t n, ma_before_fn before, const void *ctx,
                   double *swaps)
{
    size_t h, i, j, m;
    if (n < 2)
        return;
    h = n / 2;
    ma_merge_sort(a, tmp, h, before, ctx, swaps);
    ma_merge_sort(a + h, tmp, n - h, before, ctx, swaps);
    for (i = 0, j = h, m = 0; i < h && j < n;) {
        if (before(ctx, a[j], a[i])) { /* ties: left first */
            if (swaps)
                *swaps += (double)(h - i);
            tmp[m++] = a[j++];
        } else {
            tmp[m++] = a[i++];
        }
    }
    while (i < h)
        tmp[m++] = a[i++];
    while (j < n)
        tmp[m++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

typedef struct {
    const double *x;
    const char *const *s;
    int dec;
} order_key_t;

static int before_num(const void *ctx, size_t a, size_t b)
{
    const order_key_t *k = ctx;
    double xa = k->x[a], xb = k->x[b];
    if (isnan(xa))
        return 0; /* missing last in either direction */
    if (isnan(xb))
        return 1;
    return k->dec ? xa > xb : xa < xb;
}

static int before_str(const void *ctx, size_t a, size_t b)
{
    const order_key_t *k = ctx;
    const char *sa = k->s[a], *sb = k->s[b];
    int c;
    if (!sa)
        return 0;
    if (!sb)
        return 1;
    c = strcmp(sa, sb);
    return k->dec ? c > 0 : c < 0;
}

static ma_status_t order(size_t k, size_t *perm, ma_before_fn f, const order_key_t *key, ma_error_t *err)
{
    size_t i, *tmp = malloc((k ? k : 1) * sizeof *tmp);
    if (!tmp)
        return ma_error_set(err, MA_ENOMEM, "out of memory ordering %zu studies", k);
    for (i = 0; i < k; i++)
        perm[i] = i;
    ma_merge_sort(perm, tmp, k, f, key, NULL);
    free(tmp);
    return MA_OK;
}

ma_status_t ma_cumul_order_num(const double *key, size_t k, int decreasing, size_t *perm,
                               ma_error_t *err)
{
    order_key_t kk = {key, NULL, decreasing};
    return order(k, perm, before_num, &kk, err);
}

ma_status_t ma_cumul_order_str(const char *const *key, size_t k, int decreasing, size_t *perm,
                               ma_error_t *err)
{
    order_key_t kk = {NULL, key, decreasing};
    return order(k, perm, before_str, &kk, err);
}

ma_status_t ma_cumul_order_rows(const ma_dataset_t *d, const char *col, int decreasing,
                                size_t *perm, const char **key, size_t *nmissing,
                                ma_error_t *err)
{
    size_t j, k = d->k, miss = 0;
    const char **cell = malloc((k ? k : 1) * sizeof *cell);
    double *x = malloc((k ? k : 1) * sizeof *x);
    int numeric = 1;
    ma_status_t st;

    if (!cell || !x) {
        free(cell);
        free(x);
        return ma_error_set(err, MA_ENOMEM, "out of memory ordering %zu studies", k);
    }
    for (j = 0; j < k; j++) {
        const char *s = col ? ma_dataset_cell(d, d->idx[j], col) : NULL;
        cell[j] = s && !ma_is_missing(s) ? s : NULL;
        miss += col && !cell[j];
        x[j] = NAN;
        if (cell[j] && numeric && ma_parse_double(cell[j], &x[j]) != MA_NUM_OK)
            numeric = 0;
    }
    if (!col) {
        for (j = 0; j < k; j++)
            perm[j] = j;
        st = MA_OK;
    } else if (numeric) {
        st = ma_cumul_order_num(x, k, decreasing, perm, err);
    } else {
        st = ma_cumul_order_str(cell, k, decreasing, perm, err);
    }
    if (key)
        memcpy(key, cell, k * sizeof *key);
    if (nmissing)
        *nmissing = miss;
    free(cell);
    free(x);
    return st;
}

ma_status_t ma_cumul(const double *yi, const double *vi, size_t k, const size_t *perm,
                     const ma_rma_opts_t *o, ma_rma_t *out, ma_error_t *err)
{
    double *y, *v;
    size_t j;
    ma_error_t e;

    if (k == 0)
        return ma_error_set(err, MA_EINPUT, "no studies for a cumulative meta-analysis");
    y = malloc(k * sizeof *y);
    v = malloc(k * sizeof *v);
    if (!y || !v) {
        free(y);
        free(v);
        return ma_error_set(err, MA_ENOMEM, "out of memory (cumulative, %zu studies)", k);
    }
    for (j = 0; j < k; j++) {
        size_t s = perm ? perm[j] : j;
        if (s >= k) {
            free(y);
            free(v);
            return ma_error_set(err, MA_EUSAGE, "order index %zu out of range", s);
        }
        y[j] = yi[s];
        v[j] = vi[s];
        ma_error_clear(&e);
        if (ma_rma_fit(y, v, j + 1, o, &out[j], &e) != MA_OK) {
            if (ma_refit_fatal(&e)) {
                free(y);
                free(v);
                if (err)
                    *err = e;
                return e.code;
            }
            ma_rma_mark_failed(&out[j], j + 1, o, &e);
        }
    }
    free(y);
    free(v);
    return MA_OK;
}
