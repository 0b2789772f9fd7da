/* iastm claims: each clinical claim against the pooled evidence, with a verdict. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "iastm/audit.h"
#include "evidence_cli.h"

enum { OPT_CLAIMS = OPT_CMD_BASE, OPT_MARGIN, OPT_ALL_ROWS };

static const char HELP[] =
    "Usage: iastm claims [OPTIONS] TRIALS.csv\n"
    "Check each claim of a claims file (--claims) against the pooled\n"
    "evidence of TRIALS.csv (primary rows; SMD; REML with the Hartung-Knapp-Sidik-Jonkman\n"
    "interval, ad hoc, as Cochrane's 2025 methods) and give a verdict:\n"
    "  supported, not supported, contradicted, or insufficient evidence (fewer than 2\n"
    "  poolable trials), with the pooled numbers, the GRADE-style certainty and the\n"
    "  relevant trials that could not be pooled, with their reasons.\n"
    "Verdict rules: a 'favours IASTM' claim is supported when the 95%% CI lies above 0 and\n"
    "contradicted when it lies below 0; a 'no difference' claim is supported when the CI\n"
    "lies within (-margin, margin) and contradicted when it excludes 0; a 'spine larger'\n"
    "claim is supported when the spine estimate exceeds the other regions' with a test for\n"
    "subgroup differences p < 0.05. Otherwise: not supported.\n"
    "Each pooled verdict is also computed under REML + z, DL + z (RevMan 5's default) and\n"
    "the Bayesian model (half-normal(0.5) prior on tau): 'robust' when all agree,\n"
    "'depends on the method' otherwise, with the table of the four.\n"
    "\n  --claims FILE        claims to check (default: data/claims.csv when the working\n"
    "                       directory has it, else %s/claims.csv)\n"
    "  --margin SMD         smallest difference that matters (default 0.5)\n"
    "  --all-rows           use every row, not only primary rows (sensitivity analysis)\n"
    "\n%s%s"
    "\nExamples:\n"
    "  iastm claims data/trials.csv\n"
    "  iastm claims --format md -o analyses/results/claims.md data/trials.csv\n";

typedef struct {
    ma_claim_t c;
    ma_claim_result_t r;
} item_t;

static void unpooled_text(FILE *f, const ma_dataset_t *d, const ma_evidence_t *e,
                          const char *indent, int md)
{
    size_t i, n = 0;
    for (i = 0; i < e->nrows; i++) {
        const ma_study_t *s = &d->s[e->rows[i]];
        const char *dir = ma_dataset_cell(d, e->rows[i], "direction");
        if (s->included)
            continue;
        if (n++ == 0)
            fprintf(f, "%sRelevant rows not pooled:\n", indent);
        fprintf(f, "%s%s %s (line %ld, %s, %s)%s%s%s: %s\n", indent, md ? "-" : " ", s->label,
                s->line, ma_dataset_cell(d, e->rows[i], "comparator_class"),
                ma_form_name(s->form), dir[0] ? ", reported: " : "", dir, "", s->reason);
    }
}

/* The trials behind an assessment: author year, site and condition, n per arm, the
 * row's effect with its 95% CI, and where its numbers were read. */
static void trials_text(FILE *f, const ma_dataset_t *d, const ma_evidence_t *e,
                        const char *title, const char *indent, int md)
{
    size_t i, n = 0;
    for (i = 0; i < e->nrows; i++) {
        const ma_study_t *s = &d->s[e->rows[i]];
        const char *url = ma_dataset_cell(d, e->rows[i], "source_url");
        char cite[96], ci[400];
        double lb, ub;
        if (!s->included)
            continue;
        if (n++ == 0)
            fprintf(f, "%s%s:\n", indent, title);
        const char *site = ma_dataset_cell(d, e->rows[i], "site");
        const char *cond = ma_dataset_cell(d, e->rows[i], "condition_code");
        char where[160] = "";
        if (*site || *cond)
            snprintf(where, sizeof where, " (%s%s%s)", site, *site && *cond ? ", " : "", cond);
        ma_es_ci95(s->yi, s->vi, &lb, &ub);
        fprintf(f, "%s%s %s%s: n %.0f vs %.0f, SMD %s%s%s%s\n", indent,
                md ? "-" : " ", ma_dataset_citation(d, e->rows[i], cite, sizeof cite), where,
                s->n1, s->n2, cli_est_ci(ci, sizeof ci, s->yi, lb, ub),
                *url ? (md ? "; [source](" : "; ") : "", url, *url && md ? ")" : "");
    }
}

