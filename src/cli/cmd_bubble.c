/* iastm bubble: bubble plot of a meta-regression on one continuous moderator via gnuplot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

enum { OPT_MODS = OPT_CMD_BASE, OPT_XLABEL, OPT_YLABEL };

static const char HELP[] =
    "Usage: iastm bubble --mods COL [OPTIONS] -o FILE.png|svg|pdf FILE.csv\n"
    "Bubble plot of a mixed-effects meta-regression on one continuous moderator, drawn\n"
    "by gnuplot (as R metafor's regplot): each study's effect against the moderator as a\n"
    "circle whose area is proportional to its weight 1/(vi + tau^2) in the model, the\n"
    "fitted line with its confidence band (prediction of the mean +- the z, or under\n"
    "--test knha the t, quantile times its standard error), and a line with the slope,\n"
    "its CI and p, tau^2 and R^2. Rows not in the model are listed under the plot.\n"
    "\n%s%s%s"
    "Bubble options:\n"
    "  --mods COL           the moderator: a column of numbers (required)\n"
    "  --xlabel TEXT        x axis label (default: the column name)\n"
    "  --ylabel TEXT        y axis label (default: the measure)\n"
    "\nExamples:\n"
    "  iastm bubble --mods ablat --ylabel 'Log risk ratio' -o bcg_ablat.png data/examples/bcg.csv\n"
    "  iastm bubble --mods weeks --test knha -o weeks.pdf data/examples/raudenbush1985.csv\n"
    "  iastm bubble --primary --where outcome=pain --mods year -o pain_year.svg data/trials.csv\n";

static int by_line(const void *a, const void *b)
{
    long la = ((const ma_plot_excluded_t *)a)->line;
    long lb = ((const ma_plot_excluded_t *)b)->line;
    return la < lb ? -1 : la > lb;
}

/* Rows of the dataset not pooled and poolable rows without the moderator, in file order. */
static ma_plot_excluded_t *excluded_rows(const ma_dataset_t *d, const ma_design_t *x,
                                         size_t *n)
{
    size_t i, m;
    ma_plot_excluded_t *e = cli_plot_excluded(d, &m), *e2;
    if (!e)
        return NULL;
    if (x->nmissing) {
        if (!(e2 = realloc(e, (m + x->nmissing) * sizeof *e))) {
            free(e);
            return NULL;
        }
        e = e2;
        for (i = 0; i < x->nmissing; i++) {
            const ma_study_t *st = &d->s[d->idx[x->missing[i]]];
            e[m].label = st->cite;
            e[m].line = st->line;
            e[m].reason = x->reason[i];
            m++;
        }
        qsort(e, m, sizeof *e, by_line);
    }
    *n = m;
    return e;
}

typedef struct {
    ma_bubble_opts_t bo;
    const char *mod; /* --mods COL */
    ma_reg_t r;
    ma_design_t *x;
    ma_plot_excluded_t *excl;
    double *yi, *vi, *xv;
    ma_gp_script_t s;
} bubble_t;

static void init(cli_ctx_t *x)
{
    bubble_t *u = x->self;
    x->rma.tau2_ci = 0;
    ma_bubble_opts_init(&u->bo);
    u->bo.xlabel = u->bo.ylabel = NULL;
    ma_gp_init(&u->s);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    bubble_t *u = x->self;
    switch (opt) {
    case OPT_MODS:
        if (!*arg)
            return cli_usage_error("bubble", "--mods: empty column name"), -1;
        if (strchr(arg, ','))
            return cli_usage_error("bubble", "--mods %s: one column only (a bubble plot "
                                   "has one moderator; see iastm regress)", arg), -1;
        u->mod = arg;
        return 1;
    case OPT_XLABEL:
        u->bo.xlabel = arg;
        return 1;
    case OPT_YLABEL:
        u->bo.ylabel = arg;
        return 1;
    default:
        return 0;
    }
}

