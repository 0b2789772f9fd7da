/* iastm funnel: contour-enhanced funnel plot with trim-and-fill studies via gnuplot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "iastm/bias.h"

enum { OPT_XLABEL = OPT_CMD_BASE, OPT_NO_TRIMFILL };

static const char HELP[] =
    "Usage: iastm funnel [OPTIONS] -o FILE.png|svg|pdf FILE.csv\n"
    "Contour-enhanced funnel plot drawn by gnuplot: each study's effect against its\n"
    "standard error, over regions shaded where a study would be significant at\n"
    "p < 0.10, 0.05 and 0.01 (two-sided); the pooled estimate with pseudo 95%% limits;\n"
    "studies added by trim-and-fill (L0, as metafor's trimfill) drawn hollow with the\n"
    "adjusted estimate dotted.\n"
    "\n%s%s%s"
    "Funnel options:\n"
    "  --xlabel TEXT        axis label (default: the measure)\n"
    "  --no-trimfill        leave out the trim-and-fill studies\n"
    "\nExamples:\n"
    "  iastm funnel -o plots/funnel.png --primary --where outcome=pain data/trials.csv\n"
    "  iastm funnel --xlabel 'Log risk ratio' -o bcg_funnel.pdf data/examples/bcg.csv\n";

typedef struct {
    ma_funnel_opts_t fo;
    int no_trimfill, have_tf;
    ma_trimfill_t tf;
    ma_plot_excluded_t *excl;
    double *sei, *fsei;
    ma_gp_script_t s;
} funnel_t;

static void init(cli_ctx_t *x)
{
    funnel_t *u = x->self;
    ma_funnel_opts_init(&u->fo);
    u->fo.xlabel = NULL;
    ma_gp_init(&u->s);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    funnel_t *u = x->self;
    if (opt == OPT_XLABEL)
        u->fo.xlabel = arg;
    else if (opt == OPT_NO_TRIMFILL)
        u->no_trimfill = 1;
    else
        return 0;
    return 1;
}

static int run(cli_ctx_t *x)
{
    funnel_t *u = x->self;
    const ma_dataset_t *d = x->d;
    const char *measure;
    ma_funnel_t f;
    ma_rma_t fit;
    ma_error_t err;
    size_t i;

    cli_dependence_warn("funnel", d);
    if (ma_rma_fit(d->yi, d->vi, d->k, &x->rma, &fit, &err) != MA_OK)
        return cli_report(&err);
    memset(&f, 0, sizeof f);
    f.estimate = fit.estimate;
    f.fill_estimate = NAN;
    if (!(u->sei = calloc(d->k, sizeof *u->sei)) ||
        !(u->excl = cli_plot_excluded(d, &f.nexcluded)))
        return cli_oom(x);
    for (i = 0; i < d->k; i++)
        u->sei[i] = sqrt(d->vi[i]);
    f.yi = d->yi;
    f.sei = u->sei;
    f.k = d->k;
    f.excluded = u->excl;
    if (!u->no_trimfill && d->k >= 3) {
        if (ma_trimfill(d->yi, d->vi, d->k, MA_TF_L0, MA_SIDE_AUTO, &x->rma, &u->tf, &err) !=
            MA_OK) {
            char buf[1400];
            fprintf(stderr, "iastm funnel: trim-and-fill not shown: %s\n",
                    ma_error_format(&err, buf, sizeof buf));
        } else {
            u->have_tf = 1;
            if (u->tf.k0 > 0) {
                if (!(u->fsei = calloc(u->tf.k0, sizeof *u->fsei)))
                    return 1;
                for (i = 0; i < u->tf.k0; i++)
                    u->fsei[i] = sqrt(u->tf.fill_vi[i]);
                f.fill_yi = u->tf.fill_yi;
                f.fill_sei = u->fsei;
                f.k0 = u->tf.k0;
                f.fill_estimate = u->tf.fit.estimate;
            }
        }
    }
    measure = cli_measure_name(&x->c, d);
    if (!u->fo.xlabel)
        u->fo.xlabel = cli_measure_axis(measure);
    CLI_PLOT_PAGE(u->fo, x->plot);
    u->fo.unit = x->plot.unit;
    if (ma_funnel_script(&f, &u->fo, &u->s, &err) != MA_OK)
        return cli_report(&err);
    return cli_plot_finish(&x->plot, x->c.output, &u->s, "funnel");
}

static void clear(cli_ctx_t *x)
{
    funnel_t *u = x->self;
    if (u->have_tf)
        ma_trimfill_clear(&u->tf);
    free(u->fsei);
    free(u->sei);
    free(u->excl);
    ma_gp_clear(&u->s);
}

static const struct option OPTIONS[] = {
    {"xlabel", required_argument, NULL, OPT_XLABEL},
    {"no-trimfill", no_argument, NULL, OPT_NO_TRIMFILL},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_FUNNEL = {
    .name = "funnel", .summary = "contour-enhanced funnel plot through gnuplot", .help = HELP,
    .help_parts = {CLI_PLOT_HELP, CLI_INPUT_HELP, CLI_RMA_HELP},
    .groups = CLI_GROUP_RMA | CLI_GROUP_PLOT, .options = OPTIONS,
    .self_size = sizeof(funnel_t), .min_k = 1, .k_style = CLI_K_NONE, .init = init,
    .option = option, .run = run, .clear = clear,
};
