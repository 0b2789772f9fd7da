/* CSV reading through libcsv (RFC 4180): header by name, cells in one arena, line numbers. */
#include "iastm/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fields_internal.h"

/* Parse state shared with libcsv's callbacks. All cell strings go into one arena sized
 * from the input, which never moves: a field is never longer than the bytes it was read
 * from and each field but the last consumes a delimiter, so the cells with their NULs
 * need at most len + 1 bytes. Cell pointers are kept directly (no offsets to convert). */
typedef struct {
    const char *name;
    char *arena;
    size_t arena_len, arena_cap;
    char **cell;       /* all cells, header first */
    size_t ncell, cell_cap;
    size_t row_fields; /* fields in the row being read */
    size_t ncol;       /* fields in the header (0 until known) */
    size_t nrow;       /* complete rows including the header */
    long *line;        /* line of each row */
    size_t line_cap;
    long cur_line;
    long row_line;     /* line on which the current row's first field ended */
    long next_line;    /* line on which the next field starts */
    char delim;
    int failed;
    ma_error_t *err;
} reader_t;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t n;
    void *q;
    if (need <= *cap)
        return 0;
    n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return -1;
        n *= 2;
    }
    q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader_t *r = data;
    if (r->failed)
        return;
    if (r->row_fields == 0)
        r->row_line = r->cur_line;
    r->next_line = r->cur_line;
    if (len + 1 > r->arena_cap - r->arena_len) { /* cannot happen: see reader_t */
        r->failed = 1;
        ma_error_at(r->err, MA_EINPUT, r->name, r->cur_line, NULL, NULL,
                    "internal error: CSV field longer than its input");
        return;
    }
    if (grow((void **)&r->cell, &r->cell_cap, r->ncell + 1, sizeof *r->cell)) {
        r->failed = 1;
        ma_error_set(r->err, MA_ENOMEM, "out of memory reading %s", r->name);
        return;
    }
    if (len)
        memcpy(r->arena + r->arena_len, s, len);
    r->arena[r->arena_len + len] = '\0';
    r->cell[r->ncell++] = r->arena + r->arena_len;
    r->arena_len += len + 1;
    r->row_fields++;
}

static void on_row(int c, void *data)
{
    reader_t *r = data;
    (void)c;
    if (r->failed)
        return;
    r->next_line = r->cur_line + 1;
    if (r->row_fields == 0) /* libcsv reports no fields for a blank line */
        return;
    if (r->ncol == 0) {
        r->ncol = r->row_fields;
    } else if (r->row_fields != r->ncol) {
        char why[48] = "";
        if (r->row_fields > r->ncol)
            snprintf(why, sizeof why, " (a value with a %s must be quoted)",
                     ma_delim_name(r->delim));
        r->failed = 1;
        ma_error_at(r->err, MA_EINPUT, r->name, r->row_line, NULL, NULL,
                    "ragged row: %zu fields where the header has %zu%s", r->row_fields,
                    r->ncol, why);
        return;
    }
    if (grow((void **)&r->line, &r->line_cap, r->nrow + 1, sizeof *r->line)) {
        r->failed = 1;
        ma_error_set(r->err, MA_ENOMEM, "out of memory reading %s", r->name);
        return;
    }
    r->line[r->nrow++] = r->row_line;
    r->row_fields = 0;
}

/* Length of a valid UTF-8 sequence starting at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    size_t n, i;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4;
    else
        return 0;
    if (n > avail)
        return 0;
    for (i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0)
        return 0;
    if (n == 3 && s[0] == 0xED && s[1] >= 0xA0) /* UTF-16 surrogates */
        return 0;
    if (n == 4 && s[0] == 0xF0 && s[1] < 0x90)
        return 0;
    if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90)
        return 0;
    return n;
}

/* Streaming text check: bytes no text file holds (NUL, other C0 controls but tab/CR/LF,
 * invalid UTF-8) and lines beyond MA_TABLE_MAX_LINE are refused as soon as they are read,
 * so that a binary or endless input (/dev/zero, a file without line ends) is never
 * buffered whole. The check runs over a growing buffer; a UTF-8 sequence or CR that may
 * continue in bytes not yet read waits for them. */
typedef struct {
    size_t done;       /* bytes checked */
    size_t line_start; /* offset where the current line starts */
    long line;         /* current line (1-based) */
    int started;       /* BOM skipped and file signature checked */
} textcheck_t;

static void textcheck_init(textcheck_t *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->line = 1;
}

