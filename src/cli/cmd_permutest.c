/* iastm permutest: permutation tests of the pooled effect or of moderators (metafor
 * permutest). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "iastm/model_matrix.h"
#include "iastm/permutest.h"
#include "resample.h"

enum { OPT_MODS = OPT_CMD_BASE, OPT_EXACT, OPT_ITER };
#define MAX_MODS 16

static const char HELP[] =
    "Usage: iastm permutest [OPTIONS] FILE.csv\n"
    "Permutation test, as R metafor's permutest(): without moderators the signs of the\n"
    "effect sizes are flipped (2^k permutations); with --mods the moderator rows are\n"
    "permuted against the effect sizes. The test is exact (every distinct permutation)\n"
    "when that needs at most --iter permutations or with --exact; otherwise --iter random\n"
    "permutations, the observed data counting as the first. p = share of permutations\n"
    "with |z| (or |t|) >= the observed one (tolerance sqrt(machine epsilon), as metafor).\n"
    "\n%s%s"
    "Permutation options:\n"
    "  --mods COL[,COL...]  moderators (continuous, or categorical as dummy variables)\n"
    "  --iter N             random permutations (default 1000, at least 2)\n"
    "  --exact              exact test whatever the number of permutations\n"
    "%s"
    "\nExamples:\n"
    "  iastm permutest data/examples/bcg.csv\n"
    "  iastm permutest --exact --method DL --format json data/examples/bcg.csv\n"
    "  iastm permutest --mods ablat --iter 10000 --seed 42 data/examples/bcg.csv\n";

static const char *pv(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "NA");
    else if (p < 1e-4)
        snprintf(buf, n, "<.0001");
    else
        snprintf(buf, n, "%.4f", p);
    return buf;
}

static const char *term_name(const ma_design_t *x, size_t j)
{
    return x ? x->term[j] : "intrcpt";
}

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d,
                       const ma_design_t *x, const ma_permutest_opts_t *o,
                       const ma_permutest_t *r)
{
    char a[32], b[32];
    size_t j;
    int knha = r->test != MA_TEST_Z; /* t and F reference distributions */
    fprintf(f, "Permutation test (%s; %s; %s test; k = %zu; %s)\n",
            x ? "meta-regression" : "pooled effect", ma_method_name(r->method_used),
            r->test == MA_TEST_KNHA    ? "Knapp-Hartung t"
            : r->test == MA_TEST_T     ? "t"
            : r->test == MA_TEST_ADHOC ? "ad hoc Knapp-Hartung t"
                                       : "z",
            r->k, cli_measure_name(c, d));
    if (r->exact)
        fprintf(f, "Exact test: all %llu distinct permutations", (unsigned long long)r->iter);
    else
        fprintf(f, "Approximate test: %llu permutations (the observed data and %llu random "
                   "ones, seed %llu; the exact test needs %.6g)",
                (unsigned long long)r->iter, (unsigned long long)(r->iter - 1),
                (unsigned long long)o->seed, r->exact_iter);
    fprintf(f, ", %u thread%s.\n", r->threads, r->threads == 1 ? "" : "s");
    if (r->failed)
        fprintf(f, "%llu permuted data sets could not be fitted%s.\n",
                (unsigned long long)r->failed, r->exact ? " and are left out" :
                                                          " and were drawn again");
    fprintf(f, "\ntau^2 = %.4f\n", r->tau2);
    if (x)
        fprintf(f, "Test of moderators: %s = %.4f (df = %g), p = %s, permutation p = %s\n",
                knha ? "F" : "QM", r->QM, r->QM_df, pv(r->QM_pval_model, a, 32),
                pv(r->QM_pval, b, 32));
    fprintf(f, "\n%-16s %10s %10s %10s %10s %12s\n", "", "estimate", "se", knha ? "tval" : "zval",
            "pval", "perm. pval");
    for (j = 0; j < r->p; j++)
        fprintf(f, "%-16.16s %10.4f %10.4f %10.4f %10s %12s\n", term_name(x, j), r->b[j],
                r->se[j], r->stat[j], pv(r->pval_model[j], a, 32), pv(r->pval[j], b, 32));
    cli_excluded_text(f, d);
    if (x && x->nmissing) {
        fprintf(f, "\nLeft out for a missing moderator (%zu row%s):\n", x->nmissing,
                x->nmissing == 1 ? "" : "s");
        for (j = 0; j < x->nmissing; j++) {
            const ma_study_t *s = &d->s[d->idx[x->missing[j]]];
            fprintf(f, "  %s (line %ld): %s\n", s->label, s->line, x->reason[j]);
        }
    }
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d,
                          const ma_design_t *x, const ma_permutest_opts_t *o,
                          const ma_permutest_t *r)
{
    size_t j;
    ma_writer_section(w, "permutest");
    ma_writer_begin(w);
    ma_writer_str(w, "measure", cli_measure_name(c, d));
    ma_writer_str(w, "method", ma_method_name(r->method_used));
    ma_writer_str(w, "test", ma_test_name(r->test));
    ma_writer_int(w, "k", (long)r->k);
    ma_writer_bool(w, "exact", r->exact);
    ma_writer_num(w, "exact_iter", r->exact_iter);
    ma_writer_num(w, "iter", (double)r->iter);
    if (r->exact)
        ma_writer_str(w, "seed", NULL);
    else
        ma_writer_num(w, "seed", (double)o->seed);
    ma_writer_num(w, "failed", (double)r->failed);
    ma_writer_num(w, "tau2", r->tau2);
    ma_writer_num(w, "QM", r->QM);
    ma_writer_num(w, "QM_df", r->QM_df);
    ma_writer_num(w, "QM_p", r->QM_pval_model);
    ma_writer_num(w, "QM_perm_p", r->QM_pval);
    ma_writer_int(w, "threads", (long)r->threads);
    ma_writer_end(w);
    ma_writer_section(w, "coefficients");
    for (j = 0; j < r->p; j++) {
        ma_writer_begin(w);
        ma_writer_str(w, "term", term_name(x, j));
        ma_writer_num(w, "estimate", r->b[j]);
        ma_writer_num(w, "se", r->se[j]);
        ma_writer_num(w, "stat", r->stat[j]);
        ma_writer_num(w, "pval", r->pval_model[j]);
        ma_writer_num(w, "perm_pval", r->pval[j]);
        ma_writer_end(w);
    }
    cli_excluded_records(w, d);
    if (x && x->nmissing) {
        ma_writer_section(w, "missing_moderator");
        for (j = 0; j < x->nmissing; j++) {
            const ma_study_t *s = &d->s[d->idx[x->missing[j]]];
            ma_writer_begin(w);
            ma_writer_str(w, "study", s->label);
            ma_writer_int(w, "line", s->line);
            ma_writer_str(w, "reason", x->reason[j]);
            ma_writer_end(w);
        }
    }
}

