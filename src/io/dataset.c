/* Table -> studies: map columns, validate strictly, filter, compute effect sizes. */
#include "iastm/dataset.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iastm/num.h"

typedef struct {
    const char *name;
    const char *headers[5];
} colkey_info_t;

/* Recognised headers: metafor's argument names first, then the trial schema. */
static const colkey_info_t KEYS[MA_COL_COUNT] = {
    [MA_COL_STUDY] = {"study", {"study", "study_id", "studlab", "label", NULL}},
    [MA_COL_YI] = {"yi", {"yi", NULL}},
    [MA_COL_VI] = {"vi", {"vi", NULL}},
    [MA_COL_SEI] = {"sei", {"sei", NULL}},
    [MA_COL_N1] = {"n1", {"n1i", "n_iastm", NULL}},
    [MA_COL_N2] = {"n2", {"n2i", "n_comp", NULL}},
    [MA_COL_M1] = {"m1", {"m1i", "mean_iastm", NULL}},
    [MA_COL_SD1] = {"sd1", {"sd1i", "sd_iastm", NULL}},
    [MA_COL_M2] = {"m2", {"m2i", "mean_comp", NULL}},
    [MA_COL_SD2] = {"sd2", {"sd2i", "sd_comp", NULL}},
    [MA_COL_SE1] = {"se1", {"se1i", "se_iastm", NULL}},
    [MA_COL_SE2] = {"se2", {"se2i", "se_comp", NULL}},
    [MA_COL_MD] = {"md", {"md", NULL}},
    [MA_COL_MD_LB] = {"md_lb", {"md_ci_lb", NULL}},
    [MA_COL_MD_UB] = {"md_ub", {"md_ci_ub", NULL}},
    [MA_COL_MD_SE] = {"md_se", {"md_se", NULL}},
    [MA_COL_ES] = {"es", {"es_reported", "di", NULL}},
    [MA_COL_ES_LB] = {"es_lb", {"es_ci_lb", NULL}},
    [MA_COL_ES_UB] = {"es_ub", {"es_ci_ub", NULL}},
    [MA_COL_T] = {"t", {"t_stat", "ti", NULL}},
    [MA_COL_P] = {"p", {"p_exact", "pi", NULL}},
    [MA_COL_MIN1] = {"min1", {"min1i", "min_iastm", NULL}},
    [MA_COL_Q1_1] = {"q1_1", {"q1.1i", "q1_iastm", NULL}},
    [MA_COL_MED1] = {"med1", {"med1i", "median_iastm", NULL}},
    [MA_COL_Q3_1] = {"q3_1", {"q3.1i", "q3_iastm", NULL}},
    [MA_COL_MAX1] = {"max1", {"max1i", "max_iastm", NULL}},
    [MA_COL_MIN2] = {"min2", {"min2i", "min_comp", NULL}},
    [MA_COL_Q1_2] = {"q1_2", {"q1.2i", "q1_comp", NULL}},
    [MA_COL_MED2] = {"med2", {"med2i", "median_comp", NULL}},
    [MA_COL_Q3_2] = {"q3_2", {"q3.2i", "q3_comp", NULL}},
    [MA_COL_MAX2] = {"max2", {"max2i", "max_comp", NULL}},
    [MA_COL_DIRECTION] = {"direction", {"direction", NULL}},
    [MA_COL_FORM] = {"data_form", {"data_form", NULL}},
    [MA_COL_HIB] = {"higher_is_better", {"higher_is_better", NULL}},
    [MA_COL_EXCLUDE] = {"exclude_reason", {"exclude_reason", NULL}},
    [MA_COL_PRIMARY] = {"primary", {"primary", NULL}},
    [MA_COL_ES_KIND] = {"es_kind", {"es_kind", NULL}},
};

const char *ma_colkey_name(ma_colkey_t k) { return KEYS[k].name; }
const char *const *ma_colkey_headers(ma_colkey_t k) { return KEYS[k].headers; }

int ma_colkey_parse(const char *name)
{
    int k, h;
    for (k = 0; k < MA_COL_COUNT; k++) {
        if (strcmp(KEYS[k].name, name) == 0)
            return k;
        for (h = 0; KEYS[k].headers[h]; h++)
            if (strcmp(KEYS[k].headers[h], name) == 0)
                return k;
    }
    return -1;
}

void ma_dataset_opts_init(ma_dataset_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->es.measure = MA_MEASURE_SMD;
    o->es.vtype = MA_VTYPE_LS;
}

/* Validation rule for a numeric key. */
typedef enum { ANY, POSITIVE, SIZE, PROB } rule_t;

