/* Bayesian random-effects meta-analysis by deterministic quadrature over tau.
 *
 * Model (normal-normal hierarchical model, Röver 2020, J Stat Softw 93(6)):
 *   y_i | theta_i ~ N(theta_i, v_i),  theta_i | mu, tau ~ N(mu, tau^2),
 *   mu flat (density 1) or N(M, S^2), tau ~ p(tau) (bayesmeta's densities, bayes.h).
 *
 * Given tau, with w_i = 1/(v_i + tau^2) (and, for the normal prior on mu, one more "study"
 * y_0 = M, w_0 = 1/S^2 in every sum below, n = k + 1 instead of k):
 *   mu | tau, y ~ N(mu_hat, V),  mu_hat = sum w_i y_i / sum w_i,  V = 1 / sum w_i;
 *   log p(y | tau) = -1/2 [ (n-1) log 2pi + sum log(1/w_i) + sum w_i (y_i - mu_hat)^2
 *                           + log sum w_i ]                       (mu integrated out);
 *   p(tau | y) = p(tau) p(y | tau) / Z,  Z = integral p(tau) p(y | tau) dtau (the marginal
 *   likelihood; with a flat mu it is relative to the density 1 on mu).
 * Mixtures over tau (each normal given tau):
 *   mu | y        = int N(mu_hat(tau), V(tau)) p(tau | y) dtau,
 *   theta_new | y = int N(mu_hat(tau), V(tau) + tau^2) p(tau | y) dtau,
 *   theta_i | y   = int N(m_i, s_i^2) p(tau | y) dtau, with B_i = v_i / (v_i + tau^2),
 *                   m_i = (1 - B_i) y_i + B_i mu_hat,  s_i^2 = v_i (1 - B_i) + B_i^2 V.
 * Each node costs O(k). Tails: p(y | tau) ~ tau^-(n-1) for large tau, the prior ~ tau^-a
 * (a = 2 half-Cauchy, NU + 1 half-t, A + 1 Lomax, 1 Jeffreys): the posterior is proper iff
 * e = n - 1 + a > 1, E tau is finite iff e > 2, E tau^2 iff e > 3.
 *
 * Quadrature, in u = log tau (the integrand h(u) = p(e^u | y) e^u is smooth, with
 * exponential tails): find the mode of h, its scale from the curvature, truncate where h
 * (times tau^2 when that moment exists) is below e^-46 of its peak, split at mode +- 2^j
 * scales, and let GSL's adaptive Gauss-Kronrod (qag, 21 points) choose the subintervals to
 * 1e-11 (about the rounding floor of log h, a sum of k terms, at k = 5000). Each
 * subinterval then carries a 15-point Gauss-Legendre rule: the nodes (about 200, each
 * O(k) once) give every moment and every mixture above; mixtures skip nodes of weight
 * below 1e-18. The CDF of tau integrates h over a partial subinterval with the same rule;
 * its quantiles are Brent roots (ma_brent). Mixture quantiles are Newton steps on the
 * mixture CDF from the normal approximation, kept inside a bracket by bisection. Shortest
 * intervals solve density(lower) = density(upper) for the lower tail probability (Brent),
 * bracketed outwards from the central interval; where the density is highest at a support
 * end (a half-normal posterior decreasing from tau = 0) the interval starts there. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_gamma.h>

#include "iastm/bayes.h"
#include "iastm/num.h"
#include "rma_internal.h" /* ma_check_study, ma_brent */

#define LOG_2PI 1.8378770664093454836
#define TRUNC_LOG 46.0      /* tails cut where h < e^-46 of its peak */
#define U_MAX 340.0         /* tau <= e^340: tau^2 stays finite */
#define QAG_LIMIT 200
#define LOG_TINY (-1e300)   /* log density at a support end where it is 0 */

void ma_bayes_opts_init(ma_bayes_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->tau_prior.kind = MA_TAU_HALFNORMAL;
    o->tau_prior.scale = 0.5;
    o->level = 0.95;
    o->margin = 0;
    o->gl_points = 15;
}

/* ---- priors ----------------------------------------------------------------------- */

static const struct {
    const char *name;
    ma_tau_prior_kind_t kind;
    int nparam;
    const char *form;
} PRIORS[] = {
    {"halfnormal", MA_TAU_HALFNORMAL, 1, "halfnormal:S"},
    {"halfcauchy", MA_TAU_HALFCAUCHY, 1, "halfcauchy:S"},
    {"halfstudent", MA_TAU_HALFSTUDENT, 2, "halfstudent:S:NU"},
    {"lomax", MA_TAU_LOMAX, 2, "lomax:S:A"},
    {"uniform", MA_TAU_UNIFORM, 2, "uniform:A:B"},
    {"jeffreys", MA_TAU_JEFFREYS, 0, "jeffreys"},
};
#define NPRIORS (sizeof PRIORS / sizeof PRIORS[0])

