/* Private to the sensitivity code (loo.c, cumul.c, influence.c, bias.c). */
#ifndef IASTM_SENS_INTERNAL_H
#define IASTM_SENS_INTERNAL_H

#include <stddef.h>
#include "iastm/rma.h"

/* Mark a refit that could not be made: NaN numbers, converged = 0, the reason in note. */
void ma_rma_mark_failed(ma_rma_t *r, size_t k, const ma_rma_opts_t *o, const ma_error_t *e);

/* 1 when a refit error is fatal for the whole analysis (memory, bad options or data). */
int ma_refit_fatal(const ma_error_t *e);

#endif
