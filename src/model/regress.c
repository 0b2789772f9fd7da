/* Mixed-effects meta-regression as metafor's rma.uni with moderators: the tau2 estimators
 * with p coefficients, WLS fit, z / Knapp-Hartung inference, QM, QE, I2, H2, R2.
 * Every quantity comes from p x p pieces, O(k p^2) per evaluation: with W = diag(w),
 * M = X'WX and P = W - W X M^-1 X'W (k x k, never formed),
 *   y'Py = sum w e^2, y'PPy = sum w^2 e^2 (e the WLS residuals),
 *   tr(P) = sum w (1 - h), tr(PP) from the hat values h as well (hat_traces). */
#include "iastm/regress.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "methods.h"
#include "rma_internal.h"

#define REG_BLOCK 64
/* lm()'s QR tolerance: a column whose residual norm after projection on the preceding
 * columns is below 1e-7 of its own norm is taken as a linear combination of them */
#define RANK_TOL 1e-7

/* Weights applied between X' and X in a cross-product. */
typedef enum { XW_W, XW_W2, XW_W3, XW_V } xw_t;

struct reg_ws {
    const double *y, *v, *X;
    size_t k, p;
    double ybar;    /* unweighted mean of y: metafor estimates tau2 and QE on y - ybar */
    double tscale;  /* min(1, mean vi), scales absolute tau2 tolerances as rma.c */
    double *w;      /* k weights of the last set_weights */
    double *blk;    /* p*p block accumulator (at least 2p doubles) */
    gsl_matrix *M;  /* X'WX, then its Cholesky factor */
    gsl_matrix *S, *G, *H; /* scratch p x p */
    gsl_vector *xty, *b, *col;
};

typedef struct {
    double sw, sw2;   /* sum w, sum w^2 */
    double q;         /* sum w e^2 */
    double sw2e2;     /* sum w^2 e^2 */
    double logdet;    /* log det M */
} reg_sums_t;

static void ws_free(reg_ws_t *ws)
{
    free(ws->w);
    free(ws->blk);
    gsl_matrix_free(ws->M);
    gsl_matrix_free(ws->S);
    gsl_matrix_free(ws->G);
    gsl_matrix_free(ws->H);
    gsl_vector_free(ws->xty);
    gsl_vector_free(ws->b);
    gsl_vector_free(ws->col);
}

static int ws_init(reg_ws_t *ws, const double *y, const double *v, const double *X, size_t k,
                   size_t p)
{
    size_t i;
    double sy = 0, sv = 0, sr = 0, m;
    memset(ws, 0, sizeof *ws);
    ws->y = y;
    ws->v = v;
    ws->X = X;
    ws->k = k;
    ws->p = p;
    ws->w = malloc(k * sizeof *ws->w);
    ws->blk = malloc((p > 2 ? p * p : 2 * p) * sizeof *ws->blk); /* also two p-vectors */
    ws->M = gsl_matrix_alloc(p, p);
    ws->S = gsl_matrix_alloc(p, p);
    ws->G = gsl_matrix_alloc(p, p);
    ws->H = gsl_matrix_alloc(p, p);
    ws->xty = gsl_vector_alloc(p);
    ws->b = gsl_vector_alloc(p);
    ws->col = gsl_vector_alloc(p);
    if (!ws->w || !ws->blk || !ws->M || !ws->S || !ws->G || !ws->H || !ws->xty || !ws->b
        || !ws->col) {
        ws_free(ws);
        return -1;
    }
    for (i = 0; i < k; i++) {
        sy += y[i];
        sv += v[i];
    }
    m = sy / (double)k;
    for (i = 0; i < k; i++)
        sr += y[i] - m;
    ws->ybar = m + sr / (double)k;
    ws->tscale = fmin(1.0, sv / (double)k);
    return 0;
}

/* w = 1/(v + tau2); tau2 < 0 means unit weights (ordinary least squares). */
static void set_weights(reg_ws_t *ws, double tau2)
{
    size_t i;
    if (tau2 < 0) {
        for (i = 0; i < ws->k; i++)
            ws->w[i] = 1.0;
        return;
    }
    for (i = 0; i < ws->k; i++)
        ws->w[i] = 1.0 / (ws->v[i] + tau2);
}