static rule_t key_rule(int k)
{
    switch (k) {
    case MA_COL_N1: case MA_COL_N2:
        return SIZE;
    case MA_COL_SD1: case MA_COL_SD2: case MA_COL_SE1: case MA_COL_SE2:
    case MA_COL_MD_SE: case MA_COL_VI: case MA_COL_SEI:
        return POSITIVE;
    case MA_COL_P:
        return PROB;
    default:
        return ANY;
    }
}

static const char *rule_what(int k)
{
    switch (k) {
    case MA_COL_SD1: case MA_COL_SD2: return "SD";
    case MA_COL_SE1: case MA_COL_SE2: case MA_COL_MD_SE: case MA_COL_SEI:
        return "standard error";
    case MA_COL_VI: return "sampling variance";
    default: return "value";
    }
}

/* Read key k of row r into *x (NaN when missing). Returns MA_OK or an error. */
static ma_status_t read_num(const ma_dataset_t *d, size_t r, int k, double *x,
                            ma_error_t *err)
{
    const ma_table_t *t = d->table;
    long c = d->col[k];
    const char *cell;
    double v;
    *x = NAN;
    if (c < 0)
        return MA_OK;
    cell = ma_table_cell(t, r, c);
    switch (ma_parse_double(cell, &v)) {
    case MA_NUM_MISSING:
        return MA_OK;
    case MA_NUM_BAD:
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell, "%s:",
                           ma_num_why(cell));
    case MA_NUM_OK:
        break;
    }
    switch (key_rule(k)) {
    case SIZE:
        if (v != floor(v))
            return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                               "group size must be a whole number:");
        if (v < 2)
            return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                               "group size must be at least 2:");
        break;
    case POSITIVE:
        if (v <= 0)
            return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                               "%s %s:", v < 0 ? "negative" : "zero", rule_what(k));
        break;
    case PROB:
        if (!(v > 0 && v < 1))
            return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                               "p-value must be between 0 and 1 (exclusive):");
        break;
    case ANY:
        break;
    }
    *x = v;
    return MA_OK;
}

static int parse_yesno(const char *s)
{
    if (ma_is_missing(s))
        return -1;
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "y") || !strcasecmp(s, "true") ||
        !strcmp(s, "1"))
        return 1;
    if (!strcasecmp(s, "no") || !strcasecmp(s, "n") || !strcasecmp(s, "false") ||
        !strcmp(s, "0"))
        return 0;
    return -2;
}

/* Does the row match the filters? Filters on the same column are alternatives. */
static int row_matches(const ma_dataset_t *d, const ma_dataset_opts_t *o, const long *fcol,
                       size_t r)
{
    size_t i, j;
    for (i = 0; i < o->nwhere; i++) {
        int any = 0, seen_before = 0;
        for (j = 0; j < i; j++)
            if (fcol[j] == fcol[i])
                seen_before = 1;
        if (seen_before)
            continue;
        for (j = i; j < o->nwhere; j++) {
            if (fcol[j] != fcol[i])
                continue;
            if ((strcmp(ma_table_cell(d->table, r, fcol[j]), o->where[j].value) == 0) !=
                o->where[j].negate)
                any = 1;
        }
        if (!any)
            return 0;
    }
    return 1;
}

/* es_kind: a known kind wherever given. A row that would pool its es_reported must say
 * what it is when the file has the column (only a file without it, like metafor's `di`,
 * means Cohen's d) and must be of a kind with a conversion (dz and r have none). A row
 * with an exclude_reason is never pooled and needs neither. */
static ma_status_t read_es_kind(const ma_dataset_t *d, size_t r, ma_es_input_t *in,
                                int excluded, ma_error_t *err)
{
    const ma_table_t *t = d->table;
    long c = d->col[MA_COL_ES_KIND];
    const char *cell = ma_table_cell(t, r, c);
    int x;
    if (c < 0)
        return MA_OK;
    if ((x = ma_es_kind_parse(ma_is_missing(cell) ? "" : cell)) < 0)
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                           "unknown effect-size kind (expected d, g, log_or, or, dz or r, "
                           "optionally followed by a note in parentheses):");
    in->es_kind = (ma_es_kind_t)x;
    if (in->form != MA_FORM_ES_REPORTED || excluded || isnan(in->es))
        return MA_OK;
    if (in->es_kind == MA_ES_KIND_NONE)
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], NULL,
                           "missing value: say what es_reported is (d, g, log_or or or), "
                           "or give an exclude_reason");
    if (!ma_es_kind_convertible(in->es_kind))
        return ma_error_at(err, MA_EINPUT, t->path, t->line[r], t->header[c], cell,
                           "no documented conversion of this effect-size kind to a "
                           "between-group SMD (%s); give the row in another data form or an "
                           "exclude_reason:",
                           in->es_kind == MA_ES_KIND_DZ
                               ? "a within-subject dz needs the correlation between "
                                 "conditions"
                               : "r needs a stated design");
    return MA_OK;
}

