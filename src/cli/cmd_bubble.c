/* iastm bubble: bubble plot of a meta-regression on one continuous moderator via gnuplot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_cli.h"

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
            e[m].label = st->label;
            e[m].line = st->line;
            e[m].reason = x->reason[i];
            m++;
        }
        qsort(e, m, sizeof *e, by_line);
    }
    *n = m;
    return e;
}

int cmd_bubble(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_RMA_LONGOPTS, CLI_PLOT_LONGOPTS,
        {"mods", required_argument, NULL, OPT_MODS},
        {"xlabel", required_argument, NULL, OPT_XLABEL},
        {"ylabel", required_argument, NULL, OPT_YLABEL},
        CLI_OPT_END};
    cli_common_t c;
    cli_plot_t p;
    ma_rma_opts_t ro;
    ma_bubble_opts_t bo;
    ma_bubble_t b;
    ma_reg_t r;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_design_t *x = NULL;
    ma_plot_excluded_t *excl = NULL;
    const char **cells = NULL;
    const char *path, *mod = NULL, *measure;
    double *yi = NULL, *vi = NULL, *xv = NULL;
    int opt, rc = 0;
    ma_gp_script_t s;
    ma_error_t err;
    size_t i;

    cli_common_init(&c);
    memset(&p, 0, sizeof p);
    memset(&r, 0, sizeof r);
    ma_rma_opts_init(&ro);
    ro.tau2_ci = 0;
    ma_bubble_opts_init(&bo);
    bo.xlabel = bo.ylabel = NULL;
    ma_gp_init(&s);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_PLOT_HELP, CLI_COMMON_HELP, CLI_RMA_HELP);
            return 0;
        }
        switch (opt) {
        case OPT_MODS:
            if (!*optarg)
                return cli_usage_error("bubble", "--mods: empty column name");
            if (strchr(optarg, ','))
                return cli_usage_error("bubble", "--mods %s: one column only (a bubble plot "
                                       "has one moderator; see iastm regress)", optarg);
            mod = optarg;
            continue;
        case OPT_XLABEL:
            bo.xlabel = optarg;
            continue;
        case OPT_YLABEL:
            bo.ylabel = optarg;
            continue;
        default:
            break;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "bubble")) == 0 &&
            (rc = cli_rma_opt(&ro, opt, optarg, "bubble")) == 0)
            rc = cli_plot_opt(&p, opt, optarg, "bubble");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("bubble", opt, argv);
    }
    if (!mod)
        return cli_usage_error("bubble", "--mods COL is required");
    if ((rc = cli_plot_check(&p, &c, "bubble")) != 0)
        return rc;
    if (!(path = cli_input_arg(argc, argv, "bubble")))
        return 2;
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    rc = 0;
    if (ma_table_col(t, mod) < 0) {
        rc = cli_usage_error("bubble", "--mods: no column '%s' in %s", mod, t->path);
        goto done;
    }
    if (d->k == 0) {
        fprintf(stderr, "iastm bubble: %s: no poolable rows (%zu row%s)\n", t->path, d->n,
                d->n == 1 ? "" : "s");
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    cli_dependence_warn("bubble", d);
    if (!(cells = malloc(d->k * sizeof *cells))) {
        fprintf(stderr, "iastm bubble: out of memory\n");
        rc = 1;
        goto done;
    }
    for (i = 0; i < d->k; i++) {
        double v;
        cells[i] = ma_dataset_cell(d, d->idx[i], mod);
        if (!ma_is_missing(cells[i]) && ma_parse_double(cells[i], &v) == MA_NUM_BAD) {
            const ma_study_t *st = &d->s[d->idx[i]];
            char shown[64];
            ma_gp_clean(cells[i], shown, sizeof shown, 40);
            rc = cli_usage_error("bubble", "--mods %s: categorical moderator ('%s' on line "
                                 "%ld is not a number); a bubble plot needs a continuous "
                                 "one (for groups: iastm forest --by %s)",
                                 mod, shown, st->line, mod);
            goto done;
        }
    }
    if (ma_design_build(&mod, 1, cells, d->k, &x, &err) != MA_OK) {
        char buf[1400];
        fprintf(stderr, "iastm bubble: %s: %s\n", t->path,
                ma_error_format(&err, buf, sizeof buf));
        rc = err.code == MA_ENOMEM ? 1 : 2;
        goto done;
    }
    yi = malloc(x->k * sizeof *yi);
    vi = malloc(x->k * sizeof *vi);
    xv = malloc(x->k * sizeof *xv);
    if (!yi || !vi || !xv) {
        fprintf(stderr, "iastm bubble: out of memory\n");
        rc = 1;
        goto done;
    }
    for (i = 0; i < x->k; i++) {
        yi[i] = d->yi[x->rows[i]];
        vi[i] = d->vi[x->rows[i]];
        xv[i] = x->X[i * x->p + 1];
    }
    if (ma_regress_fit(yi, vi, x->k, x->X, x->p, &ro, &r, &err) != MA_OK) {
        char buf[1400];
        fprintf(stderr, "iastm bubble: %s: %s\n", t->path,
                ma_error_format(&err, buf, sizeof buf));
        rc = err.code == MA_EINPUT || err.code == MA_EUSAGE ? 2 : 1;
        goto done;
    }
    if (r.note[0])
        fprintf(stderr, "iastm bubble: note: %s\n", r.note);
    memset(&b, 0, sizeof b);
    if (!(excl = excluded_rows(d, x, &b.nexcluded))) {
        fprintf(stderr, "iastm bubble: out of memory\n");
        rc = 1;
        goto done;
    }
    b.x = xv;
    b.yi = yi;
    b.vi = vi;
    b.k = x->k;
    b.fit = &r;
    b.level = ro.level;
    b.excluded = excl;
    measure = cli_measure_name(&c, d);
    if (!bo.xlabel)
        bo.xlabel = mod;
    if (!bo.ylabel)
        bo.ylabel = !strcmp(measure, "SMD") ? "Hedges' g"
                    : !strcmp(measure, "MD") ? "Mean difference" : "Effect size";
    bo.format = p.format;
    bo.title = p.title;
    bo.width_pt = p.width;
    bo.height_pt = p.height;
    if (ma_bubble_script(&b, &bo, &s, &err) != MA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    rc = cli_plot_finish(&p, c.output, &s, "bubble");
done:
    ma_reg_clear(&r);
    ma_design_free(x);
    free(cells);
    free(yi);
    free(vi);
    free(xv);
    free(excl);
    ma_gp_clear(&s);
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