/* out = X' diag(f) X with f from the current weights (or vi), summed in blocks. */
static void xtdx(reg_ws_t *ws, xw_t kind, gsl_matrix *out)
{
    size_t k = ws->k, p = ws->p, i0, i, a, c;
    gsl_matrix_set_zero(out);
    for (i0 = 0; i0 < k; i0 += REG_BLOCK) {
        size_t i1 = i0 + REG_BLOCK < k ? i0 + REG_BLOCK : k;
        memset(ws->blk, 0, p * p * sizeof *ws->blk);
        for (i = i0; i < i1; i++) {
            const double *x = ws->X + i * p;
            double f = ws->w[i];
            if (kind == XW_W2)
                f *= f;
            else if (kind == XW_W3)
                f *= f * f;
            else if (kind == XW_V)
                f = ws->v[i];
            for (a = 0; a < p; a++) {
                double fa = f * x[a];
                for (c = 0; c <= a; c++)
                    ws->blk[a * p + c] += fa * x[c];
            }
        }
        for (a = 0; a < p; a++)
            for (c = 0; c <= a; c++)
                out->data[a * out->tda + c] += ws->blk[a * p + c];
    }
    for (a = 0; a < p; a++)
        for (c = 0; c < a; c++)
            gsl_matrix_set(out, c, a, gsl_matrix_get(out, a, c));
}

/* Weighted LS fit at the current weights: M = X'WX (Cholesky in ws->M), b, residual sums.
 * `centred`: fit y - ybar (as metafor's tau2 estimators and QE) instead of y. */
static ma_status_t wls(reg_ws_t *ws, int centred, reg_sums_t *s)
{
    size_t k = ws->k, p = ws->p, i, a;
    double c = centred ? ws->ybar : 0.0, sw = 0, sw2 = 0, q = 0, q2 = 0;
    int st;

    xtdx(ws, XW_W, ws->M);
    gsl_vector_set_zero(ws->xty);
    for (i = 0; i < k; i++) {
        const double *x = ws->X + i * p;
        double wy = ws->w[i] * (ws->y[i] - c);
        for (a = 0; a < p; a++)
            ws->xty->data[a * ws->xty->stride] += wy * x[a];
        sw += ws->w[i];
        sw2 += ws->w[i] * ws->w[i];
    }
    st = gsl_linalg_cholesky_decomp1(ws->M);
    if (st != GSL_SUCCESS)
        return MA_ENUMERIC;
    s->logdet = 0;
    for (a = 0; a < p; a++)
        s->logdet += 2 * log(gsl_matrix_get(ws->M, a, a));
    if (gsl_linalg_cholesky_solve(ws->M, ws->xty, ws->b) != GSL_SUCCESS)
        return MA_ENUMERIC;
    for (i = 0; i < k; i++) {
        const double *x = ws->X + i * p;
        double e = ws->y[i] - c, we2;
        for (a = 0; a < p; a++)
            e -= x[a] * gsl_vector_get(ws->b, a);
        we2 = ws->w[i] * e * e;
        q += we2;
        q2 += ws->w[i] * we2;
    }
    s->sw = sw;
    s->sw2 = sw2;
    s->q = q;
    s->sw2e2 = q2;
    return MA_OK;
}

/* out = M^-1 S using the Cholesky factor in ws->M (column by column). */
static ma_status_t solve_mat(reg_ws_t *ws, const gsl_matrix *S, gsl_matrix *out)
{
    size_t j;
    for (j = 0; j < ws->p; j++) {
        gsl_vector_const_view sc = gsl_matrix_const_column(S, j);
        gsl_vector_view oc = gsl_matrix_column(out, j);
        if (gsl_linalg_cholesky_solve(ws->M, &sc.vector, &oc.vector) != GSL_SUCCESS)
            return MA_ENUMERIC;
    }
    return MA_OK;
}

/* At most this many studies per evaluation get their off-diagonal sum of tr(PP) summed
 * directly (those whose own term dominates it); the others use the difference. */
#define DIRECT_MAX 64

/* u = L^-1 x with L the Cholesky factor of M in ws->M (lower triangle). */
static void forward(const reg_ws_t *ws, const double *x, double *u)
{
    size_t p = ws->p, a, c;
    for (a = 0; a < p; a++) {
        double t = x[a];
        for (c = 0; c < a; c++)
            t -= gsl_matrix_get(ws->M, a, c) * u[c];
        u[a] = t / gsl_matrix_get(ws->M, a, a);
    }
}

