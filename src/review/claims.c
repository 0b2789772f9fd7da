/* Clinical claims: read strictly from a claims file, and verdicts on them from the pooled
 * evidence (rules in evidence.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "evidence_internal.h"
#include "iastm/bayes.h"
#include "io/fields_internal.h"

const char *ma_verdict_name(ma_verdict_t v)
{
    switch (v) {
    case MA_VERDICT_SUPPORTED: return "supported";
    case MA_VERDICT_NOT_SUPPORTED: return "not supported";
    case MA_VERDICT_CONTRADICTED: return "contradicted";
    default: return "insufficient evidence";
    }
}

/* The verdict of a favours_iastm or no_difference claim on an interval [lb, ub]. */
static ma_verdict_t verdict_of_interval(const char *expected, double lb, double ub,
                                        double margin)
{
    if (!strcmp(expected, "favours_iastm"))
        return lb > 0 ? MA_VERDICT_SUPPORTED : ub < 0 ? MA_VERDICT_CONTRADICTED
                                                      : MA_VERDICT_NOT_SUPPORTED;
    if (lb > -margin && ub < margin)
        return MA_VERDICT_SUPPORTED;
    return lb > 0 || ub < 0 ? MA_VERDICT_CONTRADICTED : MA_VERDICT_NOT_SUPPORTED;
}

const char *ma_claim_method_name(ma_claim_method_t m)
{
    static const char *const names[MA_CLAIM_NMETHODS] = {
        "REML + HKSJ (primary)", "REML + z", "DL + z (RevMan 5)",
        "Bayes, half-normal(0.5) on tau"};
    return m < MA_CLAIM_NMETHODS ? names[m] : "?";
}

const char *ma_claim_method_key(ma_claim_method_t m)
{
    static const char *const keys[MA_CLAIM_NMETHODS] = {"reml_hksj", "reml_z", "dl_z",
                                                        "bayes"};
    return m < MA_CLAIM_NMETHODS ? keys[m] : "?";
}

const char *ma_robustness_name(ma_robustness_t r)
{
    return r == MA_ROBUST_YES ? "robust" : r == MA_ROBUST_DEPENDS ? "depends on the method"
                                                                  : "not applicable";
}

static void ci_text(char *buf, size_t n, const ma_evidence_t *e)
{
    snprintf(buf, n, "SMD %.2f [%.2f, %.2f], %zu trial%s", e->fit.estimate, e->fit.ci_lb,
             e->fit.ci_ub, e->trials, e->trials == 1 ? "" : "s");
}

static ma_status_t verdict_direction(const ma_claim_t *c, double margin, ma_claim_result_t *r)
{
    const ma_evidence_t *e = &r->main;
    char ci[128];
    if (e->trials < 2) {
        r->verdict = MA_VERDICT_INSUFFICIENT;
        snprintf(r->why, sizeof r->why, "%zu poolable trial%s (at least 2 needed)", e->trials,
                 e->trials == 1 ? "" : "s");
        return MA_OK;
    }
    ci_text(ci, sizeof ci, e);
    r->verdict = verdict_of_interval(c->expected, e->fit.ci_lb, e->fit.ci_ub, margin);
    if (!strcmp(c->expected, "favours_iastm")) {
        snprintf(r->why, sizeof r->why, "%s: %s", ci,
                 r->verdict == MA_VERDICT_SUPPORTED ? "the CI lies above 0" :
                 r->verdict == MA_VERDICT_CONTRADICTED ? "the CI lies below 0 (favours "
                                                         "comparator)" : "the CI includes 0");
    } else if (r->verdict == MA_VERDICT_SUPPORTED) {
        snprintf(r->why, sizeof r->why, "%s: the CI excludes differences of %.2g SD or more",
                 ci, margin);
    } else if (r->verdict == MA_VERDICT_CONTRADICTED) {
        snprintf(r->why, sizeof r->why, "%s: the CI excludes 0 (a difference)", ci);
    } else {
        snprintf(r->why, sizeof r->why,
                 "%s: the CI includes both no difference and differences of %.2g SD or "
                 "more (inconclusive)", ci, margin);
    }
    return MA_OK;
}