/* Parse and validate row r into `in`; `reason` gets the curator's exclusion reason. */
static ma_status_t read_row(const ma_dataset_t *d, size_t r, ma_es_input_t *in, char *reason,
                            size_t reason_size, ma_error_t *err)
{
    const ma_table_t *t = d->table;
    double v[MA_COL_COUNT];
    const char *cell;
    int k, x;
    long line = t->line[r];
    ma_status_t st;

    ma_es_input_init(in);
    reason[0] = '\0';
    for (k = 0; k < MA_COL_COUNT; k++) {
        v[k] = NAN;
        if (k == MA_COL_STUDY || k >= MA_COL_DIRECTION)
            continue;
        if ((st = read_num(d, r, k, &v[k], err)) != MA_OK)
            return st;
    }
    in->n1 = v[MA_COL_N1]; in->n2 = v[MA_COL_N2];
    in->m1 = v[MA_COL_M1]; in->sd1 = v[MA_COL_SD1];
    in->m2 = v[MA_COL_M2]; in->sd2 = v[MA_COL_SD2];
    in->se1 = v[MA_COL_SE1]; in->se2 = v[MA_COL_SE2];
    in->md = v[MA_COL_MD]; in->md_lb = v[MA_COL_MD_LB]; in->md_ub = v[MA_COL_MD_UB];
    in->md_se = v[MA_COL_MD_SE];
    in->es = v[MA_COL_ES]; in->t = v[MA_COL_T]; in->p = v[MA_COL_P];
    in->es_lb = v[MA_COL_ES_LB]; in->es_ub = v[MA_COL_ES_UB];
    in->min1 = v[MA_COL_MIN1]; in->q1_1 = v[MA_COL_Q1_1]; in->med1 = v[MA_COL_MED1];
    in->q3_1 = v[MA_COL_Q3_1]; in->max1 = v[MA_COL_MAX1];
    in->min2 = v[MA_COL_MIN2]; in->q1_2 = v[MA_COL_Q1_2]; in->med2 = v[MA_COL_MED2];
    in->q3_2 = v[MA_COL_Q3_2]; in->max2 = v[MA_COL_MAX2];
    in->yi = v[MA_COL_YI];
    in->vi = !isnan(v[MA_COL_VI]) ? v[MA_COL_VI] : v[MA_COL_SEI] * v[MA_COL_SEI];

    if (!isnan(in->md_lb) && !isnan(in->md_ub) && in->md_lb > in->md_ub) {
        long c = d->col[MA_COL_MD_LB];
        return ma_error_at(err, MA_EINPUT, t->path, line, t->header[c],
                           ma_table_cell(t, r, c),
                           "confidence interval lower bound above the upper bound:");
    }
    if (!isnan(in->es_lb) && !isnan(in->es_ub) && in->es_lb > in->es_ub) {
        long c = d->col[MA_COL_ES_LB];
        return ma_error_at(err, MA_EINPUT, t->path, line, t->header[c],
                           ma_table_cell(t, r, c),
                           "confidence interval lower bound above the upper bound:");
    }

    /* Data form: the cell when given, else inferred from the columns present. */
    cell = ma_table_cell(t, r, d->col[MA_COL_FORM]);
    if (!ma_is_missing(cell)) {
        if ((x = ma_form_parse(cell)) < 0)
            return ma_error_at(err, MA_EINPUT, t->path, line,
                               t->header[d->col[MA_COL_FORM]], cell,
                               "unknown data form (expected final_sd, change_sd, final_se, "
                               "md_ci, md_se, es_reported, t_stat, p_exact, median_iqr, "
                               "median_range, fivenum, yi_vi or narrative):");
        in->form = (ma_form_t)x;
    } else if (!isnan(in->yi) || !isnan(in->vi)) {
        in->form = MA_FORM_YI_VI;
    } else if (d->col[MA_COL_M1] >= 0 && d->col[MA_COL_SD1] >= 0) {
        in->form = MA_FORM_FINAL_SD;
    } else {
        in->form = MA_FORM_NONE;
    }

    cell = ma_table_cell(t, r, d->col[MA_COL_DIRECTION]);
    if ((x = ma_direction_parse(ma_is_missing(cell) ? "" : cell)) < 0)
        return ma_error_at(err, MA_EINPUT, t->path, line,
                           t->header[d->col[MA_COL_DIRECTION]], cell,
                           "unknown direction (expected favours_iastm, favours_comp, "
                           "no_difference or empty):");
    in->direction = (ma_direction_t)x;

    cell = ma_table_cell(t, r, d->col[MA_COL_EXCLUDE]);
    if (!ma_is_missing(cell))
        snprintf(reason, reason_size, "%s", cell);

    if ((st = read_es_kind(d, r, in, reason[0] != '\0', err)) != MA_OK)
        return st;

    if (d->col[MA_COL_HIB] >= 0) {
        cell = ma_table_cell(t, r, d->col[MA_COL_HIB]);
        x = parse_yesno(cell);
        if (x == -2)
            return ma_error_at(err, MA_EINPUT, t->path, line,
                               t->header[d->col[MA_COL_HIB]], cell,
                               "expected yes or no:");
        if (x == -1 && ma_form_oriented(in->form) && reason[0] == '\0')
            return ma_error_at(err, MA_EINPUT, t->path, line,
                               t->header[d->col[MA_COL_HIB]], NULL,
                               "missing value: yes or no is needed to set the sign of this "
                               "row's effect (or give an exclude_reason)");
        in->higher_is_better = x;
    }
    return MA_OK;
}

