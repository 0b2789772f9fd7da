/* Random numbers for resampling (permutation tests, GOSH subsets, bootstrap). */
#ifndef IASTM_RNG_H
#define IASTM_RNG_H

#include <stdint.h>

/* Counter-based random numbers for resampling: stream `stream` of `seed` (one stream per
 * replicate, so results do not depend on the number of threads). SplitMix64 (Steele, Lea
 * and Flood 2014) started at a hash of (seed, stream). */
typedef struct {
    uint64_t s;
} ma_rng_t;

void ma_rng_init(ma_rng_t *r, uint64_t seed, uint64_t stream);
uint64_t ma_rng_u64(ma_rng_t *r);
double ma_rng_uniform(ma_rng_t *r);            /* (0, 1) */
uint64_t ma_rng_below(ma_rng_t *r, uint64_t n); /* uniform on [0, n), unbiased; n >= 1 */
double ma_rng_normal(ma_rng_t *r);             /* standard normal (inverse CDF) */
uint64_t ma_hash64(uint64_t x);                /* SplitMix64 finaliser */

#endif
