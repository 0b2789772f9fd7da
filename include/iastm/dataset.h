/* From a table to studies: column mapping, strict validation, filters, effect sizes, and
 * the list of rows that cannot be pooled with their reasons. */
#ifndef IASTM_DATASET_H
#define IASTM_DATASET_H

#include <stddef.h>
#include "error.h"
#include "es.h"
#include "csv.h"

/* Canonical column keys and the header names recognised for each (metafor's names and the
 * trial schema of data/trials.csv). `--col KEY=HEADER` maps any other header to a key. */
typedef enum {
    MA_COL_STUDY = 0, MA_COL_YI, MA_COL_VI, MA_COL_SEI,
    MA_COL_N1, MA_COL_N2, MA_COL_M1, MA_COL_SD1, MA_COL_M2, MA_COL_SD2, MA_COL_SE1, MA_COL_SE2,
    MA_COL_MD, MA_COL_MD_LB, MA_COL_MD_UB, MA_COL_MD_SE, MA_COL_ES, MA_COL_ES_LB,
    MA_COL_ES_UB, MA_COL_T, MA_COL_P,
    MA_COL_MIN1, MA_COL_Q1_1, MA_COL_MED1, MA_COL_Q3_1, MA_COL_MAX1,
    MA_COL_MIN2, MA_COL_Q1_2, MA_COL_MED2, MA_COL_Q3_2, MA_COL_MAX2,
    MA_COL_DIRECTION, MA_COL_FORM, MA_COL_HIB, MA_COL_EXCLUDE, MA_COL_PRIMARY,
    MA_COL_ES_KIND,
    MA_COL_COUNT
} ma_colkey_t;

/* The key's canonical name ("n1") and its recognised headers (NULL-terminated). */
const char *ma_colkey_name(ma_colkey_t k);
const char *const *ma_colkey_headers(ma_colkey_t k);
int ma_colkey_parse(const char *name); /* canonical name or any recognised header; -1 */

typedef struct {
    const char *col;   /* header name */
    const char *value; /* exact cell value to keep */
    int negate;        /* COL!=VALUE */
} ma_filter_t;

typedef struct {
    ma_es_opts_t es;
    const char *colmap[MA_COL_COUNT]; /* header override per key (NULL: recognised names) */
    const ma_filter_t *where;         /* rows must match all filters on distinct columns;
                                         several filters on one column match any of them */
    size_t nwhere;
    int primary_only;                 /* MA_PRIMARY_ONLY: keep rows whose `primary` is yes
                                         (--primary: a file without the column is an
                                         error); MA_PRIMARY_IF_PRESENT: the same when the
                                         column exists, every row otherwise (the default
                                         of evidence and claims); 0: every row */
    const char *label_col;            /* --label: a header used as study label, or a
                                         template of column names in braces
                                         ("{author} {year}"); NULL: the study key */
    const char *cluster_col;          /* rows of one cluster are dependent (--cluster);
                                         NULL: study_id when the table has it */
} ma_dataset_opts_t;

enum { MA_PRIMARY_ONLY = 1, MA_PRIMARY_IF_PRESENT = 2 };

void ma_dataset_opts_init(ma_dataset_opts_t *o);

/* One row that passed the filters (kept small: 10^6 rows must fit in little memory). */
typedef struct {
    size_t row;          /* row index in the table */
    long line;           /* source line */
    const char *label;   /* study label (points into the table or d->labels) */
    const char *cite;    /* label for readers (plots, citations): the --label text, else
                            the trial schema's "Author et al. year", else label */
    ma_form_t form;      /* data form used */
    int included;        /* 1: poolable */
    double n1, n2;       /* group sizes, NaN when not reported */
    double yi, vi;       /* effect size (NaN when not computable) */
    const char *method;  /* how yi was computed (static string), NULL when not */
    char *reason;        /* why not poolable (owned; NULL when included) */
} ma_study_t;

typedef struct {
    const ma_table_t *table; /* borrowed: must outlive the dataset */
    long col[MA_COL_COUNT];  /* column index per key, -1 if absent */
    unsigned char col_nocase[MA_COL_COUNT]; /* 1: found by a header that differs in case
                                               only (no exact match) */
    size_t n;                /* rows after filters */
    ma_study_t *s;
    size_t k;                /* included rows */
    double *yi, *vi;         /* k values of the included rows, in input order */
    size_t *idx;             /* k indices into s */
    long cluster;            /* column of the clusters of dependent rows, -1 if none */
    int trials;              /* 1: a file of the trial schema (study_id, outcome and
                                data_form columns; data/README.md) */
    char **labels;           /* per table row, owned (NULL when labels are cells) */
} ma_dataset_t;

/* Build the dataset. Malformed values (bad numbers, SD <= 0, n < 2 or fractional, vi <= 0,
 * p outside (0,1), unknown data form, direction or es_kind, missing higher_is_better where
 * needed; an es_reported row to be pooled whose es_kind is empty in a file that has the
 * column, or is a kind without a conversion: dz, r),
 * a table without data rows, and, in a trials file (study_id, outcome and data_form
 * columns), a value of outcome, region, comparator_class, randomized, intervention_type or
 * source_type outside the trial schema are errors naming file, line, column and value (MA_EINPUT). Bad options (a filter
 * on a missing column or outside the trial schema, --primary without a primary column,
 * --col naming a missing header) are MA_EUSAGE. Missing values exclude the row with a
 * reason. */
ma_status_t ma_dataset_build(const ma_table_t *t, const ma_dataset_opts_t *o,
                             ma_dataset_t **out, ma_error_t *err);
void ma_dataset_free(ma_dataset_t *d); /* accepts NULL */

/* Cell of study i in the column named `header` ("" when the column is absent). */
const char *ma_dataset_cell(const ma_dataset_t *d, size_t i, const char *header);

/* The trial schema's fixed values of column `col` (outcome, region, comparator_class,
 * randomized, intervention_type, source_type; data/README.md), NULL-terminated, with the
 * list for messages in *expected (may be NULL); NULL when the column has no fixed list. */
const char *const *ma_schema_values(const char *col, const char **expected);

/* The reader's label of study i (d->s[i].cite) copied into buf (n bytes); returns buf. */
const char *ma_dataset_citation(const ma_dataset_t *d, size_t i, char *buf, size_t n);

/* Study labels (studylabel.c). The citation rule of the trial schema: the surnames of
 * column author (the first word of each comma-separated name; remarks in parentheses
 * dropped) as "A", "A and B" or "A et al." (three or more, or "et al." written), then
 * column year ("n.d." when missing); the study key when no author is shown.
 * A template holds column names in braces, "{author} {year} ({site})" ({{ and }} for
 * braces; {citation}: the citation rule); missing cells expand to nothing.
 * ma_table_labels: one label per table row from `label` (a template, a column name, or
 * NULL: the citation rule), where equal labels of different studies (keycol values; -1:
 * every row is a study) get letters after the year ("2011a", "2011b") in order of each
 * study's first row. *out: t->nrow strings, caller frees each and the array.
 * MA_EUSAGE for a placeholder naming no column (the message lists the columns). */
int ma_label_is_template(const char *label);
ma_status_t ma_label_check(const ma_table_t *t, const char *tmpl, ma_error_t *err);
ma_status_t ma_table_labels(const ma_table_t *t, const char *label, long keycol, char ***out,
                            ma_error_t *err);

/* Participants of study i (n1 + n2), NaN when unknown. */
double ma_study_n(const ma_study_t *s);

/* Re-read study i's numbers (validated when the dataset was built). */
void ma_dataset_input(const ma_dataset_t *d, size_t i, ma_es_input_t *in);

#endif