/* 1 when a and b set every option alike: a fit under one is the fit under the other. */
static int same_model(const ma_rma_opts_t *a, const ma_rma_opts_t *b)
{
    return a->method == b->method && a->test == b->test && a->pi == b->pi &&
           a->level == b->level && a->maxiter == b->maxiter && a->tol == b->tol &&
           a->tau2_ci == b->tau2_ci && a->stepadj == b->stepadj &&
           (a->tau2_init == b->tau2_init || (isnan(a->tau2_init) && isnan(b->tau2_init)));
}

static void alt_of_fit(const ma_rma_t *fit, ma_claim_alt_t *a)
{
    a->ok = 1;
    a->estimate = fit->estimate;
    a->lb = fit->ci_lb;
    a->ub = fit->ci_ub;
}

/* The frequentist fits of methods[] for an interval claim; Bayes below. */
static void method_fit(const double *yi, const double *vi, size_t k, const ma_rma_opts_t *o,
                       ma_claim_alt_t *a)
{
    ma_rma_t fit;
    ma_error_t err;
    if (ma_rma_fit(yi, vi, k, o, &fit, &err) != MA_OK) {
        snprintf(a->note, sizeof a->note, "not computed: %.80s", err.msg);
        return;
    }
    alt_of_fit(&fit, a);
}

static void method_bayes(const double *yi, const double *vi, size_t k, double level,
                         ma_claim_alt_t *a)
{
    ma_bayes_opts_t o;
    ma_bayes_t b;
    ma_error_t err;
    ma_bayes_opts_init(&o); /* half-normal(0.5) on tau, flat on mu */
    o.level = level;
    memset(&b, 0, sizeof b);
    if (ma_bayes_fit(yi, vi, k, &o, &b, &err) != MA_OK) {
        snprintf(a->note, sizeof a->note, "not computed: %.80s", err.msg);
        ma_bayes_free(&b);
        return;
    }
    a->ok = 1;
    a->estimate = b.mu.median;
    a->lb = b.mu.lb;
    a->ub = b.mu.ub;
    ma_bayes_free(&b);
}

/* The test for subgroup differences with two subgroups: z on the difference of the two
 * estimates (Q_between with 1 df), and the spine_larger verdict at level alpha. */
static ma_verdict_t spine_larger_test(const ma_rma_t *s, const ma_rma_t *o, double alpha,
                                      double *diff, double *se, double *p)
{
    *diff = s->estimate - o->estimate;
    *se = sqrt(s->se * s->se + o->se * o->se);
    *p = 2 * gsl_cdf_ugaussian_Q(fabs(*diff / *se));
    if (*p < alpha)
        return *diff > 0 ? MA_VERDICT_SUPPORTED : MA_VERDICT_CONTRADICTED;
    return MA_VERDICT_NOT_SUPPORTED;
}

/* The verdict of a spine_larger claim from the fits of both regions at a level. */
static void spine_larger_alt(const ma_rma_t *fs, const ma_rma_t *fo, double level,
                             ma_claim_alt_t *a)
{
    double diff, se, p;
    a->verdict = spine_larger_test(fs, fo, 1 - level, &diff, &se, &p);
    a->ok = 1;
    a->estimate = diff;
    a->lb = diff - gsl_cdf_ugaussian_Qinv((1 - level) / 2) * se;
    a->ub = diff + gsl_cdf_ugaussian_Qinv((1 - level) / 2) * se;
}

