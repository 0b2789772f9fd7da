/* Three-level / CHE models by cluster blocks: REML or ML by Fisher scoring on the two
 * variance components, profile-likelihood CIs, CR2 sandwich with Satterthwaite df. */
#include "iastm/mv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#define LOG2PI 1.8378770664093454836

void ma_mv_opts_init(ma_mv_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->method = MA_MV_REML;
    o->rho = NAN;
    o->level = 0.95;
    o->sigma2_ci = 1;
    o->robust = 1;
    o->max_iter = 500;
}

void ma_mv_clear(ma_mv_t *r)
{
    free(r->b);
    free(r->rve_se);
    memset(r, 0, sizeof *r);
}

/* The data sorted into cluster blocks, with per-block sampling covariances S_j and the
 * same-obs indicators A_j (both n_j x n_j, stored one block after another). */
typedef struct {
    size_t k, p, m, nmax;
    size_t *start;      /* m + 1 offsets into the sorted rows */
    size_t *soff;       /* m + 1 offsets of the squared blocks */
    size_t *ord;        /* sorted position -> input row */
    double *y, *X;      /* sorted rows; X k x p */
    double *S, *A;      /* blocks */
    ma_mv_method_t method;
    double ldxx;        /* log det X'X: metafor's REML log-likelihood includes +ldxx/2 */
    /* workspace */
    double *W;          /* blocks of M_j^{-1} */
    double *L;          /* blocks of the Cholesky factor of M_j (lower) */
    double *t1, *t2, *t3, *t4; /* nmax x nmax scratch */
    double *v1, *v2, *v3; /* nmax scratch */
    double *XtWX, *XtWy, *H, *beta;  /* p x p, p, p x p, p */
    double *G[2], *F[3], *HG[2];     /* p x p: X'W D_a W X, X'W D_a W D_b W X, H G_a */
} mv_t;

static void mv_free(mv_t *m)
{
    int a;
    free(m->start);
    free(m->soff);
    free(m->ord);
    free(m->y);
    free(m->X);
    free(m->S);
    free(m->A);
    free(m->W);
    free(m->L);
    free(m->t1);
    free(m->t2);
    free(m->t3);
    free(m->t4);
    free(m->v1);
    free(m->v2);
    free(m->v3);
    free(m->XtWX);
    free(m->XtWy);
    free(m->H);
    free(m->beta);
    for (a = 0; a < 2; a++) {
        free(m->G[a]);
        free(m->HG[a]);
    }
    for (a = 0; a < 3; a++)
        free(m->F[a]);
}

/* Invert the p x p matrix in (symmetric positive definite) into out; log det to *ld. */
static int spd_inverse(const double *in, size_t p, double *out, double *ld)
{
    gsl_matrix_view v;
    size_t i;
    memcpy(out, in, p * p * sizeof *out);
    v = gsl_matrix_view_array(out, p, p);
    if (gsl_linalg_cholesky_decomp1(&v.matrix) != GSL_SUCCESS)
        return -1;
    if (ld) {
        *ld = 0;
        for (i = 0; i < p; i++)
            *ld += 2 * log(gsl_matrix_get(&v.matrix, i, i));
    }
    return gsl_linalg_cholesky_invert(&v.matrix) == GSL_SUCCESS ? 0 : -1;
}

/* vcalc's correlation of the sampling errors of rows i and l of one cluster. */
static double vcalc_r(const ma_mv_data_t *d, double rho, size_t i, size_t l)
{
    size_t g1i = d->grp1 ? d->grp1[i] : 0, g2i = d->grp2 ? d->grp2[i] : 1;
    size_t g1l = d->grp1 ? d->grp1[l] : 0, g2l = d->grp2 ? d->grp2[l] : 1;
    double w1i = d->w1 ? d->w1[i] : 1, w2i = d->w2 ? d->w2[i] : 1;
    double w1l = d->w1 ? d->w1[l] : 1, w2l = d->w2 ? d->w2[l] : 1;
    double r = d->obs[i] == d->obs[l] ? 1 : rho;
    double num, den;
    if (isnan(rho) || r == 0) /* the multilevel model: V = diag(vi) */
        return 0;
    num = (g1i == g1l) * sqrt(1 / w1i / w1l) - (g1i == g2l) * sqrt(1 / w1i / w2l) -
          (g2i == g1l) * sqrt(1 / w2i / w1l) + (g2i == g2l) * sqrt(1 / w2i / w2l);
    den = sqrt(1 / w1i + 1 / w2i - 2 * (g1i == g2i) * sqrt(1 / w1i / w2i)) *
          sqrt(1 / w1l + 1 / w2l - 2 * (g1l == g2l) * sqrt(1 / w1l / w2l));
    return r * num / den;
}