/* tr(P) and tr(PP) from the hat values, as sums of non-negative terms. With u_i = L^-1 x_i
 * (M = LL'), x_i' M^-1 x_j = u_i'u_j, h_i = w_i |u_i|^2 and Bt = sum_j w_j^2 u_j u_j':
 *   tr(P)  = sum_i w_i (1 - h_i),
 *   tr(PP) = sum_i w_i^2 [(1 - h_i)^2 + sum_{j != i} w_j^2 (u_j'u_i)^2],
 * the inner sum being u_i'Bt u_i - h_i^2. Where h_i^2 is most of u_i'Bt u_i (a study of
 * dominant weight) that difference cancels and the sum over j != i is taken term by term.
 * The textbook sum w^2 - 2 tr(M^-1 X'W^3X) + tr((M^-1 X'W^2X)^2) cancels to <= 0 when the
 * vi span many orders of magnitude. Needs wls() first. */
static ma_status_t hat_traces(reg_ws_t *ws, double *trP, double *trPP)
{
    size_t k = ws->k, p = ws->p, i, j, a, c, direct[DIRECT_MAX], nd = 0;
    gsl_matrix *Bt = ws->H;
    double *u = ws->blk, *ui = ws->blk + p, tp = 0, tpp = 0;

    gsl_matrix_set_zero(Bt);
    for (i = 0; i < k; i++) {
        double w2 = ws->w[i] * ws->w[i];
        forward(ws, ws->X + i * p, u);
        for (a = 0; a < p; a++)
            for (c = 0; c <= a; c++)
                Bt->data[a * Bt->tda + c] += w2 * u[a] * u[c];
    }
    for (a = 0; a < p; a++)
        for (c = 0; c < a; c++)
            gsl_matrix_set(Bt, c, a, gsl_matrix_get(Bt, a, c));
    for (i = 0; i < k; i++) {
        double w = ws->w[i], h = 0, g = 0, om;
        forward(ws, ws->X + i * p, u);
        for (a = 0; a < p; a++) {
            double t = 0;
            for (c = 0; c < p; c++)
                t += gsl_matrix_get(Bt, a, c) * u[c];
            g += u[a] * t;
            h += u[a] * u[a];
        }
        h *= w;
        om = h < 1 ? 1 - h : 0;
        tp += w * om;
        tpp += w * w * om * om;
        if (h * h > 0.5 * g && nd < DIRECT_MAX)
            direct[nd++] = i;
        else if (g > h * h)
            tpp += w * w * (g - h * h);
    }
    for (j = 0; j < nd; j++) {
        double wi = ws->w[direct[j]], off = 0;
        forward(ws, ws->X + direct[j] * p, ui);
        for (i = 0; i < k; i++) {
            double t = 0;
            if (i == direct[j])
                continue;
            forward(ws, ws->X + i * p, u);
            for (a = 0; a < p; a++)
                t += u[a] * ui[a];
            t *= ws->w[i];
            off += t * t;
        }
        tpp += wi * wi * off;
    }
    *trP = tp;
    *trPP = tpp;
    return isfinite(tp) && isfinite(tpp) ? MA_OK : MA_ENUMERIC;
}

/* Generalised QE at tau2 (centred y), for Paule-Mandel. NaN on failure. */
static double qe_at(reg_ws_t *ws, double tau2)
{
    reg_sums_t s;
    set_weights(ws, tau2);
    return wls(ws, 1, &s) == MA_OK ? s.q : NAN;
}

typedef struct {
    reg_ws_t *ws;
    double target;
} pm_arg_t;

static double pm_fn(double tau2, void *arg)
{
    pm_arg_t *a = arg;
    return qe_at(a->ws, tau2) - a->target;
}

/* Paule-Mandel: QE(tau2) = k - p, decreasing in tau2; 0 when QE(0) < k - p. The bracket
 * starts at metafor's tau2.max (100) and grows while needed. */
