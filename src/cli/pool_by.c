/* iastm pool --by: one fit per subgroup, the overall fit, and the test for subgroup
 * differences; rows without a subgroup value are listed with the other excluded rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void text_row(FILE *f, const char *name, size_t k, double np, const ma_rma_t *r,
                     int width)
{
    char a[32], b[32], c[32], t[32], i2[32], q[32], n[32], ci[80];
    if (isnan(np))
        snprintf(n, sizeof n, "NA");
    else
        snprintf(n, sizeof n, "%.0f", np);
    snprintf(ci, sizeof ci, "[%s, %s]", cli_num(r->ci_lb, b, 32), cli_num(r->ci_ub, c, 32));
    if (isnan(r->I2))
        snprintf(i2, sizeof i2, "NA");
    else
        snprintf(i2, sizeof i2, "%.2f%%", r->I2);
    fprintf(f, "%-*s %6zu %12s %9s  %-20s %8s %8s %8s\n", width, name, k, n,
            cli_num(r->estimate, a, 32), ci, cli_num(r->tau2, t, 32), i2, cli_pval(r->Q_p, q, 32));
}

/* What a reader of the Markdown tables needs; csv and json have every field. */
static const char *const MD_COLUMNS[] = {
    "subgroups: group k participants estimate ci_lb ci_ub pval tau2 I2 Q_p",
    "overall: k participants estimate ci_lb ci_ub pval tau2 I2 Q_p pi_lb pi_ub",
    "subgroup_test: by groups Q_between Q_between_df Q_between_p tau2_common", NULL};