/* The verdict of a spine_larger claim under one method: both regions refitted. */
static void method_spine_larger(const double *ys, const double *vs, size_t ks,
                                const double *yo, const double *vo, size_t ko,
                                const ma_rma_opts_t *opt, ma_claim_alt_t *a)
{
    ma_rma_t fs, fo;
    ma_error_t err;
    if (ma_rma_fit(ys, vs, ks, opt, &fs, &err) != MA_OK ||
        ma_rma_fit(yo, vo, ko, opt, &fo, &err) != MA_OK) {
        snprintf(a->note, sizeof a->note, "not computed: %.80s", err.msg);
        return;
    }
    spine_larger_alt(&fs, &fo, opt->level, a);
}

/* methods[] and robustness for a claim whose main verdict is made. */
static ma_status_t compare_methods(const ma_dataset_t *d, const ma_claim_t *c,
                                   const ma_rma_opts_t *o, double margin,
                                   ma_claim_result_t *r, ma_error_t *err)
{
    ma_rma_opts_t mo[3]; /* REML + HKSJ (the question default), REML z, DL z */
    double *ys = NULL, *vs, *yo = NULL, *vo;
    size_t ks, ko, m, trials, none = 0;
    int spine = !strcmp(c->expected, "spine_larger"), first = -1, differ = 0;
    ma_status_t st;

    ma_rma_opts_question_default(&mo[0]);
    ma_rma_opts_init(&mo[1]);
    ma_rma_opts_init(&mo[2]);
    mo[2].method = MA_METHOD_DL;
    for (m = 0; m < 3; m++)
        mo[m].level = o->level;
    r->robustness = MA_ROBUST_NA;
    if (r->no_population || r->verdict == MA_VERDICT_INSUFFICIENT)
        return MA_OK;
    if ((st = ma_evidence_pooled_rows(d, spine ? &r->spine : &r->main, NULL, &ys, &vs, &ks,
                                      &trials, &none, err)) != MA_OK)
        return st;
    if (spine && (st = ma_evidence_pooled_rows(d, &r->other, NULL, &yo, &vo, &ko, &trials,
                                               &none, err)) != MA_OK) {
        free(ys);
        return st;
    }
    for (m = 0; m < 3; m++) {
        ma_claim_alt_t *a = &r->methods[m];
        /* the primary model's fits of these rows are already in main (spine, other) */
        int fitted = same_model(&mo[m], o);
        if (spine) {
            if (fitted)
                spine_larger_alt(&r->spine.fit, &r->other.fit, o->level, a);
            else
                method_spine_larger(ys, vs, ks, yo, vo, ko, &mo[m], a);
        } else {
            if (fitted)
                alt_of_fit(&r->main.fit, a);
            else
                method_fit(ys, vs, ks, &mo[m], a);
            if (a->ok)
                a->verdict = verdict_of_interval(c->expected, a->lb, a->ub, margin);
        }
    }
    if (spine) {
        snprintf(r->methods[MA_CLAIM_BAYES].note, sizeof r->methods[0].note,
                 "not computed for a comparison of two regions");
    } else {
        method_bayes(ys, vs, ks, o->level, &r->methods[MA_CLAIM_BAYES]);
        if (r->methods[MA_CLAIM_BAYES].ok)
            r->methods[MA_CLAIM_BAYES].verdict =
                verdict_of_interval(c->expected, r->methods[MA_CLAIM_BAYES].lb,
                                    r->methods[MA_CLAIM_BAYES].ub, margin);
    }
    for (m = 0; m < MA_CLAIM_NMETHODS; m++) {
        if (!r->methods[m].ok)
            continue;
        if (first < 0)
            first = (int)r->methods[m].verdict;
        else if ((int)r->methods[m].verdict != first)
            differ = 1;
    }
    if (first >= 0)
        r->robustness = differ ? MA_ROBUST_DEPENDS : MA_ROBUST_YES;
    free(ys);
    free(yo);
    return MA_OK;
}