static ma_status_t mv_setup(mv_t *m, const ma_mv_data_t *d, const ma_mv_opts_t *o,
                            ma_error_t *err)
{
    size_t i, j, c, n, p = d->X ? d->p : 1, sq = 0, *pos;
    memset(m, 0, sizeof *m);
    m->k = d->k;
    m->p = p;
    m->m = d->nclusters;
    m->method = o->method;
    m->start = calloc(m->m + 1, sizeof *m->start);
    m->soff = calloc(m->m + 1, sizeof *m->soff);
    m->ord = malloc(d->k * sizeof *m->ord);
    m->y = malloc(d->k * sizeof *m->y);
    m->X = malloc(d->k * p * sizeof *m->X);
    pos = calloc(m->m + 1, sizeof *pos);
    if (!m->start || !m->soff || !m->ord || !m->y || !m->X || !pos) {
        free(pos);
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    }
    for (i = 0; i < d->k; i++) {
        if (d->cluster[i] >= m->m) {
            free(pos);
            return ma_error_set(err, MA_EUSAGE, "cluster id out of range");
        }
        m->start[d->cluster[i] + 1]++;
    }
    for (c = 0; c < m->m; c++) {
        n = m->start[c + 1];
        if (n == 0) {
            free(pos);
            return ma_error_set(err, MA_EUSAGE, "cluster %zu has no rows", c);
        }
        if (n > m->nmax)
            m->nmax = n;
        m->start[c + 1] += m->start[c];
        m->soff[c + 1] = m->soff[c] + n * n;
        pos[c] = m->start[c];
    }
    sq = m->soff[m->m];
    for (i = 0; i < d->k; i++) { /* stable counting sort by cluster */
        size_t s = pos[d->cluster[i]]++;
        m->ord[s] = i;
        m->y[s] = d->yi[i];
        for (j = 0; j < p; j++)
            m->X[s * p + j] = d->X ? d->X[i * p + j] : 1.0;
    }
    free(pos);
    {
        double *xx = calloc(p * p, sizeof *xx), *xi = malloc(p * p * sizeof *xi);
        size_t a, b;
        int bad;
        if (!xx || !xi) {
            free(xx);
            free(xi);
            return ma_error_set(err, MA_ENOMEM, "out of memory");
        }
        for (i = 0; i < d->k; i++)
            for (a = 0; a < p; a++)
                for (b = 0; b < p; b++)
                    xx[a * p + b] += m->X[i * p + a] * m->X[i * p + b];
        bad = spd_inverse(xx, p, xi, &m->ldxx) != 0;
        free(xx);
        free(xi);
        if (bad)
            return ma_error_set(err, MA_EINPUT, "the model matrix is rank deficient (a "
                                                "moderator is constant or collinear)");
    }
    m->S = malloc(sq * sizeof *m->S);
    m->A = malloc(sq * sizeof *m->A);
    m->W = malloc(sq * sizeof *m->W);
    m->L = malloc(sq * sizeof *m->L);
    m->t1 = malloc(m->nmax * m->nmax * sizeof *m->t1);
    m->t2 = malloc(m->nmax * m->nmax * sizeof *m->t2);
    m->t3 = malloc(m->nmax * m->nmax * sizeof *m->t3);
    m->t4 = malloc(m->nmax * m->nmax * sizeof *m->t4);
    m->v1 = malloc(m->nmax * sizeof *m->v1);
    m->v2 = malloc(m->nmax * sizeof *m->v2);
    m->v3 = malloc(m->nmax * sizeof *m->v3);
    m->XtWX = malloc(p * p * sizeof(double));
    m->XtWy = malloc(p * sizeof(double));
    m->H = malloc(p * p * sizeof(double));
    m->beta = malloc(p * sizeof(double));
    for (i = 0; i < 2; i++) {
        m->G[i] = malloc(p * p * sizeof(double));
        m->HG[i] = malloc(p * p * sizeof(double));
    }
    for (i = 0; i < 3; i++)
        m->F[i] = malloc(p * p * sizeof(double));
    if (!m->S || !m->A || !m->W || !m->L || !m->t1 || !m->t2 || !m->t3 || !m->t4 || !m->v1 ||
        !m->v2 || !m->v3 || !m->HG[0] || !m->HG[1] || !m->XtWX ||
        !m->XtWy || !m->H || !m->beta || !m->G[0] || !m->G[1] || !m->F[0] || !m->F[1] ||
        !m->F[2])
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    for (c = 0; c < m->m; c++) {
        size_t s0 = m->start[c], l;
        double *S = m->S + m->soff[c], *A = m->A + m->soff[c];
        gsl_matrix_view v;
        int bad;
        n = m->start[c + 1] - s0;
        for (i = 0; i < n; i++)
            for (l = 0; l < n; l++) {
                size_t ri = m->ord[s0 + i], rl = m->ord[s0 + l];
                A[i * n + l] = d->obs[ri] == d->obs[rl];
                S[i * n + l] = i == l ? d->vi[ri]
                                      : vcalc_r(d, o->rho, ri, rl) * sqrt(d->vi[ri] * d->vi[rl]);
            }
        /* V_j must be positive definite on its own (rho = 1, or two rows with the same obs
         * and the same groups, make it singular). */
        memcpy(m->t1, S, n * n * sizeof *S);
        v = gsl_matrix_view_array(m->t1, n, n);
        bad = gsl_linalg_cholesky_decomp1(&v.matrix) != GSL_SUCCESS;
        for (i = 0; i < n && !bad; i++) /* numerically singular: a pivot near 0 */
            bad = m->t1[i * n + i] * m->t1[i * n + i] <= 1e-10 * S[i * n + i];
        if (bad) {
            const char *lab = d->cluster_label ? d->cluster_label[m->ord[s0]] : NULL;
            return ma_error_set(err, MA_EINPUT,
                                "the sampling covariance matrix of cluster %s%s%s is not "
                                "positive definite (rows with the same obs and the same "
                                "groups, or rho too far from 0 for its %zu rows)",
                                lab ? "'" : "", lab ? lab : "", lab ? "'" : "", n);
        }
    }
    return MA_OK;
}