/* ---- the columns of a data form, when none is found ------------------------------------ */

/* The forms read without a data_form column, with the keys each needs. */
static const struct {
    const char *what;
    int keys[7]; /* ends with -1 */
} INFERRED[] = {
    {"yi/vi", {MA_COL_YI, MA_COL_VI, -1}},
    {"group means and SDs",
     {MA_COL_M1, MA_COL_SD1, MA_COL_N1, MA_COL_M2, MA_COL_SD2, MA_COL_N2, -1}},
};

/* Other names spreadsheets use for a key (near-misses of its headers are found anyway). */
static const char *const *synonyms(int k)
{
    static const char *const yi[] = {"effect", "effectsize", "es", "smd", "g", "d", "hedgesg",
                                     "y", NULL};
    static const char *const vi[] = {"var", "variance", "v", "varyi", NULL};
    static const char *const m1[] = {"mean1", NULL}, *const m2[] = {"mean2", NULL};
    static const char *const none[] = {NULL};
    return k == MA_COL_YI ? yi : k == MA_COL_VI ? vi : k == MA_COL_M1 ? m1
           : k == MA_COL_M2 ? m2 : none;
}

#define HINT_NAME 64    /* longer headers are never close */
#define HINT_COLS 1000  /* the columns looked at */

/* Lower-case letters and digits of s (at most HINT_NAME - 1); 0 when s is too long. */
static size_t fold(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            continue;
        if (n == HINT_NAME - 1)
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

/* Levenshtein distance of two short strings. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[HINT_NAME], i, j;
    for (j = 0; j <= nb; j++)
        row[j] = j;
    for (i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

/* How far header h (folded, length nh) is from key k: the smallest distance to the key's
 * name, recognised headers and synonyms once case, '_', '.' and blanks are ignored, when
 * close enough (equal for names of up to three characters, one edit for longer ones, two
 * from seven on); SIZE_MAX otherwise. */
static size_t key_distance(int k, const char *h, size_t nh)
{
    const char *const *lists[3] = {NULL, KEYS[k].headers, synonyms(k)};
    const char *name[2] = {KEYS[k].name, NULL};
    size_t best = SIZE_MAX, l, i;
    lists[0] = name;
    for (l = 0; l < 3; l++)
        for (i = 0; lists[l][i]; i++) {
            char c[HINT_NAME];
            size_t nc = fold(lists[l][i], c), dist;
            if (nc == 0)
                continue;
            dist = edit_distance(h, nh, c, nc);
            if (dist <= (nc >= 7 ? 2u : nc >= 4 ? 1u : 0u) && dist < best)
                best = dist;
        }
    return best;
}

/* The reason of a row without a data form: the columns of the form whose keys come closest
 * to headers not read for any key, and the --col options that would read them; or, when
 * no header is close, the recognised names. Written into buf (n bytes). */
static void no_form_reason(const ma_dataset_t *d, char *buf, size_t n)
{
    const ma_table_t *t = d->table;
    size_t ncol = t->ncol < HINT_COLS ? t->ncol : HINT_COLS, f, best_f = 0, best_found = 0;
    long pick[2][7];
    unsigned char used[HINT_COLS] = {0};
    size_t c, i, len;
    int k;
    for (k = 0; k < MA_COL_COUNT; k++)
        if (d->col[k] >= 0 && (size_t)d->col[k] < ncol)
            used[d->col[k]] = 1;
    for (f = 0; f < 2; f++) {
        unsigned char taken[HINT_COLS];
        size_t found = 0;
        memcpy(taken, used, sizeof taken);
        for (i = 0; (k = INFERRED[f].keys[i]) >= 0; i++) {
            size_t best = SIZE_MAX;
            pick[f][i] = -1;
            for (c = 0; c < ncol; c++) {
                char h[HINT_NAME];
                size_t nh, dist;
                if (taken[c] || (nh = fold(t->header[c], h)) == 0)
                    continue;
                if ((dist = key_distance(k, h, nh)) < best) {
                    best = dist;
                    pick[f][i] = (long)c;
                }
            }
            if (pick[f][i] >= 0) {
                taken[pick[f][i]] = 1;
                found++;
            }
        }
        if (found > best_found) {
            best_found = found;
            best_f = f;
        }
    }
    if (best_found == 0) {
        snprintf(buf, n, "no data form: neither yi/vi nor group means and SDs (no columns "
                         "yi and vi, nor m1i, sd1i, n1i, m2i, sd2i and n2i; --col KEY=HEADER "
                         "reads another header)");
        return;
    }
    len = (size_t)snprintf(buf, n, "no data form: columns");
    for (i = 0; (k = INFERRED[best_f].keys[i]) >= 0 && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s %s",
                                i == 0 ? "" : INFERRED[best_f].keys[i + 1] < 0 ? " and" : ",",
                                KEYS[k].headers[0]);
    for (i = 0, f = 0; INFERRED[best_f].keys[i] >= 0 && len < n; i++)
        if (pick[best_f][i] >= 0)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", f++ ? ", " : " not found; closest: ",
                                    t->header[pick[best_f][i]]);
    for (i = 0, f = 0; (k = INFERRED[best_f].keys[i]) >= 0 && len < n; i++)
        if (pick[best_f][i] >= 0)
            len += (size_t)snprintf(buf + len, n - len, "%s--col %s=%s", f++ ? " " : " (use ",
                                    KEYS[k].name, t->header[pick[best_f][i]]);
    if (len < n)
        snprintf(buf + len, n - len, ")");
}

