/* iastm pool: common- and random-effects meta-analysis (subgroups with --by). */
#include <math.h>
#include <string.h>

#include "cli.h"

enum { OPT_BY = OPT_CMD_BASE, OPT_COMMON_TAU2, OPT_NO_TAU2_CI, OPT_STUDIES };

static const char HELP[] =
    "Usage: iastm pool [OPTIONS] FILE.csv\n"
    "Pool effect sizes with a common-effect or random-effects model, as R metafor's\n"
    "rma.uni: estimate, se, test, CI, tau^2 with its Q-profile CI, I^2, H^2, Q, and the\n"
    "prediction interval. Input: yi with vi (or sei), or raw data of any form (see\n"
    "'iastm es --help') converted with --measure. Rows that cannot be pooled are listed\n"
    "with their reason.\n"
    "\n%s%s"
    "Subgroups:\n"
    "  --by COL             one fit per value of COL, the overall fit, and the test for\n"
    "                       subgroup differences (Q between subgroup estimates)\n"
    "  --common-tau2        with --by: one tau^2 shared by all subgroups\n"
    "  --no-tau2-ci         skip the Q-profile confidence interval of tau^2\n"
    "  --studies            also list each pooled study with its weight (csv/json/md)\n"
    "\nExamples:\n"
    "  iastm pool data/examples/bcg.csv                         (REML, z test)\n"
    "  iastm pool --method DL --test knha --format json data/examples/bcg.csv\n"
    "  iastm pool --primary --where outcome=pain --by region data/trials.csv\n";

int cmd_pool(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_RMA_LONGOPTS,
        {"by", required_argument, NULL, OPT_BY},
        {"common-tau2", no_argument, NULL, OPT_COMMON_TAU2},
        {"no-tau2-ci", no_argument, NULL, OPT_NO_TAU2_CI},
        {"studies", no_argument, NULL, OPT_STUDIES},
        CLI_OPT_END};
    cli_common_t c;
    cli_pool_t p;
    const char *path;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    cli_out_t out;
    ma_rma_t r;
    ma_error_t err;
    int opt, rc, studies = 0;

    cli_common_init(&c);
    memset(&p, 0, sizeof p);
    ma_rma_opts_init(&p.rma);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_COMMON_HELP, CLI_RMA_HELP);
            return 0;
        }
        if (opt == OPT_BY) {
            p.by = optarg;
            continue;
        }
        if (opt == OPT_COMMON_TAU2) {
            p.common_tau2 = 1;
            continue;
        }
        if (opt == OPT_STUDIES) {
            studies = 1;
            continue;
        }
        if (opt == OPT_NO_TAU2_CI) {
            p.rma.tau2_ci = 0;
            continue;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "pool")) == 0)
            rc = cli_rma_opt(&p.rma, opt, optarg, "pool");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("pool", opt, argv);
    }
    if (p.common_tau2 && !p.by)
        return cli_usage_error("pool", "--common-tau2 needs --by");
    if (!(path = cli_input_arg(argc, argv, "pool")))
        return 2;
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    if (p.by && ma_table_col(t, p.by) < 0) {
        rc = cli_usage_error("pool", "--by: no column '%s' in %s", p.by, t->path);
        goto done;
    }
    if (d->k == 0) {
        fprintf(stderr, "iastm pool: %s: no poolable rows (%zu row%s, none usable)\n",
                t->path, d->n, d->n == 1 ? "" : "s");
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    if ((rc = cli_out_open(&out, c.output)) != 0)
        goto done;
    if (p.by) {
        rc = cli_pool_by(&c, &p, d, out.f);
        rc = cli_out_close(&out, rc == 0) ? (rc ? rc : 1) : 0;
        goto done;
    }
    if (ma_rma_fit(d->yi, d->vi, d->k, &p.rma, &r, &err) != MA_OK) {
        rc = cli_report_in(&err, t->path);
        cli_out_close(&out, 0);
        goto done;
    }
    if (c.format == MA_FMT_TEXT) {
        cli_rma_text(out.f, &r, &p.rma, cli_measure_name(&c, d));
        cli_excluded_text(out.f, d);
        rc = cli_out_close(&out, 1);
    } else {
        ma_writer_t *w = ma_writer_new(out.f, c.format);
        int ok = w != NULL;
        if (w) {
            ma_writer_section(w, "pool");
            ma_writer_begin(w);
            ma_writer_str(w, "measure", cli_measure_name(&c, d));
            cli_rma_record(w, &r, &p.rma);
            ma_writer_end(w);
            if (studies)
                cli_studies_records(w, d, r.tau2);
            cli_excluded_records(w, d);
            ok = cli_writer_done(w);
        }
        rc = cli_out_close(&out, ok);
    }
done:
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
