/* Subgroup analysis: one fit per subgroup (own tau2, or one tau2 from the mixed model with
 * the subgroup as a factor), the overall fit, and the test for subgroup differences
 * (Q across the subgroup estimates with weights 1/se^2, as meta and RevMan). */
#include "iastm/subgroup.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "iastm/num.h"
#include "iastm/regress.h"
#include "rma_internal.h"

void ma_subgroups_free(ma_subgroups_t *s)
{
    size_t g;
    if (!s)
        return;
    for (g = 0; g < s->ngroups; g++) {
        free(s->g[g].value);
        free(s->g[g].members);
    }
    free(s->g);
    free(s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Fit of one subgroup with tau2 fixed at `tau2` (as metafor rma(yi, vi, tau2 = tau2)):
 * estimate, se, test and CI, Q, I2 and H2 at that tau2, prediction interval; no tau2 CI. */
static ma_status_t fit_fixed_tau2(const double *yi, const double *vi, size_t k, double tau2,
                                  const ma_rma_opts_t *o, ma_rma_t *r, ma_error_t *err)
{
    ma_rma_opts_t fo = *o;
    ma_wsums_t s;
    ma_wls_t d;
    ma_rma_opts_t io = *o;
    double *scratch;
    ma_status_t st;

    if (k == 1)
        io.test = MA_TEST_Z; /* as metafor, which has no t test with 0 df */
    /* Q, Q_p and vbar from the common-effect fit */
    fo.method = MA_METHOD_FE;
    fo.test = MA_TEST_Z;
    fo.tau2_ci = 0;
    st = ma_rma_fit(yi, vi, k, &fo, r, err);
    if (st != MA_OK)
        return st;
    scratch = malloc(k * sizeof *scratch);
    if (!scratch)
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    ma_wls_init(&d, yi, vi, k, scratch);
    ma_wls_eval(&d, tau2, &s);
    free(scratch);

    r->method = r->method_used = o->method;
    r->note[0] = '\0';
    r->iterations = 0;
    r->tau2 = tau2;
    r->tau = sqrt(tau2);
    r->tau2_lb = r->tau2_ub = NAN;
    r->tau2_ci_capped = 0;
    r->I2_lb = r->I2_ub = r->H2_lb = r->H2_ub = NAN;
    if (k > 1) {
        r->I2 = 100 * tau2 / (r->vbar + tau2);
        r->H2 = tau2 / r->vbar + 1;
    }
    ma_rma_inference(&s, k, tau2, &io, r);
    snprintf(r->note, sizeof r->note, "tau2 common to all subgroups (mixed model with the "
                                      "subgroup as a factor)%s",
             k == 1 ? "; k = 1: z test, heterogeneity undefined" : "");
    return MA_OK;
}

/* Put "WHERE: " before an error's message. */
static void prefix_error(ma_error_t *err, const char *fmt, const char *what)
{
    char where[160], msg[sizeof err->msg];
    if (!err)
        return;
    snprintf(where, sizeof where, fmt, what);
    snprintf(msg, sizeof msg, "%s: %.*s", where, (int)(sizeof msg - strlen(where) - 3),
             err->msg);
    memcpy(err->msg, msg, sizeof msg);
}

/* The fit of all studies failed: name the first subgroup whose own fit fails the same
 * way (study numbers then count within it), or say that only the pooled fit fails. */
static void blame_subgroup(const ma_subgroups_t *s, const double *yi, const double *vi,
                           const ma_rma_opts_t *o, double *yy, double *vv, ma_error_t *err)
{
    size_t g, i;
    ma_error_t e;
    ma_rma_t r;
    for (g = 0; g < s->ngroups; g++) {
        const ma_subgroup_t *sg = &s->g[g];
        for (i = 0; i < sg->k; i++) {
            yy[i] = yi[sg->members[i]];
            vv[i] = vi[sg->members[i]];
        }
        ma_error_clear(&e);
        if (ma_rma_fit(yy, vv, sg->k, o, &r, &e) != MA_OK && err && e.code == err->code) {
            *err = e;
            prefix_error(err, "subgroup '%.100s'", sg->value);
            return;
        }
    }
    prefix_error(err, "%s", "all subgroups pooled");
}

ma_status_t ma_subgroups_fit(const double *yi, const double *vi, const char *const *group,
                             size_t k, const ma_rma_opts_t *o, int common_tau2,
                             ma_subgroups_t **out, ma_error_t *err)
{
    ma_rma_opts_t def;
    ma_subgroups_t *s;
    const char **sorted = NULL;
    size_t *gid = NULL, i, g, ng = 0;
    double *yy = NULL, *vv = NULL, *X = NULL;
    ma_status_t st;

    *out = NULL;
    o = ma_rma_opts_or_default(o, &def);
    if (k == 0)
        return ma_error_set(err, MA_EINPUT, "no studies to pool");
    for (i = 0; i < k; i++)
        if (!group[i])
            return ma_error_set(err, MA_EINPUT, "study %zu: no subgroup value", i + 1);
    s = calloc(1, sizeof *s);
    sorted = malloc(k * sizeof *sorted);
    gid = malloc(k * sizeof *gid);
    yy = malloc(k * sizeof *yy);
    vv = malloc(k * sizeof *vv);
    if (!s || !sorted || !gid || !yy || !vv) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    s->common_tau2 = NAN;
    s->Q_between = s->Q_between_df = s->Q_between_p = NAN;

    /* distinct values in byte order */
    memcpy(sorted, group, k * sizeof *sorted);
    qsort(sorted, k, sizeof *sorted, cmp_str);
    for (i = 0; i < k; i++)
        if (i == 0 || strcmp(sorted[i], sorted[ng - 1]) != 0)
            sorted[ng++] = sorted[i];
    s->g = calloc(ng, sizeof *s->g);
    if (!s->g) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    s->ngroups = ng;
    for (g = 0; g < ng; g++) {
        s->g[g].value = malloc(strlen(sorted[g]) + 1);
        if (!s->g[g].value) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        strcpy(s->g[g].value, sorted[g]);
    }
    for (i = 0; i < k; i++) {
        const char **hit = bsearch(&group[i], sorted, ng, sizeof *sorted, cmp_str);
        gid[i] = (size_t)(hit - sorted);
        s->g[gid[i]].k++;
    }
    for (g = 0; g < ng; g++) {
        s->g[g].members = malloc(s->g[g].k * sizeof *s->g[g].members);
        if (!s->g[g].members) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        s->g[g].k = 0;
    }
    for (i = 0; i < k; i++) {
        ma_subgroup_t *sg = &s->g[gid[i]];
        sg->members[sg->k++] = i;
    }

    st = ma_rma_fit(yi, vi, k, o, &s->overall, err);
    if (st != MA_OK) {
        blame_subgroup(s, yi, vi, o, yy, vv, err);
        goto fail;
    }

    if (common_tau2 && o->method != MA_METHOD_FE) {
        /* one tau2 from rma(yi, vi, mods = ~ factor(group)): intercept + ng-1 dummies */
        ma_reg_t reg;
        ma_rma_opts_t ro = *o;
        size_t p = ng;
        ro.test = MA_TEST_Z; /* the test does not change tau2 */
        X = calloc(k * p, sizeof *X);
        if (!X) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        for (i = 0; i < k; i++) {
            X[i * p] = 1;
            if (gid[i] > 0)
                X[i * p + gid[i]] = 1;
        }
        st = ma_regress_fit(yi, vi, k, X, p, &ro, &reg, err);
        if (st != MA_OK)
            goto fail;
        s->common_tau2 = reg.tau2;
        ma_reg_clear(&reg);
    } else if (common_tau2) {
        s->common_tau2 = 0;
    }

    for (g = 0; g < ng; g++) {
        ma_subgroup_t *sg = &s->g[g];
        for (i = 0; i < sg->k; i++) {
            yy[i] = yi[sg->members[i]];
            vv[i] = vi[sg->members[i]];
        }
        if (common_tau2 && o->method != MA_METHOD_FE)
            st = fit_fixed_tau2(yy, vv, sg->k, s->common_tau2, o, &sg->fit, err);
        else
            st = ma_rma_fit(yy, vv, sg->k, o, &sg->fit, err);
        if (st != MA_OK) {
            prefix_error(err, "subgroup '%.100s'", sg->value);
            goto fail;
        }
    }

    /* test for subgroup differences: FE Q across subgroup estimates, weights 1/se^2 */
    if (ng >= 2) {
        double sw = 0, swy = 0, q = 0, mu;
        int ok = 1;
        for (g = 0; g < ng; g++) {
            double se = s->g[g].fit.se;
            if (!(se > 0) || !isfinite(se))
                ok = 0;
        }
        if (ok) {
            for (g = 0; g < ng; g++) {
                double w = 1 / (s->g[g].fit.se * s->g[g].fit.se);
                sw += w;
                swy += w * s->g[g].fit.estimate;
            }
            mu = swy / sw;
            for (g = 0; g < ng; g++) {
                double r = s->g[g].fit.estimate - mu;
                q += r * r / (s->g[g].fit.se * s->g[g].fit.se);
            }
            s->Q_between = q;
            s->Q_between_df = (double)(ng - 1);
            s->Q_between_p = gsl_cdf_chisq_Q(q, s->Q_between_df);
        }
    } else {
        s->Q_between_df = 0;
    }

    free(sorted);
    free(gid);
    free(yy);
    free(vv);
    free(X);
    *out = s;
    return MA_OK;
fail:
    free(sorted);
    free(gid);
    free(yy);
    free(vv);
    free(X);
    ma_subgroups_free(s);
    return st;
}

void ma_subgroups_split(const ma_dataset_t *d, const char *col, size_t *kept,
                        const char **group, size_t *nk, size_t *miss, size_t *nmiss)
{
    size_t j;
    *nk = *nmiss = 0;
    for (j = 0; j < d->k; j++) {
        const char *v = ma_dataset_cell(d, d->idx[j], col);
        if (ma_is_missing(v)) {
            miss[(*nmiss)++] = j;
        } else {
            group[*nk] = v;
            kept[(*nk)++] = j;
        }
    }
}

void ma_subgroups_participants(const ma_dataset_t *d, const size_t *kept,
                               const ma_subgroups_t *s, double *np, size_t *known)
{
    size_t g, i, n = s->ngroups;
    double all = 0;
    known[n] = 0;
    for (g = 0; g < n; g++) {
        double sum = 0;
        known[g] = 0;
        for (i = 0; i < s->g[g].k; i++) {
            double m = ma_study_n(&d->s[d->idx[kept[s->g[g].members[i]]]]);
            if (isfinite(m)) {
                sum += m;
                known[g]++;
            }
        }
        np[g] = known[g] ? sum : NAN;
        all += sum;
        known[n] += known[g];
    }
    np[n] = known[n] ? all : NAN;
}
