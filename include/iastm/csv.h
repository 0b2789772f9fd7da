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
    char *arena_;     /* private: storage of all strings */
} ma_table_t;

/* Limits of one input, so that a pathological input (a binary file, /dev/zero, a stream
 * without line ends) is refused while it is read instead of filling memory: a physical
 * line of at most 64 MiB (a field without line breaks is no longer) and at most 1 GiB in
 * all. Either is MA_EINPUT. */
#define MA_TABLE_MAX_LINE ((size_t)64 << 20)
#define MA_TABLE_MAX_INPUT ((size_t)1 << 30)

/* Read a CSV file. `path` "-" reads standard input. On success *out is a new table the
 * caller frees with ma_table_free. Errors (unterminated quote, stray quote, ragged row,
 * empty file, no header, empty or duplicate header name, control bytes, invalid UTF-8,
 * a line or input beyond the limits above) name the file and line and are MA_EINPUT, as is an input that cannot be opened or read
 * (the caller's argument, not a failure of the run). */
ma_status_t ma_table_read_file(const char *path, ma_table_t **out, ma_error_t *err);

/* Read CSV text from memory; `name` is used in messages. Same checks and limits. A file
 * is checked as it is read (binary data stops the read at the chunk holding it). */
ma_status_t ma_table_read_mem(const char *buf, size_t len, const char *name, ma_table_t **out,
                              ma_error_t *err);

void ma_table_free(ma_table_t *t); /* accepts NULL */

/* Index of the column named `name` (exact match), or -1. */
long ma_table_col(const ma_table_t *t, const char *name);

/* Cell (row r, column c); "" when c < 0. */
const char *ma_table_cell(const ma_table_t *t, size_t r, long c);

#endif