/* "chronic low back pain (site lumbar; condition chronic_low_back_pain)" or the region;
 * several sites are listed with commas (a '|' would split a Markdown table cell). */
static void population_text(char *buf, size_t n, const ma_claim_t *c)
{
    char sites[200];
    size_t i;
    snprintf(sites, sizeof sites, "%s", c->site);
    for (i = 0; sites[i]; i++)
        if (sites[i] == '|')
            sites[i] = '/';
    if (!*c->site && !*c->condition)
        snprintf(buf, n, "%s%sregion %s", c->population, *c->population ? ", " : "",
                 c->region);
    else
        snprintf(buf, n, "%s%s(%s%s%s%s%s)", c->population, *c->population ? " " : "",
                 *c->site ? "site " : "", sites, *c->site && *c->condition ? "; " : "",
                 *c->condition ? "condition " : "", c->condition);
}

/* The verdict under the four methods and whether it depends on the method: in Markdown
 * (md, a writer) a table of the one Markdown writer. */
static void methods_text(FILE *f, const ma_claim_result_t *r, ma_writer_t *md)
{
    size_t m;
    if (r->robustness == MA_ROBUST_NA)
        return;
    fprintf(f, md ? "- Robustness: **%s**\n\n" : "  Robustness: %s\n",
            ma_robustness_name(r->robustness));
    if (md)
        ma_writer_section(md, ""); /* a table without a heading */
    for (m = 0; m < MA_CLAIM_NMETHODS; m++) {
        const ma_claim_alt_t *a = &r->methods[m];
        char est[400];
        if (a->ok)
            cli_est_ci(est, sizeof est, a->estimate, a->lb, a->ub);
        else
            snprintf(est, sizeof est, "%s", a->note);
        if (md) {
            ma_writer_begin(md);
            ma_writer_str(md, "method", ma_claim_method_name((ma_claim_method_t)m));
            ma_writer_str(md, "estimate [95% interval]", est);
            ma_writer_str(md, "verdict", a->ok ? ma_verdict_name(a->verdict) : "-");
            ma_writer_end(md);
        } else if (a->ok)
            fprintf(f, "    %-32s %-24s %s\n", ma_claim_method_name((ma_claim_method_t)m),
                    est, ma_verdict_name(a->verdict));
        else
            fprintf(f, "    %-32s %s\n", ma_claim_method_name((ma_claim_method_t)m), est);
    }
    if (md)
        fputc('\n', f);
}

