/* Summary of findings for one question: select rows, pool them (REML by default), count
 * trials and participants, and rate certainty with explicit GRADE-style rules. */
#include "iastm/evidence.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_internal.h"
#include "iastm/bias.h"

const char *ma_certainty_name(ma_certainty_t c)
{
    switch (c) {
    case MA_CERT_HIGH: return "high";
    case MA_CERT_MODERATE: return "moderate";
    case MA_CERT_LOW: return "low";
    case MA_CERT_VERY_LOW: return "very low";
    default: return "not rated";
    }
}

static int matches(const char *want, const char *have)
{
    return !want || !*want || !strcmp(want, "any") || !strcmp(want, have);
}

/* `want` is one value or several separated by '|'. */
static int matches_any(const char *want, const char *have)
{
    size_t n = strlen(have);
    const char *p;
    if (!want || !*want || !strcmp(want, "any"))
        return 1;
    for (p = want; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
        if (!strncmp(p, have, n) && (p[n] == '|' || p[n] == '\0'))
            return 1;
    return 0;
}

static void add_reason(ma_grade_t *g, const char *s)
{
    size_t n = strlen(g->reasons);
    snprintf(g->reasons + n, sizeof g->reasons - n, "%s%s", n ? "; " : "", s);
}

/* The rules of evidence.h, applied to a fitted question. */
void ma_grade_rate(const ma_evidence_t *e, const ma_dataset_t *d, ma_grade_t *g)
{
    size_t i, unclear = 0, nonrand = 0, rob_unknown = 0, rob_concerns = 0, secondary = 0;
    int level;
    char buf[200];
    memset(g, 0, sizeof *g);
    if (!e->fitted) {
        g->start = g->level = MA_CERT_NONE;
        add_reason(g, "nothing pooled");
        return;
    }
    for (i = 0; i < e->nrows; i++) {
        const ma_study_t *s = &d->s[e->rows[i]];
        const char *r, *rob;
        if (!s->included)
            continue;
        r = ma_dataset_cell(d, e->rows[i], "randomized");
        if (!strcmp(r, "no"))
            nonrand++;
        else if (strcmp(r, "yes") != 0)
            unclear++;
        rob = ma_dataset_cell(d, e->rows[i], "risk_of_bias");
        if (!*rob)
            rob_unknown++;
        else if (strcmp(rob, "low") != 0)
            rob_concerns++;
        if (!strcmp(ma_dataset_cell(d, e->rows[i], "source_type"), "secondary"))
            secondary++;
    }
    g->start = nonrand ? MA_CERT_LOW : MA_CERT_HIGH;
    level = (int)g->start;
    if (nonrand) {
        snprintf(buf, sizeof buf, "starts low: %zu non-randomized trial%s", nonrand,
                 nonrand == 1 ? "" : "s");
        add_reason(g, buf);
    }
    if (unclear || rob_unknown || rob_concerns) {
        size_t l;
        g->down_risk_of_bias = 1;
        snprintf(buf, sizeof buf, "risk of bias:");
        if (unclear) {
            l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, " allocation unclear in %zu trial%s%s", unclear,
                     unclear == 1 ? "" : "s", rob_unknown || rob_concerns ? "," : "");
        }
        if (rob_concerns) {
            l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, " some concerns or high in %zu row%s%s",
                     rob_concerns, rob_concerns == 1 ? "" : "s", rob_unknown ? "," : "");
        }
        if (rob_unknown) {
            l = strlen(buf);
            snprintf(buf + l, sizeof buf - l, " not assessed in %zu row%s (unknown is not low "
                     "risk)", rob_unknown, rob_unknown == 1 ? "" : "s");
        }
        add_reason(g, buf);
    }
    if (secondary) {
        g->down_indirectness = 1;
        snprintf(buf, sizeof buf, "indirectness: %zu row%s read from a secondary source",
                 secondary, secondary == 1 ? "" : "s");
        add_reason(g, buf);
    }
    /* A prediction interval crossing 0 signals inconsistency only when the CI does not:
     * otherwise it restates the imprecision rated below. */
    {
        int ci0 = e->fit.ci_lb < 0 && e->fit.ci_ub > 0;
        int pi0 = !isnan(e->fit.pi_lb) && e->fit.pi_lb < 0 && e->fit.pi_ub > 0 && !ci0;
        if (e->k >= 2 && (e->fit.I2 > 50 || pi0)) {
            g->down_inconsistency = 1;
            snprintf(buf, sizeof buf, "inconsistency: I2 = %.0f%%%s", e->fit.I2,
                     pi0 ? ", prediction interval crosses 0" : "");
            add_reason(g, buf);
        }
    }
    if (e->fit.ci_lb < 0 && e->fit.ci_ub > 0) {
        g->down_imprecision++;
        add_reason(g, "imprecision: CI crosses 0");
    }
    if (!(e->participants >= MA_OIS)) {
        g->down_imprecision++;
        if (isnan(e->participants))
            snprintf(buf, sizeof buf, "imprecision: participants unknown");
        else
            snprintf(buf, sizeof buf, "imprecision: %.0f participants, below the optimal "
                     "information size of %d (SMD 0.28, power 80%%)", e->participants, MA_OIS);
        add_reason(g, buf);
    }
    if (!isnan(e->egger_p) && e->egger_p < 0.10) {
        g->down_small_study = 1;
        snprintf(buf, sizeof buf, "small-study effects: Egger p = %.3f", e->egger_p);
        add_reason(g, buf);
    } else if (e->k < 10) {
        add_reason(g, "small-study effects not assessable (fewer than 10 trials)");
    }
    level -= g->down_risk_of_bias + g->down_indirectness + g->down_inconsistency +
             g->down_imprecision + g->down_small_study;
    if (e->trials == 1 && level > (int)MA_CERT_LOW) {
        level = MA_CERT_LOW;
        add_reason(g, "imprecision: a single trial rates low at most");
    }
    if (level < (int)MA_CERT_VERY_LOW)
        level = MA_CERT_VERY_LOW;
    g->level = (ma_certainty_t)level;
}