ma_status_t ma_tau_prior_parse(const char *s, ma_tau_prior_t *p, ma_error_t *err)
{
    char buf[256], *parts[4], *c;
    double x[3];
    size_t np = 0, i, j;
    if (strlen(s) >= sizeof buf)
        return ma_error_set(err, MA_EUSAGE, "prior specification too long");
    strcpy(buf, s);
    parts[np++] = buf;
    for (c = buf; *c; c++)
        if (*c == ':') {
            *c = '\0';
            if (np == 4)
                return ma_error_set(err, MA_EUSAGE, "too many ':' parameters in '%s'", s);
            parts[np++] = c + 1;
        }
    for (i = 0; i < NPRIORS; i++)
        if (!strcasecmp(parts[0], PRIORS[i].name))
            break;
    if (i == NPRIORS)
        return ma_error_set(err, MA_EUSAGE,
                            "unknown prior '%s' (expected halfnormal:S, halfcauchy:S, "
                            "halfstudent:S:NU, lomax:S:A, uniform:A:B or jeffreys)", parts[0]);
    if ((int)np - 1 != PRIORS[i].nparam)
        return ma_error_set(err, MA_EUSAGE, "'%s' takes %d parameter%s (%s), got %d", parts[0],
                            PRIORS[i].nparam, PRIORS[i].nparam == 1 ? "" : "s", PRIORS[i].form,
                            (int)np - 1);
    for (j = 1; j < np; j++)
        if (ma_parse_double(parts[j], &x[j - 1]) != MA_NUM_OK) {
            char why[128], *paren;
            if (PRIORS[i].kind == MA_TAU_UNIFORM && j == 2 && !strcasecmp(parts[j] +
                                                                     (parts[j][0] == '+'), "inf"))
                return ma_error_set(err, MA_EUSAGE, "uniform:A:B needs a finite upper bound B "
                                                    "(a uniform prior on (A, infinity) is "
                                                    "improper), got '%s'", s);
            snprintf(why, sizeof why, "%s", ma_num_why(parts[j]));
            if ((paren = strstr(why, " (")) != NULL) /* hints meant for table cells */
                *paren = '\0';
            return ma_error_set(err, MA_EUSAGE, "bad parameter '%s' in '%s': %s", parts[j], s,
                                why);
        }
    memset(p, 0, sizeof *p);
    p->kind = PRIORS[i].kind;
    switch (p->kind) {
    case MA_TAU_HALFNORMAL:
    case MA_TAU_HALFCAUCHY:
        p->scale = x[0];
        break;
    case MA_TAU_HALFSTUDENT:
        p->scale = x[0];
        p->df = x[1];
        if (!(p->df > 0))
            return ma_error_set(err, MA_EUSAGE, "degrees of freedom NU must be > 0 in '%s'", s);
        break;
    case MA_TAU_LOMAX:
        p->scale = x[0];
        p->shape = x[1];
        if (!(p->shape > 0))
            return ma_error_set(err, MA_EUSAGE, "shape A must be > 0 in '%s'", s);
        break;
    case MA_TAU_UNIFORM:
        p->lo = x[0];
        p->hi = x[1];
        if (!(p->lo >= 0) || !(p->hi > p->lo))
            return ma_error_set(err, MA_EUSAGE, "uniform:A:B needs 0 <= A < B, got '%s'", s);
        return MA_OK;
    case MA_TAU_JEFFREYS:
        return MA_OK;
    }
    if (!(p->scale > 0))
        return ma_error_set(err, MA_EUSAGE, "scale S must be > 0 in '%s'", s);
    return MA_OK;
}

char *ma_tau_prior_format(const ma_tau_prior_t *p, char *buf, size_t n)
{
    switch (p->kind) {
    case MA_TAU_HALFNORMAL: snprintf(buf, n, "halfnormal:%g", p->scale); break;
    case MA_TAU_HALFCAUCHY: snprintf(buf, n, "halfcauchy:%g", p->scale); break;
    case MA_TAU_HALFSTUDENT: snprintf(buf, n, "halfstudent:%g:%g", p->scale, p->df); break;
    case MA_TAU_LOMAX: snprintf(buf, n, "lomax:%g:%g", p->scale, p->shape); break;
    case MA_TAU_UNIFORM: snprintf(buf, n, "uniform:%g:%g", p->lo, p->hi); break;
    case MA_TAU_JEFFREYS: snprintf(buf, n, "jeffreys"); break;
    }
    return buf;
}

char *ma_tau_prior_describe(const ma_tau_prior_t *p, char *buf, size_t n)
{
    switch (p->kind) {
    case MA_TAU_HALFNORMAL: snprintf(buf, n, "half-normal (scale %g)", p->scale); break;
    case MA_TAU_HALFCAUCHY: snprintf(buf, n, "half-Cauchy (scale %g)", p->scale); break;
    case MA_TAU_HALFSTUDENT:
        snprintf(buf, n, "half-Student-t (scale %g, %g df)", p->scale, p->df);
        break;
    case MA_TAU_LOMAX: snprintf(buf, n, "Lomax (scale %g, shape %g)", p->scale, p->shape); break;
    case MA_TAU_UNIFORM: snprintf(buf, n, "uniform on [%g, %g]", p->lo, p->hi); break;
    case MA_TAU_JEFFREYS: snprintf(buf, n, "Jeffreys (improper)"); break;
    }
    return buf;
}

/* Power a of the prior's tail tau^-a (infinite: lighter than any power). */
static double prior_tail(const ma_tau_prior_t *p)
{
    switch (p->kind) {
    case MA_TAU_HALFCAUCHY: return 2;
    case MA_TAU_HALFSTUDENT: return p->df + 1;
    case MA_TAU_LOMAX: return p->shape + 1;
    case MA_TAU_JEFFREYS: return 1;
    default: return INFINITY;
    }
}

/* ---- the model at one tau ----------------------------------------------------------- */