/* The readers' labels (s->cite): a --label template (then also s->label), the --label
 * column, the citation rule in a trials file, else the label; equal labels of different
 * studies disambiguated over the whole table, so that a study keeps its letter in
 * every subset. */
static ma_status_t reader_labels(ma_dataset_t *d, const ma_dataset_opts_t *o,
                                 ma_error_t *err)
{
    const ma_table_t *t = d->table;
    int tmpl = ma_label_is_template(o->label_col);
    size_t i;
    ma_status_t st;
    for (i = 0; i < d->n; i++)
        d->s[i].cite = d->s[i].label;
    if (!tmpl && !(d->trials && !o->label_col && ma_table_col(t, "author") >= 0))
        return MA_OK;
    if ((st = ma_table_labels(t, o->label_col, d->col[MA_COL_STUDY], &d->labels, err)) != MA_OK)
        return st;
    for (i = 0; i < d->n; i++) {
        d->s[i].cite = d->labels[d->s[i].row];
        if (tmpl)
            d->s[i].label = d->s[i].cite;
    }
    return MA_OK;
}

static ma_status_t build_row(ma_dataset_t *d, const ma_dataset_opts_t *o, size_t r,
                             ma_study_t *s, char *no_form, size_t no_form_size,
                             ma_error_t *err)
{
    ma_es_input_t in;
    ma_es_result_t es;
    char reason[512];
    long lc = o->label_col ? ma_table_col(d->table, o->label_col) : d->col[MA_COL_STUDY];
    ma_status_t st;

    memset(s, 0, sizeof *s);
    s->row = r;
    s->line = d->table->line[r];
    s->label = lc >= 0 ? ma_table_cell(d->table, r, lc) : "";
    if ((st = read_row(d, r, &in, reason, sizeof reason, err)) != MA_OK)
        return st;
    s->form = in.form;
    s->n1 = in.n1;
    s->n2 = in.n2;
    ma_es_compute(&in, &o->es, &es);
    s->yi = es.ok ? es.yi : NAN;
    s->vi = es.ok ? es.vi : NAN;
    s->method = es.ok ? es.method : NULL;
    if (reason[0] == '\0' && !es.ok) {
        if (in.form == MA_FORM_NONE) {
            if (!no_form[0]) /* the same for every row: made once, when needed */
                no_form_reason(d, no_form, no_form_size);
            snprintf(reason, sizeof reason, "%s", no_form);
        }
        else
            snprintf(reason, sizeof reason, "%s", es.reason);
    }
    s->included = reason[0] == '\0' && es.ok;
    if (!s->included && !(s->reason = strdup(reason)))
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    return MA_OK;
}

