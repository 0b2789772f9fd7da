/* iastm boot: bootstrap confidence intervals for the pooled estimate and tau^2. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "iastm/boot.h"
#include "resample.h"

enum { OPT_TYPE = OPT_CMD_BASE, OPT_REPS, OPT_BCA };

static const char HELP[] =
    "Usage: iastm boot [OPTIONS] FILE.csv\n"
    "Bootstrap confidence intervals for the pooled estimate and tau^2. Nonparametric:\n"
    "the studies are resampled with replacement; parametric: yi* ~ N(estimate, vi + tau^2)\n"
    "under the fitted model. Every replicate is refitted with the chosen method.\n"
    "Percentile intervals (R's quantile type 7), and BCa intervals with --bca (bias\n"
    "correction z0 = qnorm(share of replicates below the estimate), jackknife\n"
    "acceleration). The replicates depend only on --seed, not on --threads.\n"
    "\n%s%s"
    "Bootstrap options:\n"
    "  --type nonparam|param  resampling (default nonparam)\n"
    "  --reps B             replicates (default 1000, at least 2)\n"
    "  --bca                BCa intervals too\n"
    "%s"
    "\nExamples:\n"
    "  iastm boot data/examples/bcg.csv\n"
    "  iastm boot --type param --reps 10000 --seed 7 --bca data/examples/bcg.csv\n"
    "  iastm boot --method DL --format json data/examples/bcg.csv\n";

static void text_row(FILE *f, const char *name, const ma_boot_ci_t *ci, int bca)
{
    char a[8][32];
    fprintf(f, "%-10s %10s %10s %10s %10s %10s %10s", name, cli_num(ci->observed, a[0], 32),
            cli_num(ci->mean, a[1], 32), cli_num(ci->bias, a[2], 32), cli_num(ci->se, a[3], 32),
            cli_num(ci->pct_lb, a[4], 32), cli_num(ci->pct_ub, a[5], 32));
    if (bca)
        fprintf(f, " %10s %10s", cli_num(ci->bca_lb, a[6], 32), cli_num(ci->bca_ub, a[7], 32));
    fprintf(f, "\n");
}

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_boot_opts_t *o, const ma_boot_t *r)
{
    int pct = (int)lround(100 * r->level);
    fprintf(f, "Bootstrap (%s; %s; k = %zu; %s)\n",
            r->type == MA_BOOT_PARAM ? "parametric" : "nonparametric",
            ma_method_name(r->method), r->k, cli_measure_name(c, d));
    fprintf(f, "%llu replicates, seed %llu, %u thread%s", (unsigned long long)r->reps,
            (unsigned long long)o->seed, r->threads, r->threads == 1 ? "" : "s");
    if (r->failed)
        fprintf(f, "; %llu fits failed and are left out", (unsigned long long)r->failed);
    fprintf(f, ".\n\n");
    fprintf(f, "%-10s %10s %10s %10s %10s %10s %10s", "", "observed", "boot mean", "bias",
            "boot se", "pct lb", "pct ub");
    if (o->bca)
        fprintf(f, " %10s %10s", "BCa lb", "BCa ub");
    fprintf(f, "\n");
    text_row(f, "estimate", &r->estimate, o->bca);
    text_row(f, "tau^2", &r->tau2, o->bca);
    fprintf(f, "\nIntervals at the %d%% level.\n", pct);
    if (o->bca && (isnan(r->tau2.bca_lb) || isnan(r->estimate.bca_lb)))
        fprintf(f, "BCa is NA where no replicate lies below the observed value (z0 infinite).\n");
    cli_excluded_text(f, d);
}

static void record(ma_writer_t *w, const char *name, const ma_boot_ci_t *ci)
{
    ma_writer_begin(w);
    ma_writer_str(w, "quantity", name);
    ma_writer_num(w, "observed", ci->observed);
    ma_writer_num(w, "mean", ci->mean);
    ma_writer_num(w, "bias", ci->bias);
    ma_writer_num(w, "se", ci->se);
    ma_writer_num(w, "pct_lb", ci->pct_lb);
    ma_writer_num(w, "pct_ub", ci->pct_ub);
    ma_writer_num(w, "bca_lb", ci->bca_lb);
    ma_writer_num(w, "bca_ub", ci->bca_ub);
    ma_writer_num(w, "z0", ci->z0);
    ma_writer_num(w, "accel", ci->accel);
    ma_writer_end(w);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_boot_opts_t *o, const ma_boot_t *r)
{
    ma_writer_section(w, "boot");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    ma_writer_str(w, "method", ma_method_name(r->method));
    ma_writer_str(w, "type", r->type == MA_BOOT_PARAM ? "param" : "nonparam");
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_num(w, "level", r->level);
    ma_writer_num(w, "reps", (double)r->reps);
    cli_seed_field(w, 0, o->seed);
    ma_writer_num(w, "failed", (double)r->failed);
    ma_writer_int(w, "threads", (long)r->threads);
    ma_writer_end(w);
    ma_writer_section(w, "intervals");
    record(w, "estimate", &r->estimate);
    record(w, "tau2", &r->tau2);
    cli_excluded_records(w, d);
}

typedef struct {
    ma_boot_opts_t o;
    ma_boot_t r;
} boot_t;

static void init(cli_ctx_t *x)
{
    ma_boot_opts_init(&((boot_t *)x->self)->o);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    ma_boot_opts_t *o = &((boot_t *)x->self)->o;
    switch (opt) {
    case OPT_TYPE:
        if (!strcasecmp(arg, "nonparam") || !strcasecmp(arg, "nonparametric"))
            o->type = MA_BOOT_NONPARAM;
        else if (!strcasecmp(arg, "param") || !strcasecmp(arg, "parametric"))
            o->type = MA_BOOT_PARAM;
        else
            return cli_usage_error("boot", "--type must be nonparam or param, got '%s'", arg),
                   -1;
        return 1;
    case OPT_REPS:
        return cli_parse_count("boot", "--reps", arg, 2, 100000000, &o->reps) < 0 ? -1 : 1;
    case OPT_BCA:
        o->bca = 1;
        return 1;
    default:
        return cli_resample_opt(&o->run, &o->seed, opt, arg, "boot");
    }
}

static void text(cli_ctx_t *x, FILE *f)
{
    boot_t *b = x->self;
    write_text(f, &x->c, x->d, &b->o, &b->r);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    boot_t *b = x->self;
    write_records(w, &x->c, x->d, &b->o, &b->r);
}

static int run(cli_ctx_t *x)
{
    boot_t *b = x->self;
    ma_error_t err;
    b->o.rma = x->rma;
    b->o.rma.tau2_ci = 0;
    cli_resample_start(&b->o.run);
    if (ma_boot(x->d->yi, x->d->vi, x->d->k, &b->o, &b->r, &err) != MA_OK)
        return err.code == MA_EINTR ? cli_interrupted("boot") : cli_report(&err);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    ma_boot_clear(&((boot_t *)x->self)->r);
}

static const struct option OPTIONS[] = {
    CLI_RESAMPLE_LONGOPTS,
    {"type", required_argument, NULL, OPT_TYPE},
    {"reps", required_argument, NULL, OPT_REPS},
    {"bca", no_argument, NULL, OPT_BCA},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "boot: type k reps level",
    "intervals: quantity observed se pct_lb pct_ub bca_lb bca_ub",
    NULL};

const cli_cmd_t CLI_CMD_BOOT = {
    .table = "intervals", .md_columns = MD_COLUMNS,
    .name = "boot", .summary = "bootstrap confidence intervals for the estimate and tau^2",
    .help = HELP, .help_parts = {CLI_COMMON_HELP, CLI_RMA_HELP, CLI_RESAMPLE_HELP},
    .groups = CLI_GROUP_RMA, .options = OPTIONS, .self_size = sizeof(boot_t), .min_k = 2,
    .k_style = CLI_K_GOT, .k_needs = "the bootstrap needs", .init = init, .option = option,
    .run = run, .clear = clear,
};
