/* iastm evidence: summary-of-findings table (outcome x region x comparator) with
 * GRADE-style certainty, and published reviews side by side. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "evidence_cli.h"
#include "iastm/reviews.h"

enum { OPT_ALL_ROWS = OPT_CMD_BASE, OPT_REVIEWS };

static const char HELP[] =
    "Usage: iastm evidence [OPTIONS] TRIALS.csv\n"
    "Summary of findings: for every outcome x region x comparator class present in the\n"
    "trials file (and 'any' region / comparator), the trials, participants, pooled SMD\n"
    "[95%% CI], prediction interval, I2 and a certainty rating from explicit GRADE-style\n"
    "rules: start high for randomized trials, low otherwise; rate down one level each for\n"
    "risk of bias (unclear allocation, or risk_of_bias not low or not assessed),\n"
    "indirectness (numbers from a secondary source), inconsistency (I2 > 50%%, or a\n"
    "prediction interval crossing 0 while the CI does not), imprecision (CI crossing 0;\n"
    "again below the optimal information size of 400 participants; a single trial rates\n"
    "low at most), and small-study effects (Egger p < 0.10, with 10 or more trials;\n"
    "metafor's regtest(): the meta-regression on the standard errors with the model).\n"
    "The model is Cochrane's (2025): REML with the Hartung-Knapp-Sidik-Jonkman interval\n"
    "(--test adhoc: its SE never below the z one) and a t-based prediction interval;\n"
    "--method and --test choose another.\n"
    "\n  --all-rows           use every row, not only primary rows (sensitivity analysis)\n"
    "  --reviews FILE       add published pooled estimates (published_reviews.csv) side by\n"
    "                       side with ours for the same outcome and region\n"
    "\n%s%s"
    "\nExamples:\n"
    "  iastm evidence data/trials.csv\n"
    "  iastm evidence --reviews data/published_reviews.csv --format md data/trials.csv\n";

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "evidence: outcome region comparator rows k trials participants estimate ci_lb ci_ub "
    "pi_lb pi_ub I2 certainty certainty_reasons",
    "published_reviews: review_id region outcome their_measure their_k their_estimate "
    "their_ci_lb their_ci_ub our_trials our_estimate our_ci_lb our_ci_ub note",
    NULL};

/* Distinct values of a column over the dataset's rows, sorted; "any" first. */
static size_t distinct(const ma_dataset_t *d, const char *col, const char **out, size_t max)
{
    size_t i, j, n = 0;
    out[n++] = "any";
    for (i = 0; i < d->n && n < max; i++) {
        const char *v = ma_dataset_cell(d, i, col);
        for (j = 1; j < n; j++)
            if (!strcmp(out[j], v))
                break;
        if (j == n && v[0])
            out[n++] = v;
    }
    for (i = 2; i < n; i++) /* insertion sort after "any" */
        for (j = i; j > 1 && strcmp(out[j - 1], out[j]) > 0; j--) {
            const char *x = out[j];
            out[j] = out[j - 1];
            out[j - 1] = x;
        }
    return n;
}

static void not_pooled_list(char *buf, size_t size, const ma_dataset_t *d,
                            const ma_evidence_t *e)
{
    size_t i, len = 0;
    buf[0] = '\0';
    for (i = 0; i < e->nrows && len < size; i++) {
        const ma_study_t *s = &d->s[e->rows[i]];
        int w;
        if (s->included)
            continue;
        w = snprintf(buf + len, size - len, "%s%s (line %ld): %s", len ? "; " : "", s->label,
                     s->line, s->reason);
        if (w > 0)
            len += (size_t)w;
    }
}

