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
        copy_str(err->column, sizeof err->column, column);
        copy_str(err->value, sizeof err->value, value);
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
