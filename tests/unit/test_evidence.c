/* The certainty and verdict rules of evidence.h, one table row per rule: small trial tables
 * in memory, assessed with ma_evidence_assess (certainty) and ma_claim_check (verdicts).
 * Every row names the rule it exercises and checks the premise it relies on (e.g. that
 * the CI does lie above 0) before the rule's outcome. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "iastm.h"
#include "iastm/evidence.h"

#define HEADER                                                                              \
    "study_id,outcome,region,comparator_class,site,condition_code,randomized,risk_of_bias," \
    "source_type,n1i,n2i,yi,vi\n"

/* One trial row: pain at the lumbar spine against control unless said otherwise; n is
 * the size of each arm. */
#define TRIAL(id, rand, rob, src, n, yi, vi) \
    id ",pain,spine,control,lumbar,low_back_pain," rand "," rob "," src "," n "," n "," yi "," vi "\n"
#define GOOD(id, yi) TRIAL(id, "yes", "low", "primary", "100", yi, "0.01")
#define AT(id, region, comp, site, cond, yi, vi) \
    id ",pain," region "," comp "," site "," cond ",yes,low,primary,100,100," yi "," vi "\n"

typedef struct {
    ma_table_t *t;
    ma_dataset_t *d;
} data_t;

static data_t build(const char *rows)
{
    data_t x = {NULL, NULL};
    ma_dataset_opts_t o;
    ma_error_t err;
    char *csv = malloc(strlen(HEADER) + strlen(rows) + 1);
    assert_non_null(csv);
    strcpy(csv, HEADER);
    strcat(csv, rows);
    if (ma_table_read_mem(csv, strlen(csv), "mem.csv", &x.t, &err) != MA_OK)
        fail_msg("table: %s", err.msg);
    free(csv);
    ma_dataset_opts_init(&o);
    if (ma_dataset_build(x.t, &o, &x.d, &err) != MA_OK)
        fail_msg("dataset: %s", err.msg);
    return x;
}

static void drop(data_t *x)
{
    ma_dataset_free(x->d);
    ma_table_free(x->t);
}

static void assert_contains(const char *text, const char *part)
{
    if (part && !strstr(text, part))
        fail_msg("'%s' lacks '%s'", text, part);
}

#define ANY (-1) /* a flag the row does not constrain */

/* Certainty rules (ma_grade_rate through ma_evidence_assess). */
typedef struct {
    const char *rule;
    const char *rows;
    const char *outcome;       /* the question's outcome (NULL: pain) */
    int start, level;          /* ma_certainty_t */
    int rob, ind, incons, imprec, small;
    const char *reason;        /* part of grade.reasons, NULL: not checked */
    const char *no_reason;     /* must not be in grade.reasons, NULL: not checked */
} grade_case_t;

/* Ten trials whose effect grows with the standard error (small-study effects), the first
 * n of them. */
#define ASYM                                                                        \
    TRIAL("a1", "yes", "low", "primary", "100", "0.37", "0.01")                     \
    TRIAL("a2", "yes", "low", "primary", "100", "0.46", "0.03")                     \
    TRIAL("a3", "yes", "low", "primary", "100", "0.61", "0.05")                     \
    TRIAL("a4", "yes", "low", "primary", "100", "0.64", "0.07")                     \
    TRIAL("a5", "yes", "low", "primary", "100", "0.77", "0.09")                     \
    TRIAL("a6", "yes", "low", "primary", "100", "0.80", "0.11")                     \
    TRIAL("a7", "yes", "low", "primary", "100", "0.92", "0.13")                     \
    TRIAL("a8", "yes", "low", "primary", "100", "0.93", "0.15")                     \
    TRIAL("a9", "yes", "low", "primary", "100", "1.03", "0.17")
#define ASYM10 ASYM TRIAL("a10", "yes", "low", "primary", "100", "1.03", "0.19")

/* Ten trials without a trend in their effect against the standard error. */
#define SYM10                                                       \
    TRIAL("s1", "yes", "low", "primary", "100", "0.52", "0.01")     \
    TRIAL("s2", "yes", "low", "primary", "100", "0.48", "0.03")     \
    TRIAL("s3", "yes", "low", "primary", "100", "0.46", "0.05")     \
    TRIAL("s4", "yes", "low", "primary", "100", "0.55", "0.07")     \
    TRIAL("s5", "yes", "low", "primary", "100", "0.53", "0.09")     \
    TRIAL("s6", "yes", "low", "primary", "100", "0.45", "0.11")     \
    TRIAL("s7", "yes", "low", "primary", "100", "0.47", "0.13")     \
    TRIAL("s8", "yes", "low", "primary", "100", "0.56", "0.15")     \
    TRIAL("s9", "yes", "low", "primary", "100", "0.49", "0.17")     \
    TRIAL("s10", "yes", "low", "primary", "100", "0.51", "0.19")