static ma_status_t check_text(textcheck_t *tc, const char *buf, size_t len, int eof,
                              const char *name, ma_error_t *err)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i;
    if (len > MA_TABLE_MAX_INPUT)
        return ma_error_at(err, MA_EINPUT, name, 0, NULL, NULL,
                           "input larger than %u MiB (the limit of one input file)",
                           (unsigned)(MA_TABLE_MAX_INPUT >> 20));
    if (!tc->started) {
        const char *b = buf;
        size_t n = len;
        if (len < 4 && !eof)
            return MA_OK; /* the signature needs 4 bytes */
        if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 byte order mark */
            b += 3;
            n -= 3;
            tc->done = tc->line_start = 3;
        }
        /* Spreadsheets saved as such rather than exported: zip (.xlsx, .ods), OLE2 (.xls). */
        if ((n >= 4 && memcmp(b, "PK\003\004", 4) == 0) ||
            (n >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0))
            return ma_error_at(err, MA_EINPUT, name, 0, NULL, NULL,
                               "a spreadsheet file (%s), not CSV text: export the sheet as "
                               "CSV UTF-8", b[0] == 'P' ? "zip: .xlsx or .ods" : ".xls");
        tc->started = 1;
    }
    i = tc->done;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        if (c == '\r' && i + 1 >= len && !eof)
            break; /* CR or CRLF: known with the next byte */
        if (c == '\n' || (c == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            tc->line++;
            tc->line_start = i + 1;
        } else if (i - tc->line_start >= MA_TABLE_MAX_LINE) {
            return ma_error_at(err, MA_EINPUT, name, tc->line, NULL, NULL,
                               "line longer than %u MiB (the limit of one line; is this a "
                               "CSV file?)", (unsigned)(MA_TABLE_MAX_LINE >> 20));
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            char v[8];
            snprintf(v, sizeof v, "0x%02X", c);
            return ma_error_at(err, MA_EINPUT, name, tc->line, NULL, v,
                               "binary data, not a CSV text file (export the sheet as "
                               "CSV UTF-8): control byte");
        }
        if (c >= 0x80 && len - i < 4 && !eof)
            break; /* the sequence may continue in bytes not read yet */
        n = utf8_len(s + i, len - i);
        if (n == 0) {
            char v[8];
            snprintf(v, sizeof v, "0x%02X", c);
            return ma_error_at(err, MA_EINPUT, name, tc->line, NULL, v,
                               "not UTF-8 text (save the file as CSV UTF-8): invalid byte");
        }
        i += n;
    }
    tc->done = i;
    return MA_OK;
}

static void trim_inplace(char *s)
{
    size_t n = strlen(s), a = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (s[a] == ' ' || s[a] == '\t')
        a++;
    if (a)
        memmove(s, s + a, n - a + 1);
}

/* A libcsv parse error on physical line `text` (length n): name the field when the
 * header says which column it is in. */
static void parse_error(reader_t *r, int code, const char *text, size_t n)
{
    char col[64], *line;
    const char *colname = NULL;
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        n--;
    line = malloc(n + 1);
    if (line) {
        memcpy(line, text, n);
        line[n] = '\0';
    }
    if (r->nrow > 0 && r->row_fields < r->ncol) {
        colname = r->cell[r->row_fields];
    } else if (r->nrow == 0) {
        snprintf(col, sizeof col, "header field %zu", r->row_fields + 1);
        colname = col;
    }
    r->failed = 1;
    if (code == CSV_EPARSE)
        ma_error_at(r->err, MA_EINPUT, r->name, r->cur_line, colname, line,
                    "malformed CSV: stray quote (quote a whole field, and write a quote "
                    "inside it as \"\") in line");
    else if (code == CSV_ENOMEM || code == CSV_ETOOBIG)
        ma_error_set(r->err, MA_ENOMEM, "out of memory reading %s", r->name);
    else
        ma_error_at(r->err, MA_EINPUT, r->name, r->cur_line, colname, NULL,
                    "malformed CSV: %s", csv_strerror(code));
    free(line);
}

/* The header's first empty or duplicate name, as a left-to-right scan would find it, from
 * column `first` on (1: the first column is row names, its empty name allowed).
 * Sorting keeps this O(n log n): 100,000 columns must not take n^2/2 comparisons. */
