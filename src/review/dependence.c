/* Dependent rows: grouping by a column, the one-outcome guard, the dependence note. */
#include "iastm/dependence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t i;
} keyed_t;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    if (c)
        return c;
    return x->i < y->i ? -1 : x->i > y->i;
}

ma_status_t ma_group_ids(const char *const *values, size_t n, size_t *id, size_t *ngroups,
                         ma_error_t *err)
{
    keyed_t *v;
    size_t *first, i, g = 0, next = 0;
    *ngroups = 0;
    if (n == 0)
        return MA_OK;
    v = malloc(n * sizeof *v);
    first = malloc(n * sizeof *first);
    if (!v || !first) {
        free(v);
        free(first);
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++) {
        v[i].s = values[i];
        v[i].i = i;
    }
    qsort(v, n, sizeof *v, keyed_cmp);
    /* Runs of equal strings; each run's first row (its smallest index) gets the next id in
     * order of first appearance via a second pass. */
    for (i = 0; i < n; i++) {
        if (i == 0 || strcmp(v[i].s, v[i - 1].s) != 0)
            g = v[i].i;          /* run leader: the smallest row index of the run */
        first[v[i].i] = g;
    }
    for (i = 0; i < n; i++) {
        if (first[i] == i)
            id[i] = next++;
        else
            id[i] = id[first[i]];
    }
    *ngroups = next;
    free(v);
    free(first);
    return MA_OK;
}

/* Group the included rows of d by column `col` (and, when within >= 0, by the pair of
 * col and within): ids (k) and the group count. */
static ma_status_t group_included(const ma_dataset_t *d, long col, long within, size_t *id,
                                  size_t *ng, ma_error_t *err)
{
    const char **vals = malloc((d->k ? d->k : 1) * sizeof *vals);
    char *buf = NULL;
    size_t i, need = 0, off = 0;
    ma_status_t st;
    if (!vals)
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    if (within >= 0) {
        for (i = 0; i < d->k; i++)
            need += strlen(ma_table_cell(d->table, d->s[d->idx[i]].row, col)) +
                    strlen(ma_table_cell(d->table, d->s[d->idx[i]].row, within)) + 2;
        if (!(buf = malloc(need ? need : 1))) {
            free(vals);
            return ma_error_set(err, MA_ENOMEM, "out of memory");
        }
    }
    for (i = 0; i < d->k; i++) {
        const char *a = ma_table_cell(d->table, d->s[d->idx[i]].row, col);
        if (within < 0) {
            vals[i] = a;
            continue;
        }
        /* the unit separator cannot occur in a parsed CSV cell of a text table */
        vals[i] = buf + off;
        off += (size_t)sprintf(buf + off, "%s\x1f%s", a,
                               ma_table_cell(d->table, d->s[d->idx[i]].row, within)) + 1;
    }
    st = ma_group_ids(vals, d->k, id, ng, err);
    free(vals);
    free(buf);
    return st;
}

ma_status_t ma_dataset_check_outcomes(const ma_dataset_t *d, ma_error_t *err)
{
    long col = ma_table_col(d->table, "outcome");
    size_t *id, *count, ng, i, g;
    ma_status_t st;
    char list[400] = "", pick[400] = "";
    size_t ll = 0, lp = 0;
    if (col < 0 || d->k < 2)
        return MA_OK;
    id = malloc(d->k * sizeof *id);
    count = calloc(d->k, sizeof *count);
    if (!id || !count) {
        free(id);
        free(count);
        return ma_error_set(err, MA_ENOMEM, "out of memory");
    }
    if ((st = group_included(d, col, -1, id, &ng, err)) != MA_OK || ng < 2) {
        free(id);
        free(count);
        return st;
    }
    for (i = 0; i < d->k; i++)
        count[id[i]]++;
    for (g = 0; g < ng; g++) {
        const char *name = NULL;
        for (i = 0; i < d->k && !name; i++)
            if (id[i] == g)
                name = ma_table_cell(d->table, d->s[d->idx[i]].row, col);
        if (ll < sizeof list)
            ll += (size_t)snprintf(list + ll, sizeof list - ll, "%s%s: %zu row%s",
                                   g ? ", " : "", name, count[g], count[g] == 1 ? "" : "s");
        if (lp < sizeof pick)
            lp += (size_t)snprintf(pick + lp, sizeof pick - lp, "%s--where outcome=%s",
                                   g == 0 ? "" : g + 1 == ng ? " or " : ", ", name);
    }
    free(id);
    free(count);
    return ma_error_at(err, MA_EUSAGE, d->table->path, 0, NULL, NULL,
                       "the rows to pool mix %zu outcomes (%s): pooling different outcomes "
                       "answers no question; choose one with %s", ng, list, pick);
}

