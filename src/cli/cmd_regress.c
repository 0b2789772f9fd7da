/* iastm regress: mixed-effects meta-regression on one or more moderator columns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

enum { OPT_MODS = OPT_CMD_BASE };


static const char HELP[] =
    "Usage: iastm regress --mods COL[,COL...] [OPTIONS] FILE.csv\n"
    "Mixed-effects meta-regression, as R metafor's rma.uni(yi, vi, mods = ~ ...): the\n"
    "coefficients with z, t or Knapp-Hartung t tests, the omnibus test of the moderators (QM),\n"
    "the test for residual heterogeneity (QE), residual tau^2, I^2, H^2 and R^2.\n"
    "A moderator column whose every value is a number is continuous; any other is\n"
    "categorical, coded with one dummy per level against the first level in sorted order\n"
    "(as R's factor()). Rows with a missing moderator are left out and listed.\n"
    "\n%s"
    "Model options:\n"
    "  --mods COL[,COL...]  moderator columns (required)\n"
    "%s"
    "  --test z|knha|t|adhoc z tests (default); knha: Knapp-Hartung t and F tests (k - p\n"
    "                       df); t: t and F tests with the z standard errors; adhoc:\n"
    "                       Knapp-Hartung with standard errors never below the z ones\n"
    "  --level L            confidence level: 95 or 0.95 (default 95), as metafor\n"
    "  --maxiter N, --stepadj X, --tau2-init X\n"
    "                       Fisher scoring control (metafor's control list), see iastm\n"
    "                       pool --help\n"
    "\nExamples:\n"
    "  iastm regress --mods ablat data/examples/bcg.csv\n"
    "  iastm regress --mods ablat,alloc --test knha --format json data/examples/bcg.csv\n"
    "  iastm regress --primary --where outcome=pain --mods year data/trials.csv\n";

/* cli_pval's p (the --digits rule); with eq, after "= " or as "< .0001" in a sentence. */
static const char *pv(double p, char *buf, size_t n, int eq)
{
    char t[24]; /* a p-value at --digits (at most 12) fits */
    cli_pval(p, t, sizeof t);
    if (!eq)
        snprintf(buf, n, "%s", t);
    else if (t[0] == '<')
        snprintf(buf, n, "< %s", t + 1);
    else
        snprintf(buf, n, "= %s", t);
    return buf;
}

static void text_report(FILE *f, const ma_reg_t *r, const ma_design_t *x,
                        const ma_rma_opts_t *o, const char *const *mods, const char *measure)
{
    char a[32], b[32], c[32], d[32], e[32], g[32];
    int fe = r->method_used == MA_METHOD_FE, knha = !isnan(r->df);
    size_t j, w = 8, first = 2;
    if (fe)
        fprintf(f, "Fixed-Effects with Moderators Model (k = %zu)\n\n", r->k);
    else
        fprintf(f, "Mixed-Effects Model (k = %zu; tau^2 estimator: %s)\n\n", r->k,
                ma_method_name(r->method_used));
    fprintf(f, "Moderators:");
    for (j = 0; j < x->nmods; j++) {
        if (x->categorical[j])
            fprintf(f, "%s %s (categorical, %zu levels)", j ? "," : "", mods[j],
                    x->nlevels[j]);
        else
            fprintf(f, "%s %s (continuous)", j ? "," : "", mods[j]);
    }
    fprintf(f, "\n\n");
    if (r->note[0])
        fprintf(f, "Note: %s\n\n", r->note);
    if (!fe) {
        fprintf(f, "tau^2 (estimated amount of residual heterogeneity):     %s\n",
                cli_num(r->tau2, a, 32));
        fprintf(f, "tau (square root of estimated tau^2 value):             %s\n",
                cli_num(sqrt(r->tau2), a, 32));
    }
    fprintf(f, "I^2 (residual heterogeneity / unaccounted variability): %s%%\n",
            cli_num(r->I2, a, 32));
    fprintf(f, "H^2 (unaccounted variability / sampling variability):   %s\n",
            cli_num(r->H2, a, 32));
    if (!isnan(r->R2))
        fprintf(f, "R^2 (amount of heterogeneity accounted for):            %s%%\n",
                cli_num(r->R2, a, 32));
    fprintf(f, "\nTest for Residual Heterogeneity:\nQE(df = %.0f) = %s, p-val %s\n\n",
            r->QE_df, cli_num(r->QE, a, 32), pv(r->QE_p, b, 32, 1));
    if (x->p == 2)
        fprintf(f, "Test of Moderators (coefficient 2):\n");
    else
        fprintf(f, "Test of Moderators (coefficients %zu:%zu):\n", first, x->p);
    if (knha)
        fprintf(f, "F(df1 = %.0f, df2 = %.0f) = %s, p-val %s\n\n", r->QM_df, r->df,
                cli_num(r->QM, a, 32), pv(r->QM_p, b, 32, 1));
    else
        fprintf(f, "QM(df = %.0f) = %s, p-val %s\n\n", r->QM_df, cli_num(r->QM, a, 32),
                pv(r->QM_p, b, 32, 1));
    fprintf(f, "Model Results (%s):\n\n", measure);
    for (j = 0; j < x->p; j++)
        if (strlen(x->term[j]) > w)
            w = strlen(x->term[j]);
    fprintf(f, "%-*s %10s %10s %10s %10s %10s %10s\n", (int)w, "", "estimate", "se",
            knha ? "tval" : "zval", "pval", "ci.lb", "ci.ub");
    for (j = 0; j < x->p; j++)
        fprintf(f, "%-*s %10s %10s %10s %10s %10s %10s\n", (int)w, x->term[j],
                cli_num(r->b[j], a, 32), cli_num(r->se[j], b, 32), cli_num(r->stat[j], c, 32),
                pv(r->pval[j], d, 32, 0), cli_num(r->ci_lb[j], e, 32), cli_num(r->ci_ub[j], g, 32));
    if (knha)
        fprintf(f, "(t tests with %.0f df, %s; %g%% CI)\n", r->df,
                r->test == MA_TEST_KNHA ? "Knapp-Hartung" : cli_test_label(r->test),
                100 * o->level);
}

