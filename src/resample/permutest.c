/* Permutation tests as metafor's permutest(): sign flips of yi for the model without
 * moderators, permuted rows of the design matrix for meta-regression; exact when the
 * number of distinct permutations is at most `iter`, otherwise `iter` random permutations
 * with the observed data as the first (so the p-value is at least 1/iter). */
#include "iastm/permutest.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/regress.h"
#include "core/rng.h"

void ma_permutest_opts_init(ma_permutest_opts_t *o)
{
    memset(o, 0, sizeof *o);
    ma_rma_opts_init(&o->rma);
    o->rma.tau2_ci = 0;
    o->iter = 1000;
    o->seed = 1;
    ma_run_opts_init(&o->run);
}

void ma_permutest_clear(ma_permutest_t *r)
{
    if (!r)
        return;
    free(r->b);
    free(r->se);
    free(r->stat);
    free(r->pval_model);
    free(r->pval);
    r->b = r->se = r->stat = r->pval_model = r->pval = NULL;
}

/* Per-thread counts. */
typedef struct {
    uint64_t *hit, *valid; /* p + 1: coefficients, then QM */
    uint64_t failed;
    ma_status_t st;
} tstate_t;

typedef struct {
    const double *yi, *vi, *X;
    size_t k, p;              /* p = 0: no moderators */
    ma_rma_opts_t rma;
    int exact;
    uint64_t n;               /* permutations */
    uint64_t seed;
    double tol;
    const double *obs;        /* p' + 1 observed |stat| (p' = max(p, 1)), then QM */
    const size_t *label0;     /* moderators, exact: sorted group labels of the rows */
    const size_t *rep;        /* representative row of each group */
    tstate_t *ts;
} ctx_t;

static size_t ncoef(const ctx_t *c)
{
    return c->p ? c->p : 1;
}

/* Fit one permuted data set; st[0..ncoef) and st[ncoef] = QM. Returns 0 on failure. */
static int fit_perm(const ctx_t *c, const double *y, const double *Xp, double *st)
{
    ma_error_t e;
    if (c->p == 0) {
        ma_rma_t r;
        if (ma_rma_fit(y, c->vi, c->k, &c->rma, &r, &e) != MA_OK)
            return 0;
        st[0] = r.stat;
        st[1] = r.stat * r.stat;
        return 1;
    } else {
        ma_reg_t r;
        size_t j;
        memset(&r, 0, sizeof r);
        if (ma_regress_fit(c->yi, c->vi, c->k, Xp, c->p, &c->rma, &r, &e) != MA_OK) {
            ma_reg_clear(&r);
            return 0;
        }
        for (j = 0; j < c->p; j++)
            st[j] = r.stat[j];
        st[c->p] = r.QM;
        ma_reg_clear(&r);
        return 1;
    }
}

static void count(const ctx_t *c, tstate_t *s, const double *st)
{
    size_t j, nc = ncoef(c);
    for (j = 0; j < nc; j++) {
        if (isnan(st[j]))
            continue;
        s->valid[j]++;
        if (fabs(st[j]) >= c->obs[j] - c->tol)
            s->hit[j]++;
    }
    if (!isnan(st[nc])) {
        s->valid[nc]++;
        if (st[nc] >= c->obs[nc] - c->tol)
            s->hit[nc]++;
    }
}