/* Twenty trials of SMD 0.3 +- 0.25: I2 near 40%, CI above 0, prediction interval across 0. */
#define PI20                                                                             \
    TRIAL("p1", "yes", "low", "primary", "20", "0.05", "0.04")                           \
    TRIAL("p2", "yes", "low", "primary", "20", "0.55", "0.04")                           \
    TRIAL("p3", "yes", "low", "primary", "20", "0.05", "0.04")                           \
    TRIAL("p4", "yes", "low", "primary", "20", "0.55", "0.04")                           \
    TRIAL("p5", "yes", "low", "primary", "20", "0.05", "0.04")                           \
    TRIAL("p6", "yes", "low", "primary", "20", "0.55", "0.04")                           \
    TRIAL("p7", "yes", "low", "primary", "20", "0.05", "0.04")                           \
    TRIAL("p8", "yes", "low", "primary", "20", "0.55", "0.04")                           \
    TRIAL("p9", "yes", "low", "primary", "20", "0.05", "0.04")                           \
    TRIAL("p10", "yes", "low", "primary", "20", "0.55", "0.04")                          \
    TRIAL("p11", "yes", "low", "primary", "20", "0.05", "0.04")                          \
    TRIAL("p12", "yes", "low", "primary", "20", "0.55", "0.04")                          \
    TRIAL("p13", "yes", "low", "primary", "20", "0.05", "0.04")                          \
    TRIAL("p14", "yes", "low", "primary", "20", "0.55", "0.04")                          \
    TRIAL("p15", "yes", "low", "primary", "20", "0.05", "0.04")                          \
    TRIAL("p16", "yes", "low", "primary", "20", "0.55", "0.04")                          \
    TRIAL("p17", "yes", "low", "primary", "20", "0.05", "0.04")                          \
    TRIAL("p18", "yes", "low", "primary", "20", "0.55", "0.04")                          \
    TRIAL("p19", "yes", "low", "primary", "20", "0.05", "0.04")                          \
    TRIAL("p20", "yes", "low", "primary", "20", "0.55", "0.04")

enum { NONE = MA_CERT_NONE, VLOW = MA_CERT_VERY_LOW, LOW = MA_CERT_LOW,
       MOD = MA_CERT_MODERATE, HIGH = MA_CERT_HIGH };