static ma_status_t tau2_pm(reg_ws_t *ws, const ma_rma_opts_t *o, double *tau2, int *iter)
{
    pm_arg_t arg = {ws, (double)(ws->k - ws->p)};
    return ma_root_decreasing(pm_fn, &arg, 100, o->tol * ws->tscale, o->maxiter, tau2, iter);
}

/* Hedges (HE) with moderators: (RSS_ols - tr(P V)) / (k - p), P = I - X(X'X)^-1 X',
 * tr(PV) = sum vi - tr((X'X)^-1 X'VX). */
static ma_status_t tau2_he(reg_ws_t *ws, double *tau2)
{
    reg_sums_t s;
    double sv = 0, tr = 0;
    size_t i;
    set_weights(ws, -1);
    if (wls(ws, 1, &s) != MA_OK)
        return MA_ENUMERIC;
    xtdx(ws, XW_V, ws->S);
    if (solve_mat(ws, ws->S, ws->G) != MA_OK)
        return MA_ENUMERIC;
    for (i = 0; i < ws->p; i++)
        tr += gsl_matrix_get(ws->G, i, i);
    for (i = 0; i < ws->k; i++)
        sv += ws->v[i];
    *tau2 = (s.q - (sv - tr)) / (double)(ws->k - ws->p);
    return MA_OK;
}

/* metafor's ll0check: the (restricted) log-likelihood at tau2 = 0 minus the one at tau2. */
static ma_status_t ll0_minus_ll(reg_ws_t *ws, ma_method_t m, double tau2, double *diff)
{
    reg_sums_t s0, s;
    double sl = 0;
    size_t i;
    set_weights(ws, 0);
    if (wls(ws, 1, &s0) != MA_OK)
        return MA_ENUMERIC;
    set_weights(ws, tau2);
    if (wls(ws, 1, &s) != MA_OK)
        return MA_ENUMERIC;
    for (i = 0; i < ws->k; i++)
        sl += log1p(tau2 / ws->v[i]);
    *diff = 0.5 * sl - 0.5 * (s0.q - s.q);
    if (m == MA_METHOD_REML)
        *diff -= 0.5 * (s0.logdet - s.logdet);
    return MA_OK;
}

typedef struct {
    reg_ws_t *ws;
    ma_method_t m;
} score_arg_t;

/* The scoring equations of ML, REML and EB with moderators at tau2 (scoring.c). */
static ma_status_t score_eval(double tau2, void *arg, ma_score_eval_t *e)
{
    const score_arg_t *sa = arg;
    reg_ws_t *ws = sa->ws;
    double k = (double)ws->k, p = (double)ws->p, trP = NAN, trPP = NAN;
    reg_sums_t s;

    set_weights(ws, tau2);
    if (wls(ws, 1, &s) != MA_OK)
        return MA_ENUMERIC;
    /* the traces of P only where the equation needs them (REML): O(k p^2) */
    if (sa->m != MA_METHOD_EB && sa->m != MA_METHOD_ML && hat_traces(ws, &trP, &trPP) != MA_OK)
        return MA_ENUMERIC;
    ma_score_equation(sa->m, k, p, s.q, s.sw, s.sw2, s.sw2e2, trP, trPP, e);
    return MA_OK;
}

/* Fisher scoring for ML, REML, EB from tau2_init or max(0, HE), as rma.c. */
static ma_status_t tau2_scoring(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o,
                                double *tau2_out, int *iterations)
{
    score_arg_t a = {ws, m};
    double t0 = 0;
    int damped;
    if (o->tau2_init >= 0 && isfinite(o->tau2_init))
        t0 = o->tau2_init;
    else if (tau2_he(ws, &t0) != MA_OK || !isfinite(t0) || t0 < 0)
        t0 = 0;
    return ma_fisher_scoring(score_eval, &a, t0, o->stepadj, o->tol * ws->tscale, o->maxiter,
                             tau2_out, iterations, &damped);
}

/* The estimators of the method table (methods.h) with moderators. */
ma_status_t ma_tau2_reg_fe(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    (void)ws, (void)m, (void)o, (void)iterations, (void)reset;
    *tau2 = 0;
    return MA_OK;
}