static int check(cli_ctx_t *x)
{
    if (!((bubble_t *)x->self)->mod)
        return cli_usage_error("bubble", "--mods COL is required");
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    bubble_t *u = x->self;
    return cli_need_column(x, "--mods", u->mod);
    return 0;
}

static int run(cli_ctx_t *x)
{
    bubble_t *u = x->self;
    const ma_dataset_t *d = x->d;
    const char *measure, *mod = u->mod;
    ma_bubble_t b;
    ma_error_t err;
    size_t i;
    int rc;

    cli_dependence_warn("bubble", d);
    for (i = 0; i < d->k; i++) {
        const char *cell = ma_dataset_cell(d, d->idx[i], mod);
        double v;
        if (!ma_is_missing(cell) && ma_parse_double(cell, &v) == MA_NUM_BAD) {
            const ma_study_t *st = &d->s[d->idx[i]];
            char shown[64];
            ma_gp_clean(cell, shown, sizeof shown, 40);
            return cli_usage_error("bubble", "--mods %s: categorical moderator ('%s' on line "
                                   "%ld is not a number); a bubble plot needs a continuous "
                                   "one (for groups: iastm forest --by %s)",
                                   mod, shown, st->line, mod);
        }
    }
    if ((rc = cli_model_matrix(x, &u->mod, 1, &u->x, &u->yi, &u->vi)) != 0)
        return rc;
    if (!(u->xv = malloc(u->x->k * sizeof *u->xv)))
        return cli_oom(x);
    for (i = 0; i < u->x->k; i++)
        u->xv[i] = u->x->X[i * u->x->p + 1];
    if (ma_regress_fit(u->yi, u->vi, u->x->k, u->x->X, u->x->p, &x->rma, &u->r, &err) != MA_OK)
        return cli_fit_error(x, &err);
    if (u->r.note[0])
        fprintf(stderr, "iastm bubble: note: %s\n", u->r.note);
    memset(&b, 0, sizeof b);
    if (!(u->excl = excluded_rows(d, u->x, &b.nexcluded)))
        return cli_oom(x);
    b.x = u->xv;
    b.yi = u->yi;
    b.vi = u->vi;
    b.k = u->x->k;
    b.fit = &u->r;
    b.level = x->rma.level;
    b.excluded = u->excl;
    measure = cli_measure_name(&x->c, d);
    if (!u->bo.xlabel)
        u->bo.xlabel = mod;
    if (!u->bo.ylabel)
        u->bo.ylabel = cli_measure_axis(measure);
    CLI_PLOT_PAGE(u->bo, x->plot);
    u->bo.unit = x->plot.unit;
    if (ma_bubble_script(&b, &u->bo, &u->s, &err) != MA_OK)
        return cli_report(&err);
    return cli_plot_finish(&x->plot, x->c.output, &u->s, "bubble");
}

static void clear(cli_ctx_t *x)
{
    bubble_t *u = x->self;
    ma_reg_clear(&u->r);
    ma_design_free(u->x);
    free(u->yi);
    free(u->vi);
    free(u->xv);
    free(u->excl);
    ma_gp_clear(&u->s);
}

static const struct option OPTIONS[] = {
    {"mods", required_argument, NULL, OPT_MODS},
    {"xlabel", required_argument, NULL, OPT_XLABEL},
    {"ylabel", required_argument, NULL, OPT_YLABEL},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_BUBBLE = {
    .name = "bubble", .summary = "meta-regression bubble plot on one moderator (gnuplot)",
    .help = HELP, .help_parts = {CLI_PLOT_HELP, CLI_INPUT_HELP, CLI_RMA_HELP},
    .groups = CLI_GROUP_RMA | CLI_GROUP_PLOT, .options = OPTIONS,
    .self_size = sizeof(bubble_t), .min_k = 1, .k_style = CLI_K_NONE, .init = init,
    .option = option, .check = check, .loaded = loaded, .run = run, .clear = clear,
};
