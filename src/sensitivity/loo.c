/* Leave-one-out refits of the model without moderators (metafor leave1out). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/loo.h"
#include "sens_internal.h"

void ma_rma_mark_failed(ma_rma_t *r, size_t k, const ma_rma_opts_t *o, const ma_error_t *e)
{
    memset(r, 0, sizeof *r);
    r->k = k;
    r->method = r->method_used = o ? o->method : MA_METHOD_REML;
    r->estimate = r->se = r->stat = r->pval = r->ci_lb = r->ci_ub = r->df = NAN;
    r->tau2 = r->tau = r->tau2_lb = r->tau2_ub = NAN;
    r->I2 = r->I2_lb = r->I2_ub = r->H2 = r->H2_lb = r->H2_ub = NAN;
    r->Q = r->Q_df = r->Q_p = r->pi_lb = r->pi_ub = r->vbar = NAN;
    snprintf(r->note, sizeof r->note, "fit failed: %.200s", e->msg);
}

int ma_refit_fatal(const ma_error_t *e)
{
    return e->code == MA_ENOMEM || e->code == MA_EUSAGE || e->code == MA_EINPUT;
}

ma_status_t ma_loo_each(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                        const char *what, ma_loo_each_fn each, void *ctx, ma_error_t *err)
{
    double *y = malloc((k - 1) * sizeof *y), *v = malloc((k - 1) * sizeof *v);
    size_t i;
    ma_rma_t fit;
    ma_error_t e;

    if (!y || !v) {
        free(y);
        free(v);
        return ma_error_set(err, MA_ENOMEM, "out of memory (%s, %zu studies)", what, k);
    }
    /* Start with studies 1..k-1; moving study i-1 into slot i-1 then leaves out study i. */
    memcpy(y, yi + 1, (k - 1) * sizeof *y);
    memcpy(v, vi + 1, (k - 1) * sizeof *v);
    for (i = 0; i < k; i++) {
        if (i > 0) {
            y[i - 1] = yi[i - 1];
            v[i - 1] = vi[i - 1];
        }
        ma_error_clear(&e);
        if (ma_rma_fit(y, v, k - 1, o, &fit, &e) == MA_OK) {
            each(ctx, i, y, v, &fit, NULL);
        } else if (ma_refit_fatal(&e)) {
            free(y);
            free(v);
            if (err)
                *err = e;
            return e.code;
        } else {
            each(ctx, i, y, v, &fit, &e);
        }
    }
    free(y);
    free(v);
    return MA_OK;
}

typedef struct {
    ma_rma_t *out;
    size_t k;
    const ma_rma_opts_t *o;
} loo_ctx_t;

static void loo_one(void *ctx, size_t i, const double *y, const double *v, const ma_rma_t *fit,
                    const ma_error_t *e)
{
    loo_ctx_t *c = ctx;
    (void)y, (void)v;
    if (e)
        ma_rma_mark_failed(&c->out[i], c->k - 1, c->o, e);
    else
        c->out[i] = *fit;
}

ma_status_t ma_loo(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                   ma_rma_t *out, ma_error_t *err)
{
    loo_ctx_t c;
    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "leave-one-out needs at least 2 studies (got %zu)",
                            k);
    c.out = out;
    c.k = k;
    c.o = o;
    return ma_loo_each(yi, vi, k, o, "leave-one-out", loo_one, &c, err);
}

size_t ma_loo_summary(const ma_rma_t *full, const ma_rma_t *fits, size_t k, double alpha,
                      ma_loo_range_t *range, unsigned char *changes)
{
    size_t j, n = 0;
    int sig = full->pval < alpha;
    range->lowest = range->highest = 0;
    while (range->lowest + 1 < k && isnan(fits[range->lowest].estimate))
        range->lowest++; /* a failed first refit is not the lowest */
    range->highest = range->lowest;
    for (j = 0; j < k; j++) {
        if (fits[j].estimate < fits[range->lowest].estimate)
            range->lowest = j;
        if (fits[j].estimate > fits[range->highest].estimate)
            range->highest = j;
        changes[j] = !isnan(fits[j].pval) && (fits[j].pval < alpha) != sig;
        n += changes[j];
    }
    return n;
}