static const grade_case_t GRADE[] = {
    {"randomized, low risk, 600 participants, precise: high",
     GOOD("g1", "0.45") GOOD("g2", "0.50") GOOD("g3", "0.55"), NULL,
     HIGH, HIGH, 0, 0, 0, 0, 0, "small-study effects not assessable", "imprecision"},
    {"a non-randomized trial starts low",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("n1", "no", "low", "primary", "100", "0.55", "0.01"),
     NULL, LOW, LOW, 0, 0, 0, 0, 0, "starts low: 1 non-randomized trial", NULL},
    {"unclear allocation rates down for risk of bias",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("u1", "unclear", "low", "primary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 1, 0, 0, 0, 0, "allocation unclear in 1 trial", NULL},
    {"some concerns rate down for risk of bias",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("c1", "yes", "some_concerns", "primary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 1, 0, 0, 0, 0, "some concerns or high in 1 row", NULL},
    {"high risk of bias rates down",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("h1", "yes", "high", "primary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 1, 0, 0, 0, 0, "some concerns or high in 1 row", NULL},
    {"risk of bias not assessed is not low risk",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("x1", "yes", "", "primary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 1, 0, 0, 0, 0, "not assessed in 1 row (unknown is not low risk)", NULL},
    {"several risk-of-bias reasons rate down one level only",
     GOOD("g1", "0.45") TRIAL("u1", "unclear", "high", "primary", "100", "0.50", "0.01")
     TRIAL("x1", "yes", "", "primary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 1, 0, 0, 0, 0, "allocation unclear in 1 trial, some concerns or high in 1 row,"
     " not assessed in 1 row", NULL},
    {"numbers from a secondary source rate down for indirectness",
     GOOD("g1", "0.45") GOOD("g2", "0.50") TRIAL("s1", "yes", "low", "secondary", "100", "0.55", "0.01"),
     NULL, HIGH, MOD, 0, 1, 0, 0, 0, "indirectness: 1 row read from a secondary source", NULL},
    {"I2 above 50% rates down for inconsistency",
     GOOD("g1", "0.6") GOOD("g2", "1.2") GOOD("g3", "1.8"), NULL,
     HIGH, MOD, 0, 0, 1, 0, 0, "inconsistency: I2 = 9", NULL},
    {"a prediction interval across 0 with the CI above 0 is inconsistency", PI20, NULL,
     HIGH, MOD, 0, 0, 1, 0, ANY, "prediction interval crosses 0", NULL},
    {"a CI across 0 is imprecision, and its prediction interval no inconsistency",
     GOOD("g1", "-0.1") GOOD("g2", "0.0") GOOD("g3", "0.1"), NULL,
     HIGH, MOD, 0, 0, 0, 1, 0, "imprecision: CI crosses 0", "inconsistency"},
    {"fewer participants than the optimal information size is imprecision",
     TRIAL("m1", "yes", "low", "primary", "50", "0.45", "0.01")
     TRIAL("m2", "yes", "low", "primary", "50", "0.50", "0.01")
     TRIAL("m3", "yes", "low", "primary", "50", "0.55", "0.01"), NULL,
     HIGH, MOD, 0, 0, 0, 1, 0, "300 participants, below the optimal information size of 400",
     NULL},
    {"exactly the optimal information size is enough",
     GOOD("g1", "0.45") GOOD("g2", "0.55"), NULL, HIGH, HIGH, 0, 0, 0, 0, 0, NULL, "imprecision"},
    {"a CI across 0 and too few participants rate down twice",
     TRIAL("m1", "yes", "low", "primary", "50", "-0.1", "0.01")
     TRIAL("m2", "yes", "low", "primary", "50", "0.0", "0.01")
     TRIAL("m3", "yes", "low", "primary", "50", "0.1", "0.01"), NULL,
     HIGH, LOW, 0, 0, 0, 2, 0, "imprecision: CI crosses 0; imprecision: 300 participants", NULL},
    {"unknown participants are imprecision",
     TRIAL("q1", "yes", "low", "primary", "", "0.45", "0.01")
     TRIAL("q2", "yes", "low", "primary", "", "0.50", "0.01")
     TRIAL("q3", "yes", "low", "primary", "", "0.55", "0.01"), NULL,
     HIGH, MOD, 0, 0, 0, 1, 0, "imprecision: participants unknown", NULL},
    {"a single trial rates low at most",
     TRIAL("o1", "yes", "low", "primary", "250", "0.50", "0.01"), NULL,
     HIGH, LOW, 0, 0, 0, 0, 0, "a single trial rates low at most", NULL},
    {"two rows of one trial are one trial",
     TRIAL("o1", "yes", "low", "primary", "150", "0.48", "0.01")
     TRIAL("o1", "yes", "low", "primary", "150", "0.52", "0.01"), NULL,
     HIGH, LOW, 0, 0, 0, 0, 0, "a single trial rates low at most", NULL},
    {"never below very low",
     TRIAL("n1", "no", "high", "secondary", "20", "-0.1", "0.04")
     TRIAL("n2", "unclear", "", "secondary", "20", "0.1", "0.04"), NULL,
     LOW, VLOW, 1, 1, 0, 2, 0, NULL, NULL},
    {"Egger p < 0.10 with 10 trials rates down for small-study effects", ASYM10, NULL,
     HIGH, ANY, ANY, ANY, ANY, ANY, 1, "small-study effects: Egger p = ", NULL},
    {"small-study effects are not assessed with 9 trials", ASYM, NULL,
     HIGH, ANY, ANY, ANY, ANY, ANY, 0, "small-study effects not assessable (fewer than 10 trials)",
     "Egger"},
    {"10 trials without a trend: assessed, not rated down", SYM10, NULL,
     HIGH, HIGH, 0, 0, 0, 0, 0, NULL, "small-study"},
    {"nothing pooled is not rated", GOOD("g1", "0.5"), "rom",
     NONE, NONE, 0, 0, 0, 0, 0, "nothing pooled", NULL},
};

static void check_flag(const char *rule, const char *what, int want, int got)
{
    if (want != ANY && want != got)
        fail_msg("%s: %s = %d, expected %d", rule, what, got, want);
}

static void test_certainty_rules(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof GRADE / sizeof GRADE[0]; i++) {
        const grade_case_t *c = &GRADE[i];
        data_t x = build(c->rows);
        ma_question_t q = {c->outcome ? c->outcome : "pain", "any", "any", NULL, NULL};
        ma_rma_opts_t o;
        ma_evidence_t e;
        ma_error_t err;
        const ma_grade_t *g = &e.grade;
        int sum, want;
        ma_rma_opts_init(&o);
        if (ma_evidence_assess(x.d, &q, &o, &e, &err) != MA_OK)
            fail_msg("%s: %s", c->rule, err.msg);
        print_message("%s: %s (%s)\n", c->rule, ma_certainty_name(g->level), g->reasons);
        /* the premise each row is built on */
        if (strstr(c->rule, "prediction interval across 0")) {
            assert_true(e.fit.I2 <= 50);
            assert_true(e.fit.ci_lb > 0);
            assert_true(e.fit.pi_lb < 0);
        }
        if (strstr(c->rule, "CI across 0"))
            assert_true(e.fit.ci_lb < 0 && e.fit.ci_ub > 0);
        if (strstr(c->rule, "I2 above 50%"))
            assert_true(e.fit.I2 > 50 && e.fit.ci_lb > 0);
        if (strstr(c->rule, "Egger p < 0.10"))
            assert_true(e.egger_p < 0.10);
        if (strstr(c->rule, "without a trend"))
            assert_true(e.egger_p >= 0.10);
        if (strstr(c->rule, "9 trials"))
            assert_true(e.k == 9 && isnan(e.egger_p));
        check_flag(c->rule, "start", c->start, (int)g->start);
        check_flag(c->rule, "level", c->level, (int)g->level);
        check_flag(c->rule, "down_risk_of_bias", c->rob, g->down_risk_of_bias);
        check_flag(c->rule, "down_indirectness", c->ind, g->down_indirectness);
        check_flag(c->rule, "down_inconsistency", c->incons, g->down_inconsistency);
        check_flag(c->rule, "down_imprecision", c->imprec, g->down_imprecision);
        check_flag(c->rule, "down_small_study", c->small, g->down_small_study);
        assert_contains(g->reasons, c->reason);
        if (c->no_reason && strstr(g->reasons, c->no_reason))
            fail_msg("%s: '%s' has '%s'", c->rule, g->reasons, c->no_reason);
        /* the level is the start rated down once per flag, at most low for one trial,
         * never below very low */
        if (e.fitted) {
            sum = g->down_risk_of_bias + g->down_indirectness + g->down_inconsistency +
                  g->down_imprecision + g->down_small_study;
            want = (int)g->start - sum;
            if (e.trials == 1 && want > LOW)
                want = LOW;
            if (want < VLOW)
                want = VLOW;
            check_flag(c->rule, "level from the flags", want, (int)g->level);
        } else {
            assert_int_equal(e.k, 0);
        }
        ma_evidence_clear(&e);
        drop(&x);
    }
}

/* Which rows answer a question: outcome, region and comparator ("any" or NULL match all),
 * site (one or several separated by '|', matched whole) and condition. */
typedef struct {
    const char *region, *comparator, *site, *condition;
    size_t nrows;
} match_case_t;

/* The small-study rule uses metafor's regtest() default on the question's model: for the
 * ten ASYM10 trials, regtest(rma(yi, vi)) gives p = 0.00242019004688873 and
 * regtest(rma(yi, vi, test = "adhoc")) p = 0.0162315795006867 (model = "lm": 1.52e-08). */
static void test_egger_of_question(void **state)
{
    static const ma_test_t test[2] = {MA_TEST_Z, MA_TEST_ADHOC};
    static const double want[2] = {0.00242019004688873, 0.0162315795006867};
    data_t x = build(ASYM10);
    ma_question_t q = {"pain", "any", "any", NULL, NULL};
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        ma_rma_opts_t o;
        ma_evidence_t e;
        ma_error_t err;
        ma_rma_opts_init(&o);
        o.test = test[i];
        assert_int_equal(ma_evidence_assess(x.d, &q, &o, &e, &err), MA_OK);
        assert_close(e.egger_p, want[i], 1e-7, 0);
        ma_evidence_clear(&e);
    }
    drop(&x);
}

static void test_question_matching(void **state)
{
    static const char *rows =
        AT("k1", "other", "sham", "knee", "knee_oa", "0.5", "0.02")
        AT("k2", "other", "control", "knee", "patellar_tendinopathy", "0.4", "0.02")
        AT("s1", "other", "control", "shoulder", "impingement", "0.3", "0.02")
        AT("l1", "spine", "control", "lumbar", "low_back_pain", "0.6", "0.02")
        AT("c1", "spine", "sham", "cervical", "neck_pain", "0.2", "0.02");
    static const match_case_t M[] = {
        {"any", "any", NULL, NULL, 5},
        {NULL, NULL, "", "", 5},
        {"spine", "any", NULL, NULL, 2},
        {"other", "sham", NULL, NULL, 1},
        {"any", "control", NULL, NULL, 3},
        {"any", "any", "knee", NULL, 2},
        {"any", "any", "knee|shoulder", NULL, 3},
        {"any", "any", "shoulder|knee|lumbar", NULL, 4},
        {"any", "any", "kne", NULL, 0},          /* a site is matched whole */
        {"any", "any", "knee|", NULL, 2},
        {"any", "any", "knee", "knee_oa", 1},
        {"any", "any", NULL, "neck_pain", 1},
        {"any", "any", "any", "any", 5},
        {"spine", "any", "knee", NULL, 0},
    };
    data_t x = build(rows);
    size_t i;
    (void)state;
    for (i = 0; i < sizeof M / sizeof M[0]; i++) {
        ma_question_t q = {"pain", M[i].region, M[i].comparator, M[i].site, M[i].condition};
        ma_rma_opts_t o;
        ma_evidence_t e;
        ma_error_t err;
        ma_rma_opts_init(&o);
        assert_int_equal(ma_evidence_assess(x.d, &q, &o, &e, &err), MA_OK);
        if (e.nrows != M[i].nrows)
            fail_msg("row %zu (site %s, condition %s): %zu rows, expected %zu", i,
                     M[i].site ? M[i].site : "NULL", M[i].condition ? M[i].condition : "NULL",
                     e.nrows, M[i].nrows);
        assert_int_equal(e.k, M[i].nrows);
        assert_int_equal(e.fitted, M[i].nrows > 0);
        ma_evidence_clear(&e);
    }
    drop(&x);
}

/* Verdict rules (ma_claim_check). */
typedef struct {
    const char *rule;
    const char *rows;
    const char *region, *comparator, *expected, *site, *condition;
    double margin;
    ma_verdict_t verdict;
    int no_population;
    const char *why;            /* part of the reason */
    const char *indirect_scope; /* no_population: where the indirect trials come from */
} claim_case_t;

#define SPINE(id, yi) AT(id, "spine", "control", "lumbar", "low_back_pain", yi, "0.01")
#define OTHER(id, yi) AT(id, "other", "control", "knee", "knee_oa", yi, "0.01")

static const claim_case_t CLAIM[] = {
    {"favours_iastm, CI above 0: supported", SPINE("a", "0.5") SPINE("b", "0.6"),
     "any", "any", "favours_iastm", "", "", 0.5, MA_VERDICT_SUPPORTED, 0,
     "the CI lies above 0", NULL},
    {"favours_iastm, CI below 0: contradicted", SPINE("a", "-0.5") SPINE("b", "-0.6"),
     "any", "any", "favours_iastm", "", "", 0.5, MA_VERDICT_CONTRADICTED, 0,
     "the CI lies below 0 (favours comparator)", NULL},
    {"favours_iastm, CI across 0: not supported", SPINE("a", "-0.1") SPINE("b", "0.1"),
     "any", "any", "favours_iastm", "", "", 0.5, MA_VERDICT_NOT_SUPPORTED, 0,
     "the CI includes 0", NULL},
    {"no_difference, CI within the margin: supported", SPINE("a", "-0.05") SPINE("b", "0.05"),
     "any", "any", "no_difference", "", "", 0.5, MA_VERDICT_SUPPORTED, 0,
     "the CI excludes differences of 0.5 SD or more", NULL},
    {"no_difference, CI within a wider margin only: not supported",
     SPINE("a", "-0.05") SPINE("b", "0.05"), "any", "any", "no_difference", "", "", 0.1,
     MA_VERDICT_NOT_SUPPORTED, 0, "inconclusive", NULL},
    {"no_difference, CI excluding 0: contradicted", SPINE("a", "0.5") SPINE("b", "0.6"),
     "any", "any", "no_difference", "", "", 0.5, MA_VERDICT_CONTRADICTED, 0,
     "the CI excludes 0 (a difference)", NULL},
    {"one poolable trial: insufficient", SPINE("a", "0.5") OTHER("b", "0.6"),
     "spine", "any", "favours_iastm", "", "", 0.5, MA_VERDICT_INSUFFICIENT, 0,
     "1 poolable trial (at least 2 needed)", NULL},
    {"comparator narrows the question", SPINE("a", "0.5") SPINE("b", "0.6"),
     "any", "sham", "favours_iastm", "", "", 0.5, MA_VERDICT_INSUFFICIENT, 0,
     "0 poolable trials", NULL},
    {"no trial at the claim's site: insufficient, same region as indirect evidence",
     SPINE("a", "0.5") SPINE("b", "0.6") OTHER("c", "0.2"),
     "spine", "any", "favours_iastm", "cervical", "", 0.5, MA_VERDICT_INSUFFICIENT, 1,
     "no trial in this population", "any spine site or condition"},
    {"no trial with the claim's condition: the same site first",
     SPINE("a", "0.5") SPINE("b", "0.6"),
     "any", "any", "favours_iastm", "lumbar", "sciatica", 0.5, MA_VERDICT_INSUFFICIENT, 1,
     "no trial in this population", "the same site, any condition"},
    {"no trial in the region either: any region",
     OTHER("c", "0.2") OTHER("d", "0.3"),
     "spine", "any", "favours_iastm", "thoracic", "", 0.5, MA_VERDICT_INSUFFICIENT, 1,
     "no trial in this population", "any region"},
    {"a population with trials is judged as usual",
     SPINE("a", "0.5") SPINE("b", "0.6") OTHER("c", "-0.4"),
     "any", "any", "favours_iastm", "lumbar", "", 0.5, MA_VERDICT_SUPPORTED, 0,
     "the CI lies above 0", NULL},
    {"spine_larger, spine clearly larger: supported",
     SPINE("a", "1.0") SPINE("b", "1.1") OTHER("c", "0.1") OTHER("d", "0.2"),
     "spine_vs_other", "any", "spine_larger", "", "", 0.5, MA_VERDICT_SUPPORTED, 0,
     "difference 0.90", NULL},
    {"spine_larger, spine clearly smaller: contradicted",
     SPINE("a", "0.1") SPINE("b", "0.2") OTHER("c", "1.0") OTHER("d", "1.1"),
     "spine_vs_other", "any", "spine_larger", "", "", 0.5, MA_VERDICT_CONTRADICTED, 0,
     "difference -0.90", NULL},
    {"spine_larger, no clear difference: not supported",
     SPINE("a", "0.50") SPINE("b", "0.55") OTHER("c", "0.45") OTHER("d", "0.50"),
     "spine_vs_other", "any", "spine_larger", "", "", 0.5, MA_VERDICT_NOT_SUPPORTED, 0,
     "subgroup test p = ", NULL},
    {"spine_larger, one trial outside the spine: insufficient",
     SPINE("a", "1.0") SPINE("b", "1.1") OTHER("c", "0.1"),
     "spine_vs_other", "any", "spine_larger", "", "", 0.5, MA_VERDICT_INSUFFICIENT, 0,
     "2 poolable spine trials and 1 other-region trial (at least 2 each needed)", NULL},
};

static void test_verdict_rules(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof CLAIM / sizeof CLAIM[0]; i++) {
        const claim_case_t *c = &CLAIM[i];
        data_t x = build(c->rows);
        ma_claim_t cl = {"c", "a claim", "pain", c->region, c->comparator, c->expected,
                         c->site, c->condition, "", 0};
        ma_claim_result_t r;
        ma_rma_opts_t o;
        ma_error_t err;
        ma_rma_opts_init(&o);
        if (ma_claim_check(x.d, &cl, &o, c->margin, &r, &err) != MA_OK)
            fail_msg("%s: %s", c->rule, err.msg);
        print_message("%s: %s (%s)\n", c->rule, ma_verdict_name(r.verdict), r.why);
        if (r.verdict != c->verdict)
            fail_msg("%s: verdict %s, expected %s (%s)", c->rule, ma_verdict_name(r.verdict),
                     ma_verdict_name(c->verdict), r.why);
        assert_int_equal(r.no_population, c->no_population);
        assert_contains(r.why, c->why);
        if (c->indirect_scope) {
            assert_string_equal(r.indirect_scope, c->indirect_scope);
            assert_true(r.indirect.fitted);
            /* indirect evidence is rated down once more for indirectness */
            assert_true(r.indirect.grade.down_indirectness >= 1);
            assert_contains(r.indirect.grade.reasons, "trials from another population");
        } else {
            assert_false(r.indirect.fitted);
        }
        if (!strcmp(c->expected, "spine_larger") && c->verdict != MA_VERDICT_INSUFFICIENT) {
            /* the difference and its test: spine - other, two-sided z */
            double z = r.diff / r.diff_se;
            assert_close(r.diff, r.spine.fit.estimate - r.other.fit.estimate, 1e-12, 0);
            assert_true((r.Q_between_p < 0.05) == (fabs(z) > 1.959963984540054));
        }
        ma_claim_result_clear(&r);
        drop(&x);
    }
}

/* One default model for questions and claims: REML with HKSJ ad hoc; a claim checked with
 * it has the same interval as the first of its four methods. */
static void test_question_default(void **state)
{
    data_t x = build(SPINE("a", "0.5") SPINE("b", "0.6") SPINE("c", "0.9"));
    ma_claim_t cl = {"c", "a claim", "pain", "spine", "any", "favours_iastm", "", "", "", 0};
    ma_claim_result_t r;
    ma_rma_opts_t o, z;
    ma_error_t err;
    (void)state;
    ma_rma_opts_question_default(&o);
    ma_rma_opts_init(&z);
    assert_int_equal(o.method, MA_METHOD_REML);
    assert_int_equal(o.test, MA_TEST_ADHOC);
    assert_close(o.level, z.level, 0, 0);
    assert_int_equal(o.pi, z.pi);
    assert_int_equal(ma_claim_check(x.d, &cl, &o, 0.5, &r, &err), MA_OK);
    assert_true(r.methods[MA_CLAIM_REML_HKSJ].ok);
    assert_int_equal(r.main.fit.test, MA_TEST_ADHOC);
    assert_close(r.methods[MA_CLAIM_REML_HKSJ].lb, r.main.fit.ci_lb, 1e-15, 0);
    assert_close(r.methods[MA_CLAIM_REML_HKSJ].ub, r.main.fit.ci_ub, 1e-15, 0);
    assert_true(r.methods[MA_CLAIM_REML_Z].ub - r.methods[MA_CLAIM_REML_Z].lb <
                r.main.fit.ci_ub - r.main.fit.ci_lb); /* HKSJ ad hoc: never narrower */
    ma_claim_result_clear(&r);
    drop(&x);
}

/* Claims that cannot be checked are errors, not verdicts. */
static void test_claim_errors(void **state)
{
    static const struct {
        const char *region, *expected, *msg;
    } E[] = {
        {"any", "favours", "unknown expected value 'favours'"},
        {"spine_vs_other", "favours_iastm", "region spine_vs_other goes with expected "
                                            "spine_larger"},
        {"spine", "spine_larger", "region spine_vs_other goes with expected spine_larger"},
    };
    data_t x = build(SPINE("a", "0.5") SPINE("b", "0.6"));
    size_t i;
    (void)state;
    for (i = 0; i < sizeof E / sizeof E[0]; i++) {
        ma_claim_t cl = {"c9", "a claim", "pain", E[i].region, "any", E[i].expected, "", "",
                         "", 0};
        ma_claim_result_t r;
        ma_rma_opts_t o;
        ma_error_t err;
        ma_rma_opts_init(&o);
        assert_int_equal(ma_claim_check(x.d, &cl, &o, 0.5, &r, &err), MA_EINPUT);
        assert_contains(err.msg, E[i].msg);
        assert_contains(err.msg, "claim 'c9'");
    }
    drop(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certainty_rules),
        cmocka_unit_test(test_egger_of_question),
        cmocka_unit_test(test_question_matching),
        cmocka_unit_test(test_verdict_rules),
        cmocka_unit_test(test_question_default),
        cmocka_unit_test(test_claim_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
