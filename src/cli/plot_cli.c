/* Shared plot options, script output and rendering for forest and funnel. */
#include "plot_cli.h"

#include <stdlib.h>
#include <string.h>

const char CLI_PLOT_HELP[] =
    "Plot options:\n"
    "  -o, --output FILE    the plot: FILE.png (pngcairo), FILE.svg or FILE.pdf (pdfcairo);\n"
    "                       replaced only when gnuplot succeeds (required)\n"
    "  --script FILE        also write the gnuplot script to FILE (- for standard output)\n"
    "  --dry-run            write the script only; do not run gnuplot\n"
    "  --gnuplot PATH       the gnuplot program (default: gnuplot from PATH)\n"
    "  --title TEXT         title above the plot\n"
    "  --width PT, --height PT  size in points (1/72 inch; PNG has 2 pixels per point)\n";

int cli_plot_opt(cli_plot_t *p, int opt, const char *arg, const char *cmd)
{
    switch (opt) {
    case OPT_SCRIPT:
        p->script = arg;
        return 1;
    case OPT_GNUPLOT:
        p->gnuplot = arg;
        return 1;
    case OPT_DRY_RUN:
        p->dry_run = 1;
        return 1;
    case OPT_TITLE:
        p->title = arg;
        return 1;
    case OPT_WIDTH:
        return cli_parse_double(cmd, "--width", arg, 0, 1e5, &p->width) < 0 ? -1 : 1;
    case OPT_HEIGHT:
        return cli_parse_double(cmd, "--height", arg, 0, 1e6, &p->height) < 0 ? -1 : 1;
    default:
        return 0;
    }
}

int cli_plot_check(cli_plot_t *p, const cli_common_t *c, const char *cmd)
{
    int f;
    if (!c->output || !strcmp(c->output, "-"))
        return cli_usage_error(cmd, "-o FILE.png|svg|pdf is required");
    if ((f = ma_plot_format_from_path(c->output)) < 0)
        return cli_usage_error(cmd, "-o %s: the name must end in .png, .svg or .pdf",
                               c->output);
    if (p->dry_run && !p->script)
        return cli_usage_error(cmd, "--dry-run needs --script FILE");
    p->format = (ma_plot_format_t)f;
    return 0;
}

int cli_plot_finish(const cli_plot_t *p, const char *output, const ma_gp_script_t *s,
                    const char *cmd)
{
    ma_error_t err;
    char warn[2048];
    if (s->failed) {
        fprintf(stderr, "iastm %s: out of memory\n", cmd);
        return 1;
    }
    if (p->script) {
        cli_out_t out;
        ma_gp_script_t head;
        int rc;
        ma_gp_init(&head);
        if (ma_gp_output(&head, output, &err) != MA_OK) {
            ma_gp_clear(&head);
            return cli_report(&err);
        }
        if ((rc = cli_out_open(&out, p->script)) != 0) {
            ma_gp_clear(&head);
            return rc;
        }
        fputs(head.buf, out.f);
        fputs(s->buf ? s->buf : "", out.f);
        ma_gp_clear(&head);
        if ((rc = cli_out_close(&out, 1)) != 0)
            return rc;
    }
    if (p->dry_run)
        return 0;
    if (ma_gp_render(p->gnuplot, s, output, warn, sizeof warn, &err) != MA_OK) {
        fprintf(stderr, "iastm %s: %s\n", cmd, err.msg);
        return 1;
    }
    if (warn[0]) {
        char *line = strtok(warn, "\n");
        for (; line; line = strtok(NULL, "\n"))
            fprintf(stderr, "iastm %s: gnuplot: %s\n", cmd, line);
    }
    return 0;
}

ma_plot_excluded_t *cli_plot_excluded(const ma_dataset_t *d, size_t *n)
{
    size_t i, m = 0;
    ma_plot_excluded_t *e = calloc(d->n ? d->n : 1, sizeof *e);
    *n = 0;
    if (!e)
        return NULL;
    for (i = 0; i < d->n; i++) {
        if (d->s[i].included)
            continue;
        e[m].label = d->s[i].label;
        e[m].line = d->s[i].line;
        e[m].reason = d->s[i].reason ? d->s[i].reason : "not poolable";
        m++;
    }
    *n = m;
    return e;
}