void ma_dataset_input(const ma_dataset_t *d, size_t i, ma_es_input_t *in)
{
    char reason[512];
    ma_error_t err;
    if (read_row(d, d->s[i].row, in, reason, sizeof reason, &err) != MA_OK)
        ma_es_input_init(in);
}

/* The trial schema (data/README.md): columns whose values come from a fixed list. */
typedef struct {
    const char *col;
    const char *values[16];  /* NULL-terminated */
    const char *expected;    /* the list for messages */
} schema_col_t;

static const schema_col_t SCHEMA[] = {
    {"outcome", {"pain", "function", "rom", NULL}, "pain, function or rom"},
    {"region", {"spine", "other", NULL}, "spine or other"},
    {"comparator_class",
     {"manual_mfr", "spinal_manipulation", "sham", "control", "other_active", NULL},
     "manual_mfr, spinal_manipulation, sham, control or other_active"},
    {"randomized", {"yes", "no", "unclear", NULL}, "yes, no or unclear"},
    {"site",
     {"cervical", "thoracic", "lumbar", "shoulder", "elbow_forearm", "wrist_hand", "hip",
      "thigh", "knee", "lower_leg", "ankle_foot", "multiple", NULL},
     "cervical, thoracic, lumbar (spine), or shoulder, elbow_forearm, wrist_hand, hip, "
     "thigh, knee, lower_leg, ankle_foot, multiple (other)"},
    {"intervention_type", {"graston", "iastm", "gua_sha", NULL}, "graston, iastm or gua_sha"},
    {"source_type", {"primary", "secondary", NULL}, "primary or secondary"},
};

/* The spine's sites: a row's region is spine exactly when its site is one of them. */
static int site_is_spine(const char *site)
{
    return strcmp(site, "cervical") == 0 || strcmp(site, "thoracic") == 0 ||
           strcmp(site, "lumbar") == 0;
}
#define NSCHEMA (sizeof SCHEMA / sizeof SCHEMA[0])

const char *const *ma_schema_values(const char *col, const char **expected)
{
    size_t i;
    for (i = 0; i < NSCHEMA; i++)
        if (strcmp(SCHEMA[i].col, col) == 0) {
            if (expected)
                *expected = SCHEMA[i].expected;
            return SCHEMA[i].values;
        }
    return NULL;
}

static int schema_value_ok(const schema_col_t *sc, const char *v)
{
    size_t i;
    for (i = 0; sc->values[i]; i++)
        if (strcmp(sc->values[i], v) == 0)
            return 1;
    return 0;
}

/* A trials file (d->trials: it has study_id, outcome and data_form columns) must use the
 * schema's values exactly: a misspelt outcome would otherwise fall silently out of every
 * `--where outcome=...` analysis. Filters on these columns are checked the same way. */
static ma_status_t check_trial_schema(const ma_table_t *t, const ma_dataset_opts_t *o,
                                      ma_error_t *err)
{
    size_t i, r;
    if (ma_table_col(t, "higher_is_better") < 0 && !o->colmap[MA_COL_HIB])
        return ma_error_at(err, MA_EINPUT, t->path, 0, NULL, NULL,
                           "trials file without a 'higher_is_better' column (needed to "
                           "orient each row's effect)");
    for (i = 0; i < NSCHEMA; i++) {
        long c = ma_table_col(t, SCHEMA[i].col);
        if (c < 0)
            continue;
        for (r = 0; r < t->nrow; r++) {
            const char *v = ma_table_cell(t, r, c);
            if (ma_is_missing(v))
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], SCHEMA[i].col, NULL,
                                   "missing value in a trials file (expected %s)",
                                   SCHEMA[i].expected);
            if (!schema_value_ok(&SCHEMA[i], v))
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], SCHEMA[i].col, v,
                                   "unknown value (expected %s):", SCHEMA[i].expected);
        }
        for (r = 0; r < o->nwhere; r++)
            if (strcmp(o->where[r].col, SCHEMA[i].col) == 0 &&
                !schema_value_ok(&SCHEMA[i], o->where[r].value))
                return ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                                   "--where %s%s=%s: no such %s in a trials file "
                                   "(expected %s)", SCHEMA[i].col,
                                   o->where[r].negate ? "!" : "", o->where[r].value,
                                   SCHEMA[i].col, SCHEMA[i].expected);
    }
    {
        long cb = ma_table_col(t, "risk_of_bias");
        for (r = 0; cb >= 0 && r < t->nrow; r++) {
            const char *v = ma_table_cell(t, r, cb);
            if (*v && strcmp(v, "low") && strcmp(v, "some_concerns") && strcmp(v, "high"))
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], "risk_of_bias", v,
                                   "unknown value (expected low, some_concerns, high, or "
                                   "empty when not assessed):");
        }
    }
    {
        long cc = ma_table_col(t, "condition_code");
        for (r = 0; cc >= 0 && r < t->nrow; r++) {
            const char *v = ma_table_cell(t, r, cc);
            if (!*v || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(v))
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], "condition_code", v,
                                   "condition code must be lower-case letters, digits and "
                                   "underscores (data/README.md lists them):");
        }
    }
    {
        long cs = ma_table_col(t, "site"), cr = ma_table_col(t, "region");
        for (r = 0; cs >= 0 && cr >= 0 && r < t->nrow; r++) {
            const char *site = ma_table_cell(t, r, cs), *region = ma_table_cell(t, r, cr);
            if (site_is_spine(site) != (strcmp(region, "spine") == 0))
                return ma_error_at(err, MA_EINPUT, t->path, t->line[r], "site", site,
                                   "site does not match region '%s' (spine: cervical, "
                                   "thoracic or lumbar):", region);
        }
    }
    return MA_OK;
}