/* The report: text, or (md, a writer on f) Markdown whose tables are the writer's. */
static void write_text(FILE *f, const ma_dataset_t *d, const item_t *it, size_t n,
                       ma_writer_t *md, const char *filter)
{
    size_t i;
    char x1[32], x2[32], x3[32];
    if (md) {
        fprintf(f, "# Claims about IASTM checked against the pooled evidence\n\n");
        ma_writer_section(md, "");
        for (i = 0; i < n; i++) {
            const ma_evidence_t *e = it[i].r.no_population ? &it[i].r.indirect : &it[i].r.main;
            char ev[600] = "none pooled", ci[400], pop[320], about[200], verdict[64];
            if (e->fitted)
                snprintf(ev, sizeof ev, "%s%s, %zu trial%s",
                         it[i].r.no_population ? "no trial in this population; indirect: " : "",
                         cli_est_ci(ci, sizeof ci, e->fit.estimate, e->fit.ci_lb, e->fit.ci_ub),
                         e->trials, e->trials == 1 ? "" : "s");
            else if (it[i].r.no_population)
                snprintf(ev, sizeof ev, "no trial in this population");
            population_text(pop, sizeof pop, &it[i].c);
            snprintf(about, sizeof about, "%s, %s", it[i].c.outcome, it[i].c.comparator);
            snprintf(verdict, sizeof verdict, "**%s**", ma_verdict_name(it[i].r.verdict));
            ma_writer_begin(md);
            ma_writer_str(md, "claim", it[i].c.id);
            ma_writer_str(md, "population", pop);
            ma_writer_str(md, "about", about);
            ma_writer_str(md, "verdict", verdict);
            ma_writer_str(md, "robustness", ma_robustness_name(it[i].r.robustness));
            ma_writer_str(md, "pooled evidence", ev);
            ma_writer_str(md, "certainty", ma_certainty_name(e->grade.level));
            ma_writer_end(md);
        }
        fprintf(f, "\nSMD: Hedges' g, random effects (REML, Hartung-Knapp-Sidik-Jonkman 95%% "
                   "CI); positive favours IASTM.\n");
    }
    fprintf(f, md ? "\n%s\n" : "%s\n", filter);
    for (i = 0; i < n; i++) {
        const item_t *x = &it[i];
        const ma_evidence_t *e = &x->r.main;
        fprintf(f, md ? "\n## %s\n\n> %s\n\n" : "\n[%s] %s\n", x->c.id, x->c.claim);
        {
            char pop[320];
            population_text(pop, sizeof pop, &x->c);
            fprintf(f, md ? "- Population: %s; outcome %s; comparator %s; claim: %s\n"
                          : "  Population: %s; outcome %s; comparator %s; claim: %s\n",
                    pop, x->c.outcome, x->c.comparator, x->c.expected);
        }
        fprintf(f, md ? "- **Verdict: %s** (%s)\n" : "  Verdict: %s (%s)\n",
                ma_verdict_name(x->r.verdict), x->r.why);
        methods_text(f, &x->r, md);
        if (x->r.dropped) {
            const ma_claim_alt_t *w = &x->r.without;
            if (w->ok)
                fprintf(f, md ? "- Without the %zu pooled row%s the data audit flags: %s %s "
                                "[%s, %s], %s\n"
                              : "  Without the %zu pooled row%s the data audit flags: %s %s "
                                "[%s, %s], %s\n",
                        x->r.dropped, x->r.dropped == 1 ? "" : "s",
                        strcmp(x->c.expected, "spine_larger") ? "SMD"
                                                               : "spine - other difference",
                        cli_num(w->estimate, x1, 32), cli_num(w->lb, x2, 32),
                        cli_num(w->ub, x3, 32), ma_verdict_name(w->verdict));
            else
                fprintf(f, md ? "- Without the %zu pooled row%s the data audit flags: %s "
                                "(%s)\n"
                              : "  Without the %zu pooled row%s the data audit flags: %s (%s)\n",
                        x->r.dropped, x->r.dropped == 1 ? "" : "s",
                        ma_verdict_name(w->verdict), w->note);
        }
        if (x->r.no_population) {
            const ma_evidence_t *ie = &x->r.indirect;
            if (ie->fitted) {
                fprintf(f, md ? "- Indirect evidence (%s; rated down for indirectness): "
                                "SMD %s [%s, %s], %zu trial%s; certainty %s\n"
                              : "  Indirect evidence (%s; rated down for indirectness): "
                                "SMD %s [%s, %s], %zu trial%s; certainty %s\n",
                        x->r.indirect_scope, cli_num(ie->fit.estimate, x1, 32),
                        cli_num(ie->fit.ci_lb, x2, 32), cli_num(ie->fit.ci_ub, x3, 32),
                        ie->trials, ie->trials == 1 ? "" : "s",
                        ma_certainty_name(ie->grade.level));
                trials_text(f, d, ie, "Indirect trials", md ? "" : "  ", md != NULL);
            } else {
                fprintf(f, md ? "- Indirect evidence: no poolable trial nearby either\n"
                              : "  Indirect evidence: no poolable trial nearby either\n");
            }
            continue;
        }
        if (e->fitted && e->trials == 1) {
            fprintf(f, md ? "- A single trial, shown as such (no pooled verdict): SMD %s "
                            "[%s, %s], %.0f participants\n"
                          : "  A single trial, shown as such (no pooled verdict): SMD %s "
                            "[%s, %s], %.0f participants\n",
                    cli_num(e->fit.estimate, x1, 32), cli_num(e->fit.ci_lb, x2, 32),
                    cli_num(e->fit.ci_ub, x3, 32), e->participants);
        } else if (e->fitted) {
            fprintf(f, md ? "- Pooled: %zu row%s from %zu trial%s, %.0f participants"
                          : "  Pooled: %zu row%s from %zu trial%s, %.0f participants",
                    e->k, e->k == 1 ? "" : "s", e->trials, e->trials == 1 ? "" : "s",
                    e->participants);
            if (!isnan(e->fit.I2))
                fprintf(f, "; I2 = %.0f%%", e->fit.I2);
            if (!isnan(e->fit.pi_lb))
                fprintf(f, "; prediction interval [%s, %s]", cli_num(e->fit.pi_lb, x1, 32),
                        cli_num(e->fit.pi_ub, x2, 32));
            fputc('\n', f);
        }
        fprintf(f, md ? "- Certainty: %s (%s)\n" : "  Certainty: %s (%s)\n",
                ma_certainty_name(e->grade.level), e->grade.reasons);
        trials_text(f, d, e, "Trials pooled", md ? "" : "  ", md != NULL);
        unpooled_text(f, d, e, md ? "" : "  ", md != NULL);
    }
}

