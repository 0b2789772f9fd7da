/* Summary of findings: the pooled evidence for one question (outcome x region x
 * comparator) with a GRADE-style certainty rating, and verdicts on clinical claims.
 * The rules are written out in analyses/README.md. */
#ifndef IASTM_EVIDENCE_H
#define IASTM_EVIDENCE_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"
#include "rma.h"

/* A question: rows whose columns outcome, region and comparator_class match; NULL or
 * "any" matches every value. A population narrows it further: `site` is one site or
 * several separated by '|' (column site), `condition` one condition code (column
 * condition_code); NULL, "" or "any" match every row. */
typedef struct {
    const char *outcome;
    const char *region;
    const char *comparator;
    const char *site;
    const char *condition;
} ma_question_t;

typedef enum {
    MA_CERT_NONE = 0, /* not rated (nothing pooled) */
    MA_CERT_VERY_LOW, MA_CERT_LOW, MA_CERT_MODERATE, MA_CERT_HIGH
} ma_certainty_t;

/* GRADE-style rating. Start high when every pooled trial is randomized, low when any is
 * not; rate down one level each for:
 *   risk of bias: a pooled trial's randomization unclear, or its risk_of_bias not low
 *     (high, some_concerns, or not assessed: unknown is not low risk);
 *   indirectness: numbers read from a secondary source (source_type secondary), and, for
 *     a claim, trials from another population than the claim's (claims.c);
 *   inconsistency: I2 > 50%, or a prediction interval crossing 0 while the CI does not;
 *   imprecision: a CI crossing 0; and again for fewer participants than the optimal
 *     information size (MA_OIS: 400, two arms of 200 detect an SMD of 0.28 with 80%
 *     power at two-sided alpha 0.05); a single trial never rates above low;
 *   suspected small-study effects: Egger p < 0.10 (metafor's regtest() default: the
 *     meta-regression of the effects on their standard errors with the question's model),
 *     assessed only with 10 or more trials.
 * Never below very low. */
#define MA_OIS 400
typedef struct {
    ma_certainty_t start, level;
    int down_risk_of_bias, down_indirectness, down_inconsistency, down_imprecision,
        down_small_study;
    char reasons[640]; /* "; "-separated reasons for each downgrade */
} ma_grade_t;

typedef struct {
    ma_question_t q;
    size_t nrows;        /* rows relevant to the question */
    size_t *rows;        /* their indices into the dataset's studies (owned) */
    size_t k;            /* rows pooled */
    size_t trials;       /* distinct studies among the pooled rows */
    double participants; /* sum of n1 + n2 over pooled rows (NaN when none known) */
    int fitted;          /* 1 when fit is set (k >= 1) */
    ma_rma_t fit;
    double egger_p;      /* NaN when not assessable (k < 10) */
    ma_grade_t grade;
} ma_evidence_t;

/* The model of a question or a claim unless the caller chooses another (Cochrane's 2025
 * methods): REML with the Hartung-Knapp-Sidik-Jonkman interval in its ad hoc form (SE
 * never below the z one, MA_TEST_ADHOC), the rest as ma_rma_opts_init. The evidence and
 * claims commands start from it; the primary method of ma_claim_check's methods[] is it. */
void ma_rma_opts_question_default(ma_rma_opts_t *o);

/* Pool the rows of `d` that answer `q` with options `o` and rate the certainty. */
ma_status_t ma_evidence_assess(const ma_dataset_t *d, const ma_question_t *q,
                               const ma_rma_opts_t *o, ma_evidence_t *e, ma_error_t *err);
void ma_evidence_clear(ma_evidence_t *e); /* frees rows; accepts a zeroed struct */

const char *ma_certainty_name(ma_certainty_t c); /* "high", ..., "not rated" */

/* Claims and verdicts. */
typedef enum {
    MA_VERDICT_SUPPORTED = 0, MA_VERDICT_NOT_SUPPORTED, MA_VERDICT_CONTRADICTED,
    MA_VERDICT_INSUFFICIENT
} ma_verdict_t;

typedef struct {
    const char *id, *claim;
    const char *outcome;
    const char *region;     /* spine, other, any, or spine_vs_other */
    const char *comparator; /* a comparator class or any */
    const char *expected;   /* favours_iastm, no_difference, spine_larger */
    const char *site;       /* population: site or sites ('|'), "" for any */
    const char *condition;  /* population: condition code, "" for any */
    const char *population; /* the population in words, "" when not given */
    long line;              /* source line in the claims file (0: not from a file) */
} ma_claim_t;

/* Read the claims of a claims table (data/README.md): columns claim_id, claim, outcome,
 * region, comparator_class and expected are required; site (sites of the trial schema,
 * several separated by '|'), condition (a condition code) and population (words) are
 * optional and may be empty; every cell of them is strict, as
 * in a trials file: claim_id and claim not empty, ids unique, outcome and comparator_class
 * from the trial schema (comparator also any), region spine, other, any or
 * spine_vs_other, expected favours_iastm, no_difference or spine_larger (spine_larger with
 * region spine_vs_other and only there). A value spelt otherwise ('Other') is an error
 * naming file, line, column and value (MA_EINPUT), never a claim about no trials. On
 * success *out is a new array of *n claims (free() it) whose strings point into `t`. */
