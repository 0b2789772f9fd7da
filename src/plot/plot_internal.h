/* Helpers shared by the plot layouts (private to src/plot/). */
#ifndef IASTM_PLOT_INTERNAL_H
#define IASTM_PLOT_INTERNAL_H

#include <stddef.h>

#include "iastm/gnuplot.h"
#include "iastm/plot.h"

/* PNG resolution when none is asked for: 144 dpi (2 pixels per point). */
#define PLOT_DPI 144.0
/* No text is drawn smaller than this at print size (journals ask for 6 to 8 pt). */
#define PLOT_MIN_FONT 6.0

/* Width in points of `s` set in DejaVu Sans (the font fontconfig gives for sans-serif;
 * narrower sans fonts such as Arial or Helvetica fit in it) at `size_pt`, bold or not.
 * Characters beyond ASCII count 0.7 em. */
double plot_text_width(const char *s, double size_pt, int bold);
/* The longest prefix of `s` (characters, an ellipsis added when cut) whose width is at
 * most `max_pt`, into out (size bytes). Returns 1 when cut. */
int plot_fit_text(const char *s, double size_pt, int bold, double max_pt, char *out,
                  size_t size);
/* Break `text` (cleaned as ma_gp_clean) into lines of at most `width` points at spaces;
 * a word too long for a line is cut with "...". A relation sign stays with its
 * neighbours ("p < 0.001" is never split). Calls line(ctx, text) per line (line may be
 * NULL: count only); returns the number of lines (at least 1). */
size_t plot_wrap(const char *text, double size, int bold, double width,
                 void (*line)(void *, const char *), void *ctx);
/* Write `text` as screen labels wrapped within `width` points, the first line's
 * baseline region at (x, y) points from the top left of a W x H figure, one line every
 * `step` points, continuation lines indented; `extra` is appended to each label (e.g. a
 * colour, or NULL). With s NULL only counts. Returns the y of the line after the last. */
double plot_text_lines(ma_gp_script_t *s, const char *text, double x, double y, double W,
                       double H, double size, int bold, double width, double step,
                       const char *extra);
/* The note on rows not used: "`what` (N rows):" in bold, then "label (line N): reason"
 * per row, each wrapped as plot_text_lines (s NULL: only counts, with the same title).
 * Returns the y after the last line (y itself when n is 0). */
double plot_excluded(ma_gp_script_t *s, const char *what, const ma_plot_excluded_t *e,
                     size_t n, double x, double y, double W, double H, double size,
                     double width, double step);
/* A text size in points, never below PLOT_MIN_FONT. */
double plot_font_floor(double size_pt);
/* PNG pixels per point of a --dpi value (0: PLOT_DPI). */
double plot_png_scale(double dpi);
/* A length for a message, rounded up: "3.50 in", "8.90 cm", "89.0 mm" or "252 pt" (unit
 * NULL: pt). */
void plot_fmt_length(char *buf, size_t n, double pt, const char *unit);

/* x with `decimals` decimals for people; "-0.00" is written "0.00", NaN "NA". */
void plot_fmt_num(char *buf, size_t n, double x, int decimals);
/* "p < 0.001" or "p = 0.037"; NaN: "p = NA". */
void plot_fmt_p(char *buf, size_t n, double p);
/* 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
double plot_nice_step(double raw);
double plot_clamp(double x, double lo, double hi);

#endif
