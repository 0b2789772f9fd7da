/* Shared plot options, script output and rendering for forest and funnel. */
#include "plot_cli.h"

#include <errno.h>
#include <math.h>
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
    "  --width L, --height L  size: a number with a unit, in, cm, mm or pt (a plain\n"
    "                       number is pt, 1/72 inch), e.g. --width 3.5in (one journal\n"
    "                       column) or 7in (two); a forest plot reflows to fit: its font\n"
    "                       shrinks (never below 6 pt), then the per-arm, weight and extra\n"
    "                       columns are left out, labels cut and text lines wrapped\n"
    "  --font-size PT       base font size in points (default 10; forest: 7 in wide at\n"
    "                       8 to 10 pt when the table fits there, else as wide as needed)\n"
    "  --dpi N              PNG resolution in pixels per inch (default 144)\n"
    "  -h, --help           this help\n";

int cli_parse_length(const char *arg, double *pt, const char **unit)
{
    static const struct {
        const char *name;
        double pt;
    } UNITS[] = {{"in", 72}, {"cm", 72 / 2.54}, {"mm", 72 / 25.4}, {"pt", 1}};
    char num[64];
    size_t n = strlen(arg), i, len;
    double x;
    for (i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++) {
        len = strlen(UNITS[i].name);
        if (n > len && !strcmp(arg + n - len, UNITS[i].name))
            break;
    }
    len = i < sizeof UNITS / sizeof UNITS[0] ? n - strlen(UNITS[i].name) : n;
    if (len == 0 || len >= sizeof num)
        return -1;
    memcpy(num, arg, len);
    num[len] = '\0';
    while (len > 0 && num[len - 1] == ' ')
        num[--len] = '\0';
    if (ma_parse_double(num, &x) != MA_NUM_OK || !isfinite(x))
        return -1;
    *pt = i < sizeof UNITS / sizeof UNITS[0] ? x * UNITS[i].pt : x;
    *unit = i < 3 ? UNITS[i].name : NULL;
    return 0;
}

/* --width / --height: a positive length of at most 1e5 pt (about 35 m). */
static int length_opt(const char *cmd, const char *opt, const char *arg, double *pt,
                      const char **unit)
{
    if (cli_parse_length(arg, pt, unit) != 0 || !(*pt > 0 && *pt <= 1e5)) {
        cli_usage_error(cmd, "%s takes a positive length with an optional unit in, cm, mm "
                        "or pt (e.g. 3.5in, 8.9cm, 252), got '%s'", opt, arg);
        return -1;
    }
    return 1;
}

int cli_plot_opt(cli_plot_t *p, int opt, const char *arg, const char *cmd)
{
    switch (opt) {
    case OPT_SCRIPT:
        if (strcmp(arg, "-") != 0 && cli_check_path(cmd, "--script", arg) < 0)
            return -1;
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
        return length_opt(cmd, "--width", arg, &p->width, &p->unit);
    case OPT_HEIGHT: {
        const char *unit = NULL;
        int rc = length_opt(cmd, "--height", arg, &p->height, &unit);
        if (!p->width)
            p->unit = unit;
        return rc;
    }
    case OPT_FONT_SIZE:
        if (ma_parse_double(arg, &p->font_size) != MA_NUM_OK ||
            !(p->font_size >= 6 && p->font_size <= 72))
            return cli_usage_error(cmd, "--font-size takes points from 6 to 72 (text below "
                                   "6 pt is unreadable in print), got '%s'", arg), -1;
        return 1;
    case OPT_DPI:
        return cli_parse_double(cmd, "--dpi", arg, 9, 2401, &p->dpi) < 0 ? -1 : 1;
    default:
        return 0;
    }
}

int cli_plot_check(cli_plot_t *p, const cli_common_t *c, const char *cmd)
{
    int f;
    if (c->format_given)
        return cli_usage_error(cmd, "--format does not apply to a plot: the -o name gives "
                                    "its format (.png, .svg or .pdf)");
    if (c->parts || c->digits >= 0)
        return cli_usage_error(cmd, "%s does not apply to a plot", c->parts ? "--parts"
                                                                            : "--digits");
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

/* Write the whole buffer; 0 when every byte was written. */
static int put_all(FILE *f, const char *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

int cli_plot_finish(const cli_plot_t *p, const char *output, const ma_gp_script_t *s,
                    const char *cmd)
{
    ma_error_t err = {0};
    char warn[2048];
    cli_out_t out;
    int rc, ok;
    if (s->failed) {
        fprintf(stderr, "iastm %s: out of memory\n", cmd);
        return 1;
    }
    if (p->script) {
        ma_gp_script_t head;
        ma_gp_init(&head);
        if (ma_gp_output(&head, output, &err) != MA_OK) {
            ma_gp_clear(&head);
            return cli_report(&err);
        }
        if (head.failed) {
            ma_gp_clear(&head);
            fprintf(stderr, "iastm %s: out of memory\n", cmd);
            return 1;
        }
        if ((rc = cli_out_open(&out, p->script)) != 0) {
            ma_gp_clear(&head);
            return rc;
        }
        ok = put_all(out.f, head.buf, head.len) == 0 &&
             put_all(out.f, s->buf ? s->buf : "", s->len) == 0;
        ma_gp_clear(&head);
        if (!ok) {
            fprintf(stderr, "iastm: %s: write error: %s\n", out.path ? out.path :
                    "standard output", strerror(errno));
            cli_out_close(&out, 0);
            return 1;
        }
        if ((rc = cli_out_close(&out, 1)) != 0)
            return rc;
    }
    if (p->dry_run)
        return 0;
    if ((rc = cli_out_open(&out, output)) != 0)
        return rc;
    if (fflush(out.f) != 0)
        ma_error_set(&err, MA_EIO, "%s: write error: %s", output, strerror(errno));
    else
        ma_gp_render_fd(p->gnuplot, s, fileno(out.f), warn, sizeof warn, &err);
    if (err.code != MA_OK) {
        fprintf(stderr, "iastm %s: %s\n", cmd, err.msg);
        cli_out_close(&out, 0);
        return 1;
    }
    if ((rc = cli_out_close(&out, 1)) != 0)
        return rc;
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
        e[m].label = d->s[i].cite;
        e[m].line = d->s[i].line;
        e[m].reason = d->s[i].reason ? d->s[i].reason : "not poolable";
        m++;
    }
    *n = m;
    return e;
}

const char *cli_measure_axis(const char *measure)
{
    if (!strcmp(measure, "SMD"))
        return "Hedges' g";
    if (!strcmp(measure, "MD"))
        return "Mean difference";
    return "Effect size";
}