/* C = op(A) op(B) for n x n matrices, op transposing when its flag is set. */
static void mmul(const double *A, int ta, const double *B, int tb, double *C, size_t n)
{
    size_t i, j, l;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            double s = 0;
            for (l = 0; l < n; l++)
                s += (ta ? A[l * n + i] : A[i * n + l]) * (tb ? B[j * n + l] : B[l * n + j]);
            C[i * n + j] = s;
        }
}

/* acc (p x p) += X_j' B X_j for the block's rows X_j (n x p) and B (n x n). */
static void xbx(const double *Xj, const double *B, size_t n, size_t p, double *acc)
{
    size_t a, b, i, l;
    for (a = 0; a < p; a++)
        for (b = 0; b < p; b++) {
            double s = 0;
            for (i = 0; i < n; i++) {
                double t = 0;
                for (l = 0; l < n; l++)
                    t += B[i * n + l] * Xj[l * p + b];
                s += Xj[i * p + a] * t;
            }
            acc[a * p + b] += s;
        }
}

static double trace_prod(const double *A, const double *B, size_t p) /* tr(A B) */
{
    size_t i, j;
    double s = 0;
    for (i = 0; i < p; i++)
        for (j = 0; j < p; j++)
            s += A[i * p + j] * B[j * p + i];
    return s;
}

typedef struct {
    double ll, rss, score[2], info[2][2];
} mv_eval_t;

/* Factor M_j = S_j + s2c J + s2o A_j for every block, W_j = M_j^{-1}, the GLS estimate,
 * and (when `deriv`) the score and expected information of the (RE)ML log-likelihood:
 *   score_a = -tr(P D_a)/2 + r'W D_a W r/2,  info_ab = tr(P D_a P D_b)/2,
 * with P = W - W X H X' W (REML) or W (ML), H = (X'WX)^{-1}, expanded so that only the
 * blocks and p x p sums appear (D_0 = J, D_1 = A). */