ma_status_t ma_dataset_dependence(const ma_dataset_t *d, ma_dependence_t *dep,
                                  ma_error_t *err)
{
    return ma_dataset_dependence_within(d, NULL, dep, err);
}

ma_status_t ma_dataset_dependence_within(const ma_dataset_t *d, const char *within,
                                         ma_dependence_t *dep, ma_error_t *err)
{
    long wcol = within ? ma_table_col(d->table, within) : -1;
    size_t *id, *count, *firstrow, ng = 0, i, g, j, shown[MA_DEPENDENCE_SHOW];
    ma_status_t st;
    memset(dep, 0, sizeof *dep);
    dep->k = d->k;
    if (d->cluster < 0)
        return MA_OK;
    dep->column = d->table->header[d->cluster];
    if (d->k == 0)
        return MA_OK;
    id = malloc(d->k * sizeof *id);
    count = calloc(d->k, sizeof *count);
    firstrow = malloc(d->k * sizeof *firstrow);
    if (!id || !count || !firstrow) {
        st = ma_error_set(err, MA_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = group_included(d, d->cluster, wcol, id, &ng, err)) != MA_OK)
        goto done;
    for (i = d->k; i-- > 0;) {
        count[id[i]]++;
        firstrow[id[i]] = i;
    }
    dep->nclusters = ng;
    for (g = 0; g < ng; g++)
        if (count[g] > 1)
            dep->nmulti++;
    /* The largest clusters, ties in order of first appearance. */
    for (j = 0; j < MA_DEPENDENCE_SHOW && j < dep->nmulti; j++) {
        size_t best = ng, t;
        for (g = 0; g < ng; g++) {
            int taken = 0;
            for (t = 0; t < j; t++)
                taken |= shown[t] == g;
            if (count[g] > 1 && !taken && (best == ng || count[g] > count[best]))
                best = g;
        }
        shown[j] = best;
        dep->show[j] = ma_table_cell(d->table, d->s[d->idx[firstrow[best]]].row, d->cluster);
        dep->show_rows[j] = count[best];
        dep->nshow++;
    }
    if (dep->nmulti > 0) {
        size_t n = 0;
        n += (size_t)snprintf(dep->note + n, sizeof dep->note - n,
                              "the pooled rows are not independent: %zu of the %zu clusters "
                              "(column '%s'%s%s) contribute more than one row (",
                              dep->nmulti, dep->nclusters, dep->column,
                              wcol >= 0 ? " within one " : "", wcol >= 0 ? within : "");
        for (j = 0; j < dep->nshow && n < sizeof dep->note; j++)
            n += (size_t)snprintf(dep->note + n, sizeof dep->note - n, "%s%s: %zu rows",
                                  j ? ", " : "", dep->show[j], dep->show_rows[j]);
        if (n < sizeof dep->note)
            snprintf(dep->note + n, sizeof dep->note - n,
                     "%s); treating them as independent counts the same participants more "
                     "than once and overstates precision. Use --primary for one row per "
                     "comparison and outcome, or 'iastm mv --cluster %s' to model the "
                     "dependence (multilevel model with cluster-robust inference)",
                     dep->nmulti > dep->nshow ? ", ..." : "", dep->column);
    }
done:
    free(id);
    free(count);
    free(firstrow);
    return st;
}