typedef struct {
    const double *y, *v;
    size_t k;
    const ma_bayes_opts_t *o;
    double lconst; /* the prior's log normalising constant */
    double shift;  /* log h at the mode, subtracted before exp */
    double *w;     /* scratch, k values */
} model_t;

typedef struct {
    double lpost; /* log p(tau) + log p(y | tau) (unnormalised) */
    double mu, vmu;
} cond_t;

static void cond_eval(const model_t *m, double tau, cond_t *c)
{
    const ma_bayes_opts_t *o = m->o;
    const ma_tau_prior_t *p = &o->tau_prior;
    double t2 = tau * tau, sw = 0, swy = 0, slog = 0, sj = 0, q = 0, mu, lp, z;
    size_t i, n = m->k;
    for (i = 0; i < m->k; i++) {
        double vt = m->v[i] + t2, w = 1.0 / vt;
        m->w[i] = w;
        sw += w;
        swy += w * m->y[i];
        slog += log(vt);
        sj += t2 * w * w;
    }
    if (o->mu_normal) {
        double w0 = 1.0 / (o->mu_sd * o->mu_sd);
        sw += w0;
        swy += w0 * o->mu_mean;
        slog += 2 * log(o->mu_sd);
        n++;
    }
    mu = swy / sw;
    for (i = 0; i < m->k; i++) {
        double d = m->y[i] - mu;
        q += m->w[i] * d * d;
    }
    if (o->mu_normal) {
        double d = (o->mu_mean - mu) / o->mu_sd;
        q += d * d;
    }
    c->mu = mu;
    c->vmu = 1.0 / sw;
    switch (p->kind) {
    case MA_TAU_HALFNORMAL:
        z = tau / p->scale;
        lp = -0.5 * z * z;
        break;
    case MA_TAU_HALFCAUCHY:
        z = tau / p->scale;
        lp = -log1p(z * z);
        break;
    case MA_TAU_HALFSTUDENT:
        z = tau / p->scale;
        lp = -0.5 * (p->df + 1) * log1p(z * z / p->df);
        break;
    case MA_TAU_LOMAX:
        lp = -(p->shape + 1) * log1p(tau / p->scale);
        break;
    case MA_TAU_UNIFORM:
        lp = (tau >= p->lo && tau <= p->hi) ? 0 : -INFINITY;
        break;
    default: /* Jeffreys */
        lp = sj > 0 ? 0.5 * log(sj) : -INFINITY;
        break;
    }
    c->lpost = lp + m->lconst - 0.5 * ((double)(n - 1) * LOG_2PI + slog + q + log(sw));
}

static double prior_lconst(const ma_tau_prior_t *p)
{
    switch (p->kind) {
    case MA_TAU_HALFNORMAL: return M_LN2 - 0.5 * LOG_2PI - log(p->scale);
    case MA_TAU_HALFCAUCHY: return M_LN2 - log(M_PI) - log(p->scale);
    case MA_TAU_HALFSTUDENT:
        return M_LN2 - log(p->scale) + gsl_sf_lngamma(0.5 * (p->df + 1)) -
               gsl_sf_lngamma(0.5 * p->df) - 0.5 * log(p->df * M_PI);
    case MA_TAU_LOMAX: return log(p->shape) - log(p->scale);
    case MA_TAU_UNIFORM: return -log(p->hi - p->lo);
    default: return 0;
    }
}

/* tau = e^u kept inside a uniform prior's support: exp(log B) may round above B. */
static double tau_of_u(const model_t *m, double u)
{
    const ma_tau_prior_t *p = &m->o->tau_prior;
    double tau = exp(u);
    if (p->kind == MA_TAU_UNIFORM)
        tau = fmin(fmax(tau, p->lo), p->hi);
    return tau;
}

/* log h(u) - shift: the posterior of u = log tau, unnormalised. */
static double log_h(const model_t *m, double u, cond_t *c)
{
    cond_eval(m, tau_of_u(m, u), c);
    return c->lpost + u - m->shift;
}

static double neg_log_h(double u, void *arg)
{
    cond_t c;
    double l = log_h((const model_t *)arg, u, &c);
    return isfinite(l) ? -l : 1e300;
}

/* ---- node table ------------------------------------------------------------------- */

typedef struct {
    size_t n, per, nint;
    double *tau, *w, *mu, *vmu; /* n nodes; w normalised to sum 1 */
    double *a, *b, *cum;        /* nint subintervals in u, mass up to the end of each */
    double z;                   /* sum of raw weights (h scaled by e^-shift) */
    double u_lo, u_hi;
    gsl_integration_glfixed_table *gl;
} nodes_t;

static void nodes_free(nodes_t *t)
{
    free(t->tau);
    free(t->a);
    if (t->gl)
        gsl_integration_glfixed_table_free(t->gl);
}

typedef struct {
    const model_t *m;
    double mfac, ustar;
} hweight_t;

static double h_weighted(double u, void *arg)
{
    const hweight_t *hw = (const hweight_t *)arg;
    cond_t c;
    double l = log_h(hw->m, u, &c);
    return exp(l) * (1 + exp(hw->mfac * (u - hw->ustar)));
}

typedef struct {
    double a, b;
} ival_t;

static int ival_cmp(const void *x, const void *y)
{
    double a = ((const ival_t *)x)->a, b = ((const ival_t *)y)->a;
    return (a > b) - (a < b);
}

