/* Study labels as a reader sees them: the author-year citation of the trial schema, label
 * templates over the table's columns ("{author} {year} ({site})"), and journal-style
 * letters ("2011a", "2011b") for equal labels of different studies. */
#include "iastm/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iastm/num.h"

#define LABEL_BYTES 512

/* Append at most len bytes of src to buf (n bytes, NUL-terminated). */
static void append(char *buf, size_t n, size_t *used, const char *src, size_t len)
{
    if (*used + 1 >= n)
        return;
    if (len > n - 1 - *used)
        len = n - 1 - *used;
    memcpy(buf + *used, src, len);
    *used += len;
    buf[*used] = '\0';
}

/* Surnames of an author field: the first word of each comma-separated name, with
 * parenthesised remarks dropped; "et al." stands for three or more authors. Writes
 * "A", "A and B" or "A et al." into buf; returns 0 when no surname is found. */
static int authors_text(const char *author, char *buf, size_t n)
{
    char text[LABEL_BYTES], first[LABEL_BYTES] = "", second[LABEL_BYTES] = "";
    size_t used = 0, names = 0, depth = 0;
    const char *p;
    int several = 0;
    /* drop (...) and "et al" */
    for (p = author; *p && used + 1 < sizeof text; p++) {
        if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            if (depth)
                depth--;
        } else if (!depth) {
            if (!strncmp(p, "et al", 5)) {
                several = 1;
                p += 4;
                if (p[1] == '.')
                    p++;
                continue;
            }
            text[used++] = *p;
        }
    }
    text[used] = '\0';
    for (p = text; *p;) {
        size_t len = strcspn(p, ","), w;
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t'))
            q++;
        w = strcspn(q, " \t,");
        if (w > (size_t)(p + len - q))
            w = (size_t)(p + len - q);
        if (w > 0) {
            char *dst = names == 0 ? first : second;
            if (names < 2)
                snprintf(dst, LABEL_BYTES, "%.*s", (int)w, q);
            names++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (names == 0)
        return 0;
    if (several || names >= 3)
        snprintf(buf, n, "%s et al.", first);
    else if (names == 2)
        snprintf(buf, n, "%s and %s", first, second);
    else
        snprintf(buf, n, "%s", first);
    return 1;
}

/* The trial schema's citation of table row r from its author and year columns
 * (authcol, yearcol; -1 when absent): "Braun et al. 2011", "Paranjape and Lad 2020",
 * "Noreen n.d."; the row's key when no author is shown. */
static void citation(const ma_table_t *t, size_t r, long keycol, long authcol, long yearcol,
                     char *buf, size_t n)
{
    const char *author = ma_table_cell(t, r, authcol);
    const char *year = ma_table_cell(t, r, yearcol);
    char who[LABEL_BYTES];
    if (!*author || !strncmp(author, "not shown", 9) || author[0] == '[' ||
        !authors_text(author, who, sizeof who)) {
        snprintf(buf, n, "%s", ma_table_cell(t, r, keycol));
        return;
    }
    snprintf(buf, n, "%.400s %.60s", who, ma_is_missing(year) ? "n.d." : year);
}

int ma_label_is_template(const char *label)
{
    return label && strchr(label, '{') != NULL;
}

/* Name of the placeholder at p (just after '{') into name; returns its length or -1
 * when the brace is not closed. */
static long placeholder(const char *p, char *name, size_t n)
{
    const char *end = strchr(p, '}');
    size_t len;
    if (!end)
        return -1;
    len = (size_t)(end - p);
    snprintf(name, n, "%.*s", (int)(len < n ? len : n - 1), p);
    return (long)len;
}

static int is_derived(const ma_table_t *t, const char *name)
{
    return strcmp(name, "citation") == 0 && ma_table_col(t, "citation") < 0;
}

ma_status_t ma_label_check(const ma_table_t *t, const char *tmpl, ma_error_t *err)
{
    const char *p;
    char name[256];
    for (p = tmpl; *p; p++) {
        long len;
        if (*p == '{' && p[1] == '{') {
            p++;
            continue;
        }
        if (*p != '{')
            continue;
        if ((len = placeholder(p + 1, name, sizeof name)) < 0)
            return ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                               "--label '%s': '{' without a closing '}'", tmpl);
        if (ma_table_col(t, name) < 0 && !is_derived(t, name)) {
            char cols[400];
            size_t used = 0, c;
            cols[0] = '\0';
            for (c = 0; c < t->ncol; c++) {
                if (c)
                    append(cols, sizeof cols, &used, ", ", 2);
                append(cols, sizeof cols, &used, t->header[c], strlen(t->header[c]));
            }
            return ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                               "--label '%s': no column '%s' (columns: %s%s)", tmpl, name,
                               cols, ma_table_col(t, "author") >= 0 ? "; or {citation}" : "");
        }
        p += len + 1;
    }
    return MA_OK;
}