ma_status_t ma_claims_read(const ma_table_t *t, ma_claim_t **out, size_t *n,
                           ma_error_t *err);

/* The same verdict computed four ways (Cochrane's 2025 methods first): REML with the
 * Hartung-Knapp-Sidik-Jonkman interval (ad hoc: its SE never below the z one), REML with
 * a Wald z interval, DL with a z interval (RevMan 5's default), and the Bayesian
 * normal-normal model with a half-normal(0.5) prior on tau and a flat prior on mu (the
 * central 95% credible interval of mu). */
typedef enum {
    MA_CLAIM_REML_HKSJ = 0, MA_CLAIM_REML_Z, MA_CLAIM_DL_Z, MA_CLAIM_BAYES, MA_CLAIM_NMETHODS
} ma_claim_method_t;

typedef struct {
    int ok;                    /* 1: computed */
    double estimate, lb, ub;   /* estimate (posterior median for Bayes) and its interval */
    ma_verdict_t verdict;
    char note[96];             /* why not computed, when !ok */
} ma_claim_alt_t;

const char *ma_claim_method_name(ma_claim_method_t m); /* "REML + HKSJ", ... */
const char *ma_claim_method_key(ma_claim_method_t m);  /* "reml_hksj", ... */

typedef enum {
    MA_ROBUST_NA = 0,   /* no pooled verdict (fewer than 2 trials, or no trial) */
    MA_ROBUST_YES,      /* every computed method gives the same verdict */
    MA_ROBUST_DEPENDS   /* the verdict depends on the method */
} ma_robustness_t;
const char *ma_robustness_name(ma_robustness_t r); /* "robust", "depends on the method",
                                                      "not applicable" */

typedef struct {
    ma_verdict_t verdict;
    char why[512];
    ma_evidence_t main;    /* the claim's question (region any for spine_vs_other) */
    ma_evidence_t spine, other; /* spine_vs_other only */
    double diff, diff_se, Q_between_p; /* spine - other and the test of the difference */
    int no_population;          /* 1: no row of the trials is in the claim's population */
    ma_evidence_t indirect;     /* then the nearest trials (fitted when any were poolable),
                                   rated down for indirectness */
    char indirect_scope[160];   /* the population they come from, in words */
    ma_claim_alt_t methods[MA_CLAIM_NMETHODS]; /* the verdict by each method */
    ma_robustness_t robustness;
    /* Sensitivity: the primary verdict without the rows a caller marks (the data audit's
     * flags), set by ma_claim_without; dropped = 0 when no pooled row was marked. */
    size_t dropped;
    ma_claim_alt_t without;
} ma_claim_result_t;

/* Verdict rules (margin: the smallest SMD that matters, default 0.5):
 *   no row in the claim's population (site, condition) -> insufficient evidence, with
 *     the nearest trials as indirect evidence: the same site with any condition, else the
 *     same region, else any region (the first of these with a poolable trial);
 *   fewer than 2 poolable trials (in either subgroup for spine_larger) -> insufficient;
 *   favours_iastm: CI above 0 -> supported; CI below 0 -> contradicted; else not supported;
 *   no_difference: CI within (-margin, margin) -> supported; CI excluding 0 ->
 *     contradicted; else not supported (the data cannot tell);
 *   spine_larger: spine - other > 0 with subgroup-difference p < 0.05 -> supported;
 *     < 0 with p < 0.05 -> contradicted; else not supported. */
/* `o` is the primary model (the verdict and `main`); the four methods of methods[] are
 * computed on the same rows whatever `o` says, and robustness compares their verdicts
 * (spine_larger: the Bayesian comparison of two subgroups is not computed, and the
 * three frequentist methods decide). */
ma_status_t ma_claim_check(const ma_dataset_t *d, const ma_claim_t *c, const ma_rma_opts_t *o,
                           double margin, ma_claim_result_t *r, ma_error_t *err);
void ma_claim_result_clear(ma_claim_result_t *r);

/* After ma_claim_check: the primary model and verdict again without the pooled rows whose
 * drop[i] is non-zero (i indexes the dataset's rows), into r->dropped and r->without
 * (without.ok = 0 and verdict insufficient when fewer than 2 trials remain). */
ma_status_t ma_claim_without(const ma_dataset_t *d, const ma_claim_t *c,
                             const ma_rma_opts_t *o, double margin,
                             const unsigned char *drop, ma_claim_result_t *r,
                             ma_error_t *err);
const char *ma_verdict_name(ma_verdict_t v); /* "supported", "not supported", ... */

#endif
