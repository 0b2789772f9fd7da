/* Counter-based random streams: SplitMix64 started at a hash of (seed, stream). */
#include "rng.h"

#include <gsl/gsl_cdf.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL

uint64_t ma_hash64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void ma_rng_init(ma_rng_t *r, uint64_t seed, uint64_t stream)
{
    /* Two rounds of the finaliser decorrelate neighbouring seeds and streams. */
    r->s = ma_hash64(ma_hash64(seed + GOLDEN) ^ (stream * 0xd1b54a32d192ed03ULL + GOLDEN));
}

uint64_t ma_rng_u64(ma_rng_t *r)
{
    return ma_hash64(r->s += GOLDEN);
}

double ma_rng_uniform(ma_rng_t *r)
{
    return ((double)(ma_rng_u64(r) >> 11) + 0.5) / 9007199254740992.0;
}

uint64_t ma_rng_below(ma_rng_t *r, uint64_t n)
{
    /* Rejection of the incomplete top range keeps every value equally likely; a draw is
     * rejected with probability below 1/2, so 128 rejections in a row (2^-128) end it. */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    int tries = 0;
    do
        x = ma_rng_u64(r);
    while (x >= lim && ++tries < 128);
    return x % n;
}

double ma_rng_normal(ma_rng_t *r)
{
    return gsl_cdf_ugaussian_Pinv(ma_rng_uniform(r));
}
