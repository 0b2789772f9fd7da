/* Bootstrap of the pooled estimate and tau2: each replicate has its own random stream
 * (seed, replicate index), so the replicates and every interval are the same for any
 * number of threads. Percentile and BCa intervals (Efron 1987; DiCiccio and Efron 1996). */
#include "iastm/boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/quantile.h"
#include "core/rng.h"

void ma_boot_opts_init(ma_boot_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->type = MA_BOOT_NONPARAM;
    o->reps = 1000;
    o->seed = 1;
    ma_rma_opts_init(&o->rma);
    o->rma.tau2_ci = 0;
    ma_run_opts_init(&o->run);
}

void ma_boot_clear(ma_boot_t *r)
{
    if (!r)
        return;
    free(r->est_rep);
    free(r->tau2_rep);
    r->est_rep = r->tau2_rep = NULL;
}

typedef struct {
    const double *yi, *vi;
    size_t k;
    const ma_boot_opts_t *o;
    ma_rma_opts_t rma;
    double mu, tau2;      /* fitted model (parametric draws) */
    double *est, *tau2s;  /* reps */
} ctx_t;

static ma_status_t worker(void *vctx, unsigned t, unsigned n, ma_progress_t *p)
{
    ctx_t *c = vctx;
    size_t k = c->k, j;
    double *y = malloc(k * sizeof *y), *v = malloc(k * sizeof *v);
    uint64_t b, b0, b1;
    ma_status_t st = MA_OK;
    if (!y || !v) {
        free(y);
        free(v);
        return MA_ENOMEM;
    }
    ma_block(c->o->reps, t, n, &b0, &b1);
    for (b = b0; b < b1; b++) {
        ma_rng_t rng;
        ma_rma_t r;
        ma_error_t e;
        ma_rng_init(&rng, c->o->seed, b);
        if (c->o->type == MA_BOOT_NONPARAM) {
            for (j = 0; j < k; j++) {
                size_t i = (size_t)ma_rng_below(&rng, k);
                y[j] = c->yi[i];
                v[j] = c->vi[i];
            }
        } else {
            for (j = 0; j < k; j++) {
                y[j] = c->mu + sqrt(c->vi[j] + c->tau2) * ma_rng_normal(&rng);
                v[j] = c->vi[j];
            }
        }
        if (ma_rma_fit(y, v, k, &c->rma, &r, &e) == MA_OK) {
            c->est[b] = r.estimate;
            c->tau2s[b] = r.tau2;
        } else {
            c->est[b] = c->tau2s[b] = NAN;
        }
        if ((b - b0) % 16 == 15) {
            ma_progress_add(p, 16);
            if (ma_progress_cancelled(p)) {
                st = MA_EINTR;
                break;
            }
        }
    }
    free(y);
    free(v);
    return st;
}