static ma_status_t mv_eval(mv_t *m, const double th[2], int deriv, mv_eval_t *e,
                           ma_error_t *err)
{
    size_t c, i, l, a, b, p = m->p;
    int reml = m->method == MA_MV_REML;
    double logdet = 0, ldx, trWD[2] = {0, 0}, trWDWD[3] = {0, 0, 0}, uDu[2] = {0, 0};
    memset(e, 0, sizeof *e);
    memset(m->XtWX, 0, p * p * sizeof(double));
    memset(m->XtWy, 0, p * sizeof(double));
    for (c = 0; c < m->m; c++) {
        size_t s0 = m->start[c], n = m->start[c + 1] - s0, q = m->soff[c];
        double *W = m->W + q, *L = m->L + q;
        const double *Xj = m->X + s0 * p, *yj = m->y + s0;
        gsl_matrix_view v;
        for (i = 0; i < n * n; i++)
            L[i] = m->S[q + i] + th[0] + th[1] * m->A[q + i];
        v = gsl_matrix_view_array(L, n, n);
        if (gsl_linalg_cholesky_decomp1(&v.matrix) != GSL_SUCCESS)
            return ma_error_set(err, MA_ENUMERIC, "the marginal covariance of a cluster is "
                                                  "not positive definite");
        for (i = 0; i < n; i++)
            logdet += 2 * log(L[i * n + i]);
        memcpy(W, L, n * n * sizeof *W);
        v = gsl_matrix_view_array(W, n, n);
        if (gsl_linalg_cholesky_invert(&v.matrix) != GSL_SUCCESS)
            return ma_error_set(err, MA_ENUMERIC, "cannot invert a cluster's covariance");
        for (i = 0; i < n; i++)
            for (l = 0; l < n; l++) {
                double w = W[i * n + l];
                for (a = 0; a < p; a++) {
                    m->XtWy[a] += Xj[i * p + a] * w * yj[l];
                    for (b = 0; b < p; b++)
                        m->XtWX[a * p + b] += Xj[i * p + a] * w * Xj[l * p + b];
                }
            }
    }
    if (spd_inverse(m->XtWX, p, m->H, &ldx) != 0)
        return ma_error_set(err, MA_EINPUT, "the model matrix is rank deficient (X'WX is "
                                            "singular)");
    for (a = 0; a < p; a++) {
        m->beta[a] = 0;
        for (b = 0; b < p; b++)
            m->beta[a] += m->H[a * p + b] * m->XtWy[b];
    }
    if (deriv) {
        for (a = 0; a < 2; a++)
            memset(m->G[a], 0, p * p * sizeof(double));
        for (a = 0; a < 3; a++)
            memset(m->F[a], 0, p * p * sizeof(double));
    }
    for (c = 0; c < m->m; c++) {
        size_t s0 = m->start[c], n = m->start[c + 1] - s0, q = m->soff[c];
        const double *W = m->W + q, *Aj = m->A + q, *Xj = m->X + s0 * p;
        double *r = m->v1, *u = m->v2, *ws = m->v3;
        double *B0 = m->t1, *B1 = m->t2, *T = m->t3, *T2 = m->t4, su;
        for (i = 0; i < n; i++) {
            double f = 0;
            for (a = 0; a < p; a++)
                f += Xj[i * p + a] * m->beta[a];
            r[i] = m->y[s0 + i] - f;
        }
        su = 0;
        for (i = 0; i < n; i++) {
            u[i] = 0;
            ws[i] = 0;
            for (l = 0; l < n; l++) {
                u[i] += W[i * n + l] * r[l];
                ws[i] += W[i * n + l];
            }
            e->rss += r[i] * u[i];
            su += u[i];
        }
        if (!deriv)
            continue;
        uDu[0] += su * su;
        for (i = 0; i < n; i++) {
            double t = 0;
            for (l = 0; l < n; l++) {
                trWD[0] += W[i * n + l];
                trWD[1] += W[i * n + l] * Aj[l * n + i];
                B0[i * n + l] = ws[i] * ws[l]; /* W J W */
                t += Aj[i * n + l] * u[l];
            }
            uDu[1] += u[i] * t;
        }
        mmul(Aj, 0, W, 0, T, n);
        mmul(W, 0, T, 0, B1, n); /* W A W */
        for (i = 0; i < n; i++)
            for (l = 0; l < n; l++) {
                trWDWD[0] += B0[i * n + l];                 /* tr(W J W J) */
                trWDWD[1] += B0[i * n + l] * Aj[l * n + i]; /* tr(W J W A) */
                trWDWD[2] += B1[i * n + l] * Aj[l * n + i]; /* tr(W A W A) */
            }
        if (!reml)
            continue;
        xbx(Xj, B0, n, p, m->G[0]);
        xbx(Xj, B1, n, p, m->G[1]);
        /* F_00 = X' (W J W) J W X, F_01 = X' (W J W) A W X, F_11 = X' (W A W) A W X */
        {
            double bs[64], *rs = n <= 64 ? bs : NULL;
            if (!rs && !(rs = malloc(n * sizeof *rs)))
                return ma_error_set(err, MA_ENOMEM, "out of memory");
            for (i = 0; i < n; i++) {
                rs[i] = 0;
                for (l = 0; l < n; l++)
                    rs[i] += B0[i * n + l];
            }
            for (i = 0; i < n; i++)
                for (l = 0; l < n; l++)
                    T[i * n + l] = rs[i] * ws[l];
            if (rs != bs)
                free(rs);
        }
        xbx(Xj, T, n, p, m->F[0]);
        mmul(B0, 0, Aj, 0, T2, n);
        mmul(T2, 0, W, 0, T, n);
        xbx(Xj, T, n, p, m->F[1]);
        mmul(B1, 0, Aj, 0, T2, n);
        mmul(T2, 0, W, 0, T, n);
        xbx(Xj, T, n, p, m->F[2]);
    }
    if (reml)
        e->ll = -0.5 * ((double)(m->k - p) * LOG2PI + logdet + ldx - m->ldxx + e->rss);
    else
        e->ll = -0.5 * ((double)m->k * LOG2PI + logdet + e->rss);
    if (!deriv)
        return MA_OK;
    e->info[0][0] = trWDWD[0];
    e->info[0][1] = trWDWD[1];
    e->info[1][1] = trWDWD[2];
    for (a = 0; a < 2; a++)
        e->score[a] = -0.5 * trWD[a] + 0.5 * uDu[a];
    if (reml) {
        for (a = 0; a < 2; a++) {
            e->score[a] += 0.5 * trace_prod(m->H, m->G[a], p);
            for (i = 0; i < p; i++)
                for (l = 0; l < p; l++) {
                    double s = 0;
                    for (b = 0; b < p; b++)
                        s += m->H[i * p + b] * m->G[a][b * p + l];
                    m->HG[a][i * p + l] = s;
                }
        }
        e->info[0][0] += -2 * trace_prod(m->H, m->F[0], p) + trace_prod(m->HG[0], m->HG[0], p);
        e->info[0][1] += -2 * trace_prod(m->H, m->F[1], p) + trace_prod(m->HG[0], m->HG[1], p);
        e->info[1][1] += -2 * trace_prod(m->H, m->F[2], p) + trace_prod(m->HG[1], m->HG[1], p);
    }
    for (a = 0; a < 2; a++)
        for (b = 0; b < 2; b++)
            e->info[a][b] *= 0.5;
    e->info[1][0] = e->info[0][1];
    return MA_OK;
}

/* Maximise the (RE)ML log-likelihood over the components not fixed, from th, by Fisher
 * scoring projected on sigma^2 >= 0 with step-halving; at most `maxit` iterations.
 * Returns 1 when converged (step below 1e-12 relative), 0 otherwise; -1 on error. */