/* (QE - (k - p)) / tr(P), FE weights */
ma_status_t ma_tau2_reg_dl(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    double trP, trPP;
    reg_sums_t s;
    (void)m, (void)o, (void)iterations, (void)reset;
    set_weights(ws, 0);
    if (wls(ws, 1, &s) != MA_OK || hat_traces(ws, &trP, &trPP) != MA_OK)
        return MA_ENUMERIC;
    *tau2 = (s.q - ((double)ws->k - (double)ws->p)) / trP;
    return MA_OK;
}

ma_status_t ma_tau2_reg_hs(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    reg_sums_t s;
    (void)m, (void)o, (void)iterations, (void)reset;
    set_weights(ws, 0);
    if (wls(ws, 1, &s) != MA_OK)
        return MA_ENUMERIC;
    *tau2 = (s.q - (double)ws->k) / s.sw;
    return MA_OK;
}

ma_status_t ma_tau2_reg_he(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    (void)m, (void)o, (void)iterations, (void)reset;
    return tau2_he(ws, tau2);
}

/* tau0 = sum (yi - ybar)^2 / k, then tau0 QE(tau0) / (k - p) */
ma_status_t ma_tau2_reg_sj(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    double t0 = 0;
    reg_sums_t s;
    size_t i;
    (void)m, (void)o, (void)iterations, (void)reset;
    for (i = 0; i < ws->k; i++)
        t0 += (ws->y[i] - ws->ybar) * (ws->y[i] - ws->ybar);
    t0 /= (double)ws->k;
    set_weights(ws, t0);
    if (wls(ws, 1, &s) != MA_OK)
        return MA_ENUMERIC;
    *tau2 = t0 * s.q / ((double)ws->k - (double)ws->p);
    return MA_OK;
}

ma_status_t ma_tau2_reg_pm(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                           int *iterations, int *reset)
{
    (void)m, (void)reset;
    return tau2_pm(ws, o, tau2, iterations);
}

/* ML, REML, EB: Fisher scoring; ML and REML then metafor's ll0check */
ma_status_t ma_tau2_reg_lik(reg_ws_t *ws, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                            int *iterations, int *reset)
{
    ma_status_t st = tau2_scoring(ws, m, o, tau2, iterations);
    if (st == MA_OK && m != MA_METHOD_EB && *tau2 > o->tol) {
        double diff;
        if (ll0_minus_ll(ws, m, *tau2, &diff) == MA_OK && diff > o->tol) {
            *tau2 = 0;
            *reset = 1;
        }
    }
    return st;
}

/* One estimator of the table; MA_ENUMERIC on non-convergence. *reset when ll0check set
 * tau2 to 0. */
static ma_status_t tau2_fit(void *ctx, ma_method_t m, const ma_rma_opts_t *o, double *tau2,
                            int *iterations, int *reset)
{
    reg_ws_t *ws = ctx;
    const ma_method_def_t *def = ma_method_def(m);
    double t = 0;
    ma_status_t st;

    *iterations = 0;
    *reset = 0;
    *tau2 = NAN;
    if (!def || !def->reg) /* a method without an estimator for moderators */
        return MA_EUSAGE;
    st = def->reg(ws, m, o, &t, iterations, reset);
    if (st != MA_OK)
        return st;
    if (!isfinite(t))
        return MA_ENUMERIC;
    *tau2 = t > 0 ? t : 0;
    return MA_OK;
}

void ma_reg_clear(ma_reg_t *r)
{
    if (!r)
        return;
    free(r->b); /* b owns the block holding all six arrays */
    r->b = r->se = r->stat = r->pval = r->ci_lb = r->ci_ub = NULL;
}

/* Rank check on X'X as lm()'s pivoting QR: Cholesky column by column; column j whose
 * squared residual norm is below RANK_TOL^2 of its squared norm depends on the preceding
 * ones. Returns the 0-based offending column, or p when X has full column rank. */
static size_t rank_check(reg_ws_t *ws)
{
    size_t p = ws->p, j, i, l;
    gsl_matrix *S = ws->S, *L = ws->G;
    set_weights(ws, -1);
    xtdx(ws, XW_W, S);
    gsl_matrix_set_zero(L);
    for (j = 0; j < p; j++) {
        double sjj = gsl_matrix_get(S, j, j), d = sjj, ljj;
        for (l = 0; l < j; l++)
            d -= gsl_matrix_get(L, j, l) * gsl_matrix_get(L, j, l);
        if (!(sjj > 0) || !(d > RANK_TOL * RANK_TOL * sjj))
            return j;
        ljj = sqrt(d);
        gsl_matrix_set(L, j, j, ljj);
        for (i = j + 1; i < p; i++) {
            double x = gsl_matrix_get(S, i, j);
            for (l = 0; l < j; l++)
                x -= gsl_matrix_get(L, i, l) * gsl_matrix_get(L, j, l);
            gsl_matrix_set(L, i, j, x / ljj);
        }
    }
    return p;
}

