/* iastm es: effect size per row, how it was computed, or why it could not be. */
#include <math.h>
#include <string.h>

#include "command.h"

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
            double lb, ub;
            char ci[80], a[32], b[32];
            ma_es_ci95(s->yi, s->vi, &lb, &ub);
            snprintf(ci, sizeof ci, "[%s, %s]", cli_num(lb, a, sizeof a), cli_num(ub, b, sizeof b));
            fprintf(f, "%10s ", cli_num(s->yi, a, sizeof a));
            fprintf(f, "%10s  %-22s  %s%s%s\n", cli_num(s->vi, b, sizeof b), ci, s->method,
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
    const char *measure = cli_measure_name(c, d); /* O(n): once, not per row */
    ma_writer_section(w, "effect_sizes");
    for (i = 0; i < d->n; i++) {
        const ma_study_t *s = &d->s[i];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        if (d->labels) /* the readers' label, as in the plots */
            ma_writer_str(w, "citation", s->cite);
        ma_writer_int(w, "line", s->line);
        ma_writer_str(w, "measure", measure);
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

static void text(cli_ctx_t *x, FILE *f)
{
    write_text(f, &x->c, x->d);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    write_records(w, &x->c, x->d);
}

static int run(cli_ctx_t *x)
{
    return cli_emit(x, text, records);
}

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "effect_sizes: study data_form yi vi n1 n2 included excluded",
    NULL};

const cli_cmd_t CLI_CMD_ES = {
    .md_columns = MD_COLUMNS,
    .name = "es", .summary = "effect sizes (Hedges' g or MD) from every reported data form",
    .help = HELP, .help_parts = {CLI_COMMON_HELP},
    .row_by_row = 1, /* effect sizes row by row: nothing is pooled */
    .run = run,
};