static int mv_optimize(mv_t *m, double th[2], const int fixed[2], int maxit, int *iters,
                       mv_eval_t *e, ma_error_t *err)
{
    int it, a;
    for (it = 0; it < maxit; it++) {
        double step[2] = {0, 0}, nt[2], det;
        int fr[2], halve;
        mv_eval_t e2;
        if (mv_eval(m, th, 1, e, err) != MA_OK)
            return -1;
        for (a = 0; a < 2; a++)
            fr[a] = !fixed[a] && !(th[a] <= 0 && e->score[a] <= 0);
        if (fr[0] && fr[1]) {
            det = e->info[0][0] * e->info[1][1] - e->info[0][1] * e->info[0][1];
            if (det > 0) {
                step[0] = (e->info[1][1] * e->score[0] - e->info[0][1] * e->score[1]) / det;
                step[1] = (e->info[0][0] * e->score[1] - e->info[0][1] * e->score[0]) / det;
            } else {
                fr[1] = 0; /* fall back to one component at a time */
            }
        }
        if (fr[0] != fr[1] || (fr[0] && !(step[0] || step[1]))) {
            for (a = 0; a < 2; a++)
                if (fr[a] && e->info[a][a] > 0)
                    step[a] = e->score[a] / e->info[a][a];
        }
        for (halve = 0; halve < 60; halve++) {
            for (a = 0; a < 2; a++)
                nt[a] = fmax(0, th[a] + step[a]);
            if (mv_eval(m, nt, 0, &e2, err) != MA_OK) {
                if (err->code != MA_ENUMERIC)
                    return -1;
            } else if (e2.ll >= e->ll - 1e-12 * fabs(e->ll)) {
                break;
            }
            step[0] /= 2;
            step[1] /= 2;
        }
        if (halve == 60)
            break;
        {
            double d = fmax(fabs(nt[0] - th[0]), fabs(nt[1] - th[1]));
            double sc = fmax(1e-4, fmax(th[0], th[1]));
            th[0] = nt[0];
            th[1] = nt[1];
            if (d <= 1e-12 * sc) {
                *iters = it + 1;
                return mv_eval(m, th, 1, e, err) == MA_OK ? 1 : -1;
            }
        }
    }
    *iters = it;
    return mv_eval(m, th, 1, e, err) == MA_OK ? 0 : -1;
}

/* Profile log-likelihood of component a at x (the other maximised) minus a target. */
typedef struct {
    mv_t *m;
    int a, maxit;
    double other, target;
    ma_error_t *err;
    int failed;
} profile_t;

static double profile_f(double x, void *vp)
{
    profile_t *pp = vp;
    double th[2];
    int fixed[2] = {0, 0}, it;
    mv_eval_t e;
    th[pp->a] = x;
    th[1 - pp->a] = pp->other;
    fixed[pp->a] = 1;
    if (mv_optimize(pp->m, th, fixed, pp->maxit, &it, &e, pp->err) < 0) {
        pp->failed = 1;
        return NAN;
    }
    pp->other = th[1 - pp->a];
    return e.ll - pp->target;
}

/* Root of f between xp (f > 0) and xn (f < 0), either order, by regula falsi with the
 * Illinois modification, to 1e-10 relative. */
static double profile_root(profile_t *pp, double xp, double fp, double xn, double fn)
{
    int it, side = 0;
    for (it = 0; it < 200 && fabs(xn - xp) > 1e-10 * fmax(fmax(xn, xp), 1e-8); it++) {
        double x = (xp * fn - xn * fp) / (fn - fp), fx;
        if (!(x > fmin(xp, xn) && x < fmax(xp, xn)))
            x = 0.5 * (xp + xn);
        fx = profile_f(x, pp);
        if (pp->failed)
            return NAN;
        if (fx > 0) {
            xp = x;
            fp = fx;
            if (side == 1)
                fn /= 2;
            side = 1;
        } else {
            xn = x;
            fn = fx;
            if (side == -1)
                fp /= 2;
            side = -1;
        }
    }
    return 0.5 * (xp + xn);
}

/* Profile-likelihood CI of component a (metafor's confint for rma.mv objects). */
static void profile_ci(mv_t *m, const double th[2], double llmax, int a, double level,
                       int maxit, double *lb, double *ub, ma_error_t *err)
{
    profile_t pp;
    double f0, x, fx, hi;
    int i;
    *lb = *ub = NAN;
    pp.m = m;
    pp.a = a;
    pp.maxit = maxit;
    pp.err = err;
    pp.failed = 0;
    pp.target = llmax - 0.5 * gsl_cdf_chisq_Pinv(level, 1);
    pp.other = th[1 - a];
    f0 = profile_f(0, &pp);
    if (pp.failed)
        return;
    if (f0 >= 0)
        *lb = 0;
    else if (th[a] > 0)
        *lb = profile_root(&pp, th[a], llmax - pp.target, 0, f0);
    pp.other = th[1 - a];
    x = fmax(th[a], 1e-4);
    hi = NAN;
    for (i = 0; i < 60; i++) {
        x *= 2;
        fx = profile_f(x, &pp);
        if (pp.failed)
            return;
        if (fx < 0) {
            hi = x;
            break;
        }
    }
    if (isnan(hi))
        return;
    pp.other = th[1 - a];
    *ub = profile_root(&pp, th[a], llmax - pp.target, hi, fx);
    if (pp.failed)
        *ub = NAN;
}

/* CR2 sandwich (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018) with the fitted marginal
 * covariance M as working model and W = M^{-1} as weights, as clubSandwich's vcovCR(type =
 * "CR2") for rma.mv: A_j = D_j' (D_j C_j D_j')^{-1/2} D_j with D_j'D_j = M_j and
 * C_j = M_j - X_j H X_j'. Satterthwaite df per coefficient, the sums over cluster pairs
 * reduced to p x p quantities. Needs mv_eval at the estimate (W, L, H, beta). */
