/* Record writers: csv, tsv, json for programs, Markdown for people. Writers never compute. */
#ifndef IASTM_WRITER_H
#define IASTM_WRITER_H

#include <stdio.h>
#include "error.h"

typedef enum { MA_FMT_TEXT = 0, MA_FMT_CSV, MA_FMT_TSV, MA_FMT_JSON, MA_FMT_MD } ma_format_t;

int ma_format_parse(const char *s); /* -1 when unknown */

typedef struct ma_writer ma_writer_t;

/* A writer on `f` (not owned). Output layout:
 *   json: {"SECTION": [ {record}, ... ], "SECTION2": [...]}: every section (part) of a run
 *         in one object; numbers at full precision, the shortest digits that read back
 *         exactly (ma_fmt_double: 0.95, not 0.94999999999999996); NaN -> null
 *   csv/tsv: one table per file, a header line then one line per record: the main
 *            section's records go to `f`, each other section's to the stream of its part
 *            (ma_writer_parts), or nowhere. The header is taken from the section's first
 *            record: later records of a section must have the same keys in the same
 *            order. Numbers as in json; NaN -> NA.
 *   md: per section a "### SECTION" heading (none for a section named "") and a Markdown
 *       table of the section's reader columns (ma_writer_md_columns); numbers rounded for
 *       reading (ma_fmt_fixed, p-values by ma_fmt_pval: a key p, pval, p_*, *_p or
 *       *_pval), 4 decimals unless ma_writer_digits says otherwise; NaN -> NA. For people,
 *       not for programs.
 * Returns NULL when out of memory. Free with ma_writer_free. */
ma_writer_t *ma_writer_new(FILE *f, ma_format_t fmt);
void ma_writer_free(ma_writer_t *w); /* accepts NULL */

/* csv/tsv: the section `main_section` (NULL: the first one) is the table written to the
 * writer's stream; when another section's first record begins, `part(ctx, NAME)` gives
 * the stream of that part (not owned; NULL: the part is left out). A section without
 * records asks for nothing. Call before the first section. */
typedef FILE *(*ma_writer_part_fn)(void *ctx, const char *section);
void ma_writer_parts(ma_writer_t *w, const char *main_section, ma_writer_part_fn part,
                     void *ctx);

/* md: decimals of the numbers (default 4). */
void ma_writer_digits(ma_writer_t *w, int digits);

/* md: the columns of section `section` a reader needs, blank-separated keys (both strings
 * must outlive the writer); other fields are left out of its table. A later call for the
 * same section replaces the list. At most 32 sections. */
void ma_writer_md_columns(ma_writer_t *w, const char *section, const char *columns);

void ma_writer_section(ma_writer_t *w, const char *name); /* start a named list of records */
void ma_writer_begin(ma_writer_t *w);                     /* start a record */
void ma_writer_num(ma_writer_t *w, const char *key, double x);
void ma_writer_int(ma_writer_t *w, const char *key, long x);
void ma_writer_str(ma_writer_t *w, const char *key, const char *s); /* NULL -> null/NA */
void ma_writer_bool(ma_writer_t *w, const char *key, int b);
void ma_writer_end(ma_writer_t *w);                       /* end a record */

/* Close all open structures and flush. MA_EIO when any write failed. */
ma_status_t ma_writer_finish(ma_writer_t *w, ma_error_t *err);

#endif
