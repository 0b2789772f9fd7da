/* iastm regress: mixed-effects meta-regression on one or more moderator columns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_MODS = OPT_CMD_BASE };

#define MAX_MODS 64

static const char HELP[] =
    "Usage: iastm regress --mods COL[,COL...] [OPTIONS] FILE.csv\n"
    "Mixed-effects meta-regression, as R metafor's rma.uni(yi, vi, mods = ~ ...): the\n"
    "coefficients with z, t or Knapp-Hartung t tests, the omnibus test of the moderators (QM),\n"
    "the test for residual heterogeneity (QE), residual tau^2, I^2, H^2 and R^2.\n"
    "A moderator column whose every value is a number is continuous; any other is\n"
    "categorical, coded with one dummy per level against the first level in sorted order\n"
    "(as R's factor()). Rows with a missing moderator are left out and listed.\n"
    "\n%s"
    "Model options:\n"
    "  --mods COL[,COL...]  moderator columns (required)\n"
    "  -m, --method M       FE, DL, REML (default), ML, PM, HS, SJ, HE or EB\n"
    "  --test z|knha|t|adhoc z tests (default); knha: Knapp-Hartung t and F tests (k - p\n"
    "                       df); t: t and F tests with the z standard errors; adhoc:\n"
    "                       Knapp-Hartung with standard errors never below the z ones\n"
    "  --level L            confidence level: 95 or 0.95 (default 95), as metafor\n"
    "  --maxiter N, --stepadj X, --tau2-init X\n"
    "                       Fisher scoring control (metafor's control list), see iastm\n"
    "                       pool --help\n"
    "\nExamples:\n"
    "  iastm regress --mods ablat data/examples/bcg.csv\n"
    "  iastm regress --mods ablat,alloc --test knha --format json data/examples/bcg.csv\n"
    "  iastm regress --primary --where outcome=pain --mods year data/trials.csv\n";

static const char *num(double x, char *buf, size_t n)
{
    if (isnan(x))
        snprintf(buf, n, "NA");
    else
        snprintf(buf, n, "%.4f", x);
    return buf;
}

static const char *pv(double p, char *buf, size_t n, int eq)
{
    if (isnan(p))
        snprintf(buf, n, "%sNA", eq ? "= " : "");
    else if (p < 1e-4)
        snprintf(buf, n, "%s.0001", eq ? "< " : "<");
    else
        snprintf(buf, n, "%s%.4f", eq ? "= " : "", p);
    return buf;
}

static void text_report(FILE *f, const ma_reg_t *r, const ma_design_t *x,
                        const ma_rma_opts_t *o, const char *const *mods, const char *measure)
{
    char a[32], b[32], c[32], d[32], e[32], g[32];
    int fe = r->method_used == MA_METHOD_FE, knha = !isnan(r->df);
    size_t j, w = 8, first = 2;
    if (fe)
        fprintf(f, "Fixed-Effects with Moderators Model (k = %zu)\n\n", r->k);
    else
        fprintf(f, "Mixed-Effects Model (k = %zu; tau^2 estimator: %s)\n\n", r->k,
                ma_method_name(r->method_used));
    fprintf(f, "Moderators:");
    for (j = 0; j < x->nmods; j++) {
        if (x->categorical[j])
            fprintf(f, "%s %s (categorical, %zu levels)", j ? "," : "", mods[j],
                    x->nlevels[j]);
        else
            fprintf(f, "%s %s (continuous)", j ? "," : "", mods[j]);
    }
    fprintf(f, "\n\n");
    if (r->note[0])
        fprintf(f, "Note: %s\n\n", r->note);
    if (!fe) {
        fprintf(f, "tau^2 (estimated amount of residual heterogeneity):     %s\n",
                num(r->tau2, a, 32));
        fprintf(f, "tau (square root of estimated tau^2 value):             %s\n",
                num(sqrt(r->tau2), a, 32));
    }
    fprintf(f, "I^2 (residual heterogeneity / unaccounted variability): %s%%\n",
            num(r->I2, a, 32));
    fprintf(f, "H^2 (unaccounted variability / sampling variability):   %s\n",
            num(r->H2, a, 32));
    if (!isnan(r->R2))
        fprintf(f, "R^2 (amount of heterogeneity accounted for):            %s%%\n",
                num(r->R2, a, 32));
    fprintf(f, "\nTest for Residual Heterogeneity:\nQE(df = %.0f) = %s, p-val %s\n\n",
            r->QE_df, num(r->QE, a, 32), pv(r->QE_p, b, 32, 1));
    if (x->p == 2)
        fprintf(f, "Test of Moderators (coefficient 2):\n");
    else
        fprintf(f, "Test of Moderators (coefficients %zu:%zu):\n", first, x->p);
    if (knha)
        fprintf(f, "F(df1 = %.0f, df2 = %.0f) = %s, p-val %s\n\n", r->QM_df, r->df,
                num(r->QM, a, 32), pv(r->QM_p, b, 32, 1));
    else
        fprintf(f, "QM(df = %.0f) = %s, p-val %s\n\n", r->QM_df, num(r->QM, a, 32),
                pv(r->QM_p, b, 32, 1));
    fprintf(f, "Model Results (%s):\n\n", measure);
    for (j = 0; j < x->p; j++)
        if (strlen(x->term[j]) > w)
            w = strlen(x->term[j]);
    fprintf(f, "%-*s %10s %10s %10s %10s %10s %10s\n", (int)w, "", "estimate", "se",
            knha ? "tval" : "zval", "pval", "ci.lb", "ci.ub");
    for (j = 0; j < x->p; j++)
        fprintf(f, "%-*s %10s %10s %10s %10s %10s %10s\n", (int)w, x->term[j],
                num(r->b[j], a, 32), num(r->se[j], b, 32), num(r->stat[j], c, 32),
                pv(r->pval[j], d, 32, 0), num(r->ci_lb[j], e, 32), num(r->ci_ub[j], g, 32));
    if (knha)
        fprintf(f, "(t tests with %.0f df, %s; %g%% CI)\n", r->df,
                r->test == MA_TEST_KNHA ? "Knapp-Hartung" : cli_test_label(r->test),
                100 * o->level);
}

int cmd_regress(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"method", required_argument, NULL, OPT_METHOD},
        {"test", required_argument, NULL, OPT_TEST},
        {"level", required_argument, NULL, OPT_LEVEL},
        {"maxiter", required_argument, NULL, OPT_MAXITER},
        {"stepadj", required_argument, NULL, OPT_STEPADJ},
        {"tau2-init", required_argument, NULL, OPT_TAU2_INIT},
        {"mods", required_argument, NULL, OPT_MODS},
        CLI_OPT_END};
    cli_common_t c;
    ma_rma_opts_t o;
    const char *path, *mods[MAX_MODS];
    char *modbuf = NULL;
    const char **cells = NULL;
    size_t nmods = 0, i, j;
    ma_table_t *t = NULL;
    ma_dataset_t *d = NULL;
    ma_design_t *x = NULL;
    double *yi = NULL, *vi = NULL;
    ma_reg_t r;
    ma_error_t err;
    cli_out_t out;
    int opt, rc;

    memset(&r, 0, sizeof r);
    cli_common_init(&c);
    ma_rma_opts_init(&o);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "m:", longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            free(modbuf);
            printf(HELP, CLI_COMMON_HELP);
            return 0;
        }
        if (opt == OPT_MODS) {
            free(modbuf);
            modbuf = malloc(strlen(optarg) + 1);
            if (!modbuf) {
                fprintf(stderr, "iastm regress: out of memory\n");
                return 1;
            }
            strcpy(modbuf, optarg);
            if ((nmods = cli_split_mods("regress", modbuf, mods, MAX_MODS)) == 0) {
                free(modbuf);
                return 2;
            }
            continue;
        }
        if ((rc = cli_common_opt(&c, opt, optarg, "regress")) == 0)
            rc = cli_rma_opt(&o, opt, optarg, "regress");
        if (rc < 0 || rc == 0) {
            free(modbuf);
            return rc < 0 ? 2 : cli_bad_option("regress", opt, argv);
        }
    }
    if (nmods == 0) {
        free(modbuf);
        return cli_usage_error("regress", "--mods COL[,COL...] is required");
    }
    if (!(path = cli_input_arg(argc, argv, "regress"))) {
        free(modbuf);
        return 2;
    }
    if ((rc = cli_load(&c, path, &t, &d)) != 0) {
        free(modbuf);
        return rc;
    }
    for (j = 0; j < nmods; j++)
        if (ma_table_col(t, mods[j]) < 0) {
            rc = cli_usage_error("regress", "--mods: no column '%s' in %s", mods[j], t->path);
            goto done;
        }
    if (d->k == 0) {
        fprintf(stderr, "iastm regress: %s: no poolable rows (%zu row%s, none usable)\n",
                t->path, d->n, d->n == 1 ? "" : "s");
        cli_excluded_text(stderr, d);
        rc = 2;
        goto done;
    }

    cells = malloc(d->k * nmods * sizeof *cells);
    if (!cells) {
        rc = 1;
        fprintf(stderr, "iastm regress: out of memory\n");
        goto done;
    }
    for (i = 0; i < d->k; i++)
        for (j = 0; j < nmods; j++)
            cells[i * nmods + j] = ma_dataset_cell(d, d->idx[i], mods[j]);
    if (ma_design_build(mods, nmods, cells, d->k, &x, &err) != MA_OK) {
        char buf[1400];
        fprintf(stderr, "iastm regress: %s: %s\n", t->path, ma_error_format(&err, buf, sizeof buf));
        rc = err.code == MA_ENOMEM ? 1 : 2;
        goto done;
    }
    yi = malloc(x->k * sizeof *yi);
    vi = malloc(x->k * sizeof *vi);
    if (!yi || !vi) {
        rc = 1;
        fprintf(stderr, "iastm regress: out of memory\n");
        goto done;
    }
    for (i = 0; i < x->k; i++) {
        yi[i] = d->yi[x->rows[i]];
        vi[i] = d->vi[x->rows[i]];
    }
    if (ma_regress_fit(yi, vi, x->k, x->X, x->p, &o, &r, &err) != MA_OK) {
        char buf[1400];
        fprintf(stderr, "iastm regress: %s: %s\n", t->path, ma_error_format(&err, buf, sizeof buf));
        fprintf(stderr, "  columns:");
        for (j = 0; j < x->p; j++)
            fprintf(stderr, " %zu %s%s", j + 1, x->term[j], j + 1 < x->p ? "," : "\n");
        rc = err.code == MA_EINPUT || err.code == MA_EUSAGE ? 2 : 1;
        goto done;
    }

    if ((rc = cli_out_open(&out, c.output)) != 0)
        goto done;
    if (c.format == MA_FMT_TEXT) {
        text_report(out.f, &r, x, &o, mods, cli_measure_name(&c, d));
        cli_excluded_text(out.f, d);
        if (x->nmissing) {
            fprintf(out.f, "\nNot in the model (%zu row%s):\n", x->nmissing,
                    x->nmissing == 1 ? "" : "s");
            for (i = 0; i < x->nmissing; i++) {
                const ma_study_t *s = &d->s[d->idx[x->missing[i]]];
                fprintf(out.f, "  %s (line %ld): %s\n", s->label, s->line, x->reason[i]);
            }
        }
        rc = cli_out_close(&out, 1);
    } else {
        ma_writer_t *w = ma_writer_new(out.f, c.format);
        int ok = w != NULL;
        if (w) {
            char modlist[1024] = "";
            for (j = 0; j < nmods; j++) {
                size_t n = strlen(modlist);
                snprintf(modlist + n, sizeof modlist - n, "%s%s", j ? "," : "", mods[j]);
            }
            ma_writer_section(w, "model");
            ma_writer_begin(w);
            ma_writer_str(w, "measure", cli_measure_name(&c, d));
            ma_writer_str(w, "mods", modlist);
            ma_writer_str(w, "model", r.method_used == MA_METHOD_FE ? "common" : "mixed");
            ma_writer_str(w, "method", ma_method_name(o.method));
            ma_writer_str(w, "method_used", ma_method_name(r.method_used));
            ma_writer_str(w, "test", ma_test_name(r.test));
            ma_writer_num(w, "level", o.level);
            ma_writer_int(w, "k", (long)r.k);
            ma_writer_int(w, "p", (long)r.p);
            ma_writer_num(w, "df", r.df);
            ma_writer_num(w, "tau2", r.tau2);
            ma_writer_num(w, "tau", sqrt(r.tau2));
            ma_writer_num(w, "I2", r.I2);
            ma_writer_num(w, "H2", r.H2);
            ma_writer_num(w, "R2", r.R2);
            ma_writer_num(w, "QM", r.QM);
            ma_writer_num(w, "QM_df", r.QM_df);
            ma_writer_num(w, "QM_df2", r.df);
            ma_writer_num(w, "QM_p", r.QM_p);
            ma_writer_num(w, "QE", r.QE);
            ma_writer_num(w, "QE_df", r.QE_df);
            ma_writer_num(w, "QE_p", r.QE_p);
            ma_writer_bool(w, "converged", r.converged);
            ma_writer_int(w, "iterations", r.iterations);
            ma_writer_str(w, "note", r.note);
            ma_writer_end(w);
            ma_writer_section(w, "coefficients");
            for (j = 0; j < r.p; j++) {
                ma_writer_begin(w);
                ma_writer_str(w, "term", x->term[j]);
                ma_writer_num(w, "estimate", r.b[j]);
                ma_writer_num(w, "se", r.se[j]);
                ma_writer_num(w, "stat", r.stat[j]);
                ma_writer_num(w, "pval", r.pval[j]);
                ma_writer_num(w, "ci_lb", r.ci_lb[j]);
                ma_writer_num(w, "ci_ub", r.ci_ub[j]);
                ma_writer_end(w);
            }
            cli_excluded_records(w, d);
            for (i = 0; i < x->nmissing; i++) {
                const ma_study_t *s = &d->s[d->idx[x->missing[i]]];
                ma_writer_begin(w);
                ma_writer_str(w, "study", s->label);
                ma_writer_int(w, "line", s->line);
                ma_writer_str(w, "data_form", ma_form_name(s->form));
                ma_writer_str(w, "reason", x->reason[i]);
                ma_writer_end(w);
            }
            ok = cli_writer_done(w);
        }
        rc = cli_out_close(&out, ok);
    }
done:
    ma_reg_clear(&r);
    ma_design_free(x);
    free(cells);
    free(yi);
    free(vi);
    free(modbuf);
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
