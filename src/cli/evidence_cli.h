/* What `iastm evidence` and `iastm claims` print alike: the fields of an evidence
 * question in records, an estimate with its CI in text. */
#ifndef IASTM_EVIDENCE_CLI_H
#define IASTM_EVIDENCE_CLI_H

#include "cli.h"
#include "iastm/evidence.h"

/* The counts, the pooled fit (NaN when not pooled) and the certainty of one question;
 * pval only when asked (cmd_evidence.c). */
void cli_evidence_fields(ma_writer_t *w, const ma_evidence_t *e, int pval);

/* "0.76 [0.27, 1.25]" at the run's digits, into buf (returned). */
const char *cli_est_ci(char *buf, size_t n, double est, double lb, double ub);

#endif