static ma_status_t check_input(const double *yi, const double *vi, size_t k, const double *X,
                               size_t p, ma_error_t *err)
{
    size_t i, j;
    char val[64];
    ma_status_t st;
    for (i = 0; i < k; i++) {
        if ((st = ma_check_study(yi, vi, i, err)) != MA_OK)
            return st;
        for (j = 0; j < p; j++)
            if (!isfinite(X[i * p + j])) {
                snprintf(val, sizeof val, "%.17g", X[i * p + j]);
                return ma_error_at(err, MA_EINPUT, NULL, 0, NULL, val,
                                   "study %zu: design matrix column %zu is not finite", i + 1,
                                   j + 1);
            }
    }
    return ma_check_weights(vi, k, err); /* a weight 1/vi that overflows: MA_ENUMERIC */
}

/* Index of a column of ones (metafor's intercept), or p when none. */
static size_t intercept_col(const double *X, size_t k, size_t p)
{
    size_t i, j;
    for (j = 0; j < p; j++) {
        for (i = 0; i < k && X[i * p + j] == 1.0; i++)
            ;
        if (i == k)
            return j;
    }
    return p;
}

/* QM = b[btt]' V[btt,btt]^-1 b[btt] with V = vb (p x p, row-major); NaN when V[btt,btt]
 * is not positive definite (metafor: NA). */
static double wald(const double *b, const gsl_matrix *vb, size_t p, size_t skip)
{
    size_t m = skip < p ? p - 1 : p, i, j, ii, jj;
    gsl_matrix *V = gsl_matrix_alloc(m, m);
    gsl_vector *bb = gsl_vector_alloc(m), *x = gsl_vector_alloc(m);
    double q = NAN;
    if (V && bb && x) {
        for (i = 0, ii = 0; i < p; i++) {
            if (i == skip)
                continue;
            gsl_vector_set(bb, ii, b[i]);
            for (j = 0, jj = 0; j < p; j++) {
                if (j == skip)
                    continue;
                gsl_matrix_set(V, ii, jj, gsl_matrix_get(vb, i, j));
                jj++;
            }
            ii++;
        }
        if (gsl_linalg_cholesky_decomp1(V) == GSL_SUCCESS
            && gsl_linalg_cholesky_solve(V, bb, x) == GSL_SUCCESS) {
            q = 0;
            for (i = 0; i < m; i++)
                q += gsl_vector_get(bb, i) * gsl_vector_get(x, i);
        }
    }
    gsl_matrix_free(V);
    gsl_vector_free(bb);
    gsl_vector_free(x);
    return q;
}

static int opts_valid(const ma_rma_opts_t *o)
{
    return ma_method_info(o->method) && (unsigned)o->test <= MA_TEST_ADHOC
           && o->level > 0 && o->level < 1 && o->maxiter > 0 && o->tol > 0;
}