static ma_status_t check_header(const ma_table_t *t, size_t first, long header_line,
                                ma_error_t *err)
{
    size_t i, empty = t->ncol, dup_i, dup_j;
    for (i = first; i < t->ncol; i++)
        if (t->header[i][0] == '\0') {
            empty = i;
            break;
        }
    if (ma_first_duplicate((const char *const *)t->header, t->ncol, &dup_i, &dup_j))
        return ma_error_set(err, MA_ENOMEM, "out of memory reading %s", t->path);
    if (empty < t->ncol && empty <= dup_i) {
        char v[32];
        snprintf(v, sizeof v, "%zu", empty + 1);
        return ma_error_at(err, MA_EINPUT, t->path, header_line, NULL, NULL,
                           "empty column name in the header (column %s)", v);
    }
    if (dup_i < t->ncol)
        return ma_error_at(err, MA_EINPUT, t->path, header_line, t->header[dup_i], NULL,
                           "duplicate column name in the header, at positions %zu and %zu",
                           dup_j + 1, dup_i + 1);
    return MA_OK;
}

const char *ma_delim_name(char delim)
{
    return delim == ';' ? "semicolon" : delim == '\t' ? "tab" : "comma";
}

/* The delimiters a file may use, in the order preferred when several fit. */
static const char DELIMS[3] = {',', ';', '\t'};
#define DETECT_ROWS 20 /* data rows after the header that the detected delimiter must fit */

/* The fields of the record at *pos for each of DELIMS, outside quotes (a quoted field may
 * hold line breaks); *pos moves past the record's line end. Returns 0 for a blank line. */
static int record_counts(const char *buf, size_t len, size_t *pos, size_t counts[3])
{
    size_t i = *pos, j;
    int quoted = 0, nonblank;
    for (j = 0; j < 3; j++)
        counts[j] = 1;
    for (; i < len; i++) {
        char c = buf[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            for (j = 0; j < 3; j++)
                counts[j] += c == DELIMS[j];
    }
    nonblank = i > *pos;
    if (i < len)
        i += buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
    *pos = i;
    return nonblank;
}

/* The delimiter that splits the header into more than one field and every one of the
 * first DETECT_ROWS rows into as many; when none does, the one giving the header the
 * most fields (so that a ragged row is reported for it), ',' for a single column. */
static char detect_delim(const char *buf, size_t len)
{
    size_t pos = 0, head[3], c[3], rows = 0, j, best = 0;
    int consistent[3] = {1, 1, 1}, have = 0;
    while (pos < len && !have)
        have = record_counts(buf, len, &pos, head);
    if (!have)
        return ',';
    while (pos < len && rows < DETECT_ROWS) {
        if (!record_counts(buf, len, &pos, c))
            continue;
        rows++;
        for (j = 0; j < 3; j++)
            if (c[j] != head[j])
                consistent[j] = 0;
    }
    for (j = 0; j < 3; j++)
        if (head[j] > 1 && consistent[j])
            return DELIMS[j];
    for (j = 1; j < 3; j++)
        if (head[j] > head[best])
            best = j;
    return DELIMS[best];
}

/* libcsv trims blanks around unquoted fields; a tab is not one when it separates them. */
static int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }
static int is_space_only(unsigned char c) { return c == ' '; }

/* Is s a number written with a decimal comma: blanks, an optional sign, digits (maybe
 * none), a comma, at least one digit, an optional exponent, blanks? Returns the comma. */
static char *decimal_comma_at(char *s)
{
    char *p = s, *comma;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '+' || *p == '-')
        p++;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p != ',' || !(p[1] >= '0' && p[1] <= '9'))
        return NULL;
    comma = p++;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == 'e' || *p == 'E') {
        char *e = p + 1 + (p[1] == '+' || p[1] == '-');
        if (*e >= '0' && *e <= '9') {
            p = e;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    while (*p == ' ' || *p == '\t')
        p++;
    return *p ? NULL : comma;
}

/* Decimal commas in a file not separated by commas: converted when asked, else the first
 * one is an error naming its line, column and value. */
static ma_status_t decimal_commas(ma_table_t *t, int convert, ma_error_t *err)
{
    size_t r, c;
    if (t->delim == ',')
        return MA_OK;
    for (r = 0; r < t->nrow; r++)
        for (c = 0; c < t->ncol; c++) {
            char *cell = t->cells[r * t->ncol + c], *comma;
            if (!strchr(cell, ',') || !(comma = decimal_comma_at(cell)))
                continue;
            if (!convert)
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                                   "decimal comma in a %s-separated file (write the number "
                                   "with a decimal point, or read it with --decimal-comma):",
                                   ma_delim_name(t->delim));
            *comma = '.';
            t->decimal_commas++;
        }
    return MA_OK;
}