void cli_evidence_fields(ma_writer_t *w, const ma_evidence_t *e, int pval)
{
    int fit = e->fitted;
    ma_writer_int(w, "rows", (long)e->nrows);
    ma_writer_int(w, "k", (long)e->k);
    ma_writer_int(w, "trials", (long)e->trials);
    ma_writer_num(w, "participants", e->participants);
    ma_writer_num(w, "estimate", fit ? e->fit.estimate : NAN);
    ma_writer_num(w, "ci_lb", fit ? e->fit.ci_lb : NAN);
    ma_writer_num(w, "ci_ub", fit ? e->fit.ci_ub : NAN);
    if (pval)
        ma_writer_num(w, "pval", fit ? e->fit.pval : NAN);
    ma_writer_num(w, "pi_lb", fit ? e->fit.pi_lb : NAN);
    ma_writer_num(w, "pi_ub", fit ? e->fit.pi_ub : NAN);
    ma_writer_num(w, "tau2", fit ? e->fit.tau2 : NAN);
    ma_writer_num(w, "I2", fit ? e->fit.I2 : NAN);
    ma_writer_str(w, "certainty", ma_certainty_name(e->grade.level));
    ma_writer_str(w, "certainty_reasons", e->grade.reasons);
}

static void evidence_record(ma_writer_t *w, const ma_dataset_t *d, const ma_evidence_t *e)
{
    char np[4096];
    not_pooled_list(np, sizeof np, d, e);
    ma_writer_begin(w);
    ma_writer_str(w, "outcome", e->q.outcome);
    ma_writer_str(w, "region", e->q.region);
    ma_writer_str(w, "comparator", e->q.comparator);
    cli_evidence_fields(w, e, 1);
    ma_writer_str(w, "not_pooled", np);
    ma_writer_end(w);
}

const char *cli_est_ci(char *buf, size_t n, double est, double lb, double ub)
{
    char a[32], b[32], c[32];
    snprintf(buf, n, "%s [%s, %s]", cli_num(est, a, 32), cli_num(lb, b, 32), cli_num(ub, c, 32));
    return buf;
}

/* The pooled estimate and CI as cli_est_ci, "-" when not pooled. */
static void fmt_ci(char *buf, size_t n, const ma_evidence_t *e)
{
    if (!e->fitted)
        snprintf(buf, n, "-");
    else
        cli_est_ci(buf, n, e->fit.estimate, e->fit.ci_lb, e->fit.ci_ub);
}

static void evidence_text(FILE *f, const ma_evidence_t *e)
{
    char ci[64], pi[80], a[32], b[32];
    fmt_ci(ci, sizeof ci, e);
    if (e->fitted && !isnan(e->fit.pi_lb))
        snprintf(pi, sizeof pi, "[%s, %s]", cli_num(e->fit.pi_lb, a, 32),
                 cli_num(e->fit.pi_ub, b, 32));
    else
        snprintf(pi, sizeof pi, "-");
    char np[32] = "-", i2[16] = "-";
    if (!isnan(e->participants))
        snprintf(np, sizeof np, "%.0f", e->participants);
    if (e->fitted && !isnan(e->fit.I2))
        snprintf(i2, sizeof i2, "%.0f%%", e->fit.I2);
    fprintf(f, "%-9s %-7s %-20s %6zu %6zu %6s  %-22s %-16s %6s  %s\n", e->q.outcome,
            e->q.region, e->q.comparator, e->trials, e->nrows - e->k, np, ci, pi, i2,
            ma_certainty_name(e->grade.level));
}

/* The reviews file, read and checked before anything is written. */
static int reviews_load(const cli_common_t *c, const char *path, ma_table_t **rt,
                        ma_review_t **rv, size_t *nrv)
{
    ma_error_t err;
    int rc;
    if ((rc = cli_read_table(c, path, rt)) != 0)
        return rc;
    if (ma_reviews_read(*rt, rv, nrv, &err) != MA_OK) {
        ma_table_free(*rt);
        *rt = NULL;
        return cli_report(&err);
    }
    return 0;
}

