/* iastm gosh: fits of all subsets of the studies (metafor gosh). */
#include <math.h>
#include <string.h>

#include "command.h"
#include "iastm/gosh.h"
#include "resample.h"

enum { OPT_SUBSETS = OPT_CMD_BASE, OPT_ALL, OPT_PLOT };

#define GRID_BINS 100        /* bins of the estimate and of I2 in the density */
#define PLOT_POINTS 50000    /* at most this many subsets are drawn as points */

static const char HELP[] =
    "Usage: iastm gosh [OPTIONS] FILE.csv\n"
    "GOSH (Olkin, Dahabreh and Trikalinos 2012), as R metafor's gosh(): the model is\n"
    "fitted to every subset of the studies (2^k - 1 of them) and the spread of the\n"
    "estimates, I^2 and tau^2 shows whether a few studies drive the heterogeneity.\n"
    "Prints the means over all subsets (as colMeans(gosh(res)$res)) and quantiles,\n"
    "and names the method in every output (text, csv, json, md, --all, the plot).\n"
    "FE and DL use metafor's closed forms (I^2 = 100 (Q - (m-1))/Q, H^2 = Q/(m-1));\n"
    "other methods refit each subset (REML: about 1 s per 10^6 subsets per core).\n"
    "\n%s"
    "Model:\n"
    "  -m, --method M       REML (default, as pool), ML, PM, ... refit every subset;\n"
    "                       FE and DL use closed forms (fast: k = 25 in seconds)\n"
    "GOSH options:\n"
    "  --subsets N          all subsets when 2^k - 1 <= N, else N random subsets (metafor's\n"
    "                       rule); default N = 10^6, and for FE and DL all subsets up to\n"
    "                       k = 30\n"
    "  --all FILE           every subset as CSV: subset (one 0/1 per study, study 1 first),\n"
    "                       k, estimate, I2, H2, tau2, Q, method; bitmask order (metafor\n"
    "                       sorts by k)\n"
    "  --plot FILE          the GOSH plot (FILE.png, .svg or .pdf; as metafor's plot.gosh):\n"
    "                       estimate against I^2 with the histograms of both; up to 50000\n"
    "                       subsets as points, more as a density of a 100 x 100 grid\n"
    "                       binned while fitting; with --script, --dry-run, --gnuplot,\n"
    "                       --title, --width, --height, --font-size, --dpi as for the\n"
    "                       other plots\n"
    "%s"
    "\nExamples:\n"
    "  iastm gosh data/examples/bcg.csv\n"
    "  iastm gosh --method FE --format json data/examples/bcg.csv\n"
    "  iastm gosh --subsets 100000 --seed 7 --all subsets.csv data/examples/bcg.csv\n"
    "  iastm gosh --plot gosh.png data/examples/bcg.csv\n";

static const char *QNAME[MA_GOSH_NQTY] = {"estimate", "I2", "tau2"};

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_gosh_t *r, uint64_t seed)
{
    static const char *QLABEL[MA_GOSH_NQTY] = {"estimate", "I^2 (%)", "tau^2"};
    double mean[MA_GOSH_NQTY];
    char buf[32];
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
        fprintf(f, "%-10s %10s", QLABEL[j], cli_num(mean[j], buf, sizeof buf));
        for (i = 0; i < MA_GOSH_NQ; i++)
            fprintf(f, " %10s", cli_num(r->q[j][i], buf, sizeof buf));
        fprintf(f, "\n");
    }
    fprintf(f, "%-10s %10s\n", "H^2", cli_num(r->mean_H2, buf, sizeof buf));
    fprintf(f, "%-10s %10s\n", "Q", cli_num(r->mean_Q, buf, sizeof buf));
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
    cli_seed_field(w, r->exact, seed);
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
        ma_writer_str(w, "method", ma_method_name(r->method)); /* each table names its fits */
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
    const char *plot_path; /* --plot FILE */
    cli_plot_t plot;
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
    case OPT_PLOT: {
        int f;
        if (cli_check_path("gosh", "--plot", arg) < 0)
            return -1;
        if ((f = ma_plot_format_from_path(arg)) < 0)
            return cli_usage_error("gosh", "--plot %s: the name must end in .png, .svg or "
                                           ".pdf", arg), -1;
        g->plot.format = (ma_plot_format_t)f;
        g->plot_path = arg;
        return 1;
    }
    default:
        if ((m = cli_plot_opt(&g->plot, opt, arg, "gosh")) != 0)
            return m;
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

static int check(cli_ctx_t *x)
{
    gosh_t *g = x->self;
    const cli_plot_t *p = &g->plot;
    if (!g->plot_path && (p->script || p->dry_run || p->gnuplot || p->title || p->width > 0 ||
                          p->height > 0 || p->font_size > 0 || p->dpi > 0))
        return cli_usage_error("gosh", "--script, --dry-run, --gnuplot, --title, --width, "
                                       "--height, --font-size and --dpi need --plot FILE");
    if (p->dry_run && !p->script)
        return cli_usage_error("gosh", "--dry-run needs --script FILE");
    return 0;
}

/* The plot of the run's grid. Returns an exit status. */
static int draw(cli_ctx_t *x, const ma_gosh_grid_t *grid)
{
    gosh_t *g = x->self;
    ma_gosh_plot_t p;
    ma_gosh_plot_opts_t po;
    ma_gp_script_t s;
    ma_error_t err;
    int rc;
    p.grid = grid;
    p.method = ma_method_name(g->r.method);
    p.k = g->r.k;
    p.subsets = g->r.subsets - g->r.failed;
    p.exact = g->r.exact;
    ma_gosh_plot_opts_init(&po);
    CLI_PLOT_PAGE(po, g->plot);
    po.xlabel = cli_measure_axis(cli_measure_name(&x->c, x->d));
    ma_gp_init(&s);
    if (ma_gosh_plot_script(&p, &po, &s, &err) != MA_OK)
        rc = cli_report(&err);
    else
        rc = cli_plot_finish(&g->plot, g->plot_path, &s, "gosh");
    ma_gp_clear(&s);
    return rc;
}

/* The summary, the --all file and the plot form one run: all are written or none. */
static int run(cli_ctx_t *x)
{
    gosh_t *g = x->self;
    cli_out_t out, all;
    ma_error_t err;
    ma_gosh_grid_t grid;
    int rc;
    memset(&grid, 0, sizeof grid);
    if (g->plot_path) {
        if (ma_gosh_grid_init(&grid, GRID_BINS, GRID_BINS, PLOT_POINTS, &err) != MA_OK)
            return cli_report(&err);
        g->o.grid = &grid;
    }
    if ((rc = cli_out_open(&out, x->c.output)) != 0) {
        ma_gosh_grid_free(&grid);
        return rc;
    }
    if (g->all_path) {
        if ((rc = cli_out_open(&all, g->all_path)) != 0) {
            cli_out_close(&out, 0);
            ma_gosh_grid_free(&grid);
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
        ma_gosh_grid_free(&grid);
        return rc;
    }
    if (g->plot_path && (rc = draw(x, &grid)) != 0) {
        if (g->all_path)
            cli_out_close(&all, 0);
        cli_out_close(&out, 0);
        ma_gosh_grid_free(&grid);
        return rc;
    }
    ma_gosh_grid_free(&grid);
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
    {"plot", required_argument, NULL, OPT_PLOT},
    CLI_PLOT_LONGOPTS,
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
    .init = init, .option = option, .check = check, .run = run,
};