/* Next distinct permutation of a multiset in lexicographic order; 0 after the last. */
static int next_perm(size_t *a, size_t n)
{
    size_t i, j, t;
    if (n < 2)
        return 0;
    i = n - 1;
    while (i > 0 && a[i - 1] >= a[i])
        i--;
    if (i == 0)
        return 0;
    j = n - 1;
    while (a[j] <= a[i - 1])
        j--;
    t = a[i - 1];
    a[i - 1] = a[j];
    a[j] = t;
    for (j = n - 1; i < j; i++, j--) {
        t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    return 1;
}

static void rows_from_labels(const ctx_t *c, const size_t *lab, double *Xp)
{
    size_t i;
    for (i = 0; i < c->k; i++)
        memcpy(Xp + i * c->p, c->X + c->rep[lab[i]] * c->p, c->p * sizeof *Xp);
}

static ma_status_t worker(void *vctx, unsigned t, unsigned n, ma_progress_t *prog)
{
    ctx_t *c = vctx;
    tstate_t *s = &c->ts[t];
    size_t k = c->k, j, nc = ncoef(c);
    double *y = malloc(k * sizeof *y), *st = malloc((nc + 1) * sizeof *st);
    double *Xp = c->p ? malloc(k * c->p * sizeof *Xp) : NULL;
    size_t *lab = malloc(k * sizeof *lab);
    uint64_t i, i0, i1, done = 0;
    ma_status_t ret = MA_OK;

    if (!y || !st || !lab || (c->p && !Xp)) {
        ret = MA_ENOMEM;
        goto out;
    }
    if (c->exact && c->p) {
        /* Every thread walks the whole sequence; thread t fits the permutations
         * t, t + n, t + 2n, ... (stepping is O(k), a fit costs far more). */
        memcpy(lab, c->label0, k * sizeof *lab);
        i = 0;
        do {
            if (i % n == t) {
                rows_from_labels(c, lab, Xp);
                if (fit_perm(c, NULL, Xp, st))
                    count(c, s, st);
                else
                    s->failed++;
                if (++done % 64 == 0) {
                    ma_progress_add(prog, 64 * (uint64_t)n);
                    if (ma_progress_cancelled(prog)) {
                        ret = MA_EINTR;
                        goto out;
                    }
                }
            }
            i++;
        } while (next_perm(lab, k));
        goto out;
    }
    ma_block(c->n, t, n, &i0, &i1);
    for (i = i0; i < i1; i++) {
        if (c->exact) {
            /* sign flips: bit j of i set = study j negated */
            for (j = 0; j < k; j++)
                y[j] = ((i >> j) & 1) ? -c->yi[j] : c->yi[j];
            if (fit_perm(c, y, NULL, st))
                count(c, s, st);
            else
                s->failed++;
        } else if (i == 0) {
            /* the observed data count as the first permutation (metafor) */
            memcpy(st, c->obs, nc * sizeof *st);
            st[nc] = c->obs[nc];
            count(c, s, st);
        } else {
            ma_rng_t rng;
            int tries = 0;
            ma_rng_init(&rng, c->seed, i);
            for (;;) {
                int ok;
                if (c->p == 0) {
                    uint64_t word = 0;
                    for (j = 0; j < k; j++) {
                        if (j % 64 == 0)
                            word = ma_rng_u64(&rng);
                        y[j] = (word & 1) ? -c->yi[j] : c->yi[j];
                        word >>= 1;
                    }
                    ok = fit_perm(c, y, NULL, st);
                } else {
                    /* Fisher-Yates shuffle of the rows */
                    for (j = 0; j < k; j++)
                        lab[j] = j;
                    for (j = k - 1; j > 0; j--) {
                        size_t r = (size_t)ma_rng_below(&rng, j + 1), tmp = lab[j];
                        lab[j] = lab[r];
                        lab[r] = tmp;
                    }
                    for (j = 0; j < k; j++)
                        memcpy(Xp + j * c->p, c->X + lab[j] * c->p, c->p * sizeof *Xp);
                    ok = fit_perm(c, NULL, Xp, st);
                }
                if (ok) {
                    count(c, s, st);
                    break;
                }
                /* metafor draws again after a failed fit */
                s->failed++;
                if (++tries >= 1000) {
                    ret = MA_ENUMERIC;
                    goto out;
                }
            }
        }
        if (++done % 64 == 0) {
            ma_progress_add(prog, 64);
            if (ma_progress_cancelled(prog)) {
                ret = MA_EINTR;
                goto out;
            }
        }
    }
out:
    free(y);
    free(st);
    free(Xp);
    free(lab);
    return ret;
}

/* Lexicographic order of rows i and j of X (k x p), ties by index. */
static int cmp_rows(const double *X, size_t p, size_t i, size_t j)
{
    size_t c;
    for (c = 0; c < p; c++) {
        double x = X[i * p + c], y = X[j * p + c];
        if (x < y)
            return -1;
        if (x > y)
            return 1;
    }
    return (i > j) - (i < j);
}

/* Bottom-up merge sort of row indices (qsort has no context argument). */
static void sort_rows(const double *X, size_t p, size_t *a, size_t *tmp, size_t k)
{
    size_t w, lo;
    for (w = 1; w < k; w *= 2) {
        for (lo = 0; lo < k; lo += 2 * w) {
            size_t mid = lo + w < k ? lo + w : k, hi = lo + 2 * w < k ? lo + 2 * w : k;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = cmp_rows(X, p, a[i], a[j]) <= 0 ? a[i++] : a[j++];
            while (i < mid)
                tmp[o++] = a[i++];
            while (j < hi)
                tmp[o++] = a[j++];
        }
        memcpy(a, tmp, k * sizeof *a);
    }
}

static int same_row(const double *X, size_t p, size_t i, size_t j)
{
    size_t c;
    for (c = 0; c < p; c++)
        if (X[i * p + c] != X[j * p + c])
            return 0;
    return 1;
}

ma_status_t ma_permutest(const double *yi, const double *vi, size_t k, const double *X,
                         size_t p, const ma_permutest_opts_t *o, ma_permutest_t *r,
                         ma_error_t *err)
{
    ctx_t c;
    size_t j, nc, ngroups = 0, *order = NULL, *label0 = NULL, *rep = NULL;
    double *obs = NULL;
    unsigned nt = 0, t, maxt;
    ma_status_t st = MA_OK;
    ma_error_t e;

    memset(r, 0, sizeof *r);
    memset(&c, 0, sizeof c);
    if (!X)
        p = 0;
    nc = p ? p : 1;
    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "a permutation test needs at least 2 studies");
    if (o->iter < 2)
        return ma_error_set(err, MA_EUSAGE, "the number of permutations must be >= 2");
    r->k = k;
    r->p = nc;
    r->test = o->rma.test;
    r->b = calloc(nc, sizeof *r->b);
    r->se = calloc(nc, sizeof *r->se);
    r->stat = calloc(nc, sizeof *r->stat);
    r->pval_model = calloc(nc, sizeof *r->pval_model);
    r->pval = calloc(nc, sizeof *r->pval);
    obs = malloc((nc + 1) * sizeof *obs);
    if (!r->b || !r->se || !r->stat || !r->pval_model || !r->pval || !obs) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    c.rma = o->rma;
    c.rma.tau2_ci = 0;

    /* the observed model */
    if (p == 0) {
        ma_rma_t m;
        if ((st = ma_rma_fit(yi, vi, k, &c.rma, &m, err)) != MA_OK)
            goto done;
        r->b[0] = m.estimate;
        r->se[0] = m.se;
        r->stat[0] = m.stat;
        r->pval_model[0] = m.pval;
        r->QM = m.stat * m.stat;
        r->QM_df = 1;
        r->QM_pval_model = m.pval;
        r->tau2 = m.tau2;
        r->method_used = m.method_used;
        r->exact_iter = k <= 1000 ? ldexp(1.0, (int)k) : HUGE_VAL;
    } else {
        ma_reg_t m;
        double num = 1, den = 1;
        size_t g, start, maxn = 0, maxg = 0, *gsize;
        memset(&m, 0, sizeof m);
        if ((st = ma_regress_fit(yi, vi, k, X, p, &c.rma, &m, err)) != MA_OK) {
            ma_reg_clear(&m);
            goto done;
        }
        for (j = 0; j < p; j++) {
            r->b[j] = m.b[j];
            r->se[j] = m.se[j];
            r->stat[j] = m.stat[j];
            r->pval_model[j] = m.pval[j];
        }
        r->QM = m.QM;
        r->QM_df = m.QM_df;
        r->QM_pval_model = m.QM_p;
        r->tau2 = m.tau2;
        r->method_used = m.method_used;
        ma_reg_clear(&m);

        /* groups of identical rows: the distinct permutations number
         * k! / prod(n_g!) (metafor: prod((max n_g + 1):k) / prod(factorial(other n_g))) */
        order = malloc(k * sizeof *order);
        label0 = malloc(k * sizeof *label0);
        rep = malloc(k * sizeof *rep);
        gsize = calloc(k, sizeof *gsize);
        if (!order || !label0 || !rep || !gsize) {
            free(gsize);
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        for (j = 0; j < k; j++)
            order[j] = j;
        sort_rows(X, p, order, label0, k);
        for (j = 0, start = 0; j < k; j++) {
            if (j > 0 && !same_row(X, p, order[j], order[start])) {
                ngroups++;
                start = j;
            }
            if (j == start)
                rep[ngroups] = order[j];
            label0[j] = ngroups;
            gsize[ngroups]++;
        }
        ngroups++;
        for (g = 0; g < ngroups; g++)
            if (gsize[g] > maxn) {
                maxn = gsize[g];
                maxg = g;
            }
        for (j = maxn + 1; j <= k; j++)
            num *= (double)j;
        for (g = 0; g < ngroups; g++) {
            size_t f;
            if (g == maxg)
                continue;
            for (f = 2; f <= gsize[g]; f++)
                den *= (double)f;
        }
        free(gsize);
        r->exact_iter = isfinite(num) ? nearbyint(num / den) : HUGE_VAL;
        c.label0 = label0;
        c.rep = rep;
    }
    for (j = 0; j < nc; j++)
        obs[j] = fabs(r->stat[j]);
    obs[nc] = r->QM;

    c.exact = o->exact || r->exact_iter <= (double)o->iter;
    if (c.exact && !(r->exact_iter <= 9007199254740992.0)) {
        st = ma_error_set(err, MA_EUSAGE, "too many permutations for an exact test (%g)",
                          r->exact_iter);
        goto done;
    }
    if (c.exact && p == 0 && k > 62) {
        st = ma_error_set(err, MA_EUSAGE, "too many permutations for an exact test (2^%zu)",
                          k);
        goto done;
    }
    c.n = c.exact ? (uint64_t)r->exact_iter : o->iter;
    c.yi = yi;
    c.vi = vi;
    c.X = p ? X : NULL;
    c.k = k;
    c.p = p;
    c.seed = o->seed;
    c.tol = sqrt(DBL_EPSILON); /* metafor's comptol, .Machine$double.eps^0.5 */
    c.obs = obs;
    maxt = c.n < 1024 ? (unsigned)c.n : 1024;
    nt = ma_run_threads(&o->run, maxt);
    c.ts = calloc(nt, sizeof *c.ts);
    if (!c.ts) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (t = 0; t < nt; t++) {
        c.ts[t].hit = calloc(nc + 1, sizeof(uint64_t));
        c.ts[t].valid = calloc(nc + 1, sizeof(uint64_t));
        if (!c.ts[t].hit || !c.ts[t].valid) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
    }
    {
        ma_run_opts_t run = o->run;
        run.threads = nt;
        st = ma_run_parallel(&run, nt, "permutest", c.n, worker, &c, &r->threads, &e);
    }
    if (st != MA_OK) {
        if (st == MA_EINTR)
            ma_error_set(err, st, "interrupted");
        else if (st == MA_ENUMERIC)
            ma_error_set(err, st, "1000 random permutations in a row could not be fitted");
        else
            ma_error_set(err, st, "out of memory");
        goto done;
    }
    r->exact = c.exact;
    r->iter = c.n;
    for (j = 0; j <= nc; j++) {
        uint64_t hit = 0, valid = 0;
        double pv;
        for (t = 0; t < nt; t++) {
            hit += c.ts[t].hit[j];
            valid += c.ts[t].valid[j];
        }
        pv = valid ? (double)hit / (double)valid : NAN;
        if (pv > 1)
            pv = 1;
        if (j < nc)
            r->pval[j] = pv;
        else
            r->QM_pval = pv;
    }
    for (t = 0; t < nt; t++)
        r->failed += c.ts[t].failed;

done:
    if (c.ts) {
        for (t = 0; t < nt; t++) {
            free(c.ts[t].hit);
            free(c.ts[t].valid);
        }
        free(c.ts);
    }
    free(obs);
    free(order);
    free(label0);
    free(rep);
    if (st != MA_OK)
        ma_permutest_clear(r);
    return st;
}