/* The column of key k: the header --col names, else a recognised header, matched exactly
 * or, when no header matches exactly, ignoring case (*nocase set). Two headers that match
 * ignoring case are an error. -1 when absent. */
static ma_status_t find_col(ma_dataset_t *d, const ma_dataset_opts_t *o, int k,
                            ma_error_t *err)
{
    const ma_table_t *t = d->table;
    int h;
    long c, a, b;
    d->col[k] = -1;
    if (o->colmap[k]) {
        if ((d->col[k] = ma_table_col(t, o->colmap[k])) < 0)
            return ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                               "--col %s=%s: no column '%s' in the header", KEYS[k].name,
                               o->colmap[k], o->colmap[k]);
        return MA_OK;
    }
    for (h = 0; KEYS[k].headers[h]; h++)
        if ((c = ma_table_col(t, KEYS[k].headers[h])) >= 0) {
            d->col[k] = c;
            return MA_OK;
        }
    for (h = 0; KEYS[k].headers[h]; h++) {
        if ((c = ma_table_col_nocase(t, KEYS[k].headers[h], &a, &b)) == -2)
            return ma_error_at(err, MA_EINPUT, t->path, 0, NULL, NULL,
                               "columns '%s' and '%s' both read as %s when case is ignored: "
                               "choose one with --col %s=HEADER", t->header[a], t->header[b],
                               KEYS[k].name, KEYS[k].name);
        if (c >= 0) {
            d->col[k] = c;
            d->col_nocase[k] = 1;
            return MA_OK;
        }
    }
    return MA_OK;
}