static void write_records(ma_writer_t *w, const ma_dataset_t *d, const item_t *it, size_t n)
{
    size_t i, j;
    ma_writer_section(w, "claims");
    for (i = 0; i < n; i++) {
        const item_t *x = &it[i];
        const ma_evidence_t *e = &x->r.main;
        ma_writer_begin(w);
        ma_writer_str(w, "claim_id", x->c.id);
        ma_writer_str(w, "claim", x->c.claim);
        ma_writer_str(w, "outcome", x->c.outcome);
        ma_writer_str(w, "region", x->c.region);
        ma_writer_str(w, "site", x->c.site);
        ma_writer_str(w, "condition", x->c.condition);
        ma_writer_str(w, "population", x->c.population);
        ma_writer_str(w, "comparator", x->c.comparator);
        ma_writer_str(w, "expected", x->c.expected);
        ma_writer_bool(w, "no_trial_in_population", x->r.no_population);
        ma_writer_str(w, "indirect_scope", x->r.no_population ? x->r.indirect_scope : NULL);
        ma_writer_str(w, "verdict", ma_verdict_name(x->r.verdict));
        ma_writer_str(w, "why", x->r.why);
        ma_writer_str(w, "robustness", ma_robustness_name(x->r.robustness));
        ma_writer_int(w, "audit_flagged_rows_pooled", (long)x->r.dropped);
        ma_writer_num(w, "without_flagged_estimate",
                      x->r.without.ok ? x->r.without.estimate : NAN);
        ma_writer_num(w, "without_flagged_lb", x->r.without.ok ? x->r.without.lb : NAN);
        ma_writer_num(w, "without_flagged_ub", x->r.without.ok ? x->r.without.ub : NAN);
        ma_writer_str(w, "without_flagged_verdict",
                      x->r.dropped ? ma_verdict_name(x->r.without.verdict) : NULL);
        for (j = 0; j < MA_CLAIM_NMETHODS; j++) {
            const ma_claim_alt_t *a = &x->r.methods[j];
            char key[48];
            const char *mk = ma_claim_method_key((ma_claim_method_t)j);
            snprintf(key, sizeof key, "%s_estimate", mk);
            ma_writer_num(w, key, a->ok ? a->estimate : NAN);
            snprintf(key, sizeof key, "%s_lb", mk);
            ma_writer_num(w, key, a->ok ? a->lb : NAN);
            snprintf(key, sizeof key, "%s_ub", mk);
            ma_writer_num(w, key, a->ok ? a->ub : NAN);
            snprintf(key, sizeof key, "%s_verdict", mk);
            ma_writer_str(w, key, a->ok ? ma_verdict_name(a->verdict) : NULL);
        }
        cli_evidence_fields(w, e, 0);
        ma_writer_num(w, "spine_estimate", x->r.spine.fitted ? x->r.spine.fit.estimate : NAN);
        ma_writer_num(w, "other_estimate", x->r.other.fitted ? x->r.other.fit.estimate : NAN);
        ma_writer_num(w, "difference", x->r.diff);
        ma_writer_num(w, "Q_between_p", x->r.Q_between_p);
        {
            const ma_evidence_t *ie = &x->r.indirect;
            ma_writer_num(w, "indirect_estimate", ie->fitted ? ie->fit.estimate : NAN);
            ma_writer_num(w, "indirect_ci_lb", ie->fitted ? ie->fit.ci_lb : NAN);
            ma_writer_num(w, "indirect_ci_ub", ie->fitted ? ie->fit.ci_ub : NAN);
            ma_writer_int(w, "indirect_trials", (long)ie->trials);
            ma_writer_str(w, "indirect_certainty",
                          x->r.no_population ? ma_certainty_name(ie->grade.level) : NULL);
        }
        ma_writer_end(w);
    }
    ma_writer_section(w, "trials");
    for (i = 0; i < n; i++) {
        const ma_evidence_t *e = it[i].r.no_population ? &it[i].r.indirect : &it[i].r.main;
        for (j = 0; j < e->nrows; j++) {
            const ma_study_t *s = &d->s[e->rows[j]];
            char cite[96];
            double lb, ub;
            if (!s->included)
                continue;
            ma_es_ci95(s->yi, s->vi, &lb, &ub);
            ma_writer_begin(w);
            ma_writer_str(w, "claim_id", it[i].c.id);
            ma_writer_str(w, "study", s->label);
            ma_writer_str(w, "citation", ma_dataset_citation(d, e->rows[j], cite, sizeof cite));
            ma_writer_int(w, "line", s->line);
            ma_writer_bool(w, "indirect", it[i].r.no_population);
            ma_writer_str(w, "site", ma_dataset_cell(d, e->rows[j], "site"));
            ma_writer_str(w, "condition", ma_dataset_cell(d, e->rows[j], "condition_code"));
            ma_writer_str(w, "comparator", ma_dataset_cell(d, e->rows[j], "comparator_class"));
            ma_writer_num(w, "n1", s->n1);
            ma_writer_num(w, "n2", s->n2);
            ma_writer_num(w, "yi", s->yi);
            ma_writer_num(w, "ci_lb", lb);
            ma_writer_num(w, "ci_ub", ub);
            ma_writer_str(w, "source_url", ma_dataset_cell(d, e->rows[j], "source_url"));
            ma_writer_str(w, "source_location",
                          ma_dataset_cell(d, e->rows[j], "source_location"));
            ma_writer_end(w);
        }
    }
    ma_writer_section(w, "not_pooled");
    for (i = 0; i < n; i++) {
        const ma_evidence_t *e = &it[i].r.main;
        for (j = 0; j < e->nrows; j++) {
            const ma_study_t *s = &d->s[e->rows[j]];
            if (s->included)
                continue;
            ma_writer_begin(w);
            ma_writer_str(w, "claim_id", it[i].c.id);
            ma_writer_str(w, "study", s->label);
            ma_writer_int(w, "line", s->line);
            ma_writer_str(w, "comparator", ma_dataset_cell(d, e->rows[j], "comparator_class"));
            ma_writer_str(w, "data_form", ma_form_name(s->form));
            ma_writer_str(w, "direction", ma_dataset_cell(d, e->rows[j], "direction"));
            ma_writer_str(w, "reason", s->reason);
            ma_writer_end(w);
        }
    }
}

