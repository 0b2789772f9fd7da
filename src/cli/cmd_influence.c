/* iastm influence: case-deletion diagnostics (metafor influence.rma.uni). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "command.h"

static const char HELP[] =
    "Usage: iastm influence [OPTIONS] FILE.csv\n"
    "Outlier and influence diagnostics, as R metafor's influence(): for each study the\n"
    "externally studentized residual, DFFITS, Cook's distance, covariance ratio, tau^2 and\n"
    "Q without the study, hat value, weight and DFBETAS. Studies marked '*' are influential\n"
    "by metafor's rules: |DFFITS| > 3 sqrt(1/(k-1)), Cook's distance above the median of\n"
    "chi^2(1), hat > 3/k, or |DFBETAS| > 1. Rows that cannot be pooled are listed with\n"
    "their reason.\n"
    "\n%s%s"
    "\nExamples:\n"
    "  iastm influence data/examples/bcg.csv\n"
    "  iastm influence --method DL --format csv data/examples/bcg.csv\n";

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_rma_opts_t *o, const ma_rma_t *full, const ma_infl_t *inf)
{
    char b[10][32];
    size_t j, w = cli_label_width(d), nflag = 0, k = d->k;

    cli_analysis_heading(f, "Influence diagnostics",
                         o->method == MA_METHOD_FE ? MA_METHOD_FE : full->method_used, k,
                         cli_measure_name(c, d));
    if (full->note[0])
        fprintf(f, "Note: %s\n", full->note);
    fprintf(f, "All studies: estimate %s, tau^2 = %s, Q = %s\n\n", cli_num(full->estimate, b[0], 32),
            cli_num(full->tau2, b[1], 32), cli_num(full->Q, b[2], 32));
    fprintf(f, "%-*s %9s %9s %9s %9s %9s %10s %7s %8s %9s %9s  %s\n", (int)w, "study",
            "rstudent", "dffits", "cook.d", "cov.r", "tau2.del", "QE.del", "hat", "weight%",
            "dfbetas", "est.del", "inf");
    for (j = 0; j < k; j++) {
        const ma_infl_t *x = &inf[j];
        fprintf(f, "%-*.*s %9s %9s %9s %9s %9s %10s %7s %8s %9s %9s  %s\n", (int)w, (int)w,
                d->s[d->idx[j]].label, cli_num(x->rstudent, b[0], 32), cli_num(x->dffits, b[1], 32),
                cli_num(x->cook_d, b[2], 32), cli_num(x->cov_r, b[3], 32), cli_num(x->tau2_del, b[4], 32),
                cli_num(x->QE_del, b[5], 32), cli_num(x->hat, b[6], 32), cli_num(x->weight, b[7], 32),
                cli_num(x->dfbetas, b[8], 32), cli_num(x->estimate_del, b[9], 32), x->inf ? "*" : "");
        nflag += x->inf != 0;
    }
    fprintf(f, "\n* influential (metafor's rules): |dffits| > %.4f, cook.d > %.4f, hat > %.4f, "
               "or |dfbetas| > 1.\n", ma_influence_dffits_cut(k), gsl_cdf_chisq_Pinv(0.5, 1),
            ma_influence_hat_cut(k));
    fprintf(f, "|rstudent| > 1.96 suggests an outlier (a study that does not fit the model).\n");
    if (nflag == 0) {
        fprintf(f, "No study is influential.\n");
    } else {
        fprintf(f, "Influential: ");
        for (j = 0; j < k; j++)
            if (inf[j].inf)
                fprintf(f, "%s%s", d->s[d->idx[j]].label, --nflag ? ", " : ".\n");
    }
    cli_excluded_text(f, d);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_rma_opts_t *o, const ma_rma_t *full, const ma_infl_t *inf)
{
    size_t j;
    cli_pool_section(w, c, d, full, o);
    ma_writer_section(w, "influence");
    for (j = 0; j < d->k; j++) {
        const ma_infl_t *x = &inf[j];
        const ma_study_t *s = &d->s[d->idx[j]];
        ma_writer_begin(w);
        ma_writer_int(w, "position", (long)(j + 1));
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_num(w, "rstudent", x->rstudent);
        ma_writer_num(w, "dffits", x->dffits);
        ma_writer_num(w, "cook_d", x->cook_d);
        ma_writer_num(w, "cov_r", x->cov_r);
        ma_writer_num(w, "tau2_del", x->tau2_del);
        ma_writer_num(w, "QE_del", x->QE_del);
        ma_writer_num(w, "hat", x->hat);
        ma_writer_num(w, "weight", x->weight);
        ma_writer_num(w, "dfbetas", x->dfbetas);
        ma_writer_num(w, "estimate_del", x->estimate_del);
        ma_writer_bool(w, "inf", x->inf);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

typedef struct {
    ma_rma_t full;
    ma_infl_t *inf;
} influence_t;

static void text(cli_ctx_t *x, FILE *f)
{
    influence_t *u = x->self;
    write_text(f, &x->c, x->d, &x->rma, &u->full, u->inf);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    influence_t *u = x->self;
    write_records(w, &x->c, x->d, &x->rma, &u->full, u->inf);
}

static int run(cli_ctx_t *x)
{
    influence_t *u = x->self;
    ma_error_t err;
    x->rma.tau2_ci = 0;
    if (!(u->inf = malloc(x->d->k * sizeof *u->inf)))
        return cli_oom(x);
    if (ma_influence(x->d->yi, x->d->vi, x->d->k, &x->rma, u->inf, &u->full, &err) != MA_OK)
        return cli_report_in(&err, x->t->path);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    free(((influence_t *)x->self)->inf);
}

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "influence: study rstudent dffits cook_d cov_r tau2_del QE_del hat weight inf",
    NULL};

const cli_cmd_t CLI_CMD_INFLUENCE = {
    .table = "influence", .md_columns = MD_COLUMNS,
    .name = "influence", .summary = "influence diagnostics (residuals, Cook's distance, ...)",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .self_size = sizeof(influence_t), .min_k = 2, .k_style = CLI_K_OF_USABLE,
    .k_needs = "influence diagnostics need", .run = run, .clear = clear,
};