typedef struct {
    cli_mods_t mods;
    ma_design_t *x;
    double *yi, *vi;
    ma_reg_t r;
} regress_t;

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    regress_t *g = x->self;
    if (opt != OPT_MODS)
        return 0;
    return cli_mods_parse(&g->mods, "regress", arg, CLI_MAX_MODS);
}

static int check(cli_ctx_t *x)
{
    if (((regress_t *)x->self)->mods.n == 0)
        return cli_usage_error("regress", "--mods COL[,COL...] is required");
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    return cli_need_mods(x, &((regress_t *)x->self)->mods);
}

static void text(cli_ctx_t *x, FILE *f)
{
    regress_t *g = x->self;
    const ma_dataset_t *d = x->d;
    text_report(f, &g->r, g->x, &x->rma, g->mods.names, cli_measure_name(&x->c, d));
    cli_excluded_text(f, d);
    cli_design_missing_text(f, d, g->x, "Not in the model");
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    regress_t *g = x->self;
    const ma_dataset_t *d = x->d;
    const ma_reg_t *r = &g->r;
    char modlist[1024] = "";
    size_t j;
    for (j = 0; j < g->mods.n; j++) {
        size_t n = strlen(modlist);
        snprintf(modlist + n, sizeof modlist - n, "%s%s", j ? "," : "", g->mods.names[j]);
    }
    ma_writer_section(w, "model");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(&x->c, d));
    ma_writer_str(w, "mods", modlist);
    ma_writer_str(w, "model", r->method_used == MA_METHOD_FE ? "common" : "mixed");
    ma_writer_str(w, "method", ma_method_name(x->rma.method));
    ma_writer_str(w, "method_used", ma_method_name(r->method_used));
    ma_writer_str(w, "test", ma_test_name(r->test));
    ma_writer_num(w, "level", x->rma.level);
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_int(w, "p", (long)r->p);
    ma_writer_num(w, "df", r->df);
    ma_writer_num(w, "tau2", r->tau2);
    ma_writer_num(w, "tau", sqrt(r->tau2));
    ma_writer_num(w, "I2", r->I2);
    ma_writer_num(w, "H2", r->H2);
    ma_writer_num(w, "R2", r->R2);
    ma_writer_num(w, "QM", r->QM);
    ma_writer_num(w, "QM_df", r->QM_df);
    ma_writer_num(w, "QM_df2", r->df);
    ma_writer_num(w, "QM_p", r->QM_p);
    ma_writer_num(w, "QE", r->QE);
    ma_writer_num(w, "QE_df", r->QE_df);
    ma_writer_num(w, "QE_p", r->QE_p);
    ma_writer_bool(w, "converged", r->converged);
    ma_writer_int(w, "iterations", r->iterations);
    ma_writer_str(w, "note", r->note);
    ma_writer_end(w);
    ma_writer_section(w, "coefficients");
    for (j = 0; j < r->p; j++) {
        ma_writer_begin(w);
        ma_writer_str(w, "term", g->x->term[j]);
        cli_coef_fields(w, r->b[j], r->se[j], r->stat[j], r->pval[j], r->ci_lb[j], r->ci_ub[j]);
        ma_writer_end(w);
    }
    /* the rows without a moderator among the excluded ones */
    cli_excluded_records_and(w, d, g->x->missing, g->x->nmissing, g->x->reason, NULL);
}

static int run(cli_ctx_t *x)
{
    regress_t *g = x->self;
    ma_error_t err;
    size_t j;
    int rc;
    if ((rc = cli_model_matrix(x, g->mods.names, g->mods.n, &g->x, &g->yi, &g->vi)) != 0)
        return rc;
    if (ma_regress_fit(g->yi, g->vi, g->x->k, g->x->X, g->x->p, &x->rma, &g->r, &err) != MA_OK) {
        rc = cli_fit_error(x, &err);
        fprintf(stderr, "  columns:");
        for (j = 0; j < g->x->p; j++)
            fprintf(stderr, " %zu %s%s", j + 1, g->x->term[j], j + 1 < g->x->p ? "," : "\n");
        return rc;
    }
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    regress_t *g = x->self;
    ma_reg_clear(&g->r);
    ma_design_free(g->x);
    free(g->yi);
    free(g->vi);
    cli_mods_free(&g->mods);
}

static const struct option OPTIONS[] = {
    CLI_RMA_FIT_LONGOPTS,
    {"mods", required_argument, NULL, OPT_MODS},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "model: k tau2 I2 R2 QM QM_df QM_p QE QE_df QE_p",
    NULL};

const cli_cmd_t CLI_CMD_REGRESS = {
    .table = "coefficients", .md_columns = MD_COLUMNS,
    .name = "regress", .summary = "mixed-effects meta-regression on moderators", .help = HELP,
    .help_parts = {CLI_COMMON_HELP, CLI_METHOD_HELP},
    .groups = CLI_GROUP_RMA_PARSE, /* no --pi: CLI_RMA_FIT_LONGOPTS above */
    .options = OPTIONS, .self_size = sizeof(regress_t), .min_k = 1,
    .k_style = CLI_K_NONE_USABLE, .option = option, .check = check, .loaded = loaded,
    .run = run, .clear = clear,
};