/* Mode of h over [dlo, dhi] (may be infinite): coarse scan in steps of `step`, then Brent. */
static ma_status_t find_mode(model_t *m, double uref, double dlo, double dhi, double *ustar,
                             ma_error_t *err)
{
    double lo = fmax(dlo, uref - 25), hi = fmin(dhi, uref + 8), step, best = -INFINITY;
    double ubest = lo, l;
    size_t i, nstep, ibest = 0;
    cond_t c;
    int extend;
    if (!(hi > lo)) { /* a uniform prior's support (dhi finite) far from uref */
        hi = dhi;
        lo = isfinite(dlo) ? dlo : dhi - 40;
    }
    do {
        nstep = 40;
        step = (hi - lo) / (double)nstep;
        best = -INFINITY;
        for (i = 0; i <= nstep; i++) {
            l = log_h(m, lo + step * (double)i, &c);
            if (l > best) {
                best = l;
                ibest = i;
            }
        }
        if (!isfinite(best))
            return ma_error_set(err, MA_ENUMERIC, "posterior of tau is zero everywhere");
        extend = 0;
        if (ibest == nstep && hi < dhi && hi < U_MAX) {
            lo = hi - 2 * step;
            hi = fmin(dhi, fmin(U_MAX, hi + 40));
            extend = 1;
        } else if (ibest == 0 && lo > dlo && lo > -U_MAX) {
            hi = lo + 2 * step;
            lo = fmax(dlo, fmax(-U_MAX, lo - 40));
            extend = 1;
        }
    } while (extend);
    ubest = lo + step * (double)ibest;
    if (ibest > 0 && ibest < nstep) {
        gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
        gsl_function f = {neg_log_h, m};
        int st, it = 0;
        if (!s)
            return ma_error_set(err, MA_ENOMEM, "out of memory");
        st = gsl_min_fminimizer_set_with_values(s, &f, ubest, -best, ubest - step,
                                                neg_log_h(ubest - step, m), ubest + step,
                                                neg_log_h(ubest + step, m));
        while (st == GSL_SUCCESS && it++ < 200) {
            st = gsl_min_fminimizer_iterate(s);
            if (st != GSL_SUCCESS)
                break;
            if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(s),
                                      gsl_min_fminimizer_x_upper(s), 1e-10, 0) == GSL_SUCCESS)
                break;
        }
        if (st == GSL_SUCCESS)
            ubest = gsl_min_fminimizer_x_minimum(s);
        gsl_min_fminimizer_free(s);
    }
    *ustar = ubest;
    return MA_OK;
}

