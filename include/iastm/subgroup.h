/* Subgroup analysis: one fit per subgroup, the overall fit, and the test for subgroup
 * differences (Q between subgroup estimates, as meta and RevMan report it). */
#ifndef IASTM_SUBGROUP_H
#define IASTM_SUBGROUP_H

#include <stddef.h>
#include "dataset.h"
#include "error.h"
#include "rma.h"

typedef struct {
    char *value;        /* the subgroup's value of the --by column (owned) */
    size_t k;           /* studies in the subgroup */
    size_t *members;    /* k indices into the yi/vi arrays given to ma_subgroups_fit */
    ma_rma_t fit;       /* the subgroup's own fit (or with the common tau2) */
} ma_subgroup_t;

typedef struct {
    size_t ngroups;
    ma_subgroup_t *g;     /* sorted by value (byte order, as R's sort for ASCII) */
    ma_rma_t overall;     /* all k studies */
    double Q_between, Q_between_df, Q_between_p; /* FE Q across subgroup estimates */
    double common_tau2;   /* the shared tau2 with common_tau2 = 1, else NaN */
} ma_subgroups_t;

/* Fit. `group[i]` is study i's subgroup value. With common_tau2 = 0 each subgroup gets
 * its own tau2; with 1 one tau2 is estimated from the mixed model with the subgroup as a
 * factor (metafor rma(mods = ~ factor(g))) and used in every subgroup. On success *out is
 * new; free with ma_subgroups_free. */
ma_status_t ma_subgroups_fit(const double *yi, const double *vi, const char *const *group,
                             size_t k, const ma_rma_opts_t *o, int common_tau2,
                             ma_subgroups_t **out, ma_error_t *err);
void ma_subgroups_free(ma_subgroups_t *s); /* accepts NULL */

/* The one rule for grouping the pooled rows of d by column `col` (pool --by, forest --by):
 * a row whose cell is missing (empty, NA, '.', as ma_is_missing) belongs to no subgroup;
 * it is left out of the subgroup analysis and of its overall fit, and listed in miss so
 * that the caller reports it. kept[0..*nk) are the other pooled-row indices (0..d->k) in
 * input order, with group[i] the cell of kept[i]. kept, group and miss hold d->k entries
 * (allocated by the caller). */
void ma_subgroups_split(const ma_dataset_t *d, const char *col, size_t *kept,
                        const char **group, size_t *nk, size_t *miss, size_t *nmiss);

/* Participants (n1 + n2, as ma_study_n) of each subgroup of `s`, fitted on the rows
 * kept[] of ma_subgroups_split, over the members whose group sizes are known: np[g] and
 * known[g] (how many members were counted) for g < s->ngroups, and np[s->ngroups],
 * known[s->ngroups] for all subgroups together. NaN when no size is known. np and known
 * hold s->ngroups + 1 entries (allocated by the caller). */
void ma_subgroups_participants(const ma_dataset_t *d, const size_t *kept,
                               const ma_subgroups_t *s, double *np, size_t *known);

#endif
