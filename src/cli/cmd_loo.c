/* iastm loo: leave-one-out sensitivity analysis (metafor leave1out). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

static const char HELP[] =
    "Usage: iastm loo [OPTIONS] FILE.csv\n"
    "Leave-one-out sensitivity analysis, as R metafor's leave1out(): the model is refitted\n"
    "with each study removed in turn. One row per study, in input order: the pooled\n"
    "estimate, its CI and p-value, Q, tau^2 and I^2 without that study. Shows whether one\n"
    "study drives the result. Rows that cannot be pooled are listed with their reason.\n"
    "\n%s%s"
    "\nExamples:\n"
    "  iastm loo data/examples/bcg.csv                          (REML, z test)\n"
    "  iastm loo --method DL --test knha --format csv data/examples/bcg.csv\n"
    "  iastm loo --primary --where outcome=pain data/trials.csv\n";

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_rma_opts_t *o, const ma_rma_t *full, const ma_rma_t *fits,
                       unsigned char *changes)
{
    char a[32], b[32], e[32], g[32], h[32], m[32], q[32], t[32], u[32];
    size_t j, w = cli_label_width(d), lo, hi, nchange;
    ma_loo_range_t range;
    int pct = (int)lround(o->level * 100);
    double alpha = 1 - o->level;

    cli_analysis_heading(f, "Leave-one-out analysis", o->method, d->k, cli_measure_name(c, d));
    fputc('\n', f);
    fprintf(f, "All studies: estimate %s [%d%% CI %s, %s], p = %s, tau^2 = %s, I^2 = %s%%\n\n",
            cli_num(full->estimate, a, 32), pct, cli_num(full->ci_lb, b, 32), cli_num(full->ci_ub, e, 32),
            cli_pval(full->pval, g, 32), cli_num(full->tau2, h, 32), cli_num(full->I2, m, 32));
    fprintf(f, "%-*s %10s %10s %10s %10s %10s %10s %8s %10s %8s\n", (int)w, "left out",
            "estimate", "se", "ci.lb", "ci.ub", "pval", "Q", "Q_p", "tau^2", "I^2(%)");
    for (j = 0; j < d->k; j++) {
        const ma_rma_t *r = &fits[j];
        fprintf(f, "%-*.*s %10s %10s %10s %10s %10s %10s %8s %10s %8s\n", (int)w, (int)w,
                d->s[d->idx[j]].label, cli_num(r->estimate, a, 32), cli_num(r->se, b, 32),
                cli_num(r->ci_lb, e, 32), cli_num(r->ci_ub, g, 32), cli_pval(r->pval, h, 32),
                cli_num(r->Q, m, 32), cli_pval(r->Q_p, q, 32), cli_num(r->tau2, t, 32), cli_num(r->I2, u, 32));
    }
    nchange = ma_loo_summary(full, fits, d->k, alpha, &range, changes);
    lo = range.lowest;
    hi = range.highest;
    fprintf(f, "\nEstimates without one study range from %s (without %s) to %s (without %s).\n",
            cli_num(fits[lo].estimate, a, 32), d->s[d->idx[lo]].label, cli_num(fits[hi].estimate, b, 32),
            d->s[d->idx[hi]].label);
    {
        int sig = full->pval < alpha;
        if (nchange)
            fprintf(f, "Leaving out these studies changes the test at the %.0f%% level "
                       "(p %s %g):\n", 100 * alpha, sig ? ">=" : "<", alpha);
        for (j = 0; j < d->k; j++)
            if (changes[j])
                fprintf(f, "  %s (p = %s)\n", d->s[d->idx[j]].label,
                        cli_pval(fits[j].pval, a, 32));
        if (!nchange)
            fprintf(f, "No single study changes the test at the %g level (p %s %g in every "
                       "refit).\n", alpha, sig ? "<" : ">=", alpha);
    }
    for (j = 0; j < d->k; j++)
        if (fits[j].note[0])
            fprintf(f, "Note (without %s): %s\n", d->s[d->idx[j]].label, fits[j].note);
    cli_excluded_text(f, d);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_rma_opts_t *o, const ma_rma_t *full, const ma_rma_t *fits)
{
    size_t j;
    cli_pool_section(w, c, d, full, o);
    ma_writer_section(w, "loo");
    for (j = 0; j < d->k; j++) {
        const ma_rma_t *r = &fits[j];
        const ma_study_t *s = &d->s[d->idx[j]];
        ma_writer_begin(w);
        ma_writer_int(w, "left_out", (long)(j + 1));
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        cli_rma_fields(w, r, "k estimate se stat df pval ci_lb ci_ub Q Q_df Q_p tau2 I2 H2 "
                             "method_used converged note");
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

typedef struct {
    ma_rma_t full, *fits;
    unsigned char *changes; /* k: refit changes the test */
} loo_t;

static void text(cli_ctx_t *x, FILE *f)
{
    loo_t *l = x->self;
    write_text(f, &x->c, x->d, &x->rma, &l->full, l->fits, l->changes);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    loo_t *l = x->self;
    write_records(w, &x->c, x->d, &x->rma, &l->full, l->fits);
}

static int run(cli_ctx_t *x)
{
    loo_t *l = x->self;
    ma_error_t err;
    x->rma.tau2_ci = 0; /* not part of a leave-one-out table */
    if (!(l->fits = malloc(x->d->k * sizeof *l->fits)) || !(l->changes = malloc(x->d->k)))
        return cli_oom(x);
    if (ma_rma_fit(x->d->yi, x->d->vi, x->d->k, &x->rma, &l->full, &err) != MA_OK
        || ma_loo(x->d->yi, x->d->vi, x->d->k, &x->rma, l->fits, &err) != MA_OK)
        return cli_report_in(&err, x->t->path);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    free(((loo_t *)x->self)->fits);
    free(((loo_t *)x->self)->changes);
}

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "loo: study k estimate ci_lb ci_ub pval Q_p tau2 I2",
    NULL};

const cli_cmd_t CLI_CMD_LOO = {
    .table = "loo", .md_columns = MD_COLUMNS,
    .name = "loo", .summary = "leave-one-out sensitivity analysis", .help = HELP,
    .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .self_size = sizeof(loo_t), .min_k = 2, .k_style = CLI_K_OF_USABLE,
    .k_needs = "leave-one-out needs", .run = run, .clear = clear,
};