static int reviews(ma_writer_t *w, FILE *f, const ma_review_t *rv, size_t nrv,
                   const ma_dataset_t *d, const ma_rma_opts_t *ro)
{
    ma_error_t err;
    size_t i;
    if (w)
        ma_writer_section(w, "published_reviews");
    else
        fprintf(f, "\nPublished reviews side by side:\n");
    for (i = 0; i < nrv; i++) {
        const ma_review_t *x = &rv[i];
        const char *region = x->region;
        ma_question_t q = {x->outcome, !strcmp(region, "mixed") ? "any" : region, "any", NULL,
                           NULL};
        const char *meas = x->measure;
        double est, lb, ub, sign = x->sign;
        ma_evidence_t e;
        char note[400], ours[64];
        ma_review_oriented(x, &est, &lb, &ub); /* positive favours IASTM, as here */
        if (ma_evidence_assess(d, &q, ro, &e, &err) != MA_OK)
            return cli_report(&err);
        fmt_ci(ours, sizeof ours, &e);
        snprintf(note, sizeof note, "%s%s%s",
                 strncmp(meas, "SMD", 3) ? "different measure (theirs is not an SMD); " : "",
                 "different trial sets (theirs from full texts; ours only primary rows with "
                 "numbers in reachable text)",
                 sign < 0 ? "; their sign flipped to positive-favours-IASTM" : "");
        if (w) {
            ma_writer_begin(w);
            ma_writer_str(w, "review_id", x->id);
            ma_writer_str(w, "region", region);
            ma_writer_str(w, "outcome", q.outcome);
            ma_writer_str(w, "their_measure", meas);
            ma_writer_str(w, "their_k", x->k);
            ma_writer_num(w, "their_estimate", est);
            ma_writer_num(w, "their_ci_lb", lb);
            ma_writer_num(w, "their_ci_ub", ub);
            ma_writer_int(w, "our_trials", (long)e.trials);
            ma_writer_num(w, "our_estimate", e.fitted ? e.fit.estimate : NAN);
            ma_writer_num(w, "our_ci_lb", e.fitted ? e.fit.ci_lb : NAN);
            ma_writer_num(w, "our_ci_ub", e.fitted ? e.fit.ci_ub : NAN);
            ma_writer_str(w, "note", note);
            ma_writer_end(w);
        } else {
            char a[32], b[32], c[32];
            fprintf(f, "  %s (%s, %s; %s): theirs %s [%s, %s], k = %s; ours SMD %s, "
                       "%zu trials. %s\n",
                    x->id, region, q.outcome, meas, cli_num(est, a, 32), cli_num(lb, b, 32),
                    cli_num(ub, c, 32), x->k, ours, e.trials, note);
        }
        ma_evidence_clear(&e);
    }
    if (!w)
        fprintf(f, "  (their estimates oriented so that positive favours IASTM)\n");
    return 0;
}

typedef struct {
    int all_rows;    /* --all-rows */
    const char *rev; /* --reviews FILE */
    ma_table_t *rt;
    ma_review_t *rv;
    size_t nrv;
} evidence_t;

static void init(cli_ctx_t *x)
{
    ma_rma_opts_question_default(&x->rma); /* REML + HKSJ; --method, --test override */
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    evidence_t *u = x->self;
    if (opt == OPT_ALL_ROWS)
        u->all_rows = 1;
    else if (opt == OPT_REVIEWS)
        u->rev = arg;
    else
        return 0;
    return 1;
}

static int prepare(cli_ctx_t *x)
{
    if (!x->c.ds.primary_only) /* primary rows by default, unless --all-rows or none marked */
        x->c.ds.primary_only = ((evidence_t *)x->self)->all_rows ? 0 : MA_PRIMARY_IF_PRESENT;
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    evidence_t *u = x->self;
    const ma_table_t *t = x->t;
    if (u->all_rows) /* several rows of one trial and outcome are pooled as independent */
        cli_dependence_warn_within("evidence", x->d, "outcome");
    if (ma_table_col(t, "outcome") < 0 || ma_table_col(t, "region") < 0 ||
        ma_table_col(t, "comparator_class") < 0) {
        fprintf(stderr, "iastm: %s: a trials file needs the columns outcome, region and "
                        "comparator_class\n", t->path);
        return 2;
    }
    if (u->rev)
        return reviews_load(&x->c, u->rev, &u->rt, &u->rv, &u->nrv);
    return 0;
}

