/* Private to the evidence and claims modules. */
#ifndef IASTM_EVIDENCE_INTERNAL_H
#define IASTM_EVIDENCE_INTERNAL_H

#include "iastm/evidence.h"

/* Apply the certainty rules to an assessed question. */
void ma_grade_rate(const ma_evidence_t *e, const ma_dataset_t *d, ma_grade_t *g);

/* Rate an assessed question down one more level for indirectness (`why` in words). */
void ma_grade_indirect(ma_grade_t *g, const char *why);

/* The pooled rows of e that drop does not mark (drop NULL: all of them), in e's order, as
 * yi and vi (one allocation: the caller frees *yi), the number of distinct trials among
 * them, and added to *dropped the pooled rows drop marks. */
ma_status_t ma_evidence_pooled_rows(const ma_dataset_t *d, const ma_evidence_t *e,
                                    const unsigned char *drop, double **yi, double **vi,
                                    size_t *k, size_t *trials, size_t *dropped,
                                    ma_error_t *err);

/* p-value of Egger's test as metafor's regtest() of the question's model `o` (model
 * "rma": the meta-regression on the standard errors with o's method and test); NaN when
 * it cannot be computed. */
double ma_evidence_egger_p(const double *yi, const double *vi, size_t k,
                           const ma_rma_opts_t *o);

#endif
