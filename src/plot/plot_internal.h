/* Helpers shared by the plot layouts (private to src/plot/). */
#ifndef IASTM_PLOT_INTERNAL_H
#define IASTM_PLOT_INTERNAL_H

#include <stddef.h>

/* Average width of a character of the sans font, in em: for layout only (right-aligned
 * numbers do not depend on it). */
#define PLOT_CHAR_EM 0.70
/* Bold text is wider. */
#define PLOT_BOLD 1.12
/* PNG pixels per point: 2 gives 144 dpi. */
#define PLOT_PNG_SCALE 2.0

/* x with `decimals` decimals for people; "-0.00" is written "0.00", NaN "NA". */
void plot_fmt_num(char *buf, size_t n, double x, int decimals);
/* "p < 0.001" or "p = 0.037"; NaN: "p = NA". */
void plot_fmt_p(char *buf, size_t n, double p);
/* 1, 2, 2.5 or 5 times a power of ten, at least `raw`. */
double plot_nice_step(double raw);
double plot_clamp(double x, double lo, double hi);

#endif