static void verdict_spine_larger(ma_claim_result_t *r)
{
    const ma_evidence_t *s = &r->spine, *o = &r->other;
    if (s->trials < 2 || o->trials < 2) {
        r->verdict = MA_VERDICT_INSUFFICIENT;
        snprintf(r->why, sizeof r->why,
                 "%zu poolable spine trial%s and %zu other-region trial%s (at least 2 each "
                 "needed)", s->trials, s->trials == 1 ? "" : "s", o->trials,
                 o->trials == 1 ? "" : "s");
        return;
    }
    r->verdict = spine_larger_test(&s->fit, &o->fit, 0.05, &r->diff, &r->diff_se,
                                   &r->Q_between_p);
    snprintf(r->why, sizeof r->why,
             "spine SMD %.2f [%.2f, %.2f] (%zu trials) vs other %.2f [%.2f, %.2f] (%zu "
             "trials): difference %.2f, subgroup test p = %.3f",
             s->fit.estimate, s->fit.ci_lb, s->fit.ci_ub, s->trials, o->fit.estimate,
             o->fit.ci_lb, o->fit.ci_ub, o->trials, r->diff, r->Q_between_p);
}

/* The nearest population with a poolable trial, for a claim whose own population has no
 * trial: the same site with any condition, the same region, any region. */
static ma_status_t nearest_evidence(const ma_dataset_t *d, const ma_claim_t *c,
                                    const ma_rma_opts_t *o, ma_claim_result_t *r,
                                    ma_error_t *err)
{
    ma_question_t q = {c->outcome, c->region, c->comparator, c->site, NULL};
    const char *scope[3];
    char region[32];
    int level;
    ma_status_t st;
    /* the region the claim's sites lie in, when the claim names none */
    snprintf(region, sizeof region, "%s", c->region);
    if (!strcmp(region, "any") && *c->site) {
        const char *first = c->site;
        int spine = !strncmp(first, "cervical", 8) || !strncmp(first, "thoracic", 8) ||
                    !strncmp(first, "lumbar", 6);
        snprintf(region, sizeof region, "%s", spine ? "spine" : "other");
    }
    scope[0] = "the same site, any condition";
    scope[1] = !strcmp(region, "spine") ? "any spine site or condition" :
               !strcmp(region, "other") ? "any site or condition outside the spine" :
               "any site or condition";
    scope[2] = "any region";
    for (level = *c->condition ? 0 : 1; level < 3; level++) {
        if (level == 1) {
            q.site = NULL;
            q.region = region;
        } else if (level == 2) {
            q.region = "any";
        }
        ma_evidence_clear(&r->indirect);
        if ((st = ma_evidence_assess(d, &q, o, &r->indirect, err)) != MA_OK)
            return st;
        if (r->indirect.fitted) {
            snprintf(r->indirect_scope, sizeof r->indirect_scope, "%s", scope[level]);
            ma_grade_indirect(&r->indirect.grade, "trials from another population than the "
                                                  "claim's");
            return MA_OK;
        }
    }
    ma_evidence_clear(&r->indirect);
    snprintf(r->indirect_scope, sizeof r->indirect_scope, "none");
    return MA_OK;
}