int cli_pool_by(const cli_common_t *c, const cli_pool_t *p, const ma_dataset_t *d, FILE *f)
{
    size_t *kept = NULL, *miss = NULL, nk = 0, nmiss = 0, j, g;
    double *yi = NULL, *vi = NULL, *np = NULL, np_all;
    size_t *known = NULL, known_all;
    const char **grp = NULL;
    char *reason = NULL;
    ma_subgroups_t *s = NULL;
    ma_error_t err;
    int rc = 1, ok;
    const char *measure = cli_measure_name(c, d);

    kept = malloc(d->k * sizeof *kept);
    miss = malloc(d->k * sizeof *miss);
    yi = malloc(d->k * sizeof *yi);
    vi = malloc(d->k * sizeof *vi);
    grp = malloc(d->k * sizeof *grp);
    reason = malloc(strlen(p->by) + 64);
    if (!kept || !miss || !yi || !vi || !grp || !reason) {
        fprintf(stderr, "iastm pool: out of memory\n");
        goto done;
    }
    sprintf(reason, "missing value in the --by column '%s'", p->by);
    ma_subgroups_split(d, p->by, kept, grp, &nk, miss, &nmiss);
    for (j = 0; j < nk; j++) {
        yi[j] = d->yi[kept[j]];
        vi[j] = d->vi[kept[j]];
    }
    if (nk == 0) {
        fprintf(stderr, "iastm pool: %s: no poolable row has a value in column '%s'\n",
                d->table->path, p->by);
        rc = 2;
        goto done;
    }
    if (ma_subgroups_fit(yi, vi, grp, nk, &p->rma, p->common_tau2, &s, &err) != MA_OK) {
        rc = cli_report_in(&err, d->table->path);
        goto done;
    }
    np = malloc((s->ngroups + 1) * sizeof *np);
    known = malloc((s->ngroups + 1) * sizeof *known);
    if (!np || !known) {
        fprintf(stderr, "iastm pool: out of memory\n");
        goto done;
    }
    ma_subgroups_participants(d, kept, s, np, known);
    np_all = np[s->ngroups];
    known_all = known[s->ngroups];

    if (c->format == MA_FMT_TEXT) {
        int width = 8;
        double pct = 100 * p->rma.level;
        int fe = p->rma.method == MA_METHOD_FE;
        char a[32], b[32];
        for (g = 0; g < s->ngroups; g++)
            if ((int)strlen(s->g[g].value) > width)
                width = (int)strlen(s->g[g].value);
        fprintf(f, "Subgroup analysis by %s (%s", p->by,
                fe ? "Common-Effect Model" : "Random-Effects Model, tau^2 estimator: ");
        if (!fe)
            fprintf(f, "%s; %s", ma_method_name(p->rma.method),
                    p->common_tau2 ? "tau^2 common to all subgroups" : "separate tau^2 per subgroup");
        if (p->rma.test == MA_TEST_KNHA)
            fprintf(f, "; Hartung-Knapp-Sidik-Jonkman t test");
        else if (p->rma.test != MA_TEST_Z)
            fprintf(f, "; t test, %s", cli_test_label(p->rma.test));
        fprintf(f, ")\n\n");
        {
            char cih[32];
            snprintf(cih, sizeof cih, "[%g%% CI]", pct);
            fprintf(f, "%-*s %6s %12s %9s  %-20s %8s %8s %8s\n", width, "subgroup", "k",
                    "participants", "estimate", cih, "tau^2", "I^2", "Q p-val");
        }
        for (g = 0; g < s->ngroups; g++)
            text_row(f, s->g[g].value, s->g[g].k, np[g], &s->g[g].fit, width);
        text_row(f, "Overall", s->overall.k, np_all, &s->overall, width);
        if (p->common_tau2)
            fprintf(f, "\ntau^2 common to all subgroups (mixed model with %s as a factor): %s\n",
                    p->by, cli_num(s->common_tau2, a, 32));
        for (g = 0; g < s->ngroups; g++)
            if (s->g[g].fit.note[0] && !p->common_tau2)
                fprintf(f, "Note (%s): %s\n", s->g[g].value, s->g[g].fit.note);
        if (s->overall.note[0])
            fprintf(f, "Note (Overall): %s\n", s->overall.note);
        fprintf(f, "Effect measure: %s\n", measure);
        if (known_all == 0)
            fprintf(f, "Participants: NA (no study reports group sizes)\n");
        else if (known_all < nk)
            fprintf(f, "Participants: sum of n1 + n2 over the %zu of %zu studies that report "
                       "group sizes\n", known_all, nk);
        if (!isnan(s->Q_between))
            fprintf(f, "\nTest for subgroup differences: Q = %s, df = %.0f, p = %s\n",
                    cli_num(s->Q_between, a, 32), s->Q_between_df, cli_pval(s->Q_between_p, b, 32));
        else
            fprintf(f, "\nTest for subgroup differences: not defined (%s)\n",
                    s->ngroups < 2 ? "one subgroup" : "a subgroup standard error is 0");
        cli_excluded_text(f, d);
        if (nmiss) {
            fprintf(f, "\nNot in the subgroup analysis (%zu row%s):\n", nmiss,
                    nmiss == 1 ? "" : "s");
            for (j = 0; j < nmiss; j++) {
                const ma_study_t *st = &d->s[d->idx[miss[j]]];
                fprintf(f, "  %s (line %ld): %s\n", st->label, st->line, reason);
            }
        }
        rc = 0;
    } else {
        ma_writer_t *w = cli_writer_new(c, f, "pool", "subgroups", MD_COLUMNS);
        if (!w)
            goto done;
        ma_writer_section(w, "subgroups");
        for (g = 0; g < s->ngroups; g++) {
            ma_writer_begin(w);
            ma_writer_str(w, "by", p->by);
            ma_writer_str(w, "group", s->g[g].value);
            ma_writer_int(w, "k", (long)s->g[g].k);
            ma_writer_num(w, "participants", np[g]);
            ma_writer_int(w, "participants_known", (long)known[g]);
            cli_rma_fields(w, &s->g[g].fit, "estimate se stat df pval ci_lb ci_ub tau2 tau2_lb "
                                            "tau2_ub I2 H2 Q Q_df Q_p pi_lb pi_ub method_used note");
            ma_writer_end(w);
        }
        ma_writer_section(w, "overall");
        ma_writer_begin(w);
        ma_writer_str(w, "measure", measure);
        cli_rma_record(w, &s->overall, &p->rma);
        ma_writer_num(w, "participants", np_all);
        ma_writer_int(w, "participants_known", (long)known_all);
        ma_writer_end(w);
        ma_writer_section(w, "subgroup_test");
        ma_writer_begin(w);
        ma_writer_str(w, "by", p->by);
        ma_writer_int(w, "groups", (long)s->ngroups);
        ma_writer_num(w, "Q_between", s->Q_between);
        ma_writer_num(w, "Q_between_df", s->Q_between_df);
        ma_writer_num(w, "Q_between_p", s->Q_between_p);
        ma_writer_bool(w, "common_tau2", p->common_tau2);
        ma_writer_num(w, "tau2_common", s->common_tau2);
        ma_writer_end(w);
        /* the rows without a subgroup value among the excluded ones */
        cli_excluded_records_and(w, d, miss, nmiss, NULL, reason);
        ok = cli_writer_done(w);
        rc = ok ? 0 : 1;
    }
done:
    ma_subgroups_free(s);
    free(kept);
    free(miss);
    free(yi);
    free(vi);
    free(grp);
    free(reason);
    free(np);
    free(known);
    return rc;
}