static ma_status_t nodes_build(model_t *m, double e, nodes_t *t, ma_error_t *err)
{
    const ma_tau_prior_t *p = &m->o->tau_prior;
    double dlo = -INFINITY, dhi = INFINITY, uref, ustar = 0, su, d2, l0, lm, lp, delta, mfac;
    double pts[80], sd = 0, mean = 0, epsabs;
    size_t npts = 0, i, j, nint = 0, cap = 0;
    ival_t *iv = NULL;
    gsl_integration_workspace *ws = NULL;
    hweight_t hw;
    gsl_function f;
    cond_t c;
    ma_status_t st;

    memset(t, 0, sizeof *t);
    if (p->kind == MA_TAU_UNIFORM) {
        if (p->lo > 0)
            dlo = log(p->lo);
        dhi = log(p->hi);
    }
    for (i = 0; i < m->k; i++)
        mean += m->y[i];
    mean /= (double)m->k;
    for (i = 0; i < m->k; i++)
        sd += (m->y[i] - mean) * (m->y[i] - mean) + m->v[i];
    uref = 0.5 * log(sd / (double)m->k);
    m->shift = 0;
    if ((st = find_mode(m, uref, dlo, dhi, &ustar, err)) != MA_OK)
        return st;
    m->shift = log_h(m, ustar, &c);
    /* Scale of h in u from its curvature at the mode (one-sided at a support end). */
    delta = 1e-3;
    l0 = 0;
    lm = ustar - delta > dlo ? log_h(m, ustar - delta, &c) : NAN;
    lp = ustar + delta < dhi ? log_h(m, ustar + delta, &c) : NAN;
    if (isfinite(lm) && isfinite(lp))
        d2 = (lm - 2 * l0 + lp) / (delta * delta);
    else
        d2 = NAN;
    su = (d2 < 0) ? 1 / sqrt(-d2) : 1;
    su = fmin(fmax(su, 1e-5), 2);
    /* Truncation: where h (times tau^2 or tau when that moment exists) is negligible. */
    mfac = e > 3 ? 2 : (e > 2 ? 1 : 0);
    t->u_lo = dlo;
    if (!isfinite(dlo)) {
        for (delta = su;; delta *= 2) {
            if (ustar - delta < -U_MAX)
                return ma_error_set(err, MA_ENUMERIC, "posterior of tau: no lower tail found");
            if (log_h(m, ustar - delta, &c) < -TRUNC_LOG)
                break;
        }
        t->u_lo = ustar - delta;
    }
    t->u_hi = dhi;
    for (delta = su; ustar + delta < dhi; delta *= 2) {
        if (ustar + delta > U_MAX)
            return ma_error_set(err, MA_ENUMERIC,
                                "posterior of tau: tail too heavy for the quadrature (the "
                                "prior's tail and k = %zu give tau^-%g)", m->k, e);
        if (log_h(m, ustar + delta, &c) + mfac * delta < -TRUNC_LOG) {
            t->u_hi = ustar + delta;
            break;
        }
    }
    /* Breakpoints at the mode +- 2^j scales. */
    pts[npts++] = t->u_lo;
    for (j = 40; j-- > 0;) {
        double u = ustar - su * ldexp(1, (int)j);
        if (j < 20 && u > t->u_lo)
            pts[npts++] = u;
    }
    if (ustar > t->u_lo && ustar < t->u_hi)
        pts[npts++] = ustar;
    for (j = 0; j < 20; j++) {
        double u = ustar + su * ldexp(1, (int)j);
        if (u < t->u_hi)
            pts[npts++] = u;
    }
    pts[npts++] = t->u_hi;

    ws = gsl_integration_workspace_alloc(QAG_LIMIT);
    t->per = m->o->gl_points ? m->o->gl_points : 15;
    t->gl = gsl_integration_glfixed_table_alloc(t->per);
    if (!ws || !t->gl) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    hw.m = m;
    hw.mfac = mfac;
    hw.ustar = ustar;
    f.function = h_weighted;
    f.params = &hw;
    /* h(u*) = 1, so the whole integral is about sqrt(2 pi) su: pieces in the tails stop at
     * 1e-14 of it instead of refining to their own relative accuracy. */
    epsabs = 1e-14 * 2.5 * su;
    for (i = 0; i + 1 < npts; i++) {
        double res, aerr;
        int gs = gsl_integration_qag(&f, pts[i], pts[i + 1], epsabs, 1e-11, QAG_LIMIT,
                                     GSL_INTEG_GAUSS21, ws, &res, &aerr);
        if (gs != GSL_SUCCESS && gs != GSL_EROUND) {
            st = ma_error_set(err, MA_ENUMERIC, "quadrature over tau failed: %s",
                              gsl_strerror(gs));
            goto fail;
        }
        if (nint + ws->size > cap) {
            ival_t *n2;
            cap = 2 * (nint + ws->size) + 16;
            if (!(n2 = realloc(iv, cap * sizeof *iv))) {
                st = ma_error_set(err, MA_ENOMEM, "out of memory");
                goto fail;
            }
            iv = n2;
        }
        for (j = 0; j < ws->size; j++) {
            iv[nint].a = ws->alist[j];
            iv[nint].b = ws->blist[j];
            nint++;
        }
    }
    qsort(iv, nint, sizeof *iv, ival_cmp);
    t->nint = nint;
    t->n = nint * t->per;
    t->tau = malloc(4 * t->n * sizeof *t->tau);
    t->a = malloc(3 * nint * sizeof *t->a);
    if (!t->tau || !t->a) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    t->w = t->tau + t->n;
    t->mu = t->w + t->n;
    t->vmu = t->mu + t->n;
    t->b = t->a + nint;
    t->cum = t->b + nint;
    t->z = 0;
    for (i = 0; i < nint; i++) {
        t->a[i] = iv[i].a;
        t->b[i] = iv[i].b;
        for (j = 0; j < t->per; j++) {
            size_t q = i * t->per + j;
            double u, wi;
            gsl_integration_glfixed_point(iv[i].a, iv[i].b, j, &u, &wi, t->gl);
            t->tau[q] = tau_of_u(m, u);
            t->w[q] = wi * exp(log_h(m, u, &c));
            t->mu[q] = c.mu;
            t->vmu[q] = c.vmu;
            t->z += t->w[q];
        }
        t->cum[i] = t->z;
    }
    if (!(t->z > 0) || !isfinite(t->z)) {
        st = ma_error_set(err, MA_ENUMERIC, "posterior of tau could not be normalised");
        goto fail;
    }
    for (i = 0; i < t->n; i++)
        t->w[i] /= t->z;
    for (i = 0; i < nint; i++)
        t->cum[i] /= t->z;
    free(iv);
    gsl_integration_workspace_free(ws);
    return MA_OK;
fail:
    free(iv);
    if (ws)
        gsl_integration_workspace_free(ws);
    nodes_free(t);
    memset(t, 0, sizeof *t);
    return st;
}

/* ---- tau: CDF, quantiles, density ----------------------------------------------------- */

typedef struct {
    const model_t *m;
    const nodes_t *t;
    double p;
} tau_ctx_t;

/* P(log tau <= u | y). */
static double tau_cdf_u(const model_t *m, const nodes_t *t, double u)
{
    size_t lo = 0, hi = t->nint, i, j;
    double s = 0;
    cond_t c;
    if (u <= t->a[0])
        return 0;
    if (u >= t->b[t->nint - 1])
        return 1;
    while (hi - lo > 1) { /* last interval with a <= u */
        size_t mid = (lo + hi) / 2;
        if (t->a[mid] <= u)
            lo = mid;
        else
            hi = mid;
    }
    i = lo;
    for (j = 0; j < t->per; j++) {
        double x, wi;
        gsl_integration_glfixed_point(t->a[i], u, j, &x, &wi, t->gl);
        s += wi * exp(log_h(m, x, &c));
    }
    return (i ? t->cum[i - 1] : 0) + s / t->z;
}

static double tau_root_f(double u, void *arg)
{
    const tau_ctx_t *x = (const tau_ctx_t *)arg;
    return tau_cdf_u(x->m, x->t, u) - x->p;
}

