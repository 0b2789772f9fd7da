/* iastm gosh: fits of all subsets of the studies (metafor gosh). */
#include <math.h>
#include <string.h>

#include "command.h"
#include "iastm/gosh.h"
#include "resample.h"

enum { OPT_SUBSETS = OPT_CMD_BASE, OPT_ALL };

static const char HELP[] =
    "Usage: iastm gosh [OPTIONS] FILE.csv\n"
    "GOSH (Olkin, Dahabreh and Trikalinos 2012), as R metafor's gosh(): the model is\n"
    "fitted to every subset of the studies (2^k - 1 of them) and the spread of the\n"
    "estimates, I^2 and tau^2 shows whether a few studies drive the heterogeneity.\n"
    "Prints the means over all subsets (as colMeans(gosh(res)$res)) and quantiles.\n"
    "FE and DL use metafor's closed forms (I^2 = 100 (Q - (m-1))/Q, H^2 = Q/(m-1));\n"
    "other methods refit each subset (slow for large k).\n"
    "\n%s"
    "Model:\n"
    "  -m, --method M       FE or DL (default DL); REML, ML, PM, ... refit every subset\n"
    "GOSH options:\n"
    "  --subsets N          all subsets when 2^k - 1 <= N, else N random subsets (metafor's\n"
    "                       rule); default: all subsets up to k = 30, else 10^6 random\n"
    "  --all FILE           every subset as CSV: subset (one 0/1 per study, study 1 first),\n"
    "                       k, estimate, I2, H2, tau2, Q; bitmask order (metafor sorts by k)\n"
    "%s"
    "\nExamples:\n"
    "  iastm gosh data/examples/bcg.csv\n"
    "  iastm gosh --method FE --format json data/examples/bcg.csv\n"
    "  iastm gosh --subsets 100000 --seed 7 --all subsets.csv data/examples/bcg.csv\n";

