/* Sample quantiles of large arrays without a full sort. */
#ifndef IASTM_QUANTILE_H
#define IASTM_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

/* Quantiles of x[0..n) at probabilities p[0..np) (ascending, in [0, 1]) as R's
 * quantile(type = 7): h = (n-1) p, g = h - floor h, (1-g) x(floor h) + g x(floor h + 1).
 * x is reordered (multiple selection, O(n log np)); NaN values must be removed first.
 * n = 0 gives NaN. */
void ma_quantiles(double *x, uint64_t n, const double *p, size_t np, double *out);

#endif
