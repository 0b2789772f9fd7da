/* Record writers: csv, tsv and json with full precision (%.17g); NaN is NA or null. */
#include "iastm/writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growable string. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} sbuf_t;

static void sb_putn(sbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        char *q;
        while (cap < b->len + n + 1)
            cap *= 2;
        q = realloc(b->s, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->s = q;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf_t *b, const char *s) { sb_putn(b, s, strlen(s)); }

struct ma_writer {
    FILE *f;
    ma_format_t fmt;
    int nsections;     /* sections started */
    long nrecords;     /* records in the current section */
    int nfields;       /* fields in the current record */
    int in_record;
    sbuf_t head, vals; /* csv/tsv: the current record's keys and values */
    int oom;
};

int ma_format_parse(const char *s)
{
    if (strcasecmp(s, "text") == 0)
        return MA_FMT_TEXT;
    if (strcasecmp(s, "csv") == 0)
        return MA_FMT_CSV;
    if (strcasecmp(s, "tsv") == 0)
        return MA_FMT_TSV;
    if (strcasecmp(s, "json") == 0)
        return MA_FMT_JSON;
    if (strcasecmp(s, "md") == 0 || strcasecmp(s, "markdown") == 0)
        return MA_FMT_MD;
    return -1;
}

ma_writer_t *ma_writer_new(FILE *f, ma_format_t fmt)
{
    ma_writer_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->f = f;
    w->fmt = fmt;
    return w;
}

void ma_writer_free(ma_writer_t *w)
{
    if (!w)
        return;
    free(w->head.s);
    free(w->vals.s);
    free(w);
}

/* JSON string with RFC 8259 escapes; UTF-8 passes through. */
static void json_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    for (; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* A csv/tsv cell: csv quotes when needed (RFC 4180); tsv replaces tabs and newlines. */
static void delim_cell(sbuf_t *b, ma_format_t fmt, const char *s)
{
    if (fmt == MA_FMT_MD) { /* a table cell: escape the separator, no line breaks */
        for (; *s; s++) {
            if (*s == '|')
                sb_puts(b, "\\|");
            else if (*s == '\n' || *s == '\r' || *s == '\t')
                sb_putn(b, " ", 1);
            else
                sb_putn(b, s, 1);
        }
        return;
    }
    if (fmt == MA_FMT_TSV) {
        for (; *s; s++) {
            char c = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
            sb_putn(b, &c, 1);
        }
        return;
    }
    if (strpbrk(s, ",\"\r\n") || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '))) {
        sb_putn(b, "\"", 1);
        for (; *s; s++) {
            if (*s == '"')
                sb_putn(b, "\"", 1);
            sb_putn(b, s, 1);
        }
        sb_putn(b, "\"", 1);
    } else {
        sb_puts(b, s);
    }
}

void ma_writer_section(ma_writer_t *w, const char *name)
{
    if (w->fmt == MA_FMT_JSON) {
        fputs(w->nsections ? "\n  ],\n  " : "{\n  ", w->f);
        json_string(w->f, name);
        fputs(": [", w->f);
    } else if (w->fmt == MA_FMT_CSV || w->fmt == MA_FMT_TSV) {
        if (w->nsections)
            fputc('\n', w->f);
    } else if (w->fmt == MA_FMT_MD) {
        fprintf(w->f, "%s### %s\n\n", w->nsections ? "\n" : "", name);
    }
    w->nsections++;
    w->nrecords = 0;
}

void ma_writer_begin(ma_writer_t *w)
{
    if (w->nsections == 0)
        ma_writer_section(w, "records");
    w->in_record = 1;
    w->nfields = 0;
    w->head.len = w->vals.len = 0;
    if (w->head.s)
        w->head.s[0] = '\0';
    if (w->vals.s)
        w->vals.s[0] = '\0';
    if (w->fmt == MA_FMT_JSON)
        fputs(w->nrecords ? ",\n    {" : "\n    {", w->f);
}

/* Emit a key with an already formatted value; `quoted` says whether JSON quotes it. */
static void field(ma_writer_t *w, const char *key, const char *val, int quoted)
{
    if (w->fmt == MA_FMT_JSON) {
        if (w->nfields)
            fputs(", ", w->f);
        json_string(w->f, key);
        fputs(": ", w->f);
        if (quoted)
            json_string(w->f, val);
        else
            fputs(val, w->f);
    } else {
        const char *sep = w->fmt == MA_FMT_TSV ? "\t" : w->fmt == MA_FMT_MD ? " | " : ",";
        if (w->nfields) {
            sb_puts(&w->head, sep);
            sb_puts(&w->vals, sep);
        }
        delim_cell(&w->head, w->fmt, key);
        delim_cell(&w->vals, w->fmt, val);
    }
    w->nfields++;
}

void ma_writer_num(ma_writer_t *w, const char *key, double x)
{
    char buf[40];
    if (isnan(x) || isinf(x))
        field(w, key, w->fmt == MA_FMT_JSON ? "null" : "NA", 0);
    else {
        snprintf(buf, sizeof buf, w->fmt == MA_FMT_MD ? "%.4g" : "%.17g", x);
        field(w, key, buf, 0);
    }
}

void ma_writer_int(ma_writer_t *w, const char *key, long x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", x);
    field(w, key, buf, 0);
}

void ma_writer_str(ma_writer_t *w, const char *key, const char *s)
{
    if (!s)
        field(w, key, w->fmt == MA_FMT_JSON ? "null" : "NA", 0);
    else
        field(w, key, s, 1);
}

void ma_writer_bool(ma_writer_t *w, const char *key, int b)
{
    field(w, key, b ? "true" : "false", 0);
}

void ma_writer_end(ma_writer_t *w)
{
    if (w->fmt == MA_FMT_JSON) {
        fputc('}', w->f);
    } else {
        if (w->head.oom || w->vals.oom)
            w->oom = 1;
        int md = w->fmt == MA_FMT_MD;
        if (w->nrecords == 0 && w->head.s) {
            fprintf(w->f, md ? "| %s |\n" : "%s\n", w->head.s);
            if (md) {
                int i;
                fputc('|', w->f);
                for (i = 0; i < w->nfields; i++)
                    fputs("---|", w->f);
                fputc('\n', w->f);
            }
        }
        fprintf(w->f, md ? "| %s |\n" : "%s\n", w->vals.s ? w->vals.s : "");
    }
    w->in_record = 0;
    w->nrecords++;
}

ma_status_t ma_writer_finish(ma_writer_t *w, ma_error_t *err)
{
    if (w->fmt == MA_FMT_JSON)
        fputs(w->nsections ? (w->nrecords ? "\n  ]\n}\n" : "]\n}\n") : "{}\n", w->f);
    if (w->oom)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing output");
    if (fflush(w->f) != 0 || ferror(w->f))
        return ma_error_set(err, MA_EIO, "write error on output");
    return MA_OK;
}
