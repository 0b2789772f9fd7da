/* Strict number parsing: finite doubles only; NA tokens are missing, never zero. */
#include "iastm/num.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

int ma_is_missing(const char *s)
{
    const char *b = skip_blank(s);
    size_t n = strlen(b);
    while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 1;
    return (n == 2 && strncmp(b, "NA", 2) == 0) || (n == 2 && strncmp(b, "na", 2) == 0) ||
           (n == 3 && strncmp(b, "N/A", 3) == 0) || (n == 1 && b[0] == '.');
}

ma_num_status_t ma_parse_double(const char *s, double *out)
{
    const char *b;
    char *end;
    double x;
    if (ma_is_missing(s))
        return MA_NUM_MISSING;
    b = skip_blank(s);
    /* strtod accepts "inf", "nan" and hexadecimal floats: a data file means none of them. */
    if (!(isdigit((unsigned char)b[0]) || b[0] == '.' ||
          ((b[0] == '-' || b[0] == '+') && (isdigit((unsigned char)b[1]) || b[1] == '.'))))
        return MA_NUM_BAD;
    if (strchr(b, 'x') || strchr(b, 'X'))
        return MA_NUM_BAD;
    errno = 0;
    x = strtod(b, &end);
    if (end == b)
        return MA_NUM_BAD;
    if (*skip_blank(end) != '\0')
        return MA_NUM_BAD;
    /* ERANGE on underflow to a tiny subnormal is harmless; overflow is not. */
    if ((errno == ERANGE && fabs(x) > 1.0) || !isfinite(x))
        return MA_NUM_BAD;
    *out = x;
    return MA_NUM_OK;
}

/* Case-insensitive: does `s` (blanks skipped, optional sign) start a word inf or nan? */
static int is_inf_nan(const char *s)
{
    s = skip_blank(s);
    if (*s == '-' || *s == '+')
        s++;
    return strncasecmp(s, "inf", 3) == 0 || strncasecmp(s, "nan", 3) == 0;
}

const char *ma_num_why(const char *s)
{
    const char *b = skip_blank(s), *p, *e;
    char *end;
    double x;
    if (is_inf_nan(b))
        return "not a finite number (leave the cell empty or write NA when it is missing)";
    p = b + (*b == '-' || *b == '+');
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return "hexadecimal numbers are not accepted";
    if (!(isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))))
        return "not a number";
    errno = 0;
    x = strtod(b, &end);
    e = skip_blank(end);
    if (*e == ',' && isdigit((unsigned char)e[1]))
        return "decimal comma (write the number with a decimal point)";
    if (*e == '%')
        return "percent sign after the number (write the value without it)";
    if (*e != '\0')
        return "text after the number";
    if (errno == ERANGE && fabs(x) > 1.0)
        return "number out of range";
    return "not a number";
}

char *ma_fmt_double(double x, char *buf, size_t size)
{
    int prec;
    if (!isfinite(x)) {
        snprintf(buf, size, "NA");
        return buf;
    }
    /* The shortest of 15, 16 and 17 significant digits that reads back as x: 0.95 stays
     * 0.95 (not 0.94999999999999996), a computed result keeps every digit it needs. */
    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return buf;
    }
    snprintf(buf, size, "%.17g", x);
    return buf;
}

char *ma_fmt_fixed(double x, int digits, char *buf, size_t size)
{
    if (!isfinite(x))
        snprintf(buf, size, "NA");
    else
        snprintf(buf, size, "%.*f", digits < 0 ? 0 : digits, x);
    return buf;
}

char *ma_fmt_pval(double p, int digits, char *buf, size_t size)
{
    int d = digits < 1 ? 1 : digits;
    if (!isfinite(p))
        snprintf(buf, size, "NA");
    else if (p < pow(10, -d)) /* metafor's fmtp: "<.0001" at 4 digits, "<.01" at 2 */
        snprintf(buf, size, "<.%0*d", d, 1);
    else
        snprintf(buf, size, "%.*f", d, p);
    return buf;
}