/* Brent root of f on [a, b]; NaN on failure. */
static double brent_root(double (*fn)(double, void *), void *arg, double a, double b,
                         double tol)
{
    double r;
    return ma_brent(fn, arg, a, b, tol, 1e-15, 200, &r, NULL) == MA_OK ? r : NAN;
}

static double tau_support_lo(const model_t *m)
{
    return m->o->tau_prior.kind == MA_TAU_UNIFORM ? m->o->tau_prior.lo : 0;
}

static double tau_support_hi(const model_t *m)
{
    return m->o->tau_prior.kind == MA_TAU_UNIFORM ? m->o->tau_prior.hi : INFINITY;
}

static double tau_quantile(const model_t *m, const nodes_t *t, double p)
{
    tau_ctx_t x = {m, t, p};
    size_t i = 0;
    double a, b, fa, fb;
    if (p <= 0)
        return tau_support_lo(m);
    if (p >= 1)
        return tau_support_hi(m);
    while (i + 1 < t->nint && t->cum[i] < p)
        i++;
    a = t->a[i];
    b = t->b[i];
    fa = (i ? t->cum[i - 1] : 0) - p;
    fb = t->cum[i] - p;
    if (fa >= 0)
        return tau_of_u(m, a);
    if (fb <= 0)
        return tau_of_u(m, b);
    return tau_of_u(m, brent_root(tau_root_f, &x, a, b, 1e-14));
}

/* log density of tau (up to a constant), defined at the support ends. */
static double tau_logdens(const model_t *m, double tau)
{
    cond_t c;
    if (!(tau < INFINITY))
        return LOG_TINY;
    cond_eval(m, tau, &c);
    return isfinite(c.lpost) ? c.lpost : LOG_TINY;
}

typedef struct {
    double (*quantile)(const void *ctx, double p, double guess);
    double (*logdens)(const void *ctx, double x);
    const void *ctx;
    double level;
    double ga, gb; /* starting points (fixed, so that g is a function of alpha alone) */
    double a, b;   /* the bounds for the last alpha */
} shortest_t;

static double shortest_f(double alpha, void *arg)
{
    shortest_t *s = (shortest_t *)arg;
    s->a = s->quantile(s->ctx, alpha, s->ga);
    s->b = s->quantile(s->ctx, alpha + s->level, s->gb);
    return s->logdens(s->ctx, s->b) - s->logdens(s->ctx, s->a);
}

/* Shortest interval of a unimodal density: the lower tail alpha in [a0, 1 - level - a0]
 * where the density is equal at both ends (g decreases in alpha), or an interval ending at
 * a support end. The root is bracketed outwards from the central interval, then Brent. */
static void shortest_interval(shortest_t *s, double a0, double *lb, double *ub)
{
    static const double FRAC[] = {1.0 / 16, 1.0 / 4, 1};
    double c = 0.5 * (1 - s->level), end, g, prev = c, lo, hi, alpha;
    size_t i;
    g = shortest_f(c, s);
    if (fabs(g) <= 1e-13) { /* equal densities to rounding: symmetric */
        *lb = s->a;
        *ub = s->b;
        return;
    }
    end = g > 0 ? 1 - s->level - a0 : a0;
    for (i = 0; i < 3; i++) {
        double x = c + (end - c) * FRAC[i];
        double gx = shortest_f(x, s);
        if (fabs(gx) <= 1e-13) {
            *lb = s->a;
            *ub = s->b;
            return;
        }
        if ((g > 0) != (gx > 0))
            break;
        prev = x;
    }
    if (i == 3) { /* no sign change: the interval ends at a support end */
        shortest_f(end, s);
        *lb = s->a;
        *ub = s->b;
        return;
    }
    lo = fmin(prev, c + (end - c) * FRAC[i]);
    hi = fmax(prev, c + (end - c) * FRAC[i]);
    alpha = brent_root(shortest_f, s, lo, hi, 1e-13);
    if (isnan(alpha)) {
        *lb = *ub = NAN;
        return;
    }
    shortest_f(alpha, s);
    *lb = s->a;
    *ub = s->b;
}

typedef struct {
    const model_t *m;
    const nodes_t *t;
} tau_pair_t;

static double tau_q_cb(const void *ctx, double p, double guess)
{
    const tau_pair_t *x = (const tau_pair_t *)ctx;
    (void)guess;
    return tau_quantile(x->m, x->t, p);
}

static double tau_ld_cb(const void *ctx, double tau)
{
    return tau_logdens(((const tau_pair_t *)ctx)->m, tau);
}

/* ---- normal mixtures -------------------------------------------------------------- */

typedef struct {
    size_t n;
    const double *w, *m, *s;
} mix_t;

/* Lower and upper tail probabilities and density at x. */
static void mix_eval(const mix_t *x, double t, double *lower, double *upper, double *dens)
{
    double lo = 0, up = 0, d = 0;
    size_t j;
    for (j = 0; j < x->n; j++) {
        double z = (t - x->m[j]) / x->s[j];
        double tail = 0.5 * erfc(fabs(z) * M_SQRT1_2); /* the smaller tail, exact */
        if (z < 0) {
            lo += x->w[j] * tail;
            up += x->w[j] * (1 - tail);
        } else {
            lo += x->w[j] * (1 - tail);
            up += x->w[j] * tail;
        }
        if (dens)
            d += x->w[j] * exp(-0.5 * z * z) / x->s[j];
    }
    if (lower)
        *lower = lo;
    if (upper)
        *upper = up;
    if (dens)
        *dens = d * 0.39894228040143267794;
}

