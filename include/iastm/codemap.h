/* Words for codes: 'manual_mfr' in column comparator_class reads "Hands-on myofascial
 * release" in a figure. A map file (CSV with columns column, code, label) comes first,
 * then the built-in words for the codes of the trial schema (data/README.md); a code
 * found in neither prints as it is. */
#ifndef IASTM_CODEMAP_H
#define IASTM_CODEMAP_H

#include "csv.h"
#include "error.h"

typedef struct {
    ma_table_t *table;  /* the map file (owned), NULL: built-in words only */
    long c_col, c_code, c_label;
} ma_codemap_t;

/* The built-in map (no file). */
void ma_codemap_init(ma_codemap_t *m);
/* Read a map file into m: columns column, code and label are needed, labels must not be
 * empty and a (column, code) pair must not repeat (MA_EINPUT naming file, line, value). */
ma_status_t ma_codemap_read(ma_codemap_t *m, const char *path, ma_error_t *err);
void ma_codemap_clear(ma_codemap_t *m);

/* The words for `code` in column `column`: the file's, else the built-in ones, else the
 * code itself. Never NULL (for a NULL code: ""). */
const char *ma_codemap_get(const ma_codemap_t *m, const char *column, const char *code);

#endif