/* R's row names: drop the first column from the header and every row. */
static void drop_first_column(ma_table_t *t)
{
    size_t r, n = t->ncol - 1;
    memmove(t->header, t->header + 1, n * sizeof *t->header);
    for (r = 0; r < t->nrow; r++)
        memmove(t->cells + r * n, t->cells + r * t->ncol + 1, n * sizeof *t->cells);
    t->ncol = n;
    t->rownames = 1;
}

/* Parse text that passed check_text. */
static ma_status_t parse_text(const char *buf, size_t len, const char *name,
                              const ma_table_opts_t *opts, ma_table_t **out, ma_error_t *err)
{
    struct csv_parser p;
    reader_t r;
    ma_table_t *t = NULL;
    size_t pos = 0, i;
    long header_line;

    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 byte order mark */
        buf += 3;
        len -= 3;
    }
    memset(&r, 0, sizeof r);
    r.name = name;
    r.err = err;
    r.delim = opts && opts->delim ? opts->delim : detect_delim(buf, len);
    r.arena_cap = len + 2;
    if (!(r.arena = malloc(r.arena_cap)))
        return ma_error_set(err, MA_ENOMEM, "out of memory reading %s", name);
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(r.arena);
        return ma_error_set(err, MA_ENOMEM, "out of memory reading %s", name);
    }
    /* libcsv grows its field buffer by this many bytes at a time (default 128): a 10 MB
     * field would take 80000 reallocations, quadratic wherever realloc copies. */
    csv_set_blk_size(&p, (size_t)1 << 16);
    csv_set_delim(&p, (unsigned char)r.delim);
    csv_set_space_func(&p, r.delim == '\t' ? is_space_only : is_blank);

    /* Feed one physical line at a time so callbacks know the line number. CR, LF and
     * CRLF all end a line. */
    r.cur_line = 0;
    r.next_line = 1;
    while (pos < len && !r.failed) {
        size_t e = pos;
        while (e < len && buf[e] != '\n' && buf[e] != '\r')
            e++;
        if (e < len) {
            if (buf[e] == '\r' && e + 1 < len && buf[e + 1] == '\n')
                e++;
            e++;
        }
        r.cur_line++;
        if (csv_parse(&p, buf + pos, e - pos, on_field, on_row, &r) != e - pos && !r.failed)
            parse_error(&r, csv_error(&p), buf + pos, e - pos);
        pos = e;
    }
    if (!r.failed && csv_fini(&p, on_field, on_row, &r) != 0 && !r.failed) {
        r.failed = 1;
        ma_error_at(err, MA_EINPUT, name, r.next_line, NULL, NULL,
                    "malformed CSV: unterminated quoted field (the quote opened on this line "
                    "is never closed)");
    }
    csv_free(&p);
    if (!r.failed && r.nrow == 0) {
        r.failed = 1;
        ma_error_at(err, MA_EINPUT, name, 0, NULL, NULL, "empty file: no header line");
    }
    if (r.failed)
        goto fail;

    t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(name)))
        goto nomem;
    t->ncol = r.ncol;
    t->nrow = r.nrow - 1;
    t->delim = r.delim;
    t->delim_detected = !(opts && opts->delim);
    header_line = r.line[0];
    if (!(t->header = malloc(t->ncol * sizeof *t->header)))
        goto nomem;
    memcpy(t->header, r.cell, t->ncol * sizeof *t->header);
    for (i = 0; i < t->ncol; i++)
        trim_inplace(t->header[i]);
    /* The data cells and lines are the reader's arrays, moved down past the header. */
    memmove(r.cell, r.cell + t->ncol, t->nrow * t->ncol * sizeof *r.cell);
    memmove(r.line, r.line + 1, t->nrow * sizeof *r.line);
    t->cells = r.cell;
    t->line = r.line;
    r.cell = NULL;
    r.line = NULL;
    if (t->nrow > 0) {
        char **c = realloc(t->cells, t->nrow * t->ncol * sizeof *t->cells);
        long *l = realloc(t->line, t->nrow * sizeof *t->line);
        if (c)
            t->cells = c;
        if (l)
            t->line = l;
    }
    {
        size_t first = t->ncol > 1 && t->header[0][0] == '\0'; /* R's row names */
        if (check_header(t, first, header_line, err) != MA_OK)
            goto fail_t;
        if (first)
            drop_first_column(t);
    }
    if (decimal_commas(t, opts && opts->decimal_comma, err) != MA_OK)
        goto fail_t;
    t->arena_ = r.arena;
    *out = t;
    return MA_OK;

