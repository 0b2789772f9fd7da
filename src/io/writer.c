/* Record writers: csv, tsv and json with full precision (the shortest digits that read
 * back exactly), one table per csv/tsv file; Markdown for people; NaN is NA or null. */
#include "iastm/writer.h"

#include "iastm/num.h"

#include <errno.h>
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

#define MAX_MD_COLUMNS 32

struct ma_writer {
    FILE *f;           /* where bytes go now: `main`, a part's stream, or NULL (left out) */
    FILE *main;
    ma_format_t fmt;
    const char *main_section;     /* csv/tsv: the section of the main table (NULL: first) */
    ma_writer_part_fn part;
    void *part_ctx;
    char section[64];             /* the current section's name */
    int asked;                    /* csv/tsv: `part` was asked for the current section */
    int digits;                   /* md: decimals of numbers and p-values */
    struct { const char *section, *columns; } md[MAX_MD_COLUMNS];
    size_t nmd;
    const char *columns;          /* md: the columns of the current section (NULL: all) */
    int headings;                 /* md: section headings written */
    int nsections;     /* sections started */
    long nrecords;     /* records in the current section */
    int nfields;       /* fields in the current record */
    int in_record;
    sbuf_t head, vals; /* csv/tsv: the current record's keys and values */
    int oom;
    int failed;        /* a write failed; errno of the first failure in `werrno` */
    int werrno;
};

/* Every byte goes through here: fwrite's count is a size_t (fprintf's result is an int
 * and fails with EOVERFLOW, without setting the stream's error flag, beyond 2 GiB), and
 * the first failure is remembered for ma_writer_finish. */
static void wput(ma_writer_t *w, const char *p, size_t n)
{
    if (w->failed || n == 0 || !w->f)
        return;
    errno = 0;
    if (fwrite(p, 1, n, w->f) != n) {
        w->failed = 1;
        w->werrno = errno;
    }
}

static void wputs(ma_writer_t *w, const char *s) { wput(w, s, strlen(s)); }
static void wputc(ma_writer_t *w, char c) { wput(w, &c, 1); }

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
    w->f = w->main = f;
    w->fmt = fmt;
    w->digits = 4;
    return w;
}

void ma_writer_parts(ma_writer_t *w, const char *main_section, ma_writer_part_fn part,
                     void *ctx)
{
    w->main_section = main_section;
    w->part = part;
    w->part_ctx = ctx;
}

void ma_writer_digits(ma_writer_t *w, int digits)
{
    w->digits = digits;
}

void ma_writer_md_columns(ma_writer_t *w, const char *section, const char *columns)
{
    size_t i;
    for (i = 0; i < w->nmd; i++)
        if (!strcmp(w->md[i].section, section))
            break;
    if (i == MAX_MD_COLUMNS)
        return;
    w->md[i].section = section;
    w->md[i].columns = columns;
    if (i == w->nmd)
        w->nmd++;
}

/* Is `key` one of the blank-separated words of `list`? */
static int in_list(const char *list, const char *key)
{
    size_t n = strlen(key);
    while (*list) {
        size_t m = strcspn(list, " ");
        if (m == n && !strncmp(list, key, n))
            return 1;
        list += m;
        list += strspn(list, " ");
    }
    return 0;
}

/* A count or degrees of freedom by its name, printed without decimals in Markdown when
 * whole: df, *_df, *_df2, n, n1, n2, participants, *_k0, failsafe_n, the numbers of
 * iterations, replicates, subsets and failures, a seed. */
static int is_count_key(const char *key)
{
    static const char *const COUNTS[] = {"df", "n", "n1", "n2", "participants", "failsafe_n",
                                         "iter", "exact_iter", "reps", "subsets", "failed",
                                         "seed"};
    size_t n = strlen(key), i;
    for (i = 0; i < sizeof COUNTS / sizeof COUNTS[0]; i++)
        if (!strcmp(key, COUNTS[i]))
            return 1;
    return (n > 3 && (!strcmp(key + n - 3, "_df") || !strcmp(key + n - 3, "_k0"))) ||
           (n > 4 && !strcmp(key + n - 4, "_df2"));
}

