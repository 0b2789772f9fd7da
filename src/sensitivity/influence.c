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

ma_status_t ma_influence(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                         ma_infl_t *out, ma_rma_t *full, ma_error_t *err)
{
    ma_rma_opts_t oo;
    ma_rma_t r, rd;
    ma_error_t e;
    double *y, *v, W, vb, dcut, hcut;
    size_t i;
    int knha;
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
    y = malloc((k - 1) * sizeof *y);
    v = malloc((k - 1) * sizeof *v);
    if (!y || !v) {
        free(y);
        free(v);
        return ma_error_set(err, MA_ENOMEM, "out of memory (influence, %zu studies)", k);
    }
    knha = !isnan(r.df);
    W = sum_w(vi, k, r.tau2);
    vb = r.se * r.se; /* var(estimate) of the full model (s2w included under knha) */
    dcut = ma_influence_dffits_cut(k);
    hcut = ma_influence_hat_cut(k);
    memcpy(y, yi + 1, (k - 1) * sizeof *y);
    memcpy(v, vi + 1, (k - 1) * sizeof *v);
    for (i = 0; i < k; i++) {
        ma_infl_t *f = &out[i];
        double wi = 1 / (vi[i] + r.tau2), s2w, vdel, diff, resid, seresid;
        if (i > 0) {
            y[i - 1] = yi[i - 1];
            v[i - 1] = vi[i - 1];
        }
        f->hat = wi / W;
        f->weight = 100 * wi / W;
        ma_error_clear(&e);
        if (ma_rma_fit(y, v, k - 1, &oo, &rd, &e) != MA_OK) {
            if (ma_refit_fatal(&e)) {
                free(y);
                free(v);
                if (err)
                    *err = e;
                return e.code;
            }
            set_nan(f);
            f->inf = f->hat > hcut;
            continue;
        }
        vdel = rd.se * rd.se;
        /* s2w: knha scale factor of the deleted fit (1 under z), from vb = s2w / sum w */
        s2w = knha ? vdel * sum_w(v, k - 1, rd.tau2) : 1.0;
        f->tau2_del = rd.tau2;
        f->QE_del = rd.Q;
        f->estimate_del = rd.estimate;
        diff = r.estimate - rd.estimate;
        f->dffits = diff / sqrt(s2w * f->hat * (rd.tau2 + vi[i]));
        /* DFBETAS: scaled by var(estimate) of all studies with the deleted tau2 */
        f->dfbetas = diff / sqrt(s2w / sum_w(vi, k, rd.tau2));
        f->cook_d = diff * diff / vb;
        f->cov_r = vdel / vb;
        resid = yi[i] - rd.estimate;
        if (fabs(resid) < 100 * DBL_EPSILON)
            resid = 0;
        seresid = sqrt(vi[i] * s2w + vdel + rd.tau2 * s2w);
        f->rstudent = resid / seresid;
        f->inf = fabs(f->dffits) > dcut || gsl_cdf_chisq_P(f->cook_d, 1) > 0.5
                 || f->hat > hcut || fabs(f->dfbetas) > 1;
    }
    free(y);
    free(v);
    return MA_OK;
}
