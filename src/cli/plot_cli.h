/* Options and output shared by the plotting subcommands (forest, funnel). */
#ifndef IASTM_PLOT_CLI_H
#define IASTM_PLOT_CLI_H

#include "cli.h"
#include "iastm/gnuplot.h"
#include "iastm/plot.h"

typedef struct {
    const char *script;   /* --script FILE ("-": stdout) */
    const char *gnuplot;  /* --gnuplot PATH */
    const char *title;
    int dry_run;          /* --dry-run: write the script only */
    double width, height; /* points, 0: from the layout */
    const char *unit;     /* unit --width (else --height) was given in: "in", "cm", "mm", NULL pt */
    double font_size;     /* --font-size, points (0: the layout's) */
    double dpi;           /* --dpi, PNG pixels per inch (0: 144) */
    ma_plot_format_t format;
} cli_plot_t;

#define CLI_PLOT_LONGOPTS                                               \
    {"script", required_argument, NULL, OPT_SCRIPT},                    \
    {"gnuplot", required_argument, NULL, OPT_GNUPLOT},                  \
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},                        \
    {"title", required_argument, NULL, OPT_TITLE},                      \
    {"width", required_argument, NULL, OPT_WIDTH},                      \
    {"height", required_argument, NULL, OPT_HEIGHT},                    \
    {"font-size", required_argument, NULL, OPT_FONT_SIZE},              \
    {"dpi", required_argument, NULL, OPT_DPI}
extern const char CLI_PLOT_HELP[];

/* The page of a layout's options o (a struct of every layout in iastm/plot.h) from the
 * plot options p: format, title, width, height, font size and dpi. */
#define CLI_PLOT_PAGE(o, p)                                                            \
    ((o).format = (p).format, (o).title = (p).title, (o).width_pt = (p).width,          \
     (o).height_pt = (p).height, (o).font_pt = (p).font_size, (o).dpi = (p).dpi)

/* A length with a unit, "3.5in", "8.9cm", "89mm", "252pt" or "252" (points), into
 * points; *unit gets "in", "cm", "mm" or NULL (points). -1 when it is not one. */
int cli_parse_length(const char *arg, double *pt, const char **unit);

/* 1 handled, 0 not ours, -1 usage error printed. */
int cli_plot_opt(cli_plot_t *p, int opt, const char *arg, const char *cmd);
/* After parsing: -o is required and names the format. Returns 0 or 2 (usage error). */
int cli_plot_check(cli_plot_t *p, const cli_common_t *c, const char *cmd);
/* Write the script (--script) and draw the plot into `output`. Returns an exit status. */
int cli_plot_finish(const cli_plot_t *p, const char *output, const ma_gp_script_t *s,
                    const char *cmd);
/* The axis title of an effect measure: "Hedges' g", "Mean difference" or "Effect size". */
const char *cli_measure_axis(const char *measure);
/* The excluded rows of a dataset for the note under a plot (caller frees). */
ma_plot_excluded_t *cli_plot_excluded(const ma_dataset_t *d, size_t *n);

#endif
