/* The fields of an evidence question shared by the records of `iastm evidence` and
 * `iastm claims`. */
#ifndef IASTM_EVIDENCE_CLI_H
#define IASTM_EVIDENCE_CLI_H

#include "cli.h"
#include "iastm/evidence.h"

/* The counts, the pooled fit (NaN when not pooled) and the certainty of one question;
 * pval only when asked (cmd_evidence.c). */
void cli_evidence_fields(ma_writer_t *w, const ma_evidence_t *e, int pval);

#endif
