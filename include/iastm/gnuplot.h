/* Driving gnuplot: a script builder that keeps text from data files inert, and a runner
 * that pipes the script to the gnuplot program, its output going to a file descriptor. */
#ifndef IASTM_GNUPLOT_H
#define IASTM_GNUPLOT_H

#include <stddef.h>
#include "error.h"

/* Output formats, chosen from the output file's extension. */
typedef enum { MA_PLOT_PNG = 0, MA_PLOT_SVG, MA_PLOT_PDF } ma_plot_format_t;

/* Format from "FILE.png|svg|pdf" (extension case-insensitive); -1 when unknown. */
int ma_plot_format_from_path(const char *path);

/* A growing script. Out of memory is remembered (`failed`) and reported by the consumer,
 * so building code needs no check after every append. */
typedef struct {
    char *buf;   /* NUL-terminated text (owned) */
    size_t len, cap;
    int failed;  /* 1 after an allocation failure */
} ma_gp_script_t;

void ma_gp_init(ma_gp_script_t *s);
void ma_gp_clear(ma_gp_script_t *s); /* frees the text; the script is empty again */

/* Append trusted text (commands, numbers formatted here). Never pass data-file text
 * through the format string or as a %s argument: use ma_gp_quote. */
void ma_gp_printf(ma_gp_script_t *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Append untrusted text as a gnuplot string expression: single-quoted runs, inside which
 * gnuplot expands neither backquotes, @macros nor backslashes, joined by '.' to "\047"
 * for each apostrophe (gnuplot's '' escape fails at the start of a string and after
 * another ''). "it's" becomes 'it'."\047".'s'; "" becomes ''. Control characters
 * (including newlines, which would end the command) become spaces and invalid UTF-8 bytes
 * become '?' (ma_gp_clean). Use with `noenhanced` so ^ _ @ & { } are not markup. */
void ma_gp_quote(ma_gp_script_t *s, const char *text);

/* Copy `in` to `out` (size bytes, NUL-terminated): control characters (C0, DEL, C1) as
 * spaces, invalid UTF-8 as '?', runs of spaces collapsed, leading/trailing space removed,
 * and at most `maxchars` characters (code points; 0 = no limit), ending in "..." when cut.
 * Returns the number of characters written. */
size_t ma_gp_clean(const char *in, char *out, size_t size, size_t maxchars);

/* The font family of every text: a generic family that fontconfig (PNG, PDF) and every
 * browser (SVG) resolve to a sans-serif font. */
#define MA_GP_FONT "sans-serif"

/* " font 'sans-serif,SIZE'" or, bold, " font 'sans-serif Bold,SIZE'": the style as a
 * word of the font name, which pango reads as bold (PNG, PDF) and gnuplot's svg
 * terminal writes as font-weight="bold" (a ":Bold" suffix would become the SVG family). */
void ma_gp_font(char *buf, size_t n, double size_pt, int bold);

/* Append `set terminal` for the format: size in points (1/72 inch), font size in points.
 * PNG is drawn at `png_scale` pixels per point (1 when <= 0: 72 dpi); in every format a
 * font point and a line width unit are 1/72 inch at print size. Text is never enhanced. */
void ma_gp_terminal(ma_gp_script_t *s, ma_plot_format_t fmt, double width_pt,
                    double height_pt, double font_pt, double png_scale);

/* Append `set output 'PATH'` for a script the user runs (--script), quoted as
 * ma_gp_quote but exact; a relative path not starting with a letter, digit, '.' or '_' is
 * written ./PATH, so that gnuplot reads neither '|' (a pipe) nor '~' (home) in it.
 * MA_EUSAGE when the path is empty or holds a control character. */
ma_status_t ma_gp_output(ma_gp_script_t *s, const char *path, ma_error_t *err);

/* Run `program` (NULL: "gnuplot", looked up in PATH, no shell involved) as `program -d`
 * (no init files) in a fixed environment (PATH only, no HOME, LC_ALL=C.UTF-8, TZ=UTC0),
 * with the script on standard input and its standard output on `fd`, an empty regular
 * file: gnuplot is never given a file name, and `script` must not set the output.
 * Fails (MA_EEXTERNAL, with gnuplot's first error line) when the program cannot be
 * started, exits non-zero, or writes nothing. PDF creation dates are fixed so that the
 * same script gives the same bytes. gnuplot's messages on a successful run are copied to
 * `warnings` (may be NULL; "" when none). */
ma_status_t ma_gp_render_fd(const char *program, const ma_gp_script_t *script, int fd,
                            char *warnings, size_t warnsize, ma_error_t *err);

/* ma_gp_render_fd into `output` through ma_outfile (outfile.h): replaced only on
 * success, a link's target replaced, the old file's mode kept. */
ma_status_t ma_gp_render(const char *program, const ma_gp_script_t *script,
                         const char *output, char *warnings, size_t warnsize,
                         ma_error_t *err);

#endif