static const char *QNAME[MA_GOSH_NQTY] = {"estimate", "I2", "tau2"};

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_gosh_t *r, uint64_t seed)
{
    static const char *QLABEL[MA_GOSH_NQTY] = {"estimate", "I^2 (%)", "tau^2"};
    double mean[MA_GOSH_NQTY];
    int j, i;
    mean[MA_GOSH_EST] = r->mean_estimate;
    mean[MA_GOSH_I2] = r->mean_I2;
    mean[MA_GOSH_TAU2] = r->mean_tau2;
    fprintf(f, "GOSH analysis (%s; k = %zu; %s)\n", ma_method_name(r->method), r->k,
            cli_measure_name(c, d));
    if (r->exact)
        fprintf(f, "All %llu subsets fitted", (unsigned long long)r->subsets);
    else
        fprintf(f, "%llu random subsets fitted (seed %llu)", (unsigned long long)r->subsets,
                (unsigned long long)seed);
    fprintf(f, " on %u thread%s", r->threads, r->threads == 1 ? "" : "s");
    if (r->failed)
        fprintf(f, "; %llu fits failed and are left out", (unsigned long long)r->failed);
    fprintf(f, ".\n\n");
    fprintf(f, "%-10s %10s %10s %10s %10s %10s %10s %10s %10s\n", "", "mean", "min", "2.5%",
            "25%", "median", "75%", "97.5%", "max");
    for (j = 0; j < MA_GOSH_NQTY; j++) {
        fprintf(f, "%-10s %10.4f", QLABEL[j], mean[j]);
        for (i = 0; i < MA_GOSH_NQ; i++)
            fprintf(f, " %10.4f", r->q[j][i]);
        fprintf(f, "\n");
    }
    fprintf(f, "%-10s %10.4f\n", "H^2", r->mean_H2);
    fprintf(f, "%-10s %10.4f\n", "Q", r->mean_Q);
    if (r->q_sampled)
        fprintf(f, "\nQuantiles from a pseudo-random sample of %llu subsets.\n",
                (unsigned long long)r->q_n);
    cli_excluded_text(f, d);
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_gosh_t *r, uint64_t seed)
{
    static const char *QKEY[MA_GOSH_NQ] = {"min", "q2.5", "q25", "median", "q75", "q97.5",
                                           "max"};
    double mean[MA_GOSH_NQTY];
    int j, i;
    mean[MA_GOSH_EST] = r->mean_estimate;
    mean[MA_GOSH_I2] = r->mean_I2;
    mean[MA_GOSH_TAU2] = r->mean_tau2;
    ma_writer_section(w, "gosh");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    ma_writer_str(w, "method", ma_method_name(r->method));
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_bool(w, "exact", r->exact);
    if (r->exact)
        ma_writer_str(w, "seed", NULL);
    else
        ma_writer_num(w, "seed", (double)seed);
    ma_writer_num(w, "subsets", (double)r->subsets);
    ma_writer_num(w, "failed", (double)r->failed);
    ma_writer_num(w, "mean_k", r->mean_k);
    ma_writer_num(w, "mean_estimate", r->mean_estimate);
    ma_writer_num(w, "mean_I2", r->mean_I2);
    ma_writer_num(w, "mean_H2", r->mean_H2);
    ma_writer_num(w, "mean_tau2", r->mean_tau2);
    ma_writer_num(w, "mean_Q", r->mean_Q);
    ma_writer_int(w, "threads", (long)r->threads);
    ma_writer_end(w);
    ma_writer_section(w, "quantiles");
    for (j = 0; j < MA_GOSH_NQTY; j++) {
        ma_writer_begin(w);
        ma_writer_str(w, "quantity", QNAME[j]);
        ma_writer_num(w, "n", (double)r->q_n);
        ma_writer_bool(w, "sampled", r->q_sampled);
        ma_writer_num(w, "mean", mean[j]);
        for (i = 0; i < MA_GOSH_NQ; i++)
            ma_writer_num(w, QKEY[i], r->q[j][i]);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
}

typedef struct {
    ma_gosh_opts_t o;
    const char *all_path; /* --all FILE */
    ma_gosh_t r;
} gosh_t;

static void init(cli_ctx_t *x)
{
    ma_gosh_opts_init(&((gosh_t *)x->self)->o);
}

static int option(cli_ctx_t *x, int opt, const char *arg)
{
    gosh_t *g = x->self;
    int m;
    switch (opt) {
    case OPT_METHOD:
        if ((m = ma_method_parse(arg)) < 0)
            return cli_usage_error("gosh", "unknown method '%s'", arg), -1;
        g->o.method = (ma_method_t)m;
        return 1;
    case OPT_SUBSETS:
        return cli_parse_count("gosh", "--subsets", arg, 2, UINT64_MAX, &g->o.subsets) < 0 ? -1
                                                                                          : 1;
    case OPT_ALL:
        if (cli_check_path("gosh", "--all", arg) < 0)
            return -1;
        g->all_path = arg;
        return 1;
    default:
        return cli_resample_opt(&g->o.run, &g->o.seed, opt, arg, "gosh");
    }
}

static void text(cli_ctx_t *x, FILE *f)
{
    gosh_t *g = x->self;
    write_text(f, &x->c, x->d, &g->r, g->o.seed);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    gosh_t *g = x->self;
    write_records(w, &x->c, x->d, &g->r, g->o.seed);
}

/* The summary and the --all file form one run: either both are written or neither. */
static int run(cli_ctx_t *x)
{
    gosh_t *g = x->self;
    cli_out_t out, all;
    ma_error_t err;
    int rc;
    if ((rc = cli_out_open(&out, x->c.output)) != 0)
        return rc;
    if (g->all_path) {
        if ((rc = cli_out_open(&all, g->all_path)) != 0) {
            cli_out_close(&out, 0);
            return rc;
        }
        g->o.all = all.f;
    }
    cli_resample_start(&g->o.run);
    if (ma_gosh(x->d->yi, x->d->vi, x->d->k, &g->o, &g->r, &err) != MA_OK) {
        rc = err.code == MA_EINTR ? cli_interrupted("gosh") : cli_report(&err);
        if (g->all_path)
            cli_out_close(&all, 0);
        cli_out_close(&out, 0);
        return rc;
    }
    if (g->all_path && (rc = cli_out_close(&all, 1)) != 0) {
        cli_out_close(&out, 0);
        return rc;
    }
    return cli_emit_to(x, &out, text, records);
}

static const struct option OPTIONS[] = {
    CLI_RESAMPLE_LONGOPTS,
    {"method", required_argument, NULL, OPT_METHOD},
    {"subsets", required_argument, NULL, OPT_SUBSETS},
    {"all", required_argument, NULL, OPT_ALL},
    CLI_OPT_END};

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "gosh: method k subsets mean_estimate mean_I2 mean_tau2",
    NULL};

const cli_cmd_t CLI_CMD_GOSH = {
    .table = "quantiles", .md_columns = MD_COLUMNS,
    .name = "gosh", .summary = "GOSH: fits of every subset of studies", .help = HELP,
    .help_parts = {CLI_COMMON_HELP, CLI_RESAMPLE_HELP}, .options = OPTIONS, .shortopts = "m:",
    .self_size = sizeof(gosh_t), .min_k = 2, .k_style = CLI_K_GOT, .k_needs = "GOSH needs",
    .init = init, .option = option, .run = run,
};