nomem:
    ma_error_set(err, MA_ENOMEM, "out of memory reading %s", name);
fail_t:
    if (t) {
        free(t->path);
        free(t->header);
        free(t->cells);
        free(t->line);
        free(t);
    }
fail:
    free(r.arena);
    free(r.cell);
    free(r.line);
    return err ? err->code : MA_EINPUT;
}

ma_status_t ma_table_read_mem(const char *buf, size_t len, const char *name, ma_table_t **out,
                              ma_error_t *err)
{
    return ma_table_read_mem_opts(buf, len, name, NULL, out, err);
}

ma_status_t ma_table_read_mem_opts(const char *buf, size_t len, const char *name,
                                   const ma_table_opts_t *opts, ma_table_t **out,
                                   ma_error_t *err)
{
    textcheck_t tc;
    ma_status_t st;
    *out = NULL;
    ma_error_clear(err);
    if (!name)
        name = "<input>";
    textcheck_init(&tc);
    if ((st = check_text(&tc, buf, len, 1, name, err)) != MA_OK)
        return st;
    return parse_text(buf, len, name, opts, out, err);
}

/* An input that cannot be opened or read is the caller's argument at fault, like a
 * malformed file: MA_EINPUT (exit status 2), not a failure of the run. The text is checked
 * chunk by chunk as it arrives (check_text), so a binary or endless input stops early. */
ma_status_t ma_table_read_file(const char *path, ma_table_t **out, ma_error_t *err)
{
    return ma_table_read_file_opts(path, NULL, out, err);
}

ma_status_t ma_table_read_file_opts(const char *path, const ma_table_opts_t *opts,
                                    ma_table_t **out, ma_error_t *err)
{
    FILE *f;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    struct stat sb;
    textcheck_t tc;
    ma_status_t st = MA_OK;

    *out = NULL;
    ma_error_clear(err);
    textcheck_init(&tc);
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return ma_error_at(err, MA_EINPUT, name, 0, NULL, NULL, "cannot open: %s",
                           strerror(errno));
    /* One allocation for a regular file of known size (+1 to see the end), within the
     * input limit (a larger file is refused once that much has been read). */
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size < MA_TABLE_MAX_INPUT)
        (void)grow((void **)&buf, &cap, (size_t)sb.st_size + 1, 1);
    for (;;) {
        size_t n, want;
        if (len == cap && grow((void **)&buf, &cap, len + 65536, 1)) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory reading %s", name);
            break;
        }
        want = cap - len < 65536 ? cap - len : 65536;
        n = fread(buf + len, 1, want, f);
        len += n;
        if (n == 0)
            break;
        if ((st = check_text(&tc, buf, len, 0, name, err)) != MA_OK)
            break;
    }
    if (st == MA_OK && ferror(f))
        st = ma_error_at(err, MA_EINPUT, name, 0, NULL, NULL, "cannot read: %s",
                         strerror(errno));
    if (!is_stdin)
        fclose(f);
    if (st == MA_OK)
        st = check_text(&tc, buf ? buf : "", len, 1, name, err);
    if (st == MA_OK)
        st = parse_text(buf ? buf : "", len, name, opts, out, err);
    free(buf);
    return st;
}

void ma_table_free(ma_table_t *t)
{
    if (!t)
        return;
    free(t->arena_);
    free(t->path);
    free(t->header);
    free(t->cells);
    free(t->line);
    free(t);
}

long ma_table_col(const ma_table_t *t, const char *name)
{
    size_t i;
    for (i = 0; i < t->ncol; i++)
        if (strcmp(t->header[i], name) == 0)
            return (long)i;
    return -1;
}

long ma_table_col_nocase(const ma_table_t *t, const char *name, long *first, long *second)
{
    size_t i;
    long found = -1;
    for (i = 0; i < t->ncol; i++) {
        if (strcasecmp(t->header[i], name) != 0)
            continue;
        if (found >= 0) {
            if (first)
                *first = found;
            if (second)
                *second = (long)i;
            return -2;
        }
        found = (long)i;
    }
    return found;
}

const char *ma_table_cell(const ma_table_t *t, size_t r, long c)
{
    if (c < 0 || (size_t)c >= t->ncol || r >= t->nrow)
        return "";
    return t->cells[r * t->ncol + (size_t)c];
}