/* A p-value by its name, for the p rule of Markdown: p, pval, *_p, *_pval, p_*. */
static int is_pvalue_key(const char *key)
{
    size_t n = strlen(key);
    return !strcmp(key, "p") || !strcmp(key, "pval") || !strncmp(key, "p_", 2) ||
           (n > 2 && !strcmp(key + n - 2, "_p")) || (n > 5 && !strcmp(key + n - 5, "_pval"));
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
static void json_string(ma_writer_t *w, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    char esc[8];
    wputc(w, '"');
    for (; *p; p++) {
        const char *e = NULL;
        switch (*p) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                e = esc;
            }
        }
        if (e) { /* plain runs are written in one piece */
            wput(w, (const char *)run, (size_t)(p - run));
            wputs(w, e);
            run = p + 1;
        }
    }
    wput(w, (const char *)run, (size_t)(p - run));
    wputc(w, '"');
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
    size_t i;
    snprintf(w->section, sizeof w->section, "%s", name);
    w->asked = 1;
    if (w->fmt == MA_FMT_JSON) {
        w->f = w->main;
        wputs(w, w->nsections ? "\n  ],\n  " : "{\n  ");
        json_string(w, name);
        wputs(w, ": [");
    } else if (w->fmt == MA_FMT_CSV || w->fmt == MA_FMT_TSV) {
        /* one table per file: the main section here, every other one to its part */
        int is_main = w->main_section ? !strcmp(name, w->main_section) : w->nsections == 0;
        w->f = is_main ? w->main : NULL;
        w->asked = is_main;
    } else if (w->fmt == MA_FMT_MD) {
        w->columns = NULL;
        for (i = 0; i < w->nmd; i++)
            if (!strcmp(w->md[i].section, name))
                w->columns = w->md[i].columns;
        /* the heading comes with the first record: a part without rows has no table */
    }
    w->nsections++;
    w->nrecords = 0;
}

void ma_writer_begin(ma_writer_t *w)
{
    if (w->nsections == 0)
        ma_writer_section(w, "records");
    if (!w->asked) { /* a part's first record: ask for its stream */
        w->asked = 1;
        w->f = w->part ? w->part(w->part_ctx, w->section) : NULL;
    }
    if (w->fmt == MA_FMT_MD && w->nrecords == 0 && w->section[0]) {
        wputs(w, w->headings++ ? "\n### " : "### ");
        wputs(w, w->section);
        wputs(w, "\n\n");
    }
    w->in_record = 1;
    w->nfields = 0;
    w->head.len = w->vals.len = 0;
    if (w->head.s)
        w->head.s[0] = '\0';
    if (w->vals.s)
        w->vals.s[0] = '\0';
    if (w->fmt == MA_FMT_JSON)
        wputs(w, w->nrecords ? ",\n    {" : "\n    {");
}

/* Emit a key with an already formatted value; `quoted` says whether JSON quotes it. */
static void field(ma_writer_t *w, const char *key, const char *val, int quoted)
{
    if (w->fmt == MA_FMT_MD && w->columns && !in_list(w->columns, key))
        return; /* Markdown shows the columns a reader needs; csv and json have them all */
    if (w->fmt == MA_FMT_JSON) {
        if (w->nfields)
            wputs(w, ", ");
        json_string(w, key);
        wputs(w, ": ");
        if (quoted)
            json_string(w, val);
        else
            wputs(w, val);
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
    char buf[400];
    if (isnan(x) || isinf(x))
        field(w, key, w->fmt == MA_FMT_JSON ? "null" : "NA", 0);
    else if (w->fmt != MA_FMT_MD)
        field(w, key, ma_fmt_double(x, buf, sizeof buf), 0);
    else if (is_pvalue_key(key))
        field(w, key, ma_fmt_pval(x, w->digits, buf, sizeof buf), 0);
    else if (is_count_key(key) && x == floor(x))
        field(w, key, ma_fmt_fixed(x, 0, buf, sizeof buf), 0);
    else
        field(w, key, ma_fmt_fixed(x, w->digits, buf, sizeof buf), 0);
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

/* One csv/tsv line or Markdown table row of `n` bytes. */
static void line(ma_writer_t *w, int md, const char *s, size_t n)
{
    if (md)
        wputs(w, "| ");
    wput(w, s, n);
    wputs(w, md ? " |\n" : "\n");
}

void ma_writer_end(ma_writer_t *w)
{
    if (w->fmt == MA_FMT_JSON) {
        wputc(w, '}');
    } else {
        if (w->head.oom || w->vals.oom)
            w->oom = 1;
        int md = w->fmt == MA_FMT_MD;
        if (w->nrecords == 0 && w->head.s) {
            line(w, md, w->head.s, w->head.len);
            if (md) {
                int i;
                wputc(w, '|');
                for (i = 0; i < w->nfields; i++)
                    wputs(w, "---|");
                wputc(w, '\n');
            }
        }
        line(w, md, w->vals.s ? w->vals.s : "", w->vals.s ? w->vals.len : 0);
    }
    w->in_record = 0;
    w->nrecords++;
}

ma_status_t ma_writer_finish(ma_writer_t *w, ma_error_t *err)
{
    w->f = w->main;
    if (w->fmt == MA_FMT_JSON)
        wputs(w, w->nsections ? (w->nrecords ? "\n  ]\n}\n" : "]\n}\n") : "{}\n");
    if (w->oom)
        return ma_error_set(err, MA_ENOMEM, "out of memory while writing output");
    errno = 0;
    if (!w->failed && (fflush(w->f) != 0 || ferror(w->f))) {
        w->failed = 1;
        w->werrno = errno;
    }
    if (w->failed)
        return w->werrno ? ma_error_set(err, MA_EIO, "write error on output: %s",
                                        strerror(w->werrno))
                         : ma_error_set(err, MA_EIO, "write error on output");
    return MA_OK;
}
