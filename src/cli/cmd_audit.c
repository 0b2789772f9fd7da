/* iastm audit: checks of the reported numbers, row by row, before anything is pooled. */
#include <string.h>

#include "command.h"
#include "iastm/audit.h"

static const char HELP[] =
    "Usage: iastm audit [OPTIONS] FILE.csv\n"
    "Check the numbers each row reports, before any pooling, and flag what cannot be\n"
    "right or looks like a transcription slip:\n"
    "  sd_se    an SD that may be an SE: implied |SMD| above 2.5, or an SD below 5%% of\n"
    "           the scale's range (with the SD it implies when read as an SE)\n"
    "  grim     a mean impossible for integer-valued scores with that n (Brown &\n"
    "           Heathers 2016), needs the scale's step (column scale_step)\n"
    "  grimmer  an SD impossible for such scores with that mean and n (Anaya 2016)\n"
    "  p        a reported p-value outside what a two-sample t test on the printed\n"
    "           means, SDs and n gives\n"
    "  range    a mean outside the scale (scale_min, scale_max) or an SD larger than\n"
    "           values on the scale allow\n"
    "Every check allows for the rounding of the printed numbers. A flag is a question\n"
    "for the source, not a verdict. Exit status 0 whether or not rows are flagged.\n"
    "\n%s"
    "\nExamples:\n"
    "  iastm audit data/trials.csv\n"
    "  iastm audit --format csv --where outcome=pain data/trials.csv\n";

static const char *arm_key(int arm)
{
    return arm == 1 ? "iastm" : arm == 2 ? "comparator" : NULL;
}

static const char *short_result(ma_audit_result_t r)
{
    return r == MA_AUDIT_FLAG ? "FLAG" : r == MA_AUDIT_PASS ? "ok" : "-";
}

static void write_text(FILE *f, const char *path, const ma_dataset_t *d, const ma_audit_t *a)
{
    size_t i, j, w = 5;
    for (i = 0; i < d->n; i++) {
        size_t l = strlen(d->s[i].label);
        if (l > w)
            w = l < 24 ? l : 24;
    }
    fprintf(f, "Data audit of %s: %zu rows; %zu flag%s on %zu row%s\n", path, d->n, a->nflags,
            a->nflags == 1 ? "" : "s", a->nrows_flagged, a->nrows_flagged == 1 ? "" : "s");
    fprintf(f, "A flag is a question for the source, not a verdict (iastm audit --help).\n");
    if (a->nflags) {
        fprintf(f, "\nFlags:\n");
        for (i = 0; i < a->n; i++) {
            const ma_audit_item_t *it = &a->items[i];
            const ma_study_t *s = &d->s[it->study];
            const char *outcome = ma_dataset_cell(d, it->study, "outcome");
            if (it->result != MA_AUDIT_FLAG)
                continue;
            fprintf(f, "  %s (line %ld%s%s) %s%s%s: %s\n", s->label, s->line,
                    *outcome ? ", " : "", outcome, ma_audit_check_name(it->check),
                    it->arm ? ", " : "", it->arm == 1 ? "IASTM arm" :
                    it->arm == 2 ? "comparator arm" : "", it->reason);
        }
    }
    fprintf(f, "\nPer row (FLAG inconsistent, ok consistent, - not checkable; "
               "arms IASTM/comparator):\n");
    fprintf(f, "%-*s %5s  %-6s %-9s %-9s %-6s %s\n", (int)w, "study", "line", "sd_se",
            "grim", "grimmer", "p", "range");
    for (i = 0, j = 0; i < d->n; i++) {
        const ma_study_t *s = &d->s[i];
        char cell[MA_AUDIT_NCHECKS][24];
        memset(cell, 0, sizeof cell);
        for (; j < a->n && a->items[j].study == i; j++) {
            const ma_audit_item_t *it = &a->items[j];
            size_t l = strlen(cell[it->check]);
            snprintf(cell[it->check] + l, sizeof cell[0] - l, "%s%s", l ? "/" : "",
                     short_result(it->result));
        }
        fprintf(f, "%-*.*s %5ld  %-6s %-9s %-9s %-6s %s\n", (int)w, (int)w, s->label,
                s->line, cell[MA_AUDIT_SD_SE], cell[MA_AUDIT_GRIM], cell[MA_AUDIT_GRIMMER],
                cell[MA_AUDIT_P], cell[MA_AUDIT_RANGE]);
    }
}

static void write_records(ma_writer_t *w, const ma_dataset_t *d, const ma_audit_t *a)
{
    size_t i;
    ma_writer_section(w, "audit");
    for (i = 0; i < a->n; i++) {
        const ma_audit_item_t *it = &a->items[i];
        const ma_study_t *s = &d->s[it->study];
        ma_writer_begin(w);
        ma_writer_str(w, "study", s->label);
        ma_writer_int(w, "line", s->line);
        ma_writer_str(w, "outcome", ma_dataset_cell(d, it->study, "outcome"));
        ma_writer_str(w, "instrument", ma_dataset_cell(d, it->study, "instrument"));
        ma_writer_str(w, "check", ma_audit_check_name(it->check));
        ma_writer_str(w, "arm", arm_key(it->arm));
        ma_writer_str(w, "result", ma_audit_result_name(it->result));
        ma_writer_str(w, "reason", it->reason);
        ma_writer_str(w, "source_url", ma_dataset_cell(d, it->study, "source_url"));
        ma_writer_str(w, "source_location", ma_dataset_cell(d, it->study, "source_location"));
        ma_writer_end(w);
    }
}

static void text(cli_ctx_t *x, FILE *f)
{
    write_text(f, x->path, x->d, *(ma_audit_t **)x->self);
}

static void records(cli_ctx_t *x, ma_writer_t *w)
{
    write_records(w, x->d, *(ma_audit_t **)x->self);
}

static int run(cli_ctx_t *x)
{
    ma_error_t err;
    if (ma_audit_run(x->d, (ma_audit_t **)x->self, &err) != MA_OK)
        return cli_report(&err);
    return cli_emit(x, text, records);
}

static void clear(cli_ctx_t *x)
{
    ma_audit_free(*(ma_audit_t **)x->self);
}

/* The columns of the Markdown tables; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "audit: study line outcome check arm result reason",
    NULL};

const cli_cmd_t CLI_CMD_AUDIT = {
    .md_columns = MD_COLUMNS,
    .name = "audit", .summary = "data audit: SD or SE, GRIM, GRIMMER, p-values, scale ranges",
    .help = HELP, .help_parts = {CLI_COMMON_HELP},
    .row_by_row = 1, /* row by row: nothing is pooled */
    .self_size = sizeof(ma_audit_t *), .run = run, .clear = clear,
};
