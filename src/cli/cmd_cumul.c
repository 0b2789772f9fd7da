/* iastm cumul: cumulative meta-analysis (metafor cumul with order=). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

enum { OPT_ORDER = OPT_CMD_BASE, OPT_DECREASING };

static const char HELP[] =
    "Usage: iastm cumul [OPTIONS] FILE.csv\n"
    "Cumulative meta-analysis, as R metafor's cumul(): studies are added one at a time\n"
    "and the model is refitted after each addition. Ordered by publication year, it shows\n"
    "when the evidence became conclusive and whether early studies overstated the effect.\n"
    "Rows that cannot be pooled are listed with their reason.\n"
    "\n%s%s"
    "Order:\n"
    "  --order COL          add studies in the order of column COL (numbers sort\n"
    "                       numerically, text bytewise; ties keep input order, missing\n"
    "                       values go last); default: input order\n"
    "  --decreasing         largest values of COL first\n"
    "\nExamples:\n"
    "  iastm cumul --order year data/examples/bcg.csv\n"
    "  iastm cumul --order year --decreasing --format csv data/examples/bcg.csv\n"
    "  iastm cumul --primary --where outcome=pain --order year data/trials.csv\n";

typedef struct {
    const char *order;   /* --order COL (NULL: input order) */
    int decreasing;
    size_t *perm;        /* k: position j -> included study index */
    const char **key;    /* k: order cell of each included study (NULL when missing) */
    ma_rma_t *fits;      /* k: the fits in that order */
    size_t nmissing;     /* rows without an order value (added last) */
} cumul_t;

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_rma_opts_t *o, const cumul_t *u, const ma_rma_t *fits)
{
    char a[32], b[32], e[32], g[32], h[32], m[32], q[32];
    size_t j, w = cli_label_width(d), kw = 5;
    int pct = (int)lround(o->level * 100);

    for (j = 0; j < d->k; j++) {
        if (u->key[j] && strlen(u->key[j]) > kw)
            kw = strlen(u->key[j]) < 16 ? strlen(u->key[j]) : 16;
    }
    cli_analysis_heading(f, "Cumulative meta-analysis", o->method, d->k, cli_measure_name(c, d));
    if (u->order)
        fprintf(f, "Studies added in %s order of '%s'.\n\n",
                u->decreasing ? "decreasing" : "increasing", u->order);
    else
        fprintf(f, "Studies added in input order.\n\n");
    /* the order column only with --order: in input order it would hold NA alone */
    fprintf(f, "%-*s ", (int)w, "study added");
    if (u->order)
        fprintf(f, "%-*s ", (int)kw, u->order);
    fprintf(f, "%5s %10s %10s %10s %10s %10s %10s %8s\n", "k", "estimate", "se", "ci.lb",
            "ci.ub", "pval", "tau^2", "I^2(%)");
    for (j = 0; j < d->k; j++) {
        const ma_rma_t *r = &fits[j];
        size_t s = u->perm[j];
        fprintf(f, "%-*.*s ", (int)w, (int)w, d->s[d->idx[s]].label);
        if (u->order)
            fprintf(f, "%-*.*s ", (int)kw, (int)kw, u->key[s] ? u->key[s] : "NA");
        fprintf(f, "%5zu %10s %10s %10s %10s %10s %10s %8s\n", r->k, cli_num(r->estimate, a, 32), cli_num(r->se, b, 32), cli_num(r->ci_lb, e, 32),
                cli_num(r->ci_ub, g, 32), cli_pval(r->pval, h, 32), cli_num(r->tau2, m, 32),
                cli_num(r->I2, q, 32));
    }
    fprintf(f, "\n(%d%% CIs; each row pools the studies up to and including that row; with "
               "one study tau^2 = 0 and I^2 is undefined.)\n", pct);
    if (u->nmissing)
        fprintf(f, "Rows without a value in '%s' (%zu, shown as NA) are added last.\n", u->order,
                u->nmissing);
    for (j = 1; j < d->k; j++)
        if (fits[j].note[0])
            fprintf(f, "Note (k = %zu): %s\n", fits[j].k, fits[j].note);
    cli_excluded_text(f, d);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const cumul_t *u, const ma_rma_t *fits)
{
    size_t j;
    const char *measure = cli_measure_name(c, d); /* O(n): once, not per step */
    ma_writer_section(w, "cumul");
    for (j = 0; j < d->k; j++) {
        const ma_rma_t *r = &fits[j];
        size_t s = u->perm[j];
        ma_writer_begin(w);
        ma_writer_int(w, "step", (long)(j + 1));
        ma_writer_str(w, "study", d->s[d->idx[s]].label);
        ma_writer_int(w, "line", d->s[d->idx[s]].line);
        ma_writer_int(w, "position", (long)(s + 1));
        if (u->order)
            ma_writer_str(w, "order_value", u->key[s]);
        ma_writer_str(w, "measure", measure);
        cli_rma_fields(w, r, "k estimate se stat df pval ci_lb ci_ub Q Q_p tau2 I2 H2 method_used "
                             "converged note");
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    cumul_t *u = x->self;
    if (opt == OPT_ORDER)
        u->order = arg;
    else if (opt == OPT_DECREASING)
        u->decreasing = 1;
    else
        return 0;
    return 1;
}

static int check(cli_ctx_t *x)
{
    cumul_t *u = x->self;
    if (u->decreasing && !u->order)
        return cli_usage_error("cumul", "--decreasing needs --order");
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    cumul_t *u = x->self;
    return cli_need_column(x, "--order", u->order);
}

static void text(cli_ctx_t *x, FILE *f)
{
    cumul_t *u = x->self;
    write_text(f, &x->c, x->d, &x->rma, u, u->fits);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    cumul_t *u = x->self;
    write_records(w, &x->c, x->d, u, u->fits);
}

static int run(cli_ctx_t *x)
{
    cumul_t *u = x->self;
    const ma_dataset_t *d = x->d;
    ma_error_t err;
    x->rma.tau2_ci = 0;
    u->fits = malloc(d->k * sizeof *u->fits);
    u->perm = malloc(d->k * sizeof *u->perm);
    u->key = malloc(d->k * sizeof *u->key);
    if (!u->fits || !u->perm || !u->key)
        return cli_oom(x);
    if (ma_cumul_order_rows(d, u->order, u->decreasing, u->perm, u->key, &u->nmissing, &err) !=
            MA_OK
        || ma_cumul(d->yi, d->vi, d->k, u->perm, &x->rma, u->fits, &err) != MA_OK)
        return cli_report_in(&err, x->t->path);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    cumul_t *u = x->self;
    free(u->fits);
    free(u->perm);
    free(u->key);
}

static const struct option OPTIONS[] = {
    {"order", required_argument, NULL, OPT_ORDER},
    {"decreasing", no_argument, NULL, OPT_DECREASING},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "cumul: step study order_value k estimate ci_lb ci_ub pval tau2 I2",
    NULL};

const cli_cmd_t CLI_CMD_CUMUL = {
    .md_columns = MD_COLUMNS,
    .name = "cumul", .summary = "cumulative meta-analysis", .help = HELP,
    .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA, .options = OPTIONS,
    .self_size = sizeof(cumul_t), .min_k = 1, .k_style = CLI_K_NONE_USABLE, .option = option,
    .check = check, .loaded = loaded, .run = run, .clear = clear,
};
