/* Number formatting and axis helpers shared by the plot layouts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_internal.h"

#include "iastm/gnuplot.h"

/* Advance widths of ASCII 32..126 in DejaVu Sans (Book, then Bold), in 1/1000 em, from
 * the fonts' hmtx tables. */
static const unsigned short WIDTH[2][95] = {{
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684,
    686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695,
    635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550,
    635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392,
    634, 592, 818, 592, 592, 525, 636, 337, 636, 838}, {
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774,
    762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770,
    720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593,
    716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478,
    712, 652, 924, 645, 652, 582, 712, 365, 712, 838}};

/* Width of the character at *p in em; *p advances past it. */
static double char_em(const unsigned char **p, int bold)
{
    unsigned char c = **p;
    if (c >= 32 && c < 127) {
        (*p)++;
        return WIDTH[bold != 0][c - 32] / 1000.0;
    }
    (*p)++;
    while ((**p & 0xC0u) == 0x80u)
        (*p)++;
    return c < 32 ? 0 : 0.7;
}

double plot_text_width(const char *s, double size_pt, int bold)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    double em = 0;
    while (*p)
        em += char_em(&p, bold);
    return em * size_pt;
}

int plot_fit_text(const char *s, double size_pt, int bold, double max_pt, char *out,
                  size_t size)
{
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *prev;
    double w = 0, dots = 3 * WIDTH[0]['.' - 32] / 1000.0 * size_pt;
    size_t keep = 0;
    if (size == 0)
        return 0;
    if (plot_text_width(s, size_pt, bold) <= max_pt + 1e-6) {
        snprintf(out, size, "%s", s ? s : "");
        return 0;
    }
    /* the longest prefix that leaves room for "..." */
    while (*p) {
        prev = p;
        w += char_em(&p, bold) * size_pt;
        if (w + dots > max_pt || (size_t)(p - (const unsigned char *)s) + 4 > size) {
            p = prev;
            break;
        }
        keep = (size_t)(p - (const unsigned char *)s);
    }
    while (keep > 0 && s[keep - 1] == ' ')
        keep--;
    memcpy(out, s, keep);
    memcpy(out + keep, "...", 4);
    return 1;
}

static size_t word_len(const char *w)
{
    const char *e = strchr(w, ' ');
    return e ? (size_t)(e - w) : strlen(w);
}

/* A relation sign standing as a word: kept on the line of its neighbours. */
static int is_operator(const char *w, size_t n)
{
    return (n == 1 && strchr("=<>~", w[0])) ||
           (n == 3 && (!memcmp(w, "\xe2\x89\xa4", 3) || !memcmp(w, "\xe2\x89\xa5", 3)));
}