/* Expand tmpl for row r into buf; *year_end: the offset just after the expansion of
 * {year} (where a disambiguating letter goes), else the end. Missing cells expand to
 * nothing; runs of spaces are collapsed and the ends trimmed. */
static void expand(const ma_table_t *t, size_t r, const char *tmpl, char *const *cites,
                   char *buf, size_t n, size_t *year_end)
{
    char raw[LABEL_BYTES * 2], name[256];
    size_t used = 0, i, o = 0;
    long year_at = -1;
    const char *p;
    raw[0] = '\0';
    for (p = tmpl; *p; p++) {
        long len;
        const char *v;
        if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
            append(raw, sizeof raw, &used, p, 1);
            p++;
            continue;
        }
        if (*p != '{' || (len = placeholder(p + 1, name, sizeof name)) < 0) {
            append(raw, sizeof raw, &used, p, 1);
            continue;
        }
        if (is_derived(t, name)) {
            v = cites[r];
        } else {
            v = ma_table_cell(t, r, ma_table_col(t, name));
            if (ma_is_missing(v))
                v = "";
        }
        append(raw, sizeof raw, &used, v, strlen(v));
        if (*v && (!strcmp(name, "year") || is_derived(t, name)))
            year_at = (long)used;
        p += len + 1;
    }
    /* collapse spaces; map the year offset through */
    *year_end = (size_t)-1;
    for (i = 0; i < used && o + 1 < n; i++) {
        if ((long)i == year_at)
            *year_end = o;
        if (raw[i] == ' ' && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = raw[i];
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
    if (*year_end == (size_t)-1 || *year_end > o)
        *year_end = o;
}

typedef struct {
    const char *label, *key;
    size_t row;
} lab_t;

static int cmp_lab(const void *a, const void *b)
{
    const lab_t *x = a, *y = b;
    int c = strcmp(x->label, y->label);
    if (c == 0)
        c = strcmp(x->key, y->key);
    if (c == 0)
        c = x->row < y->row ? -1 : x->row > y->row;
    return c;
}

/* A run of rows sharing label and key (one study), by its first row. */
typedef struct {
    size_t first, begin, end; /* first table row; [begin, end) in the sorted array */
} run_t;

static int cmp_run(const void *a, const void *b)
{
    const run_t *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The letter suffix of the i-th study (0: "a", 25: "z", 26: "aa"). */
static void suffix(size_t i, char *buf)
{
    char tmp[16];
    size_t n = 0, j;
    do {
        tmp[n++] = (char)('a' + i % 26);
        i = i / 26;
    } while (i-- > 0 && n < sizeof tmp - 1);
    for (j = 0; j < n; j++)
        buf[j] = tmp[n - 1 - j];
    buf[n] = '\0';
}

static void free_labels(char **labs, size_t n)
{
    size_t r;
    for (r = 0; labs && r < n; r++)
        free(labs[r]);
    free(labs);
}

/* Does the template use {citation}? */
static int uses_citation(const ma_table_t *t, const char *tmpl)
{
    return is_derived(t, "citation") && strstr(tmpl, "{citation}") != NULL;
}

ma_status_t ma_table_labels(const ma_table_t *t, const char *label, long keycol, char ***out,
                            ma_error_t *err)
{
    size_t r, i, n = t->nrow, *year_end;
    char **cites = NULL;
    int tmpl = label && ma_label_is_template(label);
    /* the columns each row reads, looked up once */
    long labcol = label && !tmpl ? ma_table_col(t, label) : -1;
    long authcol = ma_table_col(t, "author"), yearcol = ma_table_col(t, "year");
    ma_status_t st;
    *out = NULL;
    if (tmpl && (st = ma_label_check(t, label, err)) != MA_OK)
        return st;
    /* {citation} expands to the citation with its own letter, so that a study keeps the
     * letter of its citation whatever else the label holds */
    if (tmpl && uses_citation(t, label) &&
        (st = ma_table_labels(t, NULL, keycol, &cites, err)) != MA_OK)
        return st;
    year_end = calloc(n ? n : 1, sizeof *year_end);
    char **labs = calloc(n ? n : 1, sizeof *labs), buf[LABEL_BYTES], rowkey[32];
    lab_t *ls = calloc(n ? n : 1, sizeof *ls);
    char **keys = calloc(n ? n : 1, sizeof *keys);
    run_t *runs = calloc(n ? n : 1, sizeof *runs);
    st = MA_OK;
    if (!labs || !ls || !year_end || !keys || !runs) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    for (r = 0; r < n; r++) {
        if (tmpl) {
            expand(t, r, label, cites, buf, sizeof buf, &year_end[r]);
        } else if (label) {
            snprintf(buf, sizeof buf, "%s", ma_table_cell(t, r, labcol));
            year_end[r] = strlen(buf);
        } else {
            citation(t, r, keycol, authcol, yearcol, buf, sizeof buf);
            year_end[r] = strlen(buf);
        }
        if (keycol >= 0) {
            keys[r] = NULL;
            ls[r].key = ma_table_cell(t, r, keycol);
        } else { /* no study key: every row is its own study */
            snprintf(rowkey, sizeof rowkey, "%zu", r);
            if (!(keys[r] = strdup(rowkey))) {
                st = ma_error_set(err, MA_ENOMEM, "out of memory");
                goto done;
            }
            ls[r].key = keys[r];
        }
        if (!(labs[r] = strdup(buf))) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto done;
        }
        ls[r].label = labs[r];
        ls[r].row = r;
    }
    /* Equal labels of different studies: letters after the year, in order of each
     * study's first row. O(n log n). */
    qsort(ls, n, sizeof *ls, cmp_lab);
    for (i = 0; i < n;) {
        size_t j = i, nr = 0, q;
        while (j < n && strcmp(ls[j].label, ls[i].label) == 0) {
            size_t b = j;
            while (j < n && strcmp(ls[j].label, ls[b].label) == 0 &&
                   strcmp(ls[j].key, ls[b].key) == 0)
                j++;
            runs[nr].first = ls[b].row;
            runs[nr].begin = b;
            runs[nr].end = j;
            nr++;
        }
        if (nr > 1 && *ls[i].label) {
            qsort(runs, nr, sizeof *runs, cmp_run);
            for (q = 0; q < nr; q++) {
                size_t m;
                char suf[16];
                suffix(q, suf);
                for (m = runs[q].begin; m < runs[q].end; m++) {
                    size_t row = ls[m].row, at = year_end[row], len = strlen(labs[row]);
                    char *nl = malloc(len + strlen(suf) + 1);
                    if (!nl) {
                        st = ma_error_set(err, MA_ENOMEM, "out of memory");
                        goto done;
                    }
                    memcpy(nl, labs[row], at);
                    strcpy(nl + at, suf);
                    strcpy(nl + at + strlen(suf), labs[row] + at);
                    free(labs[row]);
                    labs[row] = nl;
                }
            }
        }
        i = j;
    }
done:
    for (r = 0; keys && r < n; r++)
        free(keys[r]);
    free(keys);
    free(runs);
    free(ls);
    free(year_end);
    free_labels(cites, n);
    if (st != MA_OK) {
        free_labels(labs, n);
        return st;
    }
    *out = labs;
    return MA_OK;
}
