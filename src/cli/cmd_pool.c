/* iastm pool: common- and random-effects meta-analysis (subgroups with --by). */
#include <math.h>
#include <string.h>

#include "command.h"

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
    "  --studies            also list each pooled study with its weight\n"
    "\nExamples:\n"
    "  iastm pool data/examples/bcg.csv                         (REML, z test)\n"
    "  iastm pool --method DL --test knha --format json data/examples/bcg.csv\n"
    "  iastm pool --primary --where outcome=pain --by region data/trials.csv\n";

typedef struct {
    const char *by;  /* --by COL */
    int common_tau2; /* --common-tau2 */
    int studies;     /* --studies */
    ma_rma_t r;
} pool_t;

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    pool_t *p = x->self;
    switch (opt) {
    case OPT_BY:
        p->by = arg;
        return 1;
    case OPT_COMMON_TAU2:
        p->common_tau2 = 1;
        return 1;
    case OPT_STUDIES:
        p->studies = 1;
        return 1;
    case OPT_NO_TAU2_CI:
        x->rma.tau2_ci = 0;
        return 1;
    default:
        return 0;
    }
}

static int check(cli_ctx_t *x)
{
    pool_t *p = x->self;
    if (p->common_tau2 && !p->by)
        return cli_usage_error("pool", "--common-tau2 needs --by");
    return 0;
}

static int loaded(cli_ctx_t *x)
{
    return cli_need_column(x, "--by", ((pool_t *)x->self)->by);
}

static void text(cli_ctx_t *x, FILE *f)
{
    pool_t *p = x->self;
    cli_rma_text(f, &p->r, &x->rma, cli_measure_name(&x->c, x->d));
    if (p->studies)
        cli_studies_text(f, x->d, p->r.tau2);
    cli_excluded_text(f, x->d);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    pool_t *p = x->self;
    cli_pool_section(w, &x->c, x->d, &p->r, &x->rma);
    if (p->studies)
        cli_studies_records(w, x->d, p->r.tau2);
    cli_excluded_records(w, x->d);
}

static int run(cli_ctx_t *x)
{
    pool_t *p = x->self;
    ma_error_t err;
    if (p->by) {
        cli_pool_t by = {x->rma, p->by, p->common_tau2};
        cli_out_t out;
        int rc;
        if ((rc = cli_out_open(&out, x->c.output)) != 0)
            return rc;
        rc = cli_pool_by(&x->c, &by, x->d, out.f);
        return cli_out_close(&out, rc == 0) ? (rc ? rc : 1) : 0;
    }
    if (ma_rma_fit(x->d->yi, x->d->vi, x->d->k, &x->rma, &p->r, &err) != MA_OK)
        return cli_report_in(&err, x->t->path);
    return cli_emit(x, text, records);
}

static const struct option OPTIONS[] = {
    {"by", required_argument, NULL, OPT_BY},
    {"common-tau2", no_argument, NULL, OPT_COMMON_TAU2},
    {"no-tau2-ci", no_argument, NULL, OPT_NO_TAU2_CI},
    {"studies", no_argument, NULL, OPT_STUDIES},
    CLI_OPT_END};

const cli_cmd_t CLI_CMD_POOL = {
    .name = "pool", .summary = "common- and random-effects meta-analysis, subgroups (--by)",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP}, .groups = CLI_GROUP_RMA,
    .options = OPTIONS, .self_size = sizeof(pool_t), .min_k = 1, .k_style = CLI_K_NONE_USABLE,
    .option = option, .check = check, .loaded = loaded, .run = run,
};
