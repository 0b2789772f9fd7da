/* iastm funnel: contour-enhanced funnel plot with trim-and-fill studies via gnuplot. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot_cli.h"
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

int cmd_funnel(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_RMA_LONGOPTS, CLI_PLOT_LONGOPTS,
        {"xlabel", required_argument, NULL, OPT_XLABEL},
        {"no-trimfill", no_argument, NULL, OPT_NO_TRIMFILL},
        CLI_OPT_END};
    cli_common_t c;
    cli_plot_t p;
    ma_rma_opts_t ro;
    ma_funnel_opts_t fo;
    ma_funnel_t f;
    ma_trimfill_t tf;
    ma_rma_t fit;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_plot_excluded_t *excl = NULL;
    double *sei = NULL, *fsei = NULL;
    const char *path, *measure;
    int opt, rc = 0, trimfill = 1, have_tf = 0;
    ma_gp_script_t s;
    ma_error_t err;
    size_t i;

    cli_common_init(&c);
    memset(&p, 0, sizeof p);
    memset(&tf, 0, sizeof tf);
    ma_rma_opts_init(&ro);
    ma_funnel_opts_init(&fo);
    fo.xlabel = NULL;
    ma_gp_init(&s);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_PLOT_HELP, CLI_COMMON_HELP, CLI_RMA_HELP);
            return 0;
        }
        if (opt == OPT_XLABEL) {
            fo.xlabel = optarg;
            continue;
        }
        if (opt == OPT_NO_TRIMFILL) {
            trimfill = 0;
            continue;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "funnel")) == 0 &&
            (rc = cli_rma_opt(&ro, opt, optarg, "funnel")) == 0)
            rc = cli_plot_opt(&p, opt, optarg, "funnel");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("funnel", opt, argv);
    }
    if ((rc = cli_plot_check(&p, &c, "funnel")) != 0)
        return rc;
    if (!(path = cli_input_arg(argc, argv, "funnel")))
        return 2;
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    rc = 0;
    if (d->k == 0) {
        fprintf(stderr, "iastm funnel: %s: no poolable rows (%zu row%s)\n", t->path, d->n,
                d->n == 1 ? "" : "s");
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    cli_dependence_warn("funnel", d);
    if (ma_rma_fit(d->yi, d->vi, d->k, &ro, &fit, &err) != MA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    memset(&f, 0, sizeof f);
    f.estimate = fit.estimate;
    f.fill_estimate = NAN;
    if (!(sei = calloc(d->k, sizeof *sei)) || !(excl = cli_plot_excluded(d, &f.nexcluded))) {
        fprintf(stderr, "iastm funnel: out of memory\n");
        rc = 1;
        goto done;
    }
    for (i = 0; i < d->k; i++)
        sei[i] = sqrt(d->vi[i]);
    f.yi = d->yi;
    f.sei = sei;
    f.k = d->k;
    f.excluded = excl;
    if (trimfill && d->k >= 3) {
        if (ma_trimfill(d->yi, d->vi, d->k, MA_TF_L0, MA_SIDE_AUTO, &ro, &tf, &err) != MA_OK) {
            char buf[1400];
            fprintf(stderr, "iastm funnel: trim-and-fill not shown: %s\n",
                    ma_error_format(&err, buf, sizeof buf));
        } else {
            have_tf = 1;
            if (tf.k0 > 0) {
                if (!(fsei = calloc(tf.k0, sizeof *fsei))) {
                    rc = 1;
                    goto done;
                }
                for (i = 0; i < tf.k0; i++)
                    fsei[i] = sqrt(tf.fill_vi[i]);
                f.fill_yi = tf.fill_yi;
                f.fill_sei = fsei;
                f.k0 = tf.k0;
                f.fill_estimate = tf.fit.estimate;
            }
        }
    }
    measure = cli_measure_name(&c, d);
    if (!fo.xlabel)
        fo.xlabel = !strcmp(measure, "SMD") ? "Hedges' g"
                    : !strcmp(measure, "MD") ? "Mean difference" : "Effect size";
    fo.format = p.format;
    fo.title = p.title;
    fo.width_pt = p.width;
    fo.height_pt = p.height;
    if (ma_funnel_script(&f, &fo, &s, &err) != MA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    rc = cli_plot_finish(&p, c.output, &s, "funnel");
done:
    if (have_tf)
        ma_trimfill_clear(&tf);
    free(fsei);
    free(sei);
    free(excl);
    ma_gp_clear(&s);
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
