/* Record writers for machine-readable output: csv, tsv, json. Writers never compute. */
#ifndef IASTM_WRITER_H
#define IASTM_WRITER_H

#include <stdio.h>
#include "error.h"

typedef enum { MA_FMT_TEXT = 0, MA_FMT_CSV, MA_FMT_TSV, MA_FMT_JSON, MA_FMT_MD } ma_format_t;

int ma_format_parse(const char *s); /* -1 when unknown */

typedef struct ma_writer ma_writer_t;

/* A writer on `f` (not owned). Output layout:
 *   json: {"SECTION": [ {record}, ... ], "SECTION2": [...]}   numbers %.17g, NaN -> null
 *   csv/tsv: per section a header line then one line per record; sections are separated
 *            by one blank line; NaN -> NA. The header is taken from the section's first
 *            record: later records of a section must have the same keys in the same order.
 *   md: per section a "### SECTION" heading and a Markdown table; numbers rounded for
 *       reading (4 significant digits), NaN -> NA. For people, not for programs.
 * Returns NULL when out of memory. Free with ma_writer_free. */
ma_writer_t *ma_writer_new(FILE *f, ma_format_t fmt);
void ma_writer_free(ma_writer_t *w); /* accepts NULL */

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