typedef struct {
    const char *claims_path; /* --claims FILE */
    char default_path[1024]; /* the claims file when --claims is not given */
    double margin;           /* --margin */
    int all_rows;            /* --all-rows */
    ma_table_t *ct;
    ma_claim_t *claims;
    size_t nclaims, n;       /* claims read, claims checked */
    item_t *it;
    ma_audit_t *audit;
    unsigned char *flagged;
} claims_t;

static void init(cli_ctx_t *x)
{
    claims_t *u = x->self;
    u->claims_path = cli_data_file("claims.csv", u->default_path, sizeof u->default_path);
    u->margin = 0.5;
    ma_rma_opts_question_default(&x->rma); /* REML + HKSJ; --method, --test override */
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    claims_t *u = x->self;
    switch (opt) {
    case OPT_CLAIMS:
        u->claims_path = arg;
        return 1;
    case OPT_MARGIN:
        return cli_parse_double("claims", "--margin", arg, 0, 1e300, &u->margin) < 0 ? -1 : 1;
    case OPT_ALL_ROWS:
        u->all_rows = 1;
        return 1;
    default:
        return 0;
    }
}

static int prepare(cli_ctx_t *x)
{
    claims_t *u = x->self;
    ma_error_t err;
    int rc;
    if ((rc = cli_read_table(&x->c, u->claims_path, &u->ct)) != 0)
        return rc;
    if (ma_claims_read(u->ct, &u->claims, &u->nclaims, &err) != MA_OK)
        return cli_report(&err);
    if (!x->c.ds.primary_only) /* primary rows by default, unless --all-rows or none marked */
        x->c.ds.primary_only = u->all_rows ? 0 : MA_PRIMARY_IF_PRESENT;
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    claims_t *u = x->self;
    size_t i;
    if (u->all_rows) /* several rows of one trial and outcome are pooled as independent */
        cli_dependence_warn_within("claims", x->d, "outcome");
    for (i = 0; i < 3; i++) {
        static const char *const cols[] = {"outcome", "region", "comparator_class"};
        if (ma_table_col(x->t, cols[i]) < 0) {
            fprintf(stderr, "iastm: %s: column '%s' missing (a trials file is needed)\n",
                    x->t->path, cols[i]);
            return 2;
        }
    }
    return 0;
}