static ma_status_t mv_robust(mv_t *m, const double th[2], double level, ma_mv_t *r,
                             ma_error_t *err)
{
    size_t p = m->p, c, i, l, a, b, q, nmax = m->nmax;
    double *meat = calloc(p * p, sizeof *meat), *hh = malloc(m->m * p * p * sizeof *hh);
    double *aa = malloc(m->m * p * sizeof *aa), *AW = malloc(nmax * nmax * sizeof *AW);
    double *K = malloc(p * p * sizeof *K), *HK = malloc(p * p * sizeof *HK);
    double *uj = malloc(p * sizeof *uj);
    gsl_eigen_symmv_workspace *ew = gsl_eigen_symmv_alloc(nmax);
    gsl_matrix *evec = gsl_matrix_alloc(nmax, nmax);
    gsl_vector *eval = gsl_vector_alloc(nmax);
    ma_status_t st = MA_OK;
    if (!meat || !hh || !aa || !AW || !K || !HK || !uj || !ew || !evec || !eval) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (c = 0; c < m->m; c++) {
        size_t s0 = m->start[c], n = m->start[c + 1] - s0, qq = m->soff[c];
        const double *W = m->W + qq, *Lf = m->L + qq, *Xj = m->X + s0 * p;
        double *Lw = m->t1, *C = m->t2, *G = m->t3, *T = m->t4, *e = m->v1, *v = m->v2;
        gsl_matrix_view Gv = gsl_matrix_view_array(G, n, n);
        gsl_matrix_view Ev = gsl_matrix_submatrix(evec, 0, 0, n, n);
        gsl_vector_view lv = gsl_vector_subvector(eval, 0, n);
        double emax = 0;
        for (i = 0; i < n; i++)
            for (l = 0; l < n; l++)
                Lw[i * n + l] = l <= i ? Lf[i * n + l] : 0; /* lower Cholesky factor */
        for (i = 0; i < n; i++) {
            double f = 0;
            for (a = 0; a < p; a++)
                f += Xj[i * p + a] * m->beta[a];
            e[i] = m->y[s0 + i] - f;
            for (l = 0; l < n; l++) {
                double xhx = 0;
                for (a = 0; a < p; a++)
                    for (b = 0; b < p; b++)
                        xhx += Xj[i * p + a] * m->H[a * p + b] * Xj[l * p + b];
                C[i * n + l] = m->S[qq + i * n + l] + th[0] + th[1] * m->A[qq + i * n + l] -
                               xhx;
            }
        }
        /* G = L' C L (D = L', so D C D' = L' C L) */
        mmul(C, 0, Lw, 0, T, n);
        mmul(Lw, 1, T, 0, G, n);
        if (gsl_eigen_symmv(&Gv.matrix, &lv.vector, &Ev.matrix, ew) != GSL_SUCCESS) {
            st = ma_error_set(err, MA_ENUMERIC, "CR2: eigen decomposition failed");
            goto done;
        }
        for (i = 0; i < n; i++)
            emax = fmax(emax, gsl_vector_get(&lv.vector, i));
        /* G^{-1/2} (a generalised inverse root: eigenvalues near 0 are dropped) into C */
        for (i = 0; i < n; i++)
            for (l = 0; l < n; l++) {
                double s = 0;
                size_t u;
                for (u = 0; u < n; u++) {
                    double ev = gsl_vector_get(&lv.vector, u);
                    if (ev > 1e-12 * emax)
                        s += gsl_matrix_get(&Ev.matrix, i, u) *
                             gsl_matrix_get(&Ev.matrix, l, u) / sqrt(ev);
                }
                C[i * n + l] = s;
            }
        /* A = L G^{-1/2} L' into G, then AW = A W */
        mmul(Lw, 0, C, 0, T, n);
        mmul(T, 0, Lw, 1, G, n);
        mmul(G, 0, W, 0, AW, n);
        /* meat: u_j = X_j' W A e_j = (A W X_j)' e_j, W and A symmetric */
        for (a = 0; a < p; a++) {
            double s = 0;
            for (i = 0; i < n; i++) {
                double t = 0;
                for (l = 0; l < n; l++)
                    t += AW[i * n + l] * Xj[l * p + a];
                s += t * e[i];
            }
            uj[a] = s;
        }
        for (a = 0; a < p; a++)
            for (b = 0; b < p; b++)
                meat[a * p + b] += uj[a] * uj[b];
        /* per coefficient q: g = A W X_j H e_q, a_jq = g' M_j g, h_jq = X_j' g */
        for (q = 0; q < p; q++) {
            double *h = hh + (c * p + q) * p, gm = 0;
            for (i = 0; i < n; i++) {
                double s = 0;
                for (l = 0; l < n; l++) {
                    double xh = 0;
                    for (a = 0; a < p; a++)
                        xh += Xj[l * p + a] * m->H[a * p + q];
                    s += AW[i * n + l] * xh;
                }
                v[i] = s;
            }
            for (a = 0; a < p; a++) {
                h[a] = 0;
                for (i = 0; i < n; i++)
                    h[a] += Xj[i * p + a] * v[i];
            }
            for (i = 0; i < n; i++)
                for (l = 0; l < n; l++)
                    gm += v[i] * (m->S[qq + i * n + l] + th[0] + th[1] * m->A[qq + i * n + l]) *
                          v[l];
            aa[c * p + q] = gm;
        }
    }
    for (q = 0; q < p; q++) {
        double var = 0, num = 0, den = 0, tq;
        for (a = 0; a < p; a++)
            for (b = 0; b < p; b++)
                var += m->H[q * p + a] * meat[a * p + b] * m->H[b * p + q];
        memset(K, 0, p * p * sizeof *K);
        for (c = 0; c < m->m; c++) {
            const double *h = hh + (c * p + q) * p;
            double hHh = 0, t;
            for (a = 0; a < p; a++)
                for (b = 0; b < p; b++) {
                    hHh += h[a] * m->H[a * p + b] * h[b];
                    K[a * p + b] += h[a] * h[b];
                }
            t = aa[c * p + q] - hHh;
            num += t;
            den += t * t - hHh * hHh;
        }
        for (a = 0; a < p; a++)
            for (b = 0; b < p; b++) {
                double s = 0;
                for (i = 0; i < p; i++)
                    s += m->H[a * p + i] * K[i * p + b];
                HK[a * p + b] = s;
            }
        den += trace_prod(HK, HK, p);
        r->rve_se[q] = sqrt(var);
        r->rve_df[q] = num * num / den;
        r->rve_stat[q] = r->b[q] / r->rve_se[q];
        r->rve_p[q] = 2 * gsl_cdf_tdist_Q(fabs(r->rve_stat[q]), r->rve_df[q]);
        tq = gsl_cdf_tdist_Qinv((1 - level) / 2, r->rve_df[q]);
        r->rve_ci_lb[q] = r->b[q] - tq * r->rve_se[q];
        r->rve_ci_ub[q] = r->b[q] + tq * r->rve_se[q];
    }
done:
    free(meat);
    free(hh);
    free(aa);
    free(AW);
    free(K);
    free(HK);
    free(uj);
    if (ew)
        gsl_eigen_symmv_free(ew);
    if (evec)
        gsl_matrix_free(evec);
    if (eval)
        gsl_vector_free(eval);
    return st;
}

