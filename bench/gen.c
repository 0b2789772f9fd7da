/* Benchmark data: `gen K SEED` writes K studies of random-effects data as CSV
 * "study,yi,vi" (mu = 0.3, tau2 = 0.05, vi uniform on [0.01, 0.21]). Deterministic for a
 * given SEED; standalone (no GSL). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

/* splitmix64 */
static uint64_t next_u64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* uniform on (0, 1) */
static double uniform(void)
{
    return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

/* standard normal, Box-Muller (draws sequenced: argument order is unspecified in C) */
static double normal(void)
{
    double u1 = uniform(), u2 = uniform();
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

static int parse_ull(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno == 0 && end != s && *end == '\0' && s[0] != '-';
}

int main(int argc, char **argv)
{
    unsigned long long k, seed, i;
    if (argc != 3 || !parse_ull(argv[1], &k) || !parse_ull(argv[2], &seed) || k == 0) {
        fprintf(stderr, "usage: gen K SEED   (K >= 1 studies, integer SEED)\n");
        return 2;
    }
    state = seed;
    if (printf("study,yi,vi\n") < 0)
        return 1;
    for (i = 0; i < k; i++) {
        double vi = 0.01 + 0.2 * uniform(), theta = 0.3 + sqrt(0.05) * normal();
        double yi = theta + sqrt(vi) * normal();
        if (printf("s%llu,%.12g,%.12g\n", i + 1, yi, vi) < 0)
            return 1;
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return 1;
    return 0;
}