ma_status_t ma_regress_fit(const double *yi, const double *vi, size_t k, const double *X,
                           size_t p, const ma_rma_opts_t *o, ma_reg_t *r, ma_error_t *err)
{
    ma_rma_opts_t def;
    reg_ws_t ws;
    reg_sums_t s;
    gsl_matrix *vb = NULL;
    double *blk, crit, s2w = 1, alpha;
    size_t j, icol, bad, m;
    int tdist, fe, int_only;
    ma_status_t st;

    o = ma_rma_opts_or_default(o, &def);
    memset(r, 0, sizeof *r);
    r->k = k;
    r->p = p;
    r->method_used = o->method;
    r->converged = 1;
    r->df = r->tau2 = r->I2 = r->H2 = r->R2 = NAN;
    r->QM = r->QM_df = r->QM_p = r->QE = r->QE_df = r->QE_p = NAN;
    if (!opts_valid(o))
        return ma_error_set(err, MA_EUSAGE, "invalid model options (method, test, level, "
                                            "maxiter or tol out of range)");
    if (p == 0)
        return ma_error_set(err, MA_EUSAGE, "design matrix without columns");
    if (k == 0)
        return ma_error_set(err, MA_EINPUT, "no studies to fit");
    st = check_input(yi, vi, k, X, p, err);
    if (st != MA_OK)
        return st;
    icol = intercept_col(X, k, p);
    int_only = p == 1 && icol == 0;
    fe = o->method == MA_METHOD_FE;
    /* metafor: p coefficients need k >= p (FE) or k >= p + 1 (tau2 estimated too) */
    if (!(int_only && k == 1) && (fe ? p > k : p + 1 > k))
        return ma_error_set(err, MA_EINPUT,
                            "%zu coefficient%s%s need at least %zu studies, got %zu", p,
                            p == 1 ? "" : "s", fe ? "" : " and tau2", fe ? p : p + 1, k);

    blk = malloc(6 * p * sizeof *blk);
    if (!blk || ws_init(&ws, yi, vi, X, k, p) != 0) {
        free(blk);
        return ma_error_set(err, MA_ENOMEM, "out of memory fitting %zu studies", k);
    }
    r->b = blk;
    r->se = blk + p;
    r->stat = blk + 2 * p;
    r->pval = blk + 3 * p;
    r->ci_lb = blk + 4 * p;
    r->ci_ub = blk + 5 * p;
    for (j = 0; j < 6 * p; j++)
        blk[j] = NAN;

    bad = rank_check(&ws);
    if (bad < p) {
        st = ma_error_at(err, MA_EINPUT, NULL, 0, NULL, NULL,
                         bad == 0 || gsl_matrix_get(ws.S, bad, bad) == 0
                             ? "design matrix is rank deficient: column %zu is zero"
                             : "design matrix is rank deficient: column %zu is a linear "
                               "combination of the preceding columns",
                         bad + 1);
        goto fail;
    }

    r->test = o->test;
    if (k == 1) {
        r->test = MA_TEST_Z; /* metafor sets test = "z" when k = 1 */
        if (o->test != MA_TEST_Z)
            MA_NOTE(r, "k = 1: z test used");
    }
    tdist = r->test != MA_TEST_Z; /* t and F reference distributions with k - p df */

    /* an overflowed QE is a numerical failure, not "no residual heterogeneity" */
    set_weights(&ws, 0);
    if (wls(&ws, 1, &s) == MA_OK && !isfinite(s.q)) {
        st = ma_error_set(err, MA_ENUMERIC, "the residual heterogeneity QE overflows double "
                          "precision (QE = %g): the effect sizes lie too far from the fitted "
                          "values", s.q);
        goto fail;
    }

    /* tau2, with the fallback of the method table */
    if (fe || (int_only && k == 1)) {
        r->tau2 = 0;
    } else {
        st = ma_tau2_fallback(tau2_fit, &ws, o, &r->tau2, &r->iterations, &r->converged,
                              &r->method_used, r->note, sizeof r->note);
        if (st != MA_OK) {
            if (st != MA_ENUMERIC)
                ma_error_set(err, st, "tau2 estimation failed");
            else
                ma_error_set(err, MA_ENUMERIC, "tau2 could not be estimated (DL failed)");
            goto fail;
        }
    }

    /* coefficients at weights 1/(vi + tau2), on the uncentred y */
    set_weights(&ws, r->tau2);
    if (wls(&ws, 0, &s) != MA_OK) {
        st = ma_error_set(err, MA_ENUMERIC, "X'WX is not positive definite");
        goto fail;
    }
    vb = gsl_matrix_alloc(p, p);
    if (!vb) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    gsl_matrix_memcpy(vb, ws.M);
    if (gsl_linalg_cholesky_invert(vb) != GSL_SUCCESS) {
        st = ma_error_set(err, MA_ENUMERIC, "X'WX could not be inverted");
        goto fail;
    }
    for (j = 0; j < p; j++)
        r->b[j] = gsl_vector_get(ws.b, j);
    alpha = 1 - o->level;
    if (tdist)
        r->df = (double)(k - p);
    /* Knapp & Hartung: vb scaled by RSS/(k-p), as the intercept-only fit */
    s2w = ma_knha_scale(r->test, s.q, (double)(k - p), r->note, sizeof r->note);
    if (s2w != 1)
        gsl_matrix_scale(vb, s2w);
    crit = tdist ? (r->df > 0 ? gsl_cdf_tdist_Qinv(alpha / 2, r->df) : NAN)
                : gsl_cdf_ugaussian_Qinv(alpha / 2);
    for (j = 0; j < p; j++) {
        r->se[j] = sqrt(gsl_matrix_get(vb, j, j));
        r->stat[j] = r->b[j] / r->se[j];
        if (tdist)
            r->pval[j] = r->df > 0 ? 2 * gsl_cdf_tdist_Q(fabs(r->stat[j]), r->df) : NAN;
        else
            r->pval[j] = 2 * gsl_cdf_ugaussian_Q(fabs(r->stat[j]));
        r->ci_lb[j] = r->b[j] - crit * r->se[j];
        r->ci_ub[j] = r->b[j] + crit * r->se[j];
    }

    /* omnibus test of all coefficients but the intercept (all of them without one) */
    m = (icol < p && p > 1) ? p - 1 : p;
    r->QM = wald(r->b, vb, p, (icol < p && p > 1) ? icol : p);
    r->QM_df = (double)m;
    if (tdist) {
        r->QM /= (double)m;
        r->QM_p = k > p ? gsl_cdf_fdist_Q(r->QM, (double)m, (double)(k - p)) : NAN;
    } else {
        r->QM_p = gsl_cdf_chisq_Q(r->QM, (double)m);
    }

    /* residual heterogeneity with FE weights, centred y (as metafor) */
    if (k > p) {
        double vt, trP, trPP;
        set_weights(&ws, 0);
        if (wls(&ws, 1, &s) != MA_OK || hat_traces(&ws, &trP, &trPP) != MA_OK) {
            st = ma_error_set(err, MA_ENUMERIC, "X'WX is not positive definite");
            goto fail;
        }
        r->QE = s.q > 0 ? s.q : 0;
        r->QE_df = (double)(k - p);
        r->QE_p = gsl_cdf_chisq_Q(r->QE, r->QE_df);
        vt = r->QE_df / trP;
        if (fe) {
            r->I2 = r->QE > 0 ? fmax(0.0, 100 * (r->QE - r->QE_df) / r->QE) : 0.0;
            r->H2 = r->QE / r->QE_df;
        } else {
            r->I2 = 100 * r->tau2 / (vt + r->tau2);
            r->H2 = r->tau2 / vt + 1;
        }
    } else {
        r->QE = 0;
        r->QE_df = 0;
        r->QE_p = 1;
        r->I2 = 0;
        r->H2 = 1;
    }

    /* R2 (metafor's r2def "1"): proportional reduction of tau2 against the model without
     * moderators, same method; for FE the adjusted weighted R^2 of lm(yi ~ X) */
    if (icol < p && p > 1) {
        if (fe) {
            double sw = 0, swy = 0, q0 = 0, mu, adj;
            size_t i;
            for (i = 0; i < k; i++) {
                sw += 1 / vi[i];
                swy += (yi[i] - ws.ybar) / vi[i];
            }
            mu = swy / sw;
            for (i = 0; i < k; i++)
                q0 += (yi[i] - ws.ybar - mu) * (yi[i] - ws.ybar - mu) / vi[i];
            if (q0 == 0) {
                r->R2 = 0;
            } else {
                adj = 1 - (r->QE / q0) * (double)(k - 1) / (double)(k - p);
                r->R2 = k > p ? fmax(0.0, 100 * adj) : NAN;
            }
        } else {
            double t0;
            if (ma_tau2_estimate(yi, vi, k, r->method_used, o, &t0, NULL) == MA_OK)
                r->R2 = t0 == 0 ? 0.0 : fmax(0.0, 100 * (t0 - r->tau2) / t0);
            else
                MA_NOTE(r, "R2 undefined: the model without moderators did not converge");
        }
    }

    gsl_matrix_free(vb);
    ws_free(&ws);
    return MA_OK;
fail:
    gsl_matrix_free(vb);
    ws_free(&ws);
    ma_reg_clear(r);
    return st;
}