static void mix_moments(const mix_t *x, double *mean, double *sd)
{
    double m1 = 0, m2 = 0;
    size_t j;
    for (j = 0; j < x->n; j++) {
        m1 += x->w[j] * x->m[j];
        m2 += x->w[j] * (x->s[j] * x->s[j] + x->m[j] * x->m[j]);
    }
    *mean = m1;
    *sd = sqrt(fmax(m2 - m1 * m1, 0));
}

/* Quantile p of the mixture: Newton steps from `guess`, kept inside a bracket by
 * bisection; the smaller tail is matched for accuracy. */
static double mix_quantile_impl(const mix_t *x, double p, double guess, double tol)
{
    double lo = INFINITY, hi = -INFINITY, t, lower, upper, dens, r, step;
    size_t j;
    int it;
    if (!(p > 0 && p < 1))
        return p <= 0 ? -INFINITY : INFINITY;
    for (j = 0; j < x->n; j++) {
        lo = fmin(lo, x->m[j] - 40 * x->s[j]);
        hi = fmax(hi, x->m[j] + 40 * x->s[j]);
    }
    t = (guess > lo && guess < hi) ? guess : 0.5 * (lo + hi);
    for (it = 0; it < 200; it++) {
        mix_eval(x, t, &lower, &upper, &dens);
        r = p < 0.5 ? lower - p : (1 - p) - upper; /* increasing in t */
        if (r == 0)
            return t;
        if (r < 0)
            lo = t;
        else
            hi = t;
        step = dens > 0 ? r / dens : INFINITY;
        if (fabs(step) <= tol * (1 + fabs(t)))
            return t - step;
        if (t - step > lo && t - step < hi) {
            t -= step;
        } else {
            t = 0.5 * (lo + hi);
        }
        if (hi - lo <= 1e-15 * (1 + fabs(t)))
            return t;
    }
    return t;
}

static double mix_q_cb(const void *ctx, double p, double guess)
{
    return mix_quantile_impl((const mix_t *)ctx, p, guess, 1e-14);
}

static double mix_ld_cb(const void *ctx, double x)
{
    double d;
    mix_eval((const mix_t *)ctx, x, NULL, NULL, &d);
    return d > 0 ? log(d) : LOG_TINY;
}

static void mix_summary(const mix_t *x, double level, ma_post_summary_t *s, int moments_ok)
{
    double mean, sd, zq = gsl_cdf_ugaussian_Qinv(0.5 * (1 - level));
    shortest_t sh;
    mix_moments(x, &mean, &sd);
    s->median = mix_quantile_impl(x, 0.5, mean, 1e-14);
    s->lb = mix_quantile_impl(x, 0.5 * (1 - level), mean - zq * sd, 1e-14);
    s->ub = mix_quantile_impl(x, 0.5 * (1 + level), mean + zq * sd, 1e-14);
    s->mean = moments_ok & 1 ? mean : NAN;
    s->sd = moments_ok & 2 ? sd : NAN;
    sh.quantile = mix_q_cb;
    sh.logdens = mix_ld_cb;
    sh.ctx = x;
    sh.level = level;
    sh.ga = s->lb;
    sh.gb = s->ub;
    shortest_interval(&sh, 1e-10, &s->slb, &s->sub);
}

/* ---- the fit ---------------------------------------------------------------------- */

void ma_bayes_free(ma_bayes_t *r)
{
    if (!r)
        return;
    free(r->shrunk_mean);
    r->shrunk_mean = r->shrunk_sd = r->shrunk_lb = r->shrunk_ub = NULL;
}

static void add_note(ma_bayes_t *r, const char *s)
{
    size_t n = strlen(r->note);
    snprintf(r->note + n, sizeof r->note - n, "%s%s", n ? " " : "", s);
}