size_t plot_wrap(const char *text, double size, int bold, double width,
                 void (*line)(void *, const char *), void *ctx)
{
    char cur[256], cand[512], clean[256], unit[256];
    const char *p;
    size_t n = 0;
    ma_gp_clean(text, clean, sizeof clean, 0);
    cur[0] = '\0';
    p = clean;
    while (*p) {
        /* the next unit: a word, with a relation sign and its neighbours */
        const char *e = p;
        size_t len;
        for (;;) {
            const char *sp = strchr(e, ' ');
            const char *end = sp ? sp : e + strlen(e);
            if (sp && (is_operator(e, (size_t)(end - e)) ||
                       is_operator(sp + 1, word_len(sp + 1)))) {
                e = sp + 1; /* "p < 0.001", "Q = 1.2" stay on one line */
                continue;
            }
            e = end;
            break;
        }
        len = (size_t)(e - p);
        if (len >= sizeof unit)
            len = sizeof unit - 1;
        memcpy(unit, p, len);
        unit[len] = '\0';
        if (plot_text_width(unit, size, bold) > width + 1e-6 && strchr(unit, ' ')) {
            /* a unit wider than a line: word by word */
            e = strchr(p, ' ');
            len = e ? (size_t)(e - p) : strlen(p);
            memcpy(unit, p, len);
            unit[len] = '\0';
        }
        snprintf(cand, sizeof cand, "%s%s%s", cur, *cur ? " " : "", unit);
        if (!*cur || plot_text_width(cand, size, bold) <= width + 1e-6) {
            if (!*cur)
                plot_fit_text(unit, size, bold, width, cur, sizeof cur);
            else
                snprintf(cur, sizeof cur, "%.*s", (int)sizeof cur - 1, cand);
        } else {
            if (line)
                line(ctx, cur);
            n++;
            plot_fit_text(unit, size, bold, width, cur, sizeof cur);
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    if (*cur || n == 0) {
        if (line)
            line(ctx, cur);
        n++;
    }
    return n;
}

typedef struct {
    ma_gp_script_t *s;
    double x, y, W, H, step, indent;
    const char *font, *extra;
    size_t n;
} lines_t;

static void put_screen_line(void *vctx, const char *text)
{
    lines_t *l = vctx;
    ma_gp_printf(l->s, "set label ");
    ma_gp_quote(l->s, text);
    ma_gp_printf(l->s, " at screen %.6f, screen %.6f left noenhanced%s%s\n",
                 (l->x + (l->n ? l->indent : 0)) / l->W, 1 - l->y / l->H, l->font, l->extra);
    l->y += l->step;
    l->n++;
}

double plot_text_lines(ma_gp_script_t *s, const char *text, double x, double y, double W,
                       double H, double size, int bold, double width, double step,
                       const char *extra)
{
    char font[64];
    lines_t l;
    if (!s)
        return y + (double)plot_wrap(text, size, bold, width - 0.8 * size, NULL, NULL) * step;
    ma_gp_font(font, sizeof font, size, bold);
    l.s = s;
    l.x = x;
    l.y = y;
    l.W = W;
    l.H = H;
    l.step = step;
    l.indent = 0.8 * size;
    l.font = font;
    l.extra = extra ? extra : "";
    l.n = 0;
    /* continuation lines are indented: the width left for them is smaller */
    plot_wrap(text, size, bold, width - l.indent, put_screen_line, &l);
    return l.y;
}

double plot_excluded(ma_gp_script_t *s, const char *what, const ma_plot_excluded_t *e,
                     size_t n, double x, double y, double W, double H, double size,
                     double width, double step)
{
    char buf[1024];
    size_t i;
    if (n == 0)
        return y;
    snprintf(buf, sizeof buf, "%s (%zu row%s):", what, n, n == 1 ? "" : "s");
    y = plot_text_lines(s, buf, x, y, W, H, size, 1, width, step, NULL);
    for (i = 0; i < n; i++) {
        if (e[i].line > 0)
            snprintf(buf, sizeof buf, "%s (line %ld): %s", e[i].label ? e[i].label : "",
                     e[i].line, e[i].reason ? e[i].reason : "");
        else
            snprintf(buf, sizeof buf, "%s: %s", e[i].label ? e[i].label : "",
                     e[i].reason ? e[i].reason : "");
        y = plot_text_lines(s, buf, x, y, W, H, size, 0, width, step, NULL);
    }
    return y;
}

double plot_font_floor(double size_pt)
{
    return size_pt < PLOT_MIN_FONT ? PLOT_MIN_FONT : size_pt;
}

double plot_png_scale(double dpi)
{
    return (dpi > 0 ? dpi : PLOT_DPI) / 72.0;
}

void plot_fmt_length(char *buf, size_t n, double pt, const char *unit)
{
    /* rounded up: a minimum written this way is enough */
    if (unit && !strcmp(unit, "in"))
        snprintf(buf, n, "%.2f in", ceil(pt / 72 * 100 - 1e-9) / 100);
    else if (unit && !strcmp(unit, "cm"))
        snprintf(buf, n, "%.2f cm", ceil(pt / 72 * 254 - 1e-9) / 100);
    else if (unit && !strcmp(unit, "mm"))
        snprintf(buf, n, "%.1f mm", ceil(pt / 72 * 254 - 1e-9) / 10);
    else
        snprintf(buf, n, "%.0f pt", ceil(pt - 1e-9));
}

void plot_fmt_num(char *buf, size_t n, double x, int decimals)
{
    if (isnan(x)) {
        snprintf(buf, n, "NA");
        return;
    }
    snprintf(buf, n, "%.*f", decimals, x);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

void plot_fmt_p(char *buf, size_t n, double p)
{
    if (isnan(p))
        snprintf(buf, n, "p = NA");
    else if (p < 0.001)
        snprintf(buf, n, "p < 0.001");
    else
        snprintf(buf, n, "p = %.3f", p);
}

double plot_nice_step(double raw)
{
    double mag, f;
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    mag = pow(10, floor(log10(raw)));
    f = raw / mag;
    if (f <= 1 + 1e-9)
        return mag;
    if (f <= 2 + 1e-9)
        return 2 * mag;
    if (f <= 2.5 + 1e-9)
        return 2.5 * mag;
    if (f <= 5 + 1e-9)
        return 5 * mag;
    return 10 * mag;
}

double plot_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}
