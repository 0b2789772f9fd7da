/* Leave-one-out analysis: the model refitted with each study removed in turn, as metafor's
 * leave1out() for models without moderators. */
#ifndef IASTM_LOO_H
#define IASTM_LOO_H

#include <stddef.h>
#include "error.h"
#include "rma.h"

/* out[i] (k entries, allocated by the caller) is the fit without study i (0-based), with
 * the options `o` (NULL: defaults). A refit that fails leaves out[i] with NaN numbers,
 * converged = 0 and the reason in out[i].note; the others are still computed.
 * Needs k >= 2 (MA_EINPUT otherwise); O(k) work per refit. */
ma_status_t ma_loo(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                   ma_rma_t *out, ma_error_t *err);

/* What the refits say: the smallest and largest estimate without one study (indices into
 * the k refits; NaN estimates never chosen unless all are NaN, then 0), and whether the
 * test at level alpha changes: changes[i] = 1 when refit i is significant at alpha and the
 * full fit is not, or the other way round (a NaN p-value changes nothing). Returns the
 * number of refits that change the test. */
typedef struct {
    size_t lowest, highest;
} ma_loo_range_t;

size_t ma_loo_summary(const ma_rma_t *full, const ma_rma_t *fits, size_t k, double alpha,
                      ma_loo_range_t *range, unsigned char *changes);

#endif
