/* Error struct helpers: fill, clear and render "file:line: column 'c': message". */
#include "iastm/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ma_error_clear(ma_error_t *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

/* Copy for a one-line message: tab, CR and LF inside a (quoted) cell are shown as \t, \r,
 * \n, and a value too long for `dst` is cut at a UTF-8 character boundary and ends in
 * "...". */
static void copy_shown(char *dst, size_t size, const char *src)
{
    size_t len = 0, limit, n = 0;
    const char *p;
    if (!src) {
        dst[0] = '\0';
        return;
    }
    for (p = src; *p; p++)
        len += (*p == '\n' || *p == '\r' || *p == '\t') ? 2 : 1;
    limit = len < size ? len : size - 4;
    for (p = src; *p; p++) {
        char esc = *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't' : 0;
        if (n + (esc ? 2 : 1) > limit)
            break;
        if (esc) {
            dst[n++] = '\\';
            dst[n++] = esc;
        } else {
            dst[n++] = *p;
        }
    }
    if (len >= size) {
        size_t j = n, lead;
        while (j > 0 && ((unsigned char)dst[j - 1] & 0xC0) == 0x80)
            j--;
        if (j > 0 && (unsigned char)dst[j - 1] >= 0xC0) {
            unsigned char c = (unsigned char)dst[j - 1];
            lead = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n - (j - 1) < lead)
                n = j - 1;
        }
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
}

ma_status_t ma_error_set(ma_error_t *err, ma_status_t code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        ma_error_clear(err);
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

ma_status_t ma_error_at(ma_error_t *err, ma_status_t code, const char *file, long line,
                        const char *column, const char *value, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        ma_error_clear(err);
        err->code = code;
        copy_str(err->file, sizeof err->file, file);
        err->line = line;
        copy_shown(err->column, sizeof err->column, column);
        copy_shown(err->value, sizeof err->value, value);
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

char *ma_error_format(const ma_error_t *err, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
#define ADD(...)                                                    \
    do {                                                            \
        if (n < size) {                                             \
            int w_ = snprintf(buf + n, size - n, __VA_ARGS__);      \
            if (w_ > 0)                                             \
                n += (size_t)w_;                                    \
        }                                                           \
    } while (0)
    if (err->file[0]) {
        ADD("%s:", err->file);
        if (err->line > 0)
            ADD("%ld:", err->line);
        ADD(" ");
    }
    if (err->column[0])
        ADD("column '%s': ", err->column);
    ADD("%s", err->msg);
    if (err->value[0])
        ADD(" '%s'", err->value);
#undef ADD
    return buf;
}