ma_status_t ma_claim_check(const ma_dataset_t *d, const ma_claim_t *c, const ma_rma_opts_t *o,
                           double margin, ma_claim_result_t *r, ma_error_t *err)
{
    ma_question_t q = {c->outcome, c->region, c->comparator, c->site, c->condition};
    ma_status_t st;
    int vs = !strcmp(c->region, "spine_vs_other");

    memset(r, 0, sizeof *r);
    r->diff = r->diff_se = r->Q_between_p = NAN;
    if (strcmp(c->expected, "favours_iastm") && strcmp(c->expected, "no_difference") &&
        strcmp(c->expected, "spine_larger"))
        return ma_error_set(err, MA_EINPUT, "claim '%s': unknown expected value '%s' "
                            "(favours_iastm, no_difference or spine_larger)", c->id,
                            c->expected);
    if (vs != !strcmp(c->expected, "spine_larger"))
        return ma_error_set(err, MA_EINPUT, "claim '%s': region spine_vs_other goes with "
                            "expected spine_larger", c->id);
    if (vs)
        q.region = "any";
    if ((st = ma_evidence_assess(d, &q, o, &r->main, err)) != MA_OK)
        return st;
    if (!vs) {
        if (r->main.nrows == 0 && (*c->site || *c->condition)) {
            r->no_population = 1;
            r->verdict = MA_VERDICT_INSUFFICIENT;
            snprintf(r->why, sizeof r->why, "no trial in this population");
            if ((st = nearest_evidence(d, c, o, r, err)) != MA_OK)
                goto fail;
            return MA_OK;
        }
        if ((st = verdict_direction(c, margin, r)) != MA_OK ||
            (st = compare_methods(d, c, o, margin, r, err)) != MA_OK)
            goto fail;
        return MA_OK;
    }
    q.region = "spine";
    if ((st = ma_evidence_assess(d, &q, o, &r->spine, err)) != MA_OK)
        goto fail;
    q.region = "other";
    if ((st = ma_evidence_assess(d, &q, o, &r->other, err)) != MA_OK)
        goto fail;
    verdict_spine_larger(r);
    if ((st = compare_methods(d, c, o, margin, r, err)) != MA_OK)
        goto fail;
    return MA_OK;
fail:
    ma_claim_result_clear(r);
    return st;
}

ma_status_t ma_claim_without(const ma_dataset_t *d, const ma_claim_t *c,
                             const ma_rma_opts_t *o, double margin,
                             const unsigned char *drop, ma_claim_result_t *r,
                             ma_error_t *err)
{
    int spine = !strcmp(c->expected, "spine_larger");
    const ma_evidence_t *e1 = spine ? &r->spine : &r->main;
    double *y1 = NULL, *v1, *y2 = NULL, *v2;
    size_t k1, k2 = 0, t1, t2 = 0;
    ma_status_t st;

    memset(&r->without, 0, sizeof r->without);
    r->dropped = 0;
    r->without.verdict = MA_VERDICT_INSUFFICIENT;
    if (r->no_population)
        return MA_OK;
    if ((st = ma_evidence_pooled_rows(d, e1, drop, &y1, &v1, &k1, &t1, &r->dropped,
                                      err)) != MA_OK)
        return st;
    if (spine && (st = ma_evidence_pooled_rows(d, &r->other, drop, &y2, &v2, &k2, &t2,
                                               &r->dropped, err)) != MA_OK)
        goto done;
    if (r->dropped == 0 || t1 < 2 || (spine && t2 < 2)) {
        snprintf(r->without.note, sizeof r->without.note,
                 r->dropped ? "fewer than 2 trials remain" : "no pooled row is flagged");
        goto done;
    }
    if (spine) {
        method_spine_larger(y1, v1, k1, y2, v2, k2, o, &r->without);
    } else {
        method_fit(y1, v1, k1, o, &r->without);
        if (r->without.ok)
            r->without.verdict = verdict_of_interval(c->expected, r->without.lb,
                                                     r->without.ub, margin);
    }
done:
    free(y1);
    free(y2);
    return st;
}

void ma_claim_result_clear(ma_claim_result_t *r)
{
    ma_evidence_clear(&r->main);
    ma_evidence_clear(&r->spine);
    ma_evidence_clear(&r->other);
    ma_evidence_clear(&r->indirect);
}

/* The optional population columns of claim row i: site (sites of the trial schema, '|'
 * between several), condition (a condition code), population (words); empty is "any". */
