/* iastm boot: bootstrap confidence intervals for the pooled estimate and tau^2. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
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

static const char *num(double x, char *buf, size_t n)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else
        snprintf(buf, n, "%.4f", x);
    return buf;
}

static void text_row(FILE *f, const char *name, const ma_boot_ci_t *ci, int bca)
{
    char a[8][32];
    fprintf(f, "%-10s %10s %10s %10s %10s %10s %10s", name, num(ci->observed, a[0], 32),
            num(ci->mean, a[1], 32), num(ci->bias, a[2], 32), num(ci->se, a[3], 32),
            num(ci->pct_lb, a[4], 32), num(ci->pct_ub, a[5], 32));
    if (bca)
        fprintf(f, " %10s %10s", num(ci->bca_lb, a[6], 32), num(ci->bca_ub, a[7], 32));
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
    ma_writer_num(w, "seed", (double)o->seed);
    ma_writer_num(w, "failed", (double)r->failed);
    ma_writer_int(w, "threads", (long)r->threads);
    ma_writer_end(w);
    ma_writer_section(w, "intervals");
    record(w, "estimate", &r->estimate);
    record(w, "tau2", &r->tau2);
    cli_excluded_records(w, d);
}

int cmd_boot(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_RMA_LONGOPTS, CLI_RESAMPLE_LONGOPTS,
        {"type", required_argument, NULL, OPT_TYPE},
        {"reps", required_argument, NULL, OPT_REPS},
        {"bca", no_argument, NULL, OPT_BCA},
        CLI_OPT_END};
    cli_common_t c;
    ma_boot_opts_t o;
    const char *path;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    cli_out_t out;
    ma_boot_t r;
    ma_error_t err;
    int opt, rc;

    memset(&r, 0, sizeof r);
    cli_common_init(&c);
    ma_boot_opts_init(&o);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_COMMON_HELP, CLI_RMA_HELP, CLI_RESAMPLE_HELP);
            return 0;
        }
        if (opt == OPT_TYPE) {
            if (!strcasecmp(optarg, "nonparam") || !strcasecmp(optarg, "nonparametric"))
                o.type = MA_BOOT_NONPARAM;
            else if (!strcasecmp(optarg, "param") || !strcasecmp(optarg, "parametric"))
                o.type = MA_BOOT_PARAM;
            else
                return cli_usage_error("boot", "--type must be nonparam or param, got '%s'",
                                       optarg);
            continue;
        }
        if (opt == OPT_REPS) {
            if (cli_parse_count("boot", "--reps", optarg, 2, 100000000, &o.reps) < 0)
                return 2;
            continue;
        }
        if (opt == OPT_BCA) {
            o.bca = 1;
            continue;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "boot")) == 0)
            if ((rc = cli_rma_opt(&o.rma, opt, optarg, "boot")) == 0)
                rc = cli_resample_opt(&o.run, &o.seed, opt, optarg, "boot");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("boot", opt, argv);
    }
    o.rma.tau2_ci = 0;
    if (!(path = cli_input_arg(argc, argv, "boot")))
        return 2;
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    if (d->k < 2) {
        fprintf(stderr, "iastm boot: %s: the bootstrap needs at least 2 poolable rows (got "
                        "%zu)\n", t->path, d->k);
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    cli_resample_start(&o.run);
    if (ma_boot(d->yi, d->vi, d->k, &o, &r, &err) != MA_OK) {
        rc = err.code == MA_EINTR ? cli_interrupted("boot") : cli_report(&err);
        goto done;
    }
    if ((rc = cli_out_open(&out, c.output)) != 0)
        goto done;
    if (c.format == MA_FMT_TEXT) {
        write_text(out.f, &c, d, &o, &r);
        rc = cli_out_close(&out, 1);
    } else {
        ma_writer_t *w = ma_writer_new(out.f, c.format);
        int ok = w != NULL;
        if (w) {
            write_records(w, &c, d, &o, &r);
            ok = cli_writer_done(w);
        }
        rc = cli_out_close(&out, ok);
    }
done:
    ma_boot_clear(&r);
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