ma_status_t ma_bayes_fit(const double *yi, const double *vi, size_t k, const ma_bayes_opts_t *o,
                         ma_bayes_t *r, ma_error_t *err)
{
    model_t m;
    nodes_t t;
    mix_t mx;
    tau_pair_t tp;
    shortest_t sh;
    double e, level = o->level, *buf = NULL, *sd_pred, m1 = 0, m2 = 0;
    double *cw, *cmu, *cvmu, *ctau;
    size_t i, j, nc;
    int mom_tau, mom_mu, mom_theta;
    ma_status_t st;

    memset(r, 0, sizeof *r);
    if (k == 0)
        return ma_error_set(err, MA_EINPUT, "no studies to pool");
    for (i = 0; i < k; i++)
        if ((st = ma_check_study(yi, vi, i, err)) != MA_OK)
            return st;
    if (!(level > 0 && level < 1))
        return ma_error_set(err, MA_EUSAGE, "level must lie in (0, 1)");
    if (o->mu_normal && !(o->mu_sd > 0 && isfinite(o->mu_sd) && isfinite(o->mu_mean)))
        return ma_error_set(err, MA_EUSAGE, "normal prior on mu needs a finite mean and sd > 0");
    /* Posterior tail tau^-e (see the opening comment). */
    e = (double)(k - 1 + (o->mu_normal ? 1 : 0)) + prior_tail(&o->tau_prior);
    if (!(e > 1)) {
        char d[64];
        return ma_error_set(err, MA_EUSAGE,
                            "the %s prior on tau gives an improper posterior with k = %zu "
                            "stud%s and a flat prior on mu (use a proper prior, more studies, "
                            "or --mu-prior normal:M:S)",
                            ma_tau_prior_describe(&o->tau_prior, d, sizeof d), k,
                            k == 1 ? "y" : "ies");
    }
    mom_tau = (e > 2 ? 1 : 0) | (e > 3 ? 2 : 0);
    mom_mu = o->mu_normal ? 3 : mom_tau;
    mom_theta = mom_tau;
    if (!(mom_tau & 1))
        add_note(r, "The posterior of tau has no mean (its tail is too heavy for this prior "
                    "and k): means are not reported.");
    else if (!(mom_tau & 2))
        add_note(r, "The posterior of tau has no variance (heavy tail for this prior and k): "
                    "standard deviations are not reported.");

    memset(&m, 0, sizeof m);
    m.y = yi;
    m.v = vi;
    m.k = k;
    m.o = o;
    m.lconst = prior_lconst(&o->tau_prior);
    if (!(m.w = malloc(k * sizeof *m.w)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    if ((st = nodes_build(&m, e, &t, err)) != MA_OK) {
        free(m.w);
        return st;
    }
    r->k = k;
    r->nodes = t.n;
    r->log_marglik = o->tau_prior.kind == MA_TAU_JEFFREYS ? NAN : log(t.z) + m.shift;

    /* tau */
    for (j = 0; j < t.n; j++) {
        m1 += t.w[j] * t.tau[j];
        m2 += t.w[j] * t.tau[j] * t.tau[j];
    }
    r->tau.mean = mom_tau & 1 ? m1 : NAN;
    r->tau.sd = mom_tau & 2 ? sqrt(fmax(m2 - m1 * m1, 0)) : NAN;
    r->tau.median = tau_quantile(&m, &t, 0.5);
    r->tau.lb = tau_quantile(&m, &t, 0.5 * (1 - level));
    r->tau.ub = tau_quantile(&m, &t, 0.5 * (1 + level));
    tp.m = &m;
    tp.t = &t;
    sh.quantile = tau_q_cb;
    sh.logdens = tau_ld_cb;
    sh.ctx = &tp;
    sh.level = level;
    sh.ga = sh.gb = 0;
    shortest_interval(&sh, 0, &r->tau.slb, &r->tau.sub);

    /* mu and theta_new, over the nodes that carry weight (those below 1e-18 add up to less
     * than 1e-15) */
    buf = malloc(7 * t.n * sizeof *buf);
    r->shrunk_mean = malloc(4 * k * sizeof *r->shrunk_mean);
    if (!buf || !r->shrunk_mean) {
        ma_bayes_free(r);
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    sd_pred = buf;
    cw = buf + 3 * t.n;
    cmu = cw + t.n;
    cvmu = cmu + t.n;
    ctau = cvmu + t.n;
    for (j = 0, nc = 0; j < t.n; j++)
        if (t.w[j] > 1e-18) {
            cw[nc] = t.w[j];
            cmu[nc] = t.mu[j];
            cvmu[nc] = t.vmu[j];
            ctau[nc] = t.tau[j];
            nc++;
        }
    for (j = 0; j < nc; j++)
        sd_pred[j] = sqrt(cvmu[j]);
    mx.n = nc;
    mx.w = cw;
    mx.m = cmu;
    mx.s = sd_pred;
    mix_summary(&mx, level, &r->mu, mom_mu);
    mix_eval(&mx, 0, NULL, &r->mu_p_gt0, NULL);
    mix_eval(&mx, o->margin, NULL, &r->mu_p_gt_margin, NULL);
    for (j = 0; j < nc; j++)
        sd_pred[j] = sqrt(cvmu[j] + ctau[j] * ctau[j]);
    mix_summary(&mx, level, &r->theta, mom_theta);

    /* each study's own effect: its moments always exist (B_i -> 0 as tau grows) */
    r->shrunk_sd = r->shrunk_mean + k;
    r->shrunk_lb = r->shrunk_sd + k;
    r->shrunk_ub = r->shrunk_lb + k;
    {
        double *mi = buf + t.n, *si = buf + 2 * t.n;
        double zq = gsl_cdf_ugaussian_Qinv(0.5 * (1 - level)); /* normal start */
        mix_t ms = {nc, cw, mi, si};
        for (i = 0; i < k; i++) {
            double mean, sd;
            for (j = 0; j < nc; j++) {
                double t2 = ctau[j] * ctau[j], bsh = vi[i] / (vi[i] + t2);
                mi[j] = (1 - bsh) * yi[i] + bsh * cmu[j];
                si[j] = sqrt(vi[i] * (1 - bsh) + bsh * bsh * cvmu[j]);
            }
            mix_moments(&ms, &mean, &sd);
            r->shrunk_mean[i] = mean;
            r->shrunk_sd[i] = sd;
            /* Newton from the normal start: a last step below 1e-10 leaves an error of
             * about its square */
            r->shrunk_lb[i] = mix_quantile_impl(&ms, 0.5 * (1 - level), mean - zq * sd, 1e-10);
            r->shrunk_ub[i] = mix_quantile_impl(&ms, 0.5 * (1 + level), mean + zq * sd, 1e-10);
        }
    }
    st = MA_OK;
done:
    free(buf);
    nodes_free(&t);
    free(m.w);
    return st;
}
