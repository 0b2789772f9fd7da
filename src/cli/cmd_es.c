/* iastm es: effect size per row, how it was computed, or why it could not be. */
#include <math.h>
#include <string.h>

#include "cli.h"

static const char HELP[] =
    "Usage: iastm es [OPTIONS] FILE.csv\n"
    "Compute one effect size per row (positive favours IASTM) from whatever the row reports:\n"
    "final or change means with SDs, SEs, a mean difference with its CI or SE, a reported\n"
    "effect size by its es_kind (Cohen's d, Hedges' g, an odds ratio with its CI), a t\n"
    "statistic, an exact p-value with its direction, medians with IQR or range, or yi/vi\n"
    "directly. Rows that cannot be computed are listed with the reason.\n"
    "\n%s"
    "\nExamples:\n"
    "  iastm es data/trials.csv\n"
    "  iastm es --measure MD --format csv --where outcome=pain data/trials.csv\n"
    "  iastm es --format json --label trial --col n1=N_treated \\\n"
    "      --col m1=mean_treated --col sd1=sd_treated --col n2=N_control \\\n"
    "      --col m2=mean_control --col sd2=sd_control data/examples/own_headers.csv\n";

static void write_text(FILE *f, const cli_common_t *c, const ma_dataset_t *d)
{
    size_t i, w = 5;
    for (i = 0; i < d->n; i++) {
        size_t l = strlen(d->s[i].label);
        if (l > w)
            w = l < 40 ? l : 40;
    }
    fprintf(f, "Effect sizes (%s; positive favours IASTM): %zu of %zu rows computable\n\n",
            cli_measure_name(c, d), d->k, d->n);
    fprintf(f, "%-*s %5s  %-12s %10s %10s  %-22s  %s\n", (int)w, "study", "line", "form", "yi",
            "vi", "95% CI", "method");
    for (i = 0; i < d->n; i++) {
        const ma_study_t *s = &d->s[i];
        fprintf(f, "%-*.*s %5ld  %-12s ", (int)w, (int)w, s->label, s->line,
                ma_form_name(s->form));
        if (!isnan(s->yi)) {
            double h = 1.959963984540054 * sqrt(s->vi);
            char ci[64];
            snprintf(ci, sizeof ci, "[%.4f, %.4f]", s->yi - h, s->yi + h);
            fprintf(f, "%10.4f %10.4f  %-22s  %s%s%s\n", s->yi, s->vi, ci, s->method,
                    s->included ? "" : "; EXCLUDED: ", s->included ? "" : s->reason);
        } else {
            fprintf(f, "%10s %10s  %-22s  EXCLUDED: %s\n", "-", "-", "", s->reason);
        }
    }
}

static void write_records(ma_writer_t *w, const cli_common_t *c, const ma_dataset_t *d)
{
    size_t i;
    long c_url = ma_table_col(d->table, "source_url");
    long c_loc = ma_table_col(d->table, "source_location");
    ma_writer_section(w, "effect_sizes");
    for (i = 0; i < d->n; i++) {
        const ma_study_t *s = &d->s[i];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_str(w, "measure", cli_measure_name(c, d));
        ma_writer_str(w, "data_form", ma_form_name(s->form));
        ma_writer_num(w, "yi", s->yi);
        ma_writer_num(w, "vi", s->vi);
        ma_writer_num(w, "sei", sqrt(s->vi));
        ma_writer_num(w, "n1", s->n1);
        ma_writer_num(w, "n2", s->n2);
        ma_writer_bool(w, "included", s->included);
        ma_writer_str(w, "es_method", s->method);
        ma_writer_str(w, "excluded", s->included ? NULL : s->reason);
        if (c_url >= 0)
            ma_writer_str(w, "source_url", ma_table_cell(d->table, s->row, c_url));
        if (c_loc >= 0)
            ma_writer_str(w, "source_location", ma_table_cell(d->table, s->row, c_loc));
        ma_writer_end(w);
    }
}

int cmd_es(int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS, CLI_OPT_END};
    cli_common_t c;
    const char *path;
    ma_table_t *t;
    ma_dataset_t *d;
    cli_out_t out;
    int opt, rc;

    cli_common_init(&c);
    while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if (opt == OPT_HELP) {
            printf(HELP, CLI_COMMON_HELP);
            return 0;
        }
        rc = cli_common_opt(&c, opt, optarg, "es");
        if (rc < 0)
            return 2;
        if (rc == 0)
            return cli_bad_option("es", opt, argv);
    }
    if (!(path = cli_input_arg(argc, argv, "es")))
        return 2;
    c.pooling = 0; /* effect sizes row by row: nothing is pooled */
    if ((rc = cli_load(&c, path, &t, &d)) != 0)
        return rc;
    if ((rc = cli_out_open(&out, c.output)) == 0) {
        int ok = 1;
        if (c.format == MA_FMT_TEXT) {
            write_text(out.f, &c, d);
        } else {
            ma_writer_t *w = ma_writer_new(out.f, c.format);
            ma_error_t err;
            if (!w) {
                fprintf(stderr, "iastm: out of memory\n");
                ok = 0;
            } else {
                write_records(w, &c, d);
                if (ma_writer_finish(w, &err) != MA_OK) {
                    cli_report(&err);
                    ok = 0;
                }
                ma_writer_free(w);
            }
        }
        rc = cli_out_close(&out, ok);
    }
    ma_dataset_free(d);
    ma_table_free(t);
    return rc;
}
