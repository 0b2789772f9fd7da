/* Error reporting for the iastm library: a status code plus where and why. */
#ifndef IASTM_ERROR_H
#define IASTM_ERROR_H

#include <stddef.h>

/* Status codes returned by library functions. */
typedef enum {
    MA_OK = 0,
    MA_EINPUT,   /* malformed input data (bad CSV, bad number, inconsistent row) */
    MA_EUSAGE,   /* invalid option or argument combination */
    MA_ENOMEM,   /* out of memory */
    MA_EIO,      /* read or write failure */
    MA_ENUMERIC, /* numerical failure (no convergence with no fallback left) */
    MA_EEXTERNAL, /* an external program (gnuplot) failed */
    MA_EINTR     /* interrupted (SIGINT) before the work was complete */
} ma_status_t;

/* Where and why an error happened. `line` is 1-based (0 = not applicable);
 * `column` and `value` are empty when not applicable. */
typedef struct {
    ma_status_t code;
    char file[512];
    long line;
    char column[128];
    char value[128];
    char msg[512];
} ma_error_t;

/* Reset to "no error". Accepts NULL. */
void ma_error_clear(ma_error_t *err);

/* Fill `err` (may be NULL) and return `code`. The message is printf-style. */
ma_status_t ma_error_set(ma_error_t *err, ma_status_t code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Same, with location: file, line, column name and offending value (any may be NULL/0). */
ma_status_t ma_error_at(ma_error_t *err, ma_status_t code, const char *file, long line,
                        const char *column, const char *value, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Render as one line: "FILE:LINE: column 'COL': MSG 'VALUE'" (parts omitted when empty).
 * Writes at most `size` bytes to `buf` (always NUL-terminated) and returns buf. */
char *ma_error_format(const ma_error_t *err, char *buf, size_t size);

#endif