/* Mean, SD and intervals of one quantity from its replicates (NaN = failed). */
static int summarise(const double *rep, uint64_t reps, double observed, const double *jack,
                     size_t k, double level, ma_boot_ci_t *ci)
{
    double *x = malloc((reps ? reps : 1) * sizeof *x), mean = 0, ss = 0, q[2], p[2];
    uint64_t n = 0, i, below = 0;
    if (!x)
        return 0;
    for (i = 0; i < reps; i++)
        if (!isnan(rep[i])) {
            x[n++] = rep[i];
            mean += rep[i];
            if (rep[i] < observed)
                below++;
        }
    ci->observed = observed;
    mean = n ? mean / (double)n : NAN;
    for (i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    ci->mean = mean;
    ci->bias = mean - observed;
    ci->se = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
    p[0] = (1 - level) / 2;
    p[1] = (1 + level) / 2;
    ma_quantiles(x, n, p, 2, q);
    ci->pct_lb = q[0];
    ci->pct_ub = q[1];
    ci->bca_lb = ci->bca_ub = ci->z0 = ci->accel = NAN;
    if (jack && n > 0) {
        /* z0 as boot's bca.ci; acceleration from the jackknife values */
        double jm = 0, s2 = 0, s3 = 0, za = gsl_cdf_ugaussian_Pinv(p[0]), z0, a, al[2];
        size_t j;
        for (j = 0; j < k; j++)
            jm += jack[j];
        jm /= (double)k;
        for (j = 0; j < k; j++) {
            double l = (double)(k - 1) * (jm - jack[j]);
            s2 += l * l;
            s3 += l * l * l;
        }
        z0 = gsl_cdf_ugaussian_Pinv((double)below / (double)n);
        a = s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
        ci->z0 = z0;
        ci->accel = a;
        if (isfinite(z0) && !isnan(jm)) {
            al[0] = gsl_cdf_ugaussian_P(z0 + (z0 + za) / (1 - a * (z0 + za)));
            al[1] = gsl_cdf_ugaussian_P(z0 + (z0 - za) / (1 - a * (z0 - za)));
            if (al[0] <= al[1] && al[0] >= 0 && al[1] <= 1) {
                ma_quantiles(x, n, al, 2, q);
                ci->bca_lb = q[0];
                ci->bca_ub = q[1];
            }
        }
    }
    free(x);
    return 1;
}

ma_status_t ma_boot(const double *yi, const double *vi, size_t k, const ma_boot_opts_t *o,
                    ma_boot_t *r, ma_error_t *err)
{
    ctx_t c;
    ma_rma_t fit;
    ma_status_t st;
    double *jest = NULL, *jtau = NULL, *y = NULL, *v = NULL;
    uint64_t i;
    size_t j;
    unsigned nt;

    memset(r, 0, sizeof *r);
    memset(&c, 0, sizeof c);
    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "the bootstrap needs at least 2 studies");
    if (o->reps < 2)
        return ma_error_set(err, MA_EUSAGE, "the bootstrap needs at least 2 replicates");
    c.rma = o->rma;
    c.rma.tau2_ci = 0;
    if ((st = ma_rma_fit(yi, vi, k, &c.rma, &fit, err)) != MA_OK)
        return st;
    c.yi = yi;
    c.vi = vi;
    c.k = k;
    c.o = o;
    c.mu = fit.estimate;
    c.tau2 = fit.tau2;
    r->est_rep = c.est = malloc(o->reps * sizeof *c.est);
    r->tau2_rep = c.tau2s = malloc(o->reps * sizeof *c.tau2s);
    if (!c.est || !c.tau2s) {
        ma_boot_clear(r);
        return ma_error_set(err, MA_ENOMEM, "out of memory (%llu replicates)",
                            (unsigned long long)o->reps);
    }
    nt = ma_run_threads(&o->run, o->reps);
    {
        ma_run_opts_t run = o->run;
        run.threads = nt;
        st = ma_run_parallel(&run, nt, "boot", o->reps, worker, &c, &r->threads, err);
    }
    if (st != MA_OK) {
        if (st == MA_ENOMEM)
            ma_error_set(err, st, "out of memory");
        ma_boot_clear(r);
        return st;
    }
    if (o->bca) {
        /* leave-one-out fits for the acceleration */
        jest = malloc(k * sizeof *jest);
        jtau = malloc(k * sizeof *jtau);
        y = malloc(k * sizeof *y);
        v = malloc(k * sizeof *v);
        if (!jest || !jtau || !y || !v) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        for (j = 0; j < k; j++) {
            size_t m = 0, i2;
            ma_rma_t lf;
            ma_error_t e;
            for (i2 = 0; i2 < k; i2++)
                if (i2 != j) {
                    y[m] = yi[i2];
                    v[m] = vi[i2];
                    m++;
                }
            if (ma_rma_fit(y, v, m, &c.rma, &lf, &e) == MA_OK) {
                jest[j] = lf.estimate;
                jtau[j] = lf.tau2;
            } else {
                jest[j] = jtau[j] = NAN;
            }
        }
    }
    r->k = k;
    r->type = o->type;
    r->method = fit.method_used;
    r->level = o->rma.level;
    r->reps = o->reps;
    for (i = 0; i < o->reps; i++)
        if (isnan(c.est[i]))
            r->failed++;
    if (!summarise(c.est, o->reps, fit.estimate, jest, k, o->rma.level, &r->estimate) ||
        !summarise(c.tau2s, o->reps, fit.tau2, jtau, k, o->rma.level, &r->tau2))
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
done:
    free(jest);
    free(jtau);
    free(y);
    free(v);
    if (st != MA_OK)
        ma_boot_clear(r);
    return st;
}