ma_status_t ma_dataset_build(const ma_table_t *t, const ma_dataset_opts_t *o,
                             ma_dataset_t **out, ma_error_t *err)
{
    ma_dataset_t *d;
    long *fcol = NULL;
    size_t r, i;
    int k;
    char no_form[512];
    ma_status_t st = MA_OK;

    *out = NULL;
    ma_error_clear(err);
    d = calloc(1, sizeof *d);
    if (!d)
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    d->table = t;
    for (k = 0; k < MA_COL_COUNT; k++)
        if ((st = find_col(d, o, k, err)) != MA_OK)
            goto fail;
    no_form[0] = '\0';
    if (ma_label_is_template(o->label_col)) {
        if ((st = ma_label_check(t, o->label_col, err)) != MA_OK)
            goto fail;
    } else if (o->label_col && ma_table_col(t, o->label_col) < 0) {
        st = ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                         "--label %s: no column '%s' in the header", o->label_col,
                         o->label_col);
        goto fail;
    }
    d->cluster = ma_table_col(t, o->cluster_col ? o->cluster_col : "study_id");
    if (o->cluster_col && d->cluster < 0) {
        st = ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                         "--cluster %s: no column '%s' in the header", o->cluster_col,
                         o->cluster_col);
        goto fail;
    }
    if (o->primary_only == MA_PRIMARY_ONLY && d->col[MA_COL_PRIMARY] < 0) {
        st = ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                         "--primary: the file has no 'primary' column");
        goto fail;
    }
    if (t->nrow == 0) {
        st = ma_error_at(err, MA_EINPUT, t->path, 0, NULL, NULL,
                         "no data rows: the file has a header line only");
        goto fail;
    }
    d->trials = ma_table_col(t, "study_id") >= 0 && ma_table_col(t, "outcome") >= 0 &&
                ma_table_col(t, "data_form") >= 0;
    if (d->trials && (st = check_trial_schema(t, o, err)) != MA_OK)
        goto fail;
    if (o->nwhere) {
        fcol = malloc(o->nwhere * sizeof *fcol);
        if (!fcol) {
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        for (i = 0; i < o->nwhere; i++)
            if ((fcol[i] = ma_table_col(t, o->where[i].col)) < 0) {
                st = ma_error_at(err, MA_EUSAGE, t->path, 0, NULL, NULL,
                                 "--where %s%s=%s: no column '%s' in the header",
                                 o->where[i].col, o->where[i].negate ? "!" : "",
                                 o->where[i].value, o->where[i].col);
                goto fail;
            }
    }

    d->s = calloc(t->nrow ? t->nrow : 1, sizeof *d->s);
    d->yi = malloc((t->nrow ? t->nrow : 1) * sizeof *d->yi);
    d->vi = malloc((t->nrow ? t->nrow : 1) * sizeof *d->vi);
    d->idx = malloc((t->nrow ? t->nrow : 1) * sizeof *d->idx);
    if (!d->s || !d->yi || !d->vi || !d->idx) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto fail;
    }
    for (r = 0; r < t->nrow; r++) {
        ma_study_t *s;
        if (!row_matches(d, o, fcol, r))
            continue;
        if (o->primary_only && d->col[MA_COL_PRIMARY] >= 0) {
            const char *c = ma_table_cell(t, r, d->col[MA_COL_PRIMARY]);
            int p = parse_yesno(c);
            if (p == -2) {
                st = ma_error_at(err, MA_EINPUT, t->path, t->line[r],
                                 t->header[d->col[MA_COL_PRIMARY]], c,
                                 "expected yes or no:");
                goto fail;
            }
            if (p != 1)
                continue;
        }
        s = &d->s[d->n];
        if ((st = build_row(d, o, r, s, no_form, sizeof no_form, err)) != MA_OK) {
            d->n++; /* so that its reason is freed */
            goto fail;
        }
        if (s->included) {
            d->yi[d->k] = s->yi;
            d->vi[d->k] = s->vi;
            d->idx[d->k] = d->n;
            d->k++;
        }
        d->n++;
    }
    free(fcol);
    fcol = NULL;
    if ((st = reader_labels(d, o, err)) != MA_OK)
        goto fail;
    /* vtype AV uses the mean g of the rows pooled together: recompute those rows as a set. */
    if (o->es.measure == MA_MEASURE_SMD && o->es.vtype == MA_VTYPE_AV && d->k > 0) {
        ma_es_input_t *in = malloc(d->k * sizeof *in);
        ma_es_result_t *res = malloc(d->k * sizeof *res);
        if (!in || !res) {
            free(in);
            free(res);
            st = ma_error_set(err, MA_ENOMEM, "out of memory");
            goto fail;
        }
        for (i = 0; i < d->k; i++)
            ma_dataset_input(d, d->idx[i], &in[i]);
        ma_es_compute_all(in, d->k, &o->es, res);
        for (i = 0; i < d->k; i++) {
            ma_study_t *s = &d->s[d->idx[i]];
            s->yi = d->yi[i] = res[i].yi;
            s->vi = d->vi[i] = res[i].vi;
            s->method = res[i].method;
        }
        free(in);
        free(res);
    }
    *out = d;
    return MA_OK;
fail:
    free(fcol);
    ma_dataset_free(d);
    return st;
}

void ma_dataset_free(ma_dataset_t *d)
{
    size_t i;
    if (!d)
        return;
    for (i = 0; d->labels && i < d->table->nrow; i++)
        free(d->labels[i]);
    free(d->labels);
    for (i = 0; d->s && i < d->n; i++)
        free(d->s[i].reason);
    free(d->s);
    free(d->yi);
    free(d->vi);
    free(d->idx);
    free(d);
}

const char *ma_dataset_cell(const ma_dataset_t *d, size_t i, const char *header)
{
    return ma_table_cell(d->table, d->s[i].row, ma_table_col(d->table, header));
}

const char *ma_dataset_citation(const ma_dataset_t *d, size_t i, char *buf, size_t n)
{
    snprintf(buf, n, "%s", d->s[i].cite);
    return buf;
}

double ma_study_n(const ma_study_t *s)
{
    return s->n1 + s->n2;
}
