/* Strict number parsing and formatting shared by every reader and writer. */
#ifndef IASTM_NUM_H
#define IASTM_NUM_H

#include <stddef.h>

typedef enum {
    MA_NUM_OK = 0,       /* a finite number was read */
    MA_NUM_MISSING = 1,  /* empty, or an NA token ("NA", "na", "N/A", ".") */
    MA_NUM_BAD = -1      /* not a number, trailing junk, out of range, inf or nan */
} ma_num_status_t;

/* Parse `s` strictly as a finite double. Leading/trailing blanks are allowed; anything
 * else after the number is an error. Overflow (1e999), "inf" and "nan" are errors. */
ma_num_status_t ma_parse_double(const char *s, double *out);

/* Why ma_parse_double rejects `s` (MA_NUM_BAD), as a short phrase for a message:
 * "not a number", "number out of range", "text after the number", ... (static string). */
const char *ma_num_why(const char *s);

/* True when `s` is a missing-value token (empty, NA, N/A, ".") after trimming blanks. */
int ma_is_missing(const char *s);

/* Numbers for programs (csv, tsv, json): the shortest of %.15g, %.16g and %.17g that
 * strtod reads back as the same double, so an input prints as it was given (0.95, not
 * 0.94999999999999996) and a computed result keeps full precision; "NA" for NaN and
 * infinities. Returns buf (32 bytes are enough). */
char *ma_fmt_double(double x, char *buf, size_t size);

/* Numbers for people (text, Markdown, plot labels), one rule for all of them, metafor's:
 * `digits` decimals (%.*f); "NA" for NaN and infinities. Returns buf. */
char *ma_fmt_fixed(double x, int digits, char *buf, size_t size);

/* A p-value for people: `digits` decimals (at least 1), or "<.0001" (digits - 1 zeros,
 * then 1) below 10^-digits, as metafor's print methods. Returns buf. */
char *ma_fmt_pval(double p, int digits, char *buf, size_t size);

#endif
