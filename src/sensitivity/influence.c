/* Case-deletion diagnostics for models without moderators (metafor influence.rma.uni;
 * Viechtbauer & Cheung 2010). With one coefficient every matrix is a scalar: O(k) work
 * per deletion. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "iastm/influence.h"
#include "sens_internal.h"

double ma_influence_dffits_cut(size_t k)
{
    return 3 * sqrt(1.0 / ((double)k - 1));
}

double ma_influence_hat_cut(size_t k)
{
    return 3.0 / (double)k;
}

/* sum 1/(vi + tau2) over all studies */
static double sum_w(const double *vi, size_t k, double tau2)
{
    double s = 0;
    size_t j;
    for (j = 0; j < k; j++)
        s += 1 / (vi[j] + tau2);
    return s;
}

static void set_nan(ma_infl_t *f)
{
    f->rstudent = f->dffits = f->cook_d = f->cov_r = f->tau2_del = f->QE_del = NAN;
    f->dfbetas = f->estimate_del = NAN;
}

typedef struct {
    const double *yi, *vi;
    size_t k;
    const ma_rma_t *r; /* the fit of all studies */
    double W, vb, dcut, hcut;
    int knha;
    ma_infl_t *out;
} infl_ctx_t;

/* The diagnostics of study i from the fit rd without it (y, v: the other studies). */
static void infl_one(void *ctx, size_t i, const double *y, const double *v, const ma_rma_t *rd,
                     const ma_error_t *e)
{
    const infl_ctx_t *c = ctx;
    const ma_rma_t *r = c->r;
    const double *yi = c->yi, *vi = c->vi;
    size_t k = c->k;
    ma_infl_t *f = &c->out[i];
    double wi = 1 / (vi[i] + r->tau2), s2w, vdel, diff, resid, seresid;
    (void)y;
    f->hat = wi / c->W;
    f->weight = 100 * wi / c->W;
    if (e) {
        set_nan(f);
        f->inf = f->hat > c->hcut;
        return;
    }
    vdel = rd->se * rd->se;
    /* s2w: knha scale factor of the deleted fit (1 under z), from vb = s2w / sum w */
    s2w = c->knha ? vdel * sum_w(v, k - 1, rd->tau2) : 1.0;
    f->tau2_del = rd->tau2;
    f->QE_del = rd->Q;
    f->estimate_del = rd->estimate;
    diff = r->estimate - rd->estimate;
    f->dffits = diff / sqrt(s2w * f->hat * (rd->tau2 + vi[i]));
    /* DFBETAS: scaled by var(estimate) of all studies with the deleted tau2 */
    f->dfbetas = diff / sqrt(s2w / sum_w(vi, k, rd->tau2));
    f->cook_d = diff * diff / c->vb;
    f->cov_r = vdel / c->vb;
    resid = yi[i] - rd->estimate;
    if (fabs(resid) < 100 * DBL_EPSILON)
        resid = 0;
    seresid = sqrt(vi[i] * s2w + vdel + rd->tau2 * s2w);
    f->rstudent = resid / seresid;
    f->inf = fabs(f->dffits) > c->dcut || gsl_cdf_chisq_P(f->cook_d, 1) > 0.5
             || f->hat > c->hcut || fabs(f->dfbetas) > 1;
}

ma_status_t ma_influence(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                         ma_infl_t *out, ma_rma_t *full, ma_error_t *err)
{
    ma_rma_opts_t oo;
    ma_rma_t r;
    infl_ctx_t c;
    ma_status_t st;

    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "influence diagnostics need at least 2 studies "
                                            "(got %zu)", k);
    if (o)
        oo = *o;
    else
        ma_rma_opts_init(&oo);
    oo.tau2_ci = 0; /* not needed for any diagnostic */
    if ((st = ma_rma_fit(yi, vi, k, &oo, &r, err)) != MA_OK)
        return st;
    if (full)
        *full = r;
    c.yi = yi;
    c.vi = vi;
    c.k = k;
    c.r = &r;
    c.knha = !isnan(r.df);
    c.W = sum_w(vi, k, r.tau2);
    c.vb = r.se * r.se; /* var(estimate) of the full model (s2w included under knha) */
    c.dcut = ma_influence_dffits_cut(k);
    c.hcut = ma_influence_hat_cut(k);
    c.out = out;
    return ma_loo_each(yi, vi, k, &oo, "influence", infl_one, &c, err);
}