void ma_grade_indirect(ma_grade_t *g, const char *why)
{
    char buf[200];
    if (g->level == MA_CERT_NONE)
        return;
    g->down_indirectness++;
    snprintf(buf, sizeof buf, "indirectness: %s", why);
    add_reason(g, buf);
    if (g->level > MA_CERT_VERY_LOW)
        g->level = (ma_certainty_t)((int)g->level - 1);
}

void ma_rma_opts_question_default(ma_rma_opts_t *o)
{
    ma_rma_opts_init(o);
    o->method = MA_METHOD_REML;
    o->test = MA_TEST_ADHOC;
}

ma_status_t ma_evidence_assess(const ma_dataset_t *d, const ma_question_t *q,
                               const ma_rma_opts_t *o, ma_evidence_t *e, ma_error_t *err)
{
    size_t i, none = 0;
    double *yi = NULL, *vi;
    ma_status_t st = MA_OK;

    memset(e, 0, sizeof *e);
    e->q = *q;
    e->participants = NAN;
    e->egger_p = NAN;
    if (!(e->rows = malloc((d->n ? d->n : 1) * sizeof *e->rows))) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < d->n; i++) {
        const ma_study_t *s = &d->s[i];
        if (!matches(q->outcome, ma_dataset_cell(d, i, "outcome")) ||
            !matches(q->region, ma_dataset_cell(d, i, "region")) ||
            !matches(q->comparator, ma_dataset_cell(d, i, "comparator_class")) ||
            !matches_any(q->site, ma_dataset_cell(d, i, "site")) ||
            !matches(q->condition, ma_dataset_cell(d, i, "condition_code")))
            continue;
        e->rows[e->nrows++] = i;
        if (s->included && !isnan(ma_study_n(s)))
            e->participants = (isnan(e->participants) ? 0 : e->participants) + ma_study_n(s);
    }
    if ((st = ma_evidence_pooled_rows(d, e, NULL, &yi, &vi, &e->k, &e->trials, &none,
                                      err)) != MA_OK)
        goto done;
    if (e->k > 0) {
        if ((st = ma_rma_fit(yi, vi, e->k, o, &e->fit, err)) != MA_OK)
            goto done;
        e->fitted = 1;
        if (e->k >= MA_BIAS_MIN_K)
            e->egger_p = ma_evidence_egger_p(yi, vi, e->k, o);
    }
    ma_grade_rate(e, d, &e->grade);
done:
    free(yi);
    if (st != MA_OK)
        ma_evidence_clear(e);
    return st;
}

ma_status_t ma_evidence_pooled_rows(const ma_dataset_t *d, const ma_evidence_t *e,
                                    const unsigned char *drop, double **yi, double **vi,
                                    size_t *k, size_t *trials, size_t *dropped,
                                    ma_error_t *err)
{
    size_t i, j, n = e->nrows ? e->nrows : 1;
    *k = *trials = 0;
    if (!(*yi = malloc(2 * n * sizeof **yi)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    *vi = *yi + n;
    for (i = 0; i < e->nrows; i++) {
        const ma_study_t *s = &d->s[e->rows[i]];
        if (!s->included)
            continue;
        if (drop && drop[e->rows[i]]) {
            (*dropped)++;
            continue;
        }
        for (j = 0; j < i; j++) /* a trial counted once across its rows */
            if (d->s[e->rows[j]].included && !(drop && drop[e->rows[j]]) &&
                !strcmp(d->s[e->rows[j]].label, s->label))
                break;
        if (j == i)
            (*trials)++;
        (*yi)[*k] = s->yi;
        (*vi)[(*k)++] = s->vi;
    }
    return MA_OK;
}

double ma_evidence_egger_p(const double *yi, const double *vi, size_t k,
                           const ma_rma_opts_t *o)
{
    ma_egger_rma_t eg;
    return ma_egger_rma(yi, vi, NULL, k, o, &eg, NULL) == MA_OK ? eg.p : NAN;
}

void ma_evidence_clear(ma_evidence_t *e)
{
    free(e->rows);
    e->rows = NULL;
    e->nrows = 0;
}
