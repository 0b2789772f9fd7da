/* Type-7 quantiles by multiple selection: one partition step serves every requested order
 * statistic on its side, so a few quantiles of 10^8 values cost a few passes, not a sort. */
#include "quantile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Put the order statistics with ranks r[0..nr) (ascending) of x[lo..hi] in place. */
static void multiselect(double *x, uint64_t lo, uint64_t hi, const uint64_t *r, size_t nr)
{
    while (nr > 0 && lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2, i, j;
        double piv;
        size_t a, b;
        /* median of three as pivot, placed at lo */
        if (x[mid] < x[lo])
            swap(&x[mid], &x[lo]);
        if (x[hi] < x[lo])
            swap(&x[hi], &x[lo]);
        if (x[hi] < x[mid])
            swap(&x[hi], &x[mid]);
        swap(&x[lo], &x[mid]);
        piv = x[lo];
        /* Hoare partition: stops on equal keys, so runs of ties split evenly */
        i = lo;
        j = hi + 1;
        for (;;) {
            do
                i++;
            while (i <= hi && x[i] < piv);
            do
                j--;
            while (x[j] > piv);
            if (i >= j)
                break;
            swap(&x[i], &x[j]);
        }
        swap(&x[lo], &x[j]);
        /* x[lo..j-1] <= piv = x[j] <= x[j+1..hi] */
        for (a = 0; a < nr && r[a] < j; a++)
            ;
        for (b = a; b < nr && r[b] == j; b++)
            ;
        if (a > 0 && j > lo)
            multiselect(x, lo, j - 1, r, a);
        r += b;
        nr -= b;
        lo = j + 1;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sort_doubles(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Large arrays: brackets for every wanted rank from a pseudo-random sample, one pass to
 * count the values below each bracket and gather those inside, then selection within the
 * brackets only (Floyd and Rivest 1975). Returns 0 when a rank falls outside its bracket
 * or memory runs out; the caller then selects in the whole array. */
#define SAMPLE 32768
static int bracketed(const double *x, uint64_t n, const uint64_t *u, size_t nu, double *val)
{
    double *smp = malloc(SAMPLE * sizeof *smp), lo[64], hi[64];
    uint64_t gap[65], in[64], below[64], cap[64], i, z = 0x9e3779b97f4a7c15ULL;
    double *buf[64];
    size_t j, m = 0;
    int ok = 0;
    memset(buf, 0, sizeof buf);
    if (!smp || nu > 64)
        goto out;
    for (i = 0; i < SAMPLE; i++) {
        /* SplitMix64 positions: the arrays are often in a structured order */
        uint64_t h = (z += 0x9e3779b97f4a7c15ULL);
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
        smp[i] = x[(h ^ (h >> 31)) % n];
    }
    sort_doubles(smp, SAMPLE);
    /* one bracket per rank (3 binomial SDs of the sample rank, plus a margin), merged
     * where they overlap */
    for (j = 0; j < nu; j++) {
        double q = (double)u[j] / (double)n, rs = q * SAMPLE;
        double d = 3 * sqrt(SAMPLE * q * (1 - q)) + 16;
        double a = rs - d < 0 ? -HUGE_VAL : smp[(size_t)(rs - d)];
        double b = rs + d >= SAMPLE - 1 ? HUGE_VAL : smp[(size_t)(rs + d) + 1];
        if (m > 0 && a <= hi[m - 1]) {
            if (b > hi[m - 1])
                hi[m - 1] = b;
        } else {
            lo[m] = a;
            hi[m] = b;
            m++;
        }
    }
    memset(gap, 0, sizeof gap);
    memset(in, 0, sizeof in);
    for (j = 0; j < m; j++) {
        /* room for the share of the sample inside, with a margin; grown when short */
        size_t a = 0, cnt = 0;
        for (a = 0; a < SAMPLE; a++)
            cnt += smp[a] >= lo[j] && smp[a] <= hi[j];
        cap[j] = (uint64_t)((double)cnt / SAMPLE * (double)n * 1.25) + 4096;
        if (!(buf[j] = malloc(cap[j] * sizeof **buf)))
            goto out;
    }
    for (i = 0; i < n; i++) {
        /* branch-free: the bracket index is the number of lower ends <= x */
        double xi = x[i];
        size_t a = 0, c;
        for (c = 0; c < m; c++)
            a += lo[c] <= xi;
        if (a > 0 && xi <= hi[a - 1]) {
            if (in[a - 1] == cap[a - 1]) {
                double *nb = realloc(buf[a - 1], 2 * cap[a - 1] * sizeof *nb);
                if (!nb)
                    goto out;
                buf[a - 1] = nb;
                cap[a - 1] *= 2;
            }
            buf[a - 1][in[a - 1]++] = xi;
        } else {
            gap[a]++;
        }
    }
    for (j = 0; j < m; j++)
        below[j] = gap[j] + (j ? below[j - 1] + in[j - 1] : 0);
    for (j = 0; j < nu; j++) {
        size_t b;
        for (b = 0; b < m; b++)
            if (u[j] >= below[b] && u[j] < below[b] + in[b])
                break;
        if (b == m)
            goto out; /* outside every bracket: the sample misled us */
        {
            uint64_t r = u[j] - below[b];
            multiselect(buf[b], 0, in[b] - 1, &r, 1);
            val[j] = buf[b][r];
        }
    }
    ok = 1;
out:
    for (j = 0; j < m; j++)
        free(buf[j]);
    free(smp);
    return ok;
}

/* The order statistic of rank f: from val when it was found there, else x[f]. */
static double rank_value(const double *x, const uint64_t *u, const double *val, size_t nu,
                         uint64_t f)
{
    size_t i;
    if (val)
        for (i = 0; i < nu; i++)
            if (u[i] == f)
                return val[i];
    return x[f];
}

void ma_quantiles(double *x, uint64_t n, const double *p, size_t np, double *out)
{
    uint64_t *r, *u;
    double *val;
    size_t i, nr = 0, nu = 0;
    if (n == 0) {
        for (i = 0; i < np; i++)
            out[i] = NAN;
        return;
    }
    r = malloc(2 * np * sizeof *r);
    u = malloc(2 * np * sizeof *u);
    if (!r || !u) {
        free(r);
        free(u);
        for (i = 0; i < np; i++)
            out[i] = NAN;
        return;
    }
    for (i = 0; i < np; i++) {
        uint64_t f = (uint64_t)floor((double)(n - 1) * p[i]);
        r[nr++] = f;
        if (f + 1 < n)
            r[nr++] = f + 1;
    }
    qsort(r, nr, sizeof *r, cmp_u64);
    for (i = 0; i < nr; i++)
        if (nu == 0 || u[nu - 1] != r[i])
            u[nu++] = r[i];
    val = malloc(nu * sizeof *val);
    if (!val || n < 4 * SAMPLE || !bracketed(x, n, u, nu, val)) {
        multiselect(x, 0, n - 1, u, nu);
        for (i = 0; i < nu; i++)
            if (val)
                val[i] = x[u[i]];
    }
    for (i = 0; i < np; i++) {
        double h = (double)(n - 1) * p[i];
        uint64_t f = (uint64_t)floor(h);
        double lo = rank_value(x, u, val, nu, f), g = h - (double)f, hv;
        /* R: (1 - g) x[lo] + g x[hi], only where g > 0 and x[hi] != x[lo] */
        if (f + 1 < n && g > 0 && (hv = rank_value(x, u, val, nu, f + 1)) != lo)
            out[i] = (1 - g) * lo + g * hv;
        else
            out[i] = lo;
    }
    free(val);
    free(r);
    free(u);
}