ma_status_t ma_mv_fit(const ma_mv_data_t *d, const ma_mv_opts_t *o, ma_mv_t *r,
                      ma_error_t *err)
{
    mv_t m;
    mv_eval_t e;
    double th[2], my = 0, vy = 0, mvi = 0, t, z;
    int fixed[2] = {0, 0}, conv, it = 0;
    size_t i, p = d->X ? d->p : 1, c, l, a, b, n;
    ma_status_t st;

    memset(r, 0, sizeof *r);
    ma_error_clear(err);
    if (!(o->level > 0 && o->level < 1))
        return ma_error_set(err, MA_EUSAGE, "level must be between 0 and 1");
    if (!isnan(o->rho) && !(o->rho > -1 && o->rho < 1))
        return ma_error_set(err, MA_EUSAGE, "rho must be between -1 and 1 (exclusive), got %g",
                            o->rho);
    if (p == 0)
        return ma_error_set(err, MA_EUSAGE, "no coefficients");
    if (d->k < 3 || d->nclusters < 2 || d->k <= p)
        return ma_error_set(err, MA_EINPUT,
                            "a multilevel model needs at least 3 rows, 2 clusters and more "
                            "rows than coefficients (got %zu row%s, %zu cluster%s, %zu "
                            "coefficient%s)", d->k, d->k == 1 ? "" : "s", d->nclusters,
                            d->nclusters == 1 ? "" : "s", p, p == 1 ? "" : "s");
    for (i = 0; i < d->k; i++)
        if (!(d->vi[i] > 0) || !isfinite(d->vi[i]) || !isfinite(d->yi[i]))
            return ma_error_set(err, MA_EINPUT, "row %zu: yi must be finite and vi positive",
                                i + 1);
    if ((st = mv_setup(&m, d, o, err)) != MA_OK)
        goto fail;
    r->k = d->k;
    r->p = p;
    r->nclusters = d->nclusters;
    r->method = o->method;
    r->rho = o->rho;
    for (c = 0; c < m.m; c++) {
        size_t q = m.soff[c];
        n = m.start[c + 1] - m.start[c];
        for (i = 0; i < n; i++) {
            int seen = 0;
            for (l = 0; l < i; l++)
                seen |= m.A[q + i * n + l] != 0;
            r->nobs += !seen;
        }
    }
    r->b = malloc(6 * p * sizeof *r->b);
    r->rve_se = malloc(6 * p * sizeof *r->rve_se);
    if (!r->b || !r->rve_se) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    r->se = r->b + p;
    r->stat = r->b + 2 * p;
    r->pval = r->b + 3 * p;
    r->ci_lb = r->b + 4 * p;
    r->ci_ub = r->b + 5 * p;
    r->rve_df = r->rve_se + p;
    r->rve_stat = r->rve_se + 2 * p;
    r->rve_p = r->rve_se + 3 * p;
    r->rve_ci_lb = r->rve_se + 4 * p;
    r->rve_ci_ub = r->rve_se + 5 * p;
    for (i = 0; i < 6 * p; i++)
        r->rve_se[i] = NAN;

    /* Test for residual heterogeneity: GLS with V alone (metafor's QE for rma.mv). */
    th[0] = th[1] = 0;
    if ((st = mv_eval(&m, th, 0, &e, err)) != MA_OK)
        goto fail;
    r->Q = e.rss;
    r->Q_df = (double)(d->k - p);
    r->Q_p = gsl_cdf_chisq_Q(r->Q, r->Q_df);

    /* Start: the total variance beyond sampling error, split evenly. */
    for (i = 0; i < d->k; i++) {
        my += d->yi[i] / (double)d->k;
        mvi += d->vi[i] / (double)d->k;
    }
    for (i = 0; i < d->k; i++)
        vy += (d->yi[i] - my) * (d->yi[i] - my) / (double)(d->k - 1);
    t = fmax(vy - mvi, 0.01 * vy);
    if (!(t > 0))
        t = 0.01 * mvi;
    th[0] = th[1] = t / 2;
    conv = mv_optimize(&m, th, fixed, o->max_iter > 0 ? o->max_iter : 500, &it, &e, err);
    if (conv < 0) {
        st = err->code;
        goto fail;
    }
    r->converged = conv;
    r->iterations = it;
    if (!conv)
        snprintf(r->note, sizeof r->note, "Fisher scoring did not converge in %d iterations; "
                                          "the estimates are the last iterate", it);
    r->sigma2_cluster = th[0];
    r->sigma2_obs = th[1];
    r->logLik = e.ll;
    r->deviance = -2 * e.ll;
    r->AIC = -2 * e.ll + 2.0 * (double)(p + 2);
    r->BIC = -2 * e.ll + (double)(p + 2) *
                             log((double)(o->method == MA_MV_REML ? d->k - p : d->k));
    z = gsl_cdf_ugaussian_Qinv((1 - o->level) / 2);
    for (a = 0; a < p; a++) {
        r->b[a] = m.beta[a];
        r->se[a] = sqrt(m.H[a * p + a]);
        r->stat[a] = r->b[a] / r->se[a];
        r->pval[a] = 2 * gsl_cdf_ugaussian_Q(fabs(r->stat[a]));
        r->ci_lb[a] = r->b[a] - z * r->se[a];
        r->ci_ub[a] = r->b[a] + z * r->se[a];
    }
    r->QM = r->QM_df = r->QM_p = NAN;
    if (p > 1) {
        /* Wald test of coefficients 2..p: b2' (H22)^{-1} b2 */
        size_t q = p - 1;
        double *H22 = malloc(q * q * sizeof *H22), *Hi = malloc(q * q * sizeof *Hi);
        if (!H22 || !Hi) {
            free(H22);
            free(Hi);
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        for (a = 0; a < q; a++)
            for (b = 0; b < q; b++)
                H22[a * q + b] = m.H[(a + 1) * p + b + 1];
        if (spd_inverse(H22, q, Hi, NULL) == 0) {
            r->QM = 0;
            for (a = 0; a < q; a++)
                for (b = 0; b < q; b++)
                    r->QM += r->b[a + 1] * Hi[a * q + b] * r->b[b + 1];
            r->QM_df = (double)q;
            r->QM_p = gsl_cdf_chisq_Q(r->QM, r->QM_df);
        }
        free(H22);
        free(Hi);
    }
    if (o->robust && (st = mv_robust(&m, th, o->level, r, err)) != MA_OK)
        goto fail;
    r->sigma2_cluster_lb = r->sigma2_cluster_ub = NAN;
    r->sigma2_obs_lb = r->sigma2_obs_ub = NAN;
    if (o->sigma2_ci) {
        ma_error_t e2;
        profile_ci(&m, th, r->logLik, 0, o->level, o->max_iter, &r->sigma2_cluster_lb,
                   &r->sigma2_cluster_ub, &e2);
        profile_ci(&m, th, r->logLik, 1, o->level, o->max_iter, &r->sigma2_obs_lb,
                   &r->sigma2_obs_ub, &e2);
    }
    if (r->nobs == r->nclusters) {
        size_t n0 = strlen(r->note);
        snprintf(r->note + n0, sizeof r->note - n0,
                 "%severy cluster has a single obs level: sigma^2 of clusters and of effects "
                 "are not separately identifiable (only their sum, the tau^2 of the "
                 "random-effects model, is)", n0 ? "; " : "");
    }
    if (o->robust) {
        size_t n0 = strlen(r->note);
        double mindf = INFINITY;
        for (a = 0; a < p; a++)
            mindf = fmin(mindf, r->rve_df[a]);
        if (d->nclusters < 4 || mindf < 4)
            snprintf(r->note + n0, sizeof r->note - n0,
                     "%scluster-robust (CR2) inference is unreliable with %s (%zu cluster%s, "
                     "smallest Satterthwaite df %.2f; Tipton 2015 suggests df >= 4)",
                     n0 ? "; " : "", d->nclusters < 4 ? "fewer than 4 clusters"
                                                       : "Satterthwaite df below 4",
                     d->nclusters, d->nclusters == 1 ? "" : "s", mindf);
    }
    mv_free(&m);
    return MA_OK;
fail:
    mv_free(&m);
    ma_mv_clear(r);
    return st;
}
