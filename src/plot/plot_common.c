/* Number formatting and axis helpers shared by the plot layouts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_internal.h"

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