/* Which rows and which model, the line under the claims. */
static void filter_text(const cli_ctx_t *x, char *filter, size_t n)
{
    const claims_t *u = x->self;
    snprintf(filter, n,
             "Rows: %s of %s; each claim pools the rows of its outcome, population and "
             "comparator (model %s, %s test).",
             u->all_rows || x->d->col[MA_COL_PRIMARY] < 0 ? "all rows" : "the primary rows",
             x->path, ma_method_name(x->rma.method), ma_test_name(x->rma.test));
}

static void text(cli_ctx_t *x, FILE *f)
{
    claims_t *u = x->self;
    char filter[1200];
    filter_text(x, filter, sizeof filter);
    write_text(f, x->d, u->it, u->n, NULL, filter);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    claims_t *u = x->self;
    write_records(w, x->d, u->it, u->n);
}

static int run(cli_ctx_t *x)
{
    claims_t *u = x->self;
    const ma_dataset_t *d = x->d;
    ma_error_t err;
    size_t i;
    if (!(u->it = calloc(u->nclaims ? u->nclaims : 1, sizeof *u->it))) {
        fprintf(stderr, "iastm: out of memory\n");
        return 1;
    }
    /* the rows the data audit flags, for the sensitivity line of each verdict */
    if (ma_audit_run(d, &u->audit, &err) != MA_OK)
        return cli_report(&err);
    if (!(u->flagged = calloc(d->n ? d->n : 1, 1))) {
        fprintf(stderr, "iastm: out of memory\n");
        return 1;
    }
    for (i = 0; i < u->audit->n; i++)
        if (u->audit->items[i].result == MA_AUDIT_FLAG)
            u->flagged[u->audit->items[i].study] = 1;
    for (i = 0; i < u->nclaims; i++, u->n++) {
        item_t *it = &u->it[i];
        it->c = u->claims[i];
        if (ma_claim_check(d, &it->c, &x->rma, u->margin, &it->r, &err) != MA_OK ||
            ma_claim_without(d, &it->c, &x->rma, u->margin, u->flagged, &it->r, &err) !=
                MA_OK) {
            if (!err.file[0]) {
                snprintf(err.file, sizeof err.file, "%s", u->ct->path);
                err.line = u->claims[i].line;
            }
            return cli_report(&err);
        }
    }
    /* Markdown is the text report with the writer's Markdown tables */
    if (x->c.format == MA_FMT_MD) {
        cli_out_t out;
        ma_writer_t *md;
        char filter[1200];
        int rc;
        if ((rc = cli_out_open(&out, x->c.output)) != 0)
            return rc;
        if (!(md = cli_writer_new(&x->c, out.f, "claims", NULL, NULL)))
            return cli_out_close(&out, 0);
        filter_text(x, filter, sizeof filter);
        write_text(out.f, x->d, u->it, u->n, md, filter);
        return cli_out_close(&out, cli_writer_done(md));
    }
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    claims_t *u = x->self;
    size_t i;
    ma_audit_free(u->audit);
    free(u->flagged);
    for (i = 0; u->it && i < u->n; i++)
        ma_claim_result_clear(&u->it[i].r);
    free(u->it);
    free(u->claims);
    ma_table_free(u->ct);
}

static const struct option OPTIONS[] = {
    {"claims", required_argument, NULL, OPT_CLAIMS},
    {"margin", required_argument, NULL, OPT_MARGIN},
    {"all-rows", no_argument, NULL, OPT_ALL_ROWS},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_CLAIMS = {
    .digits = 2, /* verdicts on SMDs: 2 decimals, as summary-of-findings tables */
    .name = "claims", .summary = "check clinical claims against the pooled evidence",
    .help = HELP, .help_parts = {CLI_DATADIR, CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .options = OPTIONS,
    .row_by_row = 1, /* each claim pools its own outcome's rows */
    .self_size = sizeof(claims_t), .init = init, .option = option, .prepare = prepare,
    .loaded = loaded, .run = run, .clear = clear,
};