/* One finding a question (outcome x region x comparator), as text, Markdown or records. */
static int run(cli_ctx_t *x)
{
    evidence_t *u = x->self;
    const ma_dataset_t *d = x->d;
    const char *outcomes[64], *regions[64], *comps[64];
    size_t no, nr, nc, a, b, e3;
    ma_writer_t *w = NULL;
    cli_out_t out;
    int rc = 0, ok = 1;

    no = distinct(d, "outcome", outcomes, 64);
    nr = distinct(d, "region", regions, 64);
    nc = distinct(d, "comparator_class", comps, 64);
    if ((rc = cli_out_open(&out, x->c.output)) != 0)
        return rc;
    if (x->c.format == MA_FMT_MD)
        fprintf(out.f, "# Summary of findings\n\n"
                       "SMD: Hedges' g, random effects (%s, %s test), %g%% CI; positive favours "
                       "IASTM. Rows: %s of %s. Trials: poolable trials; k: rows pooled; rows: "
                       "relevant rows, pooled or not.\n\n",
                ma_method_name(x->rma.method), ma_test_name(x->rma.test), 100 * x->rma.level,
                u->all_rows || d->col[MA_COL_PRIMARY] < 0 ? "all rows" : "the primary rows", x->path);
    if (x->c.format != MA_FMT_TEXT) {
        if (!(w = cli_writer_new(&x->c, out.f, "evidence", "evidence", MD_COLUMNS)))
            ok = 0;
        else
            ma_writer_section(w, "evidence");
    } else {
        fprintf(out.f, "Summary of findings (SMD, random effects %s, %s test; positive favours "
                       "IASTM)\nRows: %s of %s\n\n"
                       "%-9s %-7s %-20s %6s %6s %6s  %-22s %-16s %6s  %s\n",
                ma_method_name(x->rma.method), ma_test_name(x->rma.test),
                u->all_rows || d->col[MA_COL_PRIMARY] < 0 ? "all rows" : "the primary rows",
                x->path, "outcome", "region",
                "comparator", "trials",
                "unpool", "n", "SMD [95% CI]", "PI", "I2", "certainty");
    }
    for (a = 1; a < no && ok; a++)
        for (b = 0; b < nr && ok; b++)
            for (e3 = 0; e3 < nc && ok; e3++) {
                ma_question_t q = {outcomes[a], regions[b], comps[e3], NULL, NULL};
                ma_evidence_t e;
                ma_error_t err;
                /* the "any" row beside a single region (comparator) is not shown: not fitted */
                if ((nr == 2 && b == 0) || (nc == 2 && e3 == 0))
                    continue;
                if (ma_evidence_assess(d, &q, &x->rma, &e, &err) != MA_OK) {
                    rc = cli_report(&err);
                    ok = 0;
                    break;
                }
                if (e.nrows > 0) {
                    if (w)
                        evidence_record(w, d, &e);
                    else
                        evidence_text(out.f, &e);
                }
                ma_evidence_clear(&e);
            }
    if (ok && u->rev && (rc = reviews(w, out.f, u->rv, u->nrv, d, &x->rma)) != 0)
        ok = 0;
    if (w)
        ok = cli_writer_done(w) && ok;
    rc = cli_out_close(&out, ok) ? (rc ? rc : 1) : 0;
    return rc;
}

static void clear(cli_ctx_t *x)
{
    evidence_t *u = x->self;
    free(u->rv);
    ma_table_free(u->rt);
}

static const struct option OPTIONS[] = {
    {"all-rows", no_argument, NULL, OPT_ALL_ROWS},
    {"reviews", required_argument, NULL, OPT_REVIEWS},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_EVIDENCE = {
    .digits = 2, /* a summary of findings: SMDs to 2 decimals (GRADE) */
    .table = "evidence",
    .name = "evidence", .summary = "summary of findings with GRADE-style certainty",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .options = OPTIONS,
    .row_by_row = 1, /* each finding pools its own outcome's rows */
    .self_size = sizeof(evidence_t), .init = init, .option = option, .prepare = prepare,
    .loaded = loaded, .run = run, .clear = clear,
};
