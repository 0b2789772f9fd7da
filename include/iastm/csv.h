/* A CSV file read into memory (RFC 4180 via libcsv): header names, cells, source lines. */
#ifndef IASTM_TABLE_H
#define IASTM_TABLE_H

#include <stddef.h>
#include "error.h"

typedef struct {
    char *path;       /* file name used in messages (owned) */
    size_t ncol;      /* number of header columns */
    char **header;    /* ncol header names, trimmed, BOM removed (owned) */
    size_t nrow;      /* number of data rows (blank lines skipped) */
    char **cells;     /* nrow * ncol cell strings, row-major, never NULL (owned) */
    long *line;       /* nrow source line numbers (1-based; for a row spanning lines, the
                         line on which its first field ends) */
    char delim;       /* the field delimiter read with: ',', ';' or '\t' */
    int delim_detected; /* 1: delim was detected from the header (no opts->delim) */
    int rownames;     /* 1: the file's first column had an empty header (R's write.csv
                         row names) and was skipped; header, cells and ncol omit it */
    size_t decimal_commas; /* cells converted from a decimal comma (opts->decimal_comma) */
    char *arena_;     /* private: storage of all strings */
} ma_table_t;

/* How to read a table; a zeroed struct (or NULL) is the default. */
typedef struct {
    char delim;        /* ',', ';' or '\t'; 0: detect it from the header line (the one of
                          the three, outside quotes, that splits the header and the first
                          rows into one field count; ',' when none does) */
    int decimal_comma; /* 1: in a file not separated by commas, a field that is a number
                          written with a decimal comma ("0,5", "-1,25e-3") is read with a
                          point; 0: such a field is an error naming it */
} ma_table_opts_t;

/* Limits of one input, so that a pathological input (a binary file, /dev/zero, a stream
 * without line ends) is refused while it is read instead of filling memory: a physical
 * line of at most 64 MiB (a field without line breaks is no longer) and at most 1 GiB in
 * all. Either is MA_EINPUT. */
#define MA_TABLE_MAX_LINE ((size_t)64 << 20)
#define MA_TABLE_MAX_INPUT ((size_t)1 << 30)

/* Read a CSV file. `path` "-" reads standard input. On success *out is a new table the
 * caller frees with ma_table_free. Errors (unterminated quote, stray quote, ragged row,
 * empty file, no header, empty or duplicate header name, control bytes, invalid UTF-8,
 * a line or input beyond the limits above, a decimal comma not to be converted) name the
 * file and line and are MA_EINPUT, as is an input that cannot be opened or read
 * (the caller's argument, not a failure of the run). An empty first header name with
 * other columns after it is R's row names (write.csv): that column is skipped and
 * `rownames` set; an empty name elsewhere is an error. Default options (see
 * ma_table_read_file_opts). */
ma_status_t ma_table_read_file(const char *path, ma_table_t **out, ma_error_t *err);

/* Read CSV text from memory; `name` is used in messages. Same checks and limits. A file
 * is checked as it is read (binary data stops the read at the chunk holding it). */
ma_status_t ma_table_read_mem(const char *buf, size_t len, const char *name, ma_table_t **out,
                              ma_error_t *err);

/* The same with options (NULL: defaults, as the two above). */
ma_status_t ma_table_read_file_opts(const char *path, const ma_table_opts_t *opts,
                                    ma_table_t **out, ma_error_t *err);
ma_status_t ma_table_read_mem_opts(const char *buf, size_t len, const char *name,
                                   const ma_table_opts_t *opts, ma_table_t **out,
                                   ma_error_t *err);

/* "comma", "semicolon" or "tab" for a delimiter (for messages). */
const char *ma_delim_name(char delim);

void ma_table_free(ma_table_t *t); /* accepts NULL */

/* Index of the column named `name` (exact match), or -1. */
long ma_table_col(const ma_table_t *t, const char *name);

/* Index of the column named `name` ignoring ASCII case, or -1; -2 when several columns
 * match (then *first and *second, when not NULL, get the first two). */
long ma_table_col_nocase(const ma_table_t *t, const char *name, long *first, long *second);

/* Cell (row r, column c); "" when c < 0. */
const char *ma_table_cell(const ma_table_t *t, size_t r, long c);

#endif
