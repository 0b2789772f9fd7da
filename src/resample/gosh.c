/* GOSH (Olkin, Dahabreh and Trikalinos 2012) as metafor's gosh(): fits of all 2^k - 1
 * subsets, or of random ones.
 *
 * All subsets, FE and DL: the studies are split into a low and a high half; tables of the
 * sums (sum w, sum w y, sum w y^2, sum w^2; w = 1/v) over every subset of each half are
 * built once, and a subset's sums are one table entry of each half added: O(1) per subset,
 * no drift (every sum has at most one rounding more than direct summation), and the
 * subsets come in bitmask order, so each thread takes a contiguous range of high halves.
 * y is centred on the common-effect estimate of all studies, which keeps
 * Q = sum w y^2 - (sum w y)^2 / sum w free of cancellation. The DL random-effects estimate
 * needs sum 1/(v + tau2) over the members: O(m), only for subsets with tau2 > 0. */
#include "iastm/gosh.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/quantile.h"
#include "core/rng.h"
#include "model/rma_internal.h"

const double ma_gosh_probs[MA_GOSH_NQ] = {0, 0.025, 0.25, 0.5, 0.75, 0.975, 1};

#define EXACT_DEFAULT_K 30          /* all subsets by default up to k = 30 */
#define RANDOM_DEFAULT 1000000ULL   /* metafor's number of random subsets */
#define EXACT_MAX_K 48              /* tables of 2^24 entries per half at most */

void ma_gosh_opts_init(ma_gosh_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->method = MA_METHOD_REML; /* the pooling default, as iastm pool and metafor rma */
    o->seed = 1;
    o->q_cap = 1ULL << 25;
    ma_rma_opts_init(&o->rma);
    o->rma.tau2_ci = 0;
    ma_run_opts_init(&o->run);
}