int cmd_permutest(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS, CLI_RMA_LONGOPTS, CLI_RESAMPLE_LONGOPTS,
        {"mods", required_argument, NULL, OPT_MODS},
        {"exact", no_argument, NULL, OPT_EXACT},
        {"iter", required_argument, NULL, OPT_ITER},
        CLI_OPT_END};
    cli_common_t c;
    ma_permutest_opts_t o;
    const char *path, *mods[MAX_MODS];
    char modbuf[1024];
    size_t nmods = 0, i, j;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_design_t *x = NULL;
    const char **cells = NULL;
    double *yi = NULL, *vi = NULL;
    cli_out_t out;
    ma_permutest_t r;
    ma_error_t err;
    int opt, rc;

    memset(&r, 0, sizeof r);
    cli_common_init(&c);
    ma_permutest_opts_init(&o);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_COMMON_HELP, CLI_RMA_HELP, CLI_RESAMPLE_HELP);
            return 0;
        }
        if (opt == OPT_MODS) {
            snprintf(modbuf, sizeof modbuf, "%s", optarg);
            if ((nmods = cli_split_mods("permutest", modbuf, mods, MAX_MODS)) == 0)
                return 2;
            continue;
        }
        if (opt == OPT_EXACT) {
            o.exact = 1;
            continue;
        }
        if (opt == OPT_ITER) {
            if (cli_parse_count("permutest", "--iter", optarg, 2, UINT64_MAX, &o.iter) < 0)
                return 2;
            continue;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "permutest")) == 0)
            if ((rc = cli_rma_opt(&o.rma, opt, optarg, "permutest")) == 0)
                rc = cli_resample_opt(&o.run, &o.seed, opt, optarg, "permutest");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("permutest", opt, argv);
    }
    o.rma.tau2_ci = 0;
    if (!(path = cli_input_arg(argc, argv, "permutest")))
        return 2;
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    for (j = 0; j < nmods; j++)
        if (ma_table_col(t, mods[j]) < 0) {
            rc = cli_usage_error("permutest", "--mods: no column '%s' in %s", mods[j],
                                 t->path);
            goto done;
        }
    if (d->k < 2) {
        fprintf(stderr, "iastm permutest: %s: a permutation test needs at least 2 poolable "
                        "rows (got %zu)\n", t->path, d->k);
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }
    yi = d->yi;
    vi = d->vi;
    if (nmods) {
        if (!(cells = malloc(d->k * nmods * sizeof *cells))) {
            fprintf(stderr, "iastm permutest: out of memory\n");
            rc = 1;
            goto done;
        }
        for (i = 0; i < d->k; i++)
            for (j = 0; j < nmods; j++)
                cells[i * nmods + j] = ma_dataset_cell(d, d->idx[i], mods[j]);
        if (ma_design_build(mods, nmods, cells, d->k, &x, &err) != MA_OK) {
            char buf[1400];
            fprintf(stderr, "iastm permutest: %s: %s\n", t->path,
                    ma_error_format(&err, buf, sizeof buf));
            rc = err.code == MA_ENOMEM ? 1 : 2;
            goto done;
        }
        yi = malloc(x->k * sizeof *yi);
        vi = malloc(x->k * sizeof *vi);
        if (!yi || !vi) {
            fprintf(stderr, "iastm permutest: out of memory\n");
            rc = 1;
            goto done;
        }
        for (i = 0; i < x->k; i++) {
            yi[i] = d->yi[x->rows[i]];
            vi[i] = d->vi[x->rows[i]];
        }
    }
    cli_resample_start(&o.run);
    if (ma_permutest(yi, vi, x ? x->k : d->k, x ? x->X : NULL, x ? x->p : 0, &o, &r, &err) !=
        MA_OK) {
        rc = err.code == MA_EINTR ? cli_interrupted("permutest") : cli_report(&err);
        goto done;
    }
    if ((rc = cli_out_open(&out, c.output)) != 0)
        goto done;
    if (c.format == MA_FMT_TEXT) {
        write_text(out.f, &c, d, x, &o, &r);
        rc = cli_out_close(&out, 1);
    } else {
        ma_writer_t *w = ma_writer_new(out.f, c.format);
        int ok = w != NULL;
        if (w) {
            write_records(w, &c, d, x, &o, &r);
            ok = cli_writer_done(w);
        }
        rc = cli_out_close(&out, ok);
    }
done:
    ma_permutest_clear(&r);
    if (x) {
        free(yi);
        free(vi);
    }
    free(cells);
    ma_design_free(x);
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