static ma_status_t read_population(const ma_table_t *t, size_t i, ma_claim_t *x,
                                   ma_error_t *err)
{
    long cs = ma_table_col(t, "site"), cc = ma_table_col(t, "condition");
    long cp = ma_table_col(t, "population");
    const char *expected;
    const char *const *sites = ma_schema_values("site", &expected);
    const char *p;
    x->site = ma_table_cell(t, i, cs);
    x->condition = ma_table_cell(t, i, cc);
    x->population = ma_table_cell(t, i, cp);
    if (!strcmp(x->site, "any"))
        x->site = "";
    if (!strcmp(x->condition, "any"))
        x->condition = "";
    for (p = x->site; *p;) {
        size_t len = strcspn(p, "|"), j;
        for (j = 0; sites[j]; j++)
            if (strlen(sites[j]) == len && !strncmp(sites[j], p, len))
                break;
        if (!sites[j])
            return ma_error_at(err, MA_EINPUT, t->path, t->line[i], "site", x->site,
                               "unknown site (expected any, or one or more of %s, separated "
                               "by '|'):", expected);
        p += len + (p[len] == '|');
    }
    if (strspn(x->condition, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(x->condition))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[i], "condition", x->condition,
                           "a condition code is lower-case letters, digits and underscores:");
    if (!strcmp(x->region, "spine_vs_other") && (*x->site || *x->condition))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[i], "site", x->site,
                           "a spine_vs_other claim compares regions: leave site and "
                           "condition empty");
    return MA_OK;
}

ma_status_t ma_claims_read(const ma_table_t *t, ma_claim_t **out, size_t *n, ma_error_t *err)
{
    static const char *const need[] = {"claim_id", "claim", "outcome", "region",
                                       "comparator_class", "expected", NULL};
    static const char *const regions[] = {"spine", "other", "any", "spine_vs_other", NULL};
    static const char *const any[] = {"any", NULL};
    static const char *const expected[] = {"favours_iastm", "no_difference", "spine_larger",
                                           NULL};
    const char *outcomes_list, *comps_list;
    const char *const *outcomes = ma_schema_values("outcome", &outcomes_list);
    const char *const *comps = ma_schema_values("comparator_class", &comps_list);
    char comps_any[160];
    ma_claim_t *c;
    ma_status_t st;
    size_t i;

    *out = NULL;
    *n = 0;
    ma_error_clear(err);
    if ((st = ma_fields_require(t, need, "a claims file", err)) != MA_OK)
        return st;
    snprintf(comps_any, sizeof comps_any, "any, %s", comps_list);
    if (!(c = calloc(t->nrow ? t->nrow : 1, sizeof *c)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    for (i = 0; i < t->nrow; i++) {
        ma_claim_t *x = &c[i];
        x->line = t->line[i];
        if ((st = ma_fields_text(t, i, "claim_id", &x->id, err)) != MA_OK ||
            (st = ma_fields_text(t, i, "claim", &x->claim, err)) != MA_OK ||
            (st = ma_fields_choice(t, i, "outcome", outcomes, NULL, outcomes_list,
                                   &x->outcome, err)) != MA_OK ||
            (st = ma_fields_choice(t, i, "region", regions, NULL,
                                   "spine, other, any or spine_vs_other", &x->region,
                                   err)) != MA_OK ||
            (st = ma_fields_choice(t, i, "comparator_class", any, comps, comps_any,
                                   &x->comparator, err)) != MA_OK ||
            (st = ma_fields_choice(t, i, "expected", expected, NULL,
                                   "favours_iastm, no_difference or spine_larger",
                                   &x->expected, err)) != MA_OK)
            goto fail;
        if ((st = read_population(t, i, x, err)) != MA_OK)
            goto fail;
        if (!strcmp(x->region, "spine_vs_other") != !strcmp(x->expected, "spine_larger")) {
            st = ma_error_at(err, MA_EINPUT, t->path, t->line[i], "expected", x->expected,
                             "region spine_vs_other goes with expected spine_larger, and "
                             "only it (region '%s'):", x->region);
            goto fail;
        }
    }
    if ((st = ma_fields_unique(t, "claim_id", err)) != MA_OK)
        goto fail;
    *out = c;
    *n = t->nrow;
    return MA_OK;
fail:
    free(c);
    return st;
}