ma_status_t ma_gosh_grid_init(ma_gosh_grid_t *g, size_t nx, size_t ny, size_t max_points,
                              ma_error_t *err)
{
    memset(g, 0, sizeof *g);
    if (nx == 0 || ny == 0)
        return ma_error_set(err, MA_EUSAGE, "a GOSH grid needs at least one bin");
    g->nx = nx;
    g->ny = ny;
    g->max_points = max_points;
    if (!(g->count = calloc(nx * ny, sizeof *g->count)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    return MA_OK;
}

void ma_gosh_grid_free(ma_gosh_grid_t *g)
{
    free(g->count);
    free(g->px);
    free(g->py);
    memset(g, 0, sizeof *g);
}

typedef struct {
    double sw, swy, swy2, sw2;
    int m;
} sums_t;

typedef struct {
    double *v;
    uint64_t n, cap;
} vec_t;

static int vec_push(vec_t *a, double x)
{
    if (a->n == a->cap) {
        uint64_t cap = a->cap ? 2 * a->cap : 1024;
        double *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return 0;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 1;
}

static int vec_reserve(vec_t *a, uint64_t cap)
{
    double *v;
    if (cap <= a->cap)
        return 1;
    if (!(v = realloc(a->v, cap * sizeof *v)))
        return 0;
    a->v = v;
    a->cap = cap;
    return 1;
}

/* Per-thread results. */
typedef struct {
    ma_acc_t s_est, s_I2, s_H2, s_tau2, s_Q, s_k;
    double b_est, b_I2, b_H2, b_tau2, b_Q, b_k; /* plain sums of the current block */
    uint64_t n, failed;
    vec_t q[MA_GOSH_NQTY];
    FILE *out;        /* --all rows of this thread */
    int own_out;      /* out is a temporary file */
    int io_error, nomem;
    double *yb, *vb;  /* members for the full fits */
    uint64_t *grid;   /* this thread's grid counts (opts grid) */
    vec_t px, py;     /* this thread's points */
    char *mask_str;   /* k + 1 */
} tstate_t;

typedef struct {
    const ma_gosh_opts_t *o;
    ma_rma_opts_t rma;     /* options of the full fits (method set) */
    const double *yi, *vi; /* as given */
    double *yc, *w;        /* centred y, 1/v */
    double c;              /* centre */
    size_t k;
    int exact;
    uint64_t nsub;         /* subsets to fit */
    unsigned L;            /* low half: studies 0..L-1 */
    sums_t *lo, *hi;
    unsigned keep_shift;   /* keep quantile values of 1 in 2^keep_shift subsets */
    tstate_t *ts;
} ctx_t;

typedef struct {
    double est, I2, H2, tau2, Q;
    int m;
} fit_t;

/* Closed forms of metafor's gosh for FE and DL from the subset's sums. */
static void fit_sums(const ctx_t *c, double sw, double swy, double swy2, double sw2, int m,
                     uint64_t bits, fit_t *f)
{
    double mu = swy / sw;
    f->m = m;
    f->tau2 = 0;
    if (m == 1) {
        f->est = c->c + mu;
        f->Q = 0;
        f->I2 = 0;
        f->H2 = 1;
        return;
    }
    f->Q = swy2 - swy * mu;
    if (f->Q < 0)
        f->Q = 0;
    f->I2 = f->Q > 0 ? 100 * (f->Q - (m - 1)) / f->Q : 0;
    if (f->I2 < 0)
        f->I2 = 0;
    f->H2 = f->Q / (m - 1);
    f->est = c->c + mu;
    if (c->o->method == MA_METHOD_DL && f->Q > m - 1) {
        double a = 0, b = 0, t;
        f->tau2 = (f->Q - (m - 1)) / (sw - sw2 / sw);
        t = f->tau2;
        while (bits) {
            int i = __builtin_ctzll(bits);
            double wi = 1 / (c->vi[i] + t);
            bits &= bits - 1;
            a += wi;
            b += wi * c->yc[i];
        }
        f->est = c->c + b / a;
    }
}

/* The same from the members directly (random subsets, k > 64): two passes as metafor. */
static void fit_direct(const ctx_t *c, const size_t *mem, int m, fit_t *f)
{
    double sw = 0, swy = 0, sw2 = 0, mu, Q = 0;
    int j;
    f->m = m;
    f->tau2 = 0;
    for (j = 0; j < m; j++) {
        double w = c->w[mem[j]];
        sw += w;
        swy += w * c->yc[mem[j]];
        sw2 += w * w;
    }
    mu = swy / sw;
    f->est = c->c + mu;
    if (m == 1) {
        f->Q = 0;
        f->I2 = 0;
        f->H2 = 1;
        return;
    }
    for (j = 0; j < m; j++) {
        double r = c->yc[mem[j]] - mu;
        Q += c->w[mem[j]] * r * r;
    }
    f->Q = Q;
    f->I2 = Q > 0 ? 100 * (Q - (m - 1)) / Q : 0;
    if (f->I2 < 0)
        f->I2 = 0;
    f->H2 = Q / (m - 1);
    if (c->o->method == MA_METHOD_DL && Q > m - 1) {
        double a = 0, b = 0;
        f->tau2 = (Q - (m - 1)) / (sw - sw2 / sw);
        for (j = 0; j < m; j++) {
            double wi = 1 / (c->vi[mem[j]] + f->tau2);
            a += wi;
            b += wi * c->yc[mem[j]];
        }
        f->est = c->c + b / a;
    }
}

/* Any other method: a full fit of the members (metafor refits with rma.uni). Returns 0
 * when the fit fails. */
static int fit_full(const ctx_t *c, tstate_t *s, const size_t *mem, int m, fit_t *f)
{
    ma_rma_t r;
    ma_error_t e;
    int j;
    f->m = m;
    if (m == 1) {
        f->est = c->yi[mem[0]];
        f->Q = 0;
        f->I2 = 0;
        f->H2 = 1;
        f->tau2 = 0;
        return 1;
    }
    for (j = 0; j < m; j++) {
        s->yb[j] = c->yi[mem[j]];
        s->vb[j] = c->vi[mem[j]];
    }
    if (ma_rma_fit(s->yb, s->vb, (size_t)m, &c->rma, &r, &e) != MA_OK)
        return 0;
    f->est = r.estimate;
    f->Q = r.Q;
    f->I2 = r.I2;
    f->H2 = r.H2;
    f->tau2 = r.tau2;
    return 1;
}

static void flush_block(tstate_t *s)
{
    ma_acc_add(&s->s_est, s->b_est);
    ma_acc_add(&s->s_I2, s->b_I2);
    ma_acc_add(&s->s_H2, s->b_H2);
    ma_acc_add(&s->s_tau2, s->b_tau2);
    ma_acc_add(&s->s_Q, s->b_Q);
    ma_acc_add(&s->s_k, s->b_k);
    s->b_est = s->b_I2 = s->b_H2 = s->b_tau2 = s->b_Q = s->b_k = 0;
}

static void write_row(const ctx_t *c, tstate_t *s, const fit_t *f, int ok)
{
    if (ok)
        fprintf(s->out, "%s,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%s\n", s->mask_str, f->m, f->est,
                f->I2, f->H2, f->tau2, f->Q, ma_method_name(c->rma.method));
    else
        fprintf(s->out, "%s,%d,NA,NA,NA,NA,NA,%s\n", s->mask_str, f->m,
                ma_method_name(c->rma.method));
}

/* Bin one subset into the thread's grid (and keep the pair when few subsets). */
static void bin(const ctx_t *c, tstate_t *s, const fit_t *f)
{
    const ma_gosh_grid_t *g = c->o->grid;
    double fx = (f->est - g->x_lo) / (g->x_hi - g->x_lo) * (double)g->nx;
    double fy = f->I2 / 100 * (double)g->ny;
    size_t ix, iy;
    if (isnan(fx) || isnan(fy)) /* before the conversions: NaN has no size_t */
        return;
    ix = fx <= 0 ? 0 : fx >= (double)g->nx ? g->nx - 1 : (size_t)fx;
    iy = fy <= 0 ? 0 : fy >= (double)g->ny ? g->ny - 1 : (size_t)fy;
    s->grid[iy * g->nx + ix]++;
    if (c->nsub <= g->max_points && (!vec_push(&s->px, f->est) || !vec_push(&s->py, f->I2)))
        s->nomem = 1;
}

/* Record one subset; `key` picks the quantile sample. */
static void emit(const ctx_t *c, tstate_t *s, const fit_t *f, int ok, uint64_t key)
{
    if (s->out)
        write_row(c, s, f, ok);
    if (!ok) {
        s->failed++;
        return;
    }
    if (s->grid)
        bin(c, s, f);
    s->n++;
    s->b_est += f->est;
    s->b_I2 += f->I2;
    s->b_H2 += f->H2;
    s->b_tau2 += f->tau2;
    s->b_Q += f->Q;
    s->b_k += f->m;
    if (c->keep_shift == 0 || (ma_hash64(key) >> (64 - c->keep_shift)) == 0) {
        if (!vec_push(&s->q[MA_GOSH_EST], f->est) || !vec_push(&s->q[MA_GOSH_I2], f->I2) ||
            !vec_push(&s->q[MA_GOSH_TAU2], f->tau2))
            s->nomem = 1;
    }
}

static void mask_string(const ctx_t *c, tstate_t *s, uint64_t bits)
{
    size_t i;
    for (i = 0; i < c->k; i++)
        s->mask_str[i] = (char)('0' + ((bits >> i) & 1));
    s->mask_str[c->k] = '\0';
}

static int closed_form(const ma_gosh_opts_t *o)
{
    return o->method == MA_METHOD_FE || o->method == MA_METHOD_DL;
}

/* All subsets: thread t takes a contiguous range of high halves. */
static ma_status_t work_exact(ctx_t *c, unsigned t, unsigned n, ma_progress_t *p)
{
    tstate_t *s = &c->ts[t];
    unsigned L = c->L;
    uint64_t nlo = 1ULL << L, nhi = 1ULL << (c->k - L), h0, h1, h, l;
    size_t mem[64];
    ma_block(nhi, t, n, &h0, &h1);
    if (c->keep_shift == 0) {
        uint64_t want = (h1 - h0) * nlo;
        int j;
        for (j = 0; j < MA_GOSH_NQTY; j++)
            if (!vec_reserve(&s->q[j], want))
                return MA_ENOMEM;
    }
    for (h = h0; h < h1; h++) {
        const sums_t H = c->hi[h];
        uint64_t hbits = h << L;
        if (ma_progress_cancelled(p))
            return MA_EINTR;
        for (l = (h == 0); l < nlo; l++) {
            const sums_t *Lo = &c->lo[l];
            uint64_t bits = hbits | l;
            fit_t f;
            int ok = 1;
            if (s->out)
                mask_string(c, s, bits);
            if (closed_form(c->o)) {
                fit_sums(c, H.sw + Lo->sw, H.swy + Lo->swy, H.swy2 + Lo->swy2,
                         H.sw2 + Lo->sw2, H.m + Lo->m, bits, &f);
            } else {
                int m = 0;
                uint64_t b = bits;
                while (b) {
                    mem[m++] = (size_t)__builtin_ctzll(b);
                    b &= b - 1;
                }
                ok = fit_full(c, s, mem, m, &f);
            }
            emit(c, s, &f, ok, bits);
        }
        flush_block(s);
        if (s->nomem)
            return MA_ENOMEM;
        if (s->out && ferror(s->out)) {
            s->io_error = 1;
            return MA_EIO;
        }
        ma_progress_add(p, nlo);
    }
    return MA_OK;
}

/* Random subsets: subset i is drawn from stream i, uniformly among the non-empty subsets
 * (the distribution of metafor's: size ~ binomial(k, 1/2) given >= 1, then uniform). */
static ma_status_t work_random(ctx_t *c, unsigned t, unsigned n, ma_progress_t *p)
{
    tstate_t *s = &c->ts[t];
    uint64_t i0, i1, i;
    size_t *mem = malloc(c->k * sizeof *mem), j;
    unsigned char *in = malloc(c->k);
    ma_status_t st = MA_OK;
    if (!mem || !in) {
        free(mem);
        free(in);
        return MA_ENOMEM;
    }
    ma_block(c->nsub, t, n, &i0, &i1);
    for (i = i0; i < i1; i++) {
        ma_rng_t rng;
        fit_t f;
        int m, ok = 1, tries;
        ma_rng_init(&rng, c->o->seed, i);
        tries = 0;
        do { /* an empty subset is drawn again: 2^-k each time, at most 64 times */
            uint64_t word = 0;
            m = 0;
            for (j = 0; j < c->k; j++) {
                if (j % 64 == 0)
                    word = ma_rng_u64(&rng);
                in[j] = (unsigned char)(word & 1);
                word >>= 1;
                if (in[j])
                    mem[m++] = j;
            }
        } while (m == 0 && ++tries < 64);
        if (m == 0) { /* 2^-64k: take one study, drawn uniformly */
            j = (size_t)ma_rng_below(&rng, c->k);
            in[j] = 1;
            mem[m++] = j;
        }
        if (s->out) {
            for (j = 0; j < c->k; j++)
                s->mask_str[j] = (char)('0' + in[j]);
            s->mask_str[c->k] = '\0';
        }
        if (closed_form(c->o))
            fit_direct(c, mem, m, &f);
        else
            ok = fit_full(c, s, mem, m, &f);
        emit(c, s, &f, ok, i);
        if ((i - i0) % 4096 == 4095 || i + 1 == i1) {
            flush_block(s);
            ma_progress_add(p, (i - i0) % 4096 + 1);
            if (s->nomem) {
                st = MA_ENOMEM;
                break;
            }
            if (s->out && ferror(s->out)) {
                s->io_error = 1;
                st = MA_EIO;
                break;
            }
            if (ma_progress_cancelled(p)) {
                st = MA_EINTR;
                break;
            }
        }
    }
    free(mem);
    free(in);
    return st;
}

static ma_status_t worker(void *vctx, unsigned t, unsigned n, ma_progress_t *p)
{
    ctx_t *c = vctx;
    return c->exact ? work_exact(c, t, n, p) : work_random(c, t, n, p);
}

/* Sums over every subset of studies off..off+nb-1: entry b adds the lowest member of b to
 * the entry without it. */
static void build_table(const ctx_t *c, size_t off, unsigned nb, sums_t *tab)
{
    uint64_t b, size = 1ULL << nb;
    tab[0] = (sums_t){0, 0, 0, 0, 0};
    for (b = 1; b < size; b++) {
        int i = __builtin_ctzll(b);
        const sums_t *prev = &tab[b & (b - 1)];
        double w = c->w[off + (size_t)i], y = c->yc[off + (size_t)i];
        tab[b].sw = prev->sw + w;
        tab[b].swy = prev->swy + w * y;
        tab[b].swy2 = prev->swy2 + w * y * y;
        tab[b].sw2 = prev->sw2 + w * w;
        tab[b].m = prev->m + 1;
    }
}

typedef struct {
    vec_t *v[MA_GOSH_NQTY];
    ma_gosh_t *r;
} qctx_t;

static ma_status_t q_worker(void *vctx, unsigned t, unsigned n, ma_progress_t *p)
{
    qctx_t *q = vctx;
    unsigned j;
    (void)p;
    for (j = t; j < MA_GOSH_NQTY; j += n)
        ma_quantiles(q->v[j]->v, q->v[j]->n, ma_gosh_probs, MA_GOSH_NQ, q->r->q[j]);
    return MA_OK;
}

static ma_status_t copy_file(FILE *from, FILE *to)
{
    char buf[1 << 16];
    size_t nr;
    rewind(from);
    while ((nr = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, nr, to) != nr)
            return MA_EIO;
    return ferror(from) ? MA_EIO : MA_OK;
}

ma_status_t ma_gosh(const double *yi, const double *vi, size_t k, const ma_gosh_opts_t *o,
                    ma_gosh_t *r, ma_error_t *err)
{
    ctx_t c;
    ma_status_t st = MA_OK;
    unsigned nt = 0, t, maxt;
    uint64_t total_q = 0, full = 0;
    size_t i;
    double sw = 0, swy = 0;
    int j;

    memset(r, 0, sizeof *r);
    memset(&c, 0, sizeof c);
    if (k < 2)
        return ma_error_set(err, MA_EINPUT, "GOSH needs at least 2 studies (k = %zu)", k);
    for (i = 0; i < k; i++)
        if ((st = ma_check_study(yi, vi, i, err)) != MA_OK)
            return st;
    if (k <= 62)
        full = (1ULL << k) - 1;
    if (o->subsets == 0) /* a full fit per subset: metafor's rule with its 10^6 */
        c.exact = closed_form(o) ? k <= EXACT_DEFAULT_K : full <= RANDOM_DEFAULT;
    else
        c.exact = k <= 62 && full <= o->subsets;
    if (c.exact && k > EXACT_MAX_K)
        return ma_error_set(err, MA_EUSAGE, "all subsets of k = %zu studies are too many", k);
    c.nsub = c.exact ? full : (o->subsets ? o->subsets : RANDOM_DEFAULT);
    c.o = o;
    c.rma = o->rma;
    c.rma.method = o->method;
    c.rma.tau2_ci = 0;
    c.yi = yi;
    c.vi = vi;
    c.k = k;
    c.yc = malloc(k * sizeof *c.yc);
    c.w = malloc(k * sizeof *c.w);
    if (!c.yc || !c.w) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < k; i++) {
        c.w[i] = 1 / vi[i];
        sw += c.w[i];
        swy += c.w[i] * yi[i];
    }
    c.c = swy / sw;
    for (i = 0; i < k; i++)
        c.yc[i] = yi[i] - c.c;
    if (o->grid) {
        double lo = yi[0], hi = yi[0];
        for (i = 1; i < k; i++) {
            lo = yi[i] < lo ? yi[i] : lo;
            hi = yi[i] > hi ? yi[i] : hi;
        }
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        o->grid->x_lo = lo;
        o->grid->x_hi = hi;
    }
    while (o->q_cap > 0 && (c.nsub >> c.keep_shift) > o->q_cap)
        c.keep_shift++;
    if (c.exact) {
        c.L = (unsigned)(k / 2);
        c.lo = malloc(((size_t)1 << c.L) * sizeof *c.lo);
        c.hi = malloc(((size_t)1 << (k - c.L)) * sizeof *c.hi);
        if (!c.lo || !c.hi) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        build_table(&c, 0, c.L, c.lo);
        build_table(&c, c.L, (unsigned)(k - c.L), c.hi);
        maxt = (unsigned)((1ULL << (k - c.L)) < 4096 ? (1ULL << (k - c.L)) : 4096);
    } else {
        maxt = (unsigned)(c.nsub < 4096 ? c.nsub : 4096);
    }
    nt = ma_run_threads(&o->run, maxt);
    c.ts = calloc(nt, sizeof *c.ts);
    if (!c.ts) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (t = 0; t < nt; t++) {
        tstate_t *s = &c.ts[t];
        s->yb = malloc(k * sizeof *s->yb);
        s->vb = malloc(k * sizeof *s->vb);
        s->mask_str = malloc(k + 1);
        if (o->grid && !(s->grid = calloc(o->grid->nx * o->grid->ny, sizeof *s->grid))) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        if (!s->yb || !s->vb || !s->mask_str) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        if (o->all) {
            if (t == 0) {
                s->out = o->all;
            } else if (!(s->out = tmpfile())) {
                st = ma_error_set(err, MA_EIO, "cannot create a temporary file for --all");
                goto done;
            } else {
                s->own_out = 1;
            }
        }
    }
    if (o->all && fprintf(o->all, "subset,k,estimate,I2,H2,tau2,Q,method\n") < 0) {
        st = ma_error_set(err, MA_EIO, "cannot write the subsets file");
        goto done;
    }
    {
        ma_run_opts_t run = o->run;
        run.threads = nt;
        st = ma_run_parallel(&run, nt, "gosh", c.nsub, worker, &c, &r->threads, err);
    }
    if (st == MA_ENOMEM)
        ma_error_set(err, st, "out of memory");
    if (st == MA_EIO)
        ma_error_set(err, st, "cannot write the subsets file");
    if (st != MA_OK)
        goto done;
    for (t = 1; t < nt && o->all; t++)
        if (copy_file(c.ts[t].out, o->all) != MA_OK || ferror(o->all)) {
            st = ma_error_set(err, MA_EIO, "cannot write the subsets file");
            goto done;
        }

    /* Combine the threads' compensated sums in thread order (deterministic for a given
     * number of threads; the sums agree to rounding across thread counts). */
    {
        ma_acc_t a[6];
        memset(a, 0, sizeof a);
        for (t = 0; t < nt; t++) {
            tstate_t *s = &c.ts[t];
            ma_acc_add(&a[0], ma_acc_get(&s->s_est));
            ma_acc_add(&a[1], ma_acc_get(&s->s_I2));
            ma_acc_add(&a[2], ma_acc_get(&s->s_H2));
            ma_acc_add(&a[3], ma_acc_get(&s->s_tau2));
            ma_acc_add(&a[4], ma_acc_get(&s->s_Q));
            ma_acc_add(&a[5], ma_acc_get(&s->s_k));
            r->subsets += s->n + s->failed;
            r->failed += s->failed;
            total_q += s->q[0].n;
        }
        {
            double nfit = (double)(r->subsets - r->failed);
            r->mean_estimate = ma_acc_get(&a[0]) / nfit;
            r->mean_I2 = ma_acc_get(&a[1]) / nfit;
            r->mean_H2 = ma_acc_get(&a[2]) / nfit;
            r->mean_tau2 = ma_acc_get(&a[3]) / nfit;
            r->mean_Q = ma_acc_get(&a[4]) / nfit;
            r->mean_k = ma_acc_get(&a[5]) / nfit;
        }
    }
    /* the threads' grids and points, in thread order (bitmask order for all subsets) */
    if (o->grid) {
        ma_gosh_grid_t *g = o->grid;
        size_t np = 0, n = g->nx * g->ny, b;
        for (t = 0; t < nt; t++) {
            for (b = 0; b < n; b++)
                g->count[b] += c.ts[t].grid[b];
            np += c.ts[t].px.n;
        }
        if (np && c.nsub <= g->max_points) {
            if (!(g->px = malloc(np * sizeof *g->px)) || !(g->py = malloc(np * sizeof *g->py))) {
                st = ma_error_set(err, MA_ENOMEM, "out of memory");
                goto done;
            }
            for (t = 0; t < nt; t++) {
                memcpy(g->px + g->np, c.ts[t].px.v, c.ts[t].px.n * sizeof *g->px);
                memcpy(g->py + g->np, c.ts[t].py.v, c.ts[t].py.n * sizeof *g->py);
                g->np += c.ts[t].px.n;
            }
        }
    }
    r->k = k;
    r->method = o->method;
    r->exact = c.exact;
    r->q_n = total_q;
    r->q_sampled = c.keep_shift > 0;

    /* Quantiles: gather each quantity into thread 0's array (realloc of a large block
     * grows it in place where it can), then one selection per quantity, in parallel. */
    for (j = 0; j < MA_GOSH_NQTY; j++) {
        vec_t *a = &c.ts[0].q[j];
        if (!vec_reserve(a, total_q > 0 ? total_q : 1)) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory (quantiles)");
            goto done;
        }
        for (t = 1; t < nt; t++) {
            vec_t *b = &c.ts[t].q[j];
            if (b->n)
                memcpy(a->v + a->n, b->v, b->n * sizeof *b->v);
            a->n += b->n;
            free(b->v);
            b->v = NULL;
            b->n = b->cap = 0;
        }
    }
    {
        qctx_t q;
        ma_run_opts_t run = o->run;
        run.progress = NULL;
        for (j = 0; j < MA_GOSH_NQTY; j++)
            q.v[j] = &c.ts[0].q[j];
        q.r = r;
        ma_run_parallel(&run, MA_GOSH_NQTY, "quantiles", 0, q_worker, &q, NULL, NULL);
    }

done:
    if (c.ts) {
        for (t = 0; t < nt; t++) {
            tstate_t *s = &c.ts[t];
            for (j = 0; j < MA_GOSH_NQTY; j++)
                free(s->q[j].v);
            if (s->own_out)
                fclose(s->out);
            free(s->yb);
            free(s->vb);
            free(s->mask_str);
            free(s->grid);
            free(s->px.v);
            free(s->py.v);
        }
        free(c.ts);
    }
    free(c.lo);
    free(c.hi);
    free(c.yc);
    free(c.w);
    return st;
}
