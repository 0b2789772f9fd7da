/* Unit tests for src/es.c: effect sizes from every data form, against R metafor 3.8-1.
 * Expected values carry the R command that produced them (options(digits = 17)). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "iastm/es.h"

#define REL 1e-10  /* effect sizes: reference README tolerance */
#define ABS 1e-14

static const ma_es_opts_t SMD_LS = { MA_MEASURE_SMD, MA_VTYPE_LS, 0 };
static const ma_es_opts_t MD = { MA_MEASURE_MD, MA_VTYPE_LS, 0 };

static ma_es_input_t row(ma_form_t form, int hib, double n1, double n2)
{
    ma_es_input_t in;
    ma_es_input_init(&in);
    in.form = form;
    in.higher_is_better = hib;
    in.n1 = n1;
    in.n2 = n2;
    return in;
}

static ma_es_input_t sd_row(double m1, double sd1, double n1, double m2, double sd2, double n2)
{
    ma_es_input_t in = row(MA_FORM_FINAL_SD, 1, n1, n2);
    in.m1 = m1;
    in.sd1 = sd1;
    in.m2 = m2;
    in.sd2 = sd2;
    return in;
}

/* Compute and require ok with the given yi, vi. */
static void expect(const ma_es_input_t *in, const ma_es_opts_t *o, double yi, double vi)
{
    ma_es_result_t r;
    ma_es_compute(in, o, &r);
    if (!r.ok)
        print_error("not computable: %s\n", r.reason);
    assert_int_equal(r.ok, 1);
    assert_non_null(r.method);
    assert_close(r.yi, yi, REL, ABS);
    assert_close(r.vi, vi, REL, ABS);
}

/* Compute and require !ok with a reason containing `want`. */
static void expect_fail(const ma_es_input_t *in, const ma_es_opts_t *o, const char *want)
{
    ma_es_result_t r;
    ma_es_compute(in, o, &r);
    if (r.ok || strstr(r.reason, want) == NULL)
        print_error("ok = %d, reason '%s', expected a reason containing '%s'\n", r.ok,
                    r.reason, want);
    assert_int_equal(r.ok, 0);
    assert_null(r.method);
    assert_non_null(strstr(r.reason, want));
    assert_true(isnan(r.yi) && isnan(r.vi));
}

/* ---- metafor references ----------------------------------------------------------------- */

static void reference(const char *esfile, const ma_es_opts_t *o)
{
    ma_table_t *in = testutil_ref_load("normand1999.csv");
    ma_table_t *ref = testutil_ref_load(esfile);
    double maxrel = 0;
    assert_int_equal(in->nrow, ref->nrow);
    for (size_t i = 0; i < in->nrow; i++) {
        ma_es_input_t x = sd_row(testutil_num(in, i, "m1i"), testutil_num(in, i, "sd1i"),
                                 testutil_num(in, i, "n1i"), testutil_num(in, i, "m2i"),
                                 testutil_num(in, i, "sd2i"), testutil_num(in, i, "n2i"));
        ma_es_result_t r;
        ma_es_compute(&x, o, &r);
        assert_int_equal(r.ok, 1);
        double yi = testutil_num(ref, i, "yi"), vi = testutil_num(ref, i, "vi");
        assert_close(r.yi, yi, REL, 0);
        assert_close(r.vi, vi, REL, 0);
        if (yi != 0 && fabs(r.yi - yi) / fabs(yi) > maxrel)
            maxrel = fabs(r.yi - yi) / fabs(yi);
        if (fabs(r.vi - vi) / vi > maxrel)
            maxrel = fabs(r.vi - vi) / vi;
    }
    print_message("%s: %zu rows, max relative error %.3g\n", esfile, in->nrow, maxrel);
    ma_table_free(in);
    ma_table_free(ref);
}

static void test_reference_smd(void **state)
{
    (void)state;
    reference("normand1999.smd.es.csv", &SMD_LS);
}

static void test_reference_md(void **state)
{
    (void)state;
    reference("normand1999.md.es.csv", &MD);
}

/* ---- Hedges' J ---------------------------------------------------------------------------- */

static void test_hedges_j(void **state)
{
    (void)state;
    /* Rscript -e 'metafor:::.cmicalc(c(2, 27, 1000, 5000))' */
    assert_close(ma_hedges_j(2), 0.56418958354775628, 1e-14, 0);
    assert_close(ma_hedges_j(27), 0.97191863960090785, 1e-14, 0);
    assert_close(ma_hedges_j(1000), 0.99924978117947805, 1e-14, 0);
    assert_close(ma_hedges_j(5000), 0.99984999124734419, 1e-14, 0);
    /* lgamma keeps J finite where gamma() would overflow (m = 1000 above); at m = 1e6 the
     * lgamma difference cancels to ~3e-10 of 1 - 3/(4m - 1), exactly as in metafor:
     * Rscript -e 'metafor:::.cmicalc(1e6)' */
    assert_close(ma_hedges_j(1e6), 0.99999925028560843, 1e-14, 0);
    assert_close(ma_hedges_j(1e6), 1 - 3 / (4e6 - 1), 1e-9, 0);
    assert_true(isnan(ma_hedges_j(1)));
    assert_true(isnan(ma_hedges_j(0)));
    assert_true(isnan(ma_hedges_j(NAN)));
}

/* ---- final_sd / change_sd ---------------------------------------------------------------- */

/* The per-row 95% CI: R's yi + c(-1, 1) * qnorm(0.975) * sqrt(vi) for yi 0.5, vi 0.04
 * gives 0.10800720309198925, 0.89199279690801081. */
static void test_ci95(void **state)
{
    double lb, ub;
    (void)state;
    ma_es_ci95(0.5, 0.04, &lb, &ub);
    assert_close(lb, 0.10800720309198925, 1e-15, 0);
    assert_close(ub, 0.89199279690801081, 1e-15, 0);
    /* another level (a forest plot's): R's 0.5 + c(-1, 1) * qnorm(0.95) * sqrt(0.04) */
    ma_es_ci(0.5, 0.04, 1.6448536269514715, &lb, &ub);
    assert_close(lb, 0.17102927460970568, 1e-15, 0);
    assert_close(ub, 0.82897072539029426, 1e-15, 0);
}

static void test_final_sd_vtypes(void **state)
{
    (void)state;
    ma_es_input_t in = sd_row(10.2, 2.1, 15, 8.7, 2.5, 14);
    ma_es_opts_t o = SMD_LS;
    /* escalc("SMD", m1i=10.2, sd1i=2.1, n1i=15, m2i=8.7, sd2i=2.5, n2i=14, vtype=VT) */
    expect(&in, &o, 0.63350525130568025, 0.14501470194751179); /* LS */
    o.vtype = MA_VTYPE_UB;
    expect(&in, &o, 0.63350525130568025, 0.14603998878915742);
    o.vtype = MA_VTYPE_LS2;
    expect(&in, &o, 0.63350525130568025, 0.13736779441468652);
    o.vtype = MA_VTYPE_AV; /* one study: its own mean, same as LS */
    expect(&in, &o, 0.63350525130568025, 0.14501470194751179);
    /* opts NULL = SMD, LS */
    expect(&in, NULL, 0.63350525130568025, 0.14501470194751179);

    ma_es_result_t r;
    ma_es_compute(&in, &SMD_LS, &r);
    assert_string_equal(r.method, "final_sd: means and SDs: Hedges' g (exact J), vtype LS");
}

static void test_av_all(void **state)
{
    (void)state;
    ma_es_input_t in[4];
    ma_es_result_t r[4];
    in[0] = sd_row(10.2, 2.1, 15, 8.7, 2.5, 14);
    in[1] = sd_row(5, 1, 30, 5.5, 1.2, 28);
    in[2] = sd_row(20, 4, 8, 15, 5, 9);
    in[3] = row(MA_FORM_YI_VI, 1, NAN, NAN); /* neither counts nor changes */
    in[3].yi = 3;
    in[3].vi = 0.5;
    ma_es_opts_t o = { MA_MEASURE_SMD, MA_VTYPE_AV, 0 };
    ma_es_compute_all(in, 4, &o, r);
    /* e <- escalc("SMD", m1i=c(10.2,5,20), sd1i=c(2.1,1,4), n1i=c(15,30,8),
     *             m2i=c(8.7,5.5,15), sd2i=c(2.5,1.2,5), n2i=c(14,28,9), vtype="AV") */
    const double yi[] = { 0.63350525130568025, -0.44802936029886986, 1.0404183933584013 };
    const double vi[] = { 0.13825698215834328, 0.069128491079171642, 0.23638702745405524 };
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r[i].ok, 1);
        assert_close(r[i].yi, yi[i], REL, 0);
        assert_close(r[i].vi, vi[i], REL, 0);
    }
    assert_close(r[3].yi, 3, 0, 0);
    assert_close(r[3].vi, 0.5, 0, 0);

    /* other vtypes: same as one row at a time (same e with vtype="LS") */
    o.vtype = MA_VTYPE_LS;
    ma_es_compute_all(in, 3, &o, r);
    assert_close(r[2].vi, 0.26794847679459571, REL, 0);
}

static void test_revman5(void **state)
{
    (void)state;
    ma_es_input_t in = sd_row(10.2, 2.1, 15, 8.7, 2.5, 14);
    ma_es_opts_t o = { MA_MEASURE_SMD, MA_VTYPE_UB, 1 }; /* revman5 overrides vtype */
    /* n1<-15; n2<-14; N<-n1+n2; sdp<-sqrt(((n1-1)*2.1^2+(n2-1)*2.5^2)/(N-2));
     * g<-(1-3/(4*N-9))*(10.2-8.7)/sdp; c(g, N/(n1*n2)+g^2/(2*(N-3.94))) */
    expect(&in, &o, 0.63353391605151066, 0.14610332314686544);
    ma_es_result_t r;
    ma_es_compute(&in, &o, &r);
    assert_non_null(strstr(r.method, "RevMan 5"));
}

static void test_md_and_change_sd(void **state)
{
    (void)state;
    ma_es_input_t in = sd_row(10.2, 2.1, 15, 8.7, 2.5, 14);
    /* escalc("MD", m1i=10.2, sd1i=2.1, n1i=15, m2i=8.7, sd2i=2.5, n2i=14) */
    expect(&in, &MD, 1.5, 0.74042857142857144);
    in.form = MA_FORM_CHANGE_SD;
    expect(&in, &MD, 1.5, 0.74042857142857144);
    expect(&in, &SMD_LS, 0.63350525130568025, 0.14501470194751179);
    ma_es_result_t r;
    ma_es_compute(&in, &SMD_LS, &r);
    assert_true(strncmp(r.method, "change_sd:", 10) == 0);
    /* lower is better: the sign flips, the variance does not */
    in.higher_is_better = 0;
    expect(&in, &MD, -1.5, 0.74042857142857144);
    expect(&in, &SMD_LS, -0.63350525130568025, 0.14501470194751179);
    /* unknown orientation: as printed */
    in.higher_is_better = -1;
    expect(&in, &MD, 1.5, 0.74042857142857144);
}

/* ---- final_se, md_ci, md_se --------------------------------------------------------------- */

static void test_final_se(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_FINAL_SE, 1, 20, 22);
    in.m1 = 3.1;
    in.se1 = 0.6;
    in.m2 = 4.0;
    in.se2 = 0.7;
    /* escalc("SMD", m1i=3.1, sd1i=0.6*sqrt(20), n1i=20, m2i=4.0, sd2i=0.7*sqrt(22), n2i=22) */
    expect(&in, &SMD_LS, -0.29304223408871316, 0.096476852013589562);
    /* same with "MD": yi = -0.9, vi = 0.6^2 + 0.7^2 */
    expect(&in, &MD, -0.89999999999999991, 0.85000000000000009);
}

static void test_md_ci_t(void **state)
{
    (void)state;
    /* Braun 2011: MD -29.9 (95% CI -43.3 to -16.6), n 24/24, lower is better */
    ma_es_input_t in = row(MA_FORM_MD_CI, 0, 24, 24);
    in.md = -29.9;
    in.md_lb = -43.3;
    in.md_ub = -16.6;
    /* se <- (-16.6 - -43.3)/(2*qt(0.975, 46));
     * escalc("SMD", di=-29.9/(se/sqrt(1/24+1/24)), n1i=24, n2i=24); MD: c(-29.9, se^2),
     * then the sign flipped (higher_is_better = 0) */
    expect(&in, &SMD_LS, 1.2800747832039239, 0.1004019942770268);
    expect(&in, &MD, 29.9, 43.986563220302742);
    ma_es_result_t r;
    ma_es_compute(&in, &SMD_LS, &r);
    assert_non_null(strstr(r.method, "(t quantile)"));
}

static void test_md_ci_z(void **state)
{
    (void)state;
    /* Tang 2008: MD -9.5 (95% CI -14.5 to -4.5), n 60/60 (not both < 60: normal quantile) */
    ma_es_input_t in = row(MA_FORM_MD_CI, 1, 60, 60);
    in.md = -9.5;
    in.md_lb = -14.5;
    in.md_ub = -4.5;
    /* se <- (-4.5 - -14.5)/(2*qnorm(0.975));
     * escalc("SMD", di=-9.5/(se/sqrt(1/60+1/60)), n1i=60, n2i=60); MD: c(-9.5, se^2) */
    expect(&in, &SMD_LS, -0.67556170555815653, 0.035234931741736024);
    expect(&in, &MD, -9.5, 6.5079442906751463);
    ma_es_result_t r;
    ma_es_compute(&in, &MD, &r);
    assert_non_null(strstr(r.method, "(z quantile)"));
}

static void test_md_se(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_MD_SE, 1, 18, 17);
    in.md = 4.2;
    in.md_se = 1.5;
    /* escalc("SMD", di=4.2/(1.5/sqrt(1/18+1/17)), n1i=18, n2i=17) */
    expect(&in, &SMD_LS, 0.92524550830354202, 0.12660878854783283);
    expect(&in, &MD, 4.2, 2.25);
    /* MD from md_se needs no group sizes; SMD does */
    in.n1 = NAN;
    expect(&in, &MD, 4.2, 2.25);
    expect_fail(&in, &SMD_LS, "n_iastm missing");
}

/* ---- es_reported, t_stat, p_exact --------------------------------------------------------- */

static void test_es_reported(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_ES_REPORTED, 1, 13, 13);
    in.es = 0.92;
    /* escalc("SMD", di=0.92, n1i=13, n2i=13) */
    expect(&in, &SMD_LS, 0.89089601477189972, 0.16910953286800873);
    ma_es_opts_t o = { MA_MEASURE_SMD, MA_VTYPE_UB, 0 };
    /* escalc("SMD", di=0.92, n1i=13, n2i=13, vtype="UB") */
    expect(&in, &o, 0.89089601477189972, 0.17167519631594005);
    /* printed d is arm 1 - arm 2 on the printed scale: flipped when lower is better */
    in.higher_is_better = 0;
    expect(&in, &SMD_LS, -0.89089601477189972, 0.16910953286800873);
    /* ... unless a direction says which arm it favours (a magnitude) */
    in.direction = MA_DIR_FAVOURS_IASTM;
    expect(&in, &SMD_LS, 0.89089601477189972, 0.16910953286800873);
    in.direction = MA_DIR_FAVOURS_COMP;
    in.higher_is_better = 1;
    expect(&in, &SMD_LS, -0.89089601477189972, 0.16910953286800873);
    expect_fail(&in, &MD, "no mean difference");
}

static void test_t_stat(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_T_STAT, 1, 20, 21);
    in.t = 2.5;
    /* escalc("SMD", ti=2.5, n1i=20, n2i=21) */
    expect(&in, &SMD_LS, 0.76596674634263673, 0.10477398733249549);
    in.higher_is_better = 0;
    expect(&in, &SMD_LS, -0.76596674634263673, 0.10477398733249549);
    in.direction = MA_DIR_FAVOURS_IASTM;
    expect(&in, &SMD_LS, 0.76596674634263673, 0.10477398733249549);
    /* a signed t must agree with the stated direction once oriented */
    in.t = -2.5;
    expect(&in, &SMD_LS, 0.76596674634263673, 0.10477398733249549); /* -(-2.5) favours IASTM */
    in.higher_is_better = 1;
    expect_fail(&in, &SMD_LS, "contradicts direction favours_iastm");
    in.direction = MA_DIR_NO_DIFFERENCE; /* says nothing about the sign */
    expect(&in, &SMD_LS, -0.76596674634263673, 0.10477398733249549);
    expect_fail(&in, &MD, "no mean difference");
}

static void test_p_exact(void **state)
{
    (void)state;
    /* Mahmood 2021: p = 0.03 favouring IASTM, n 30/30 */
    ma_es_input_t in = row(MA_FORM_P_EXACT, 1, 30, 30);
    in.p = 0.03;
    in.direction = MA_DIR_FAVOURS_IASTM;
    /* escalc("SMD", ti=qt(0.03/2, 58, lower.tail=FALSE), n1i=30, n2i=30) */
    expect(&in, &SMD_LS, 0.56697247474095414, 0.069345481559282343);
    /* higher_is_better does not flip p_exact: the direction already says who is favoured */
    in.higher_is_better = 0;
    expect(&in, &SMD_LS, 0.56697247474095414, 0.069345481559282343);
    in.direction = MA_DIR_FAVOURS_COMP;
    expect(&in, &SMD_LS, -0.56697247474095414, 0.069345481559282343);
    ma_es_opts_t o = { MA_MEASURE_SMD, MA_VTYPE_LS2, 0 };
    /* same escalc with vtype="LS2" */
    expect(&in, &o, -0.56697247474095414, 0.067623886156755991);

    in.direction = MA_DIR_NO_DIFFERENCE;
    expect_fail(&in, &SMD_LS, "direction no_difference");
    in.direction = MA_DIR_UNKNOWN;
    expect_fail(&in, &SMD_LS, "p_exact without direction");
    in.direction = MA_DIR_FAVOURS_IASTM;
    expect_fail(&in, &MD, "no mean difference");
    in.p = 0;
    expect_fail(&in, &SMD_LS, "p_exact must be in (0, 1) (got 0)");
    in.p = 1;
    expect_fail(&in, &SMD_LS, "p_exact must be in (0, 1) (got 1)");
    in.p = 1.5;
    expect_fail(&in, &SMD_LS, "p_exact must be in (0, 1) (got 1.5)");
    in.p = NAN;
    expect_fail(&in, &SMD_LS, "p_exact missing");
    /* Kiran 2023: group sizes not reported */
    in.p = 0.005;
    in.n1 = in.n2 = NAN;
    expect_fail(&in, &SMD_LS, "n_iastm missing");
}

/* ---- medians ------------------------------------------------------------------------------ */

/* Expected arm estimates: metafor's conv.fivenum (method "luo/wan/shi", the default) written
 * out in R, since the installed metafor 3.8 predates conv.fivenum:
 *   c2 <- function(n,q1,med,q3) { w <- 0.7+0.39/n;
 *     c(w*(q1+q3)/2+(1-w)*med, (q3-q1)/(2*qnorm((0.75*n-0.125)/(n+0.25)))) }
 *   c1 <- function(n,mn,med,mx) { w <- 4/(4+n^0.75);
 *     c(w*(mn+mx)/2+(1-w)*med, (mx-mn)/(2*qnorm((n-0.375)/(n+0.25)))) }
 *   c3 <- function(n,mn,q1,med,q3,mx) { w1 <- 2.2/(2.2+n^0.75); w2 <- 0.7-0.72/n^0.55;
 *     w <- 1/(1+0.07*n^0.6); c(w1*(mn+mx)/2+w2*(q1+q3)/2+(1-w1-w2)*med,
 *     w*(mx-mn)/(2*qnorm((n-0.375)/(n+0.25)))+(1-w)*(q3-q1)/(2*qnorm((0.75*n-0.125)/(n+0.25)))) }
 * then escalc on the estimated means and SDs. */

static void test_median_iqr(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_MEDIAN_IQR, 1, 25, 27);
    in.q1_1 = 3, in.med1 = 5, in.q3_1 = 8;
    in.q1_2 = 4, in.med2 = 6, in.q3_2 = 9;
    in.min1 = -100; /* min/max are not used by median_iqr */
    /* a <- c2(25,3,5,8); b <- c2(27,4,6,9)
     * (a = 5.3578, 3.9305905461766155; b = 6.357222222222223, 3.9134253776946344)
     * escalc("SMD", m1i=a[1], sd1i=a[2], n1i=25, m2i=b[1], sd2i=b[2], n2i=27) */
    expect(&in, &SMD_LS, -0.25100068829435984, 0.077642819205539379);
    /* the same with "MD" */
    expect(&in, &MD, -0.99942222222222288, 1.1852001330301043);
}

static void test_median_range(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_MEDIAN_RANGE, 1, 20, 22);
    in.min1 = 1, in.med1 = 5, in.max1 = 10;
    in.min2 = 2, in.med2 = 6, in.max2 = 11;
    /* a <- c1(20,1,5,10); b <- c1(22,2,6,11)
     * escalc("SMD", m1i=a[1], sd1i=a[2], n1i=20, m2i=b[1], sd2i=b[2], n2i=22) */
    expect(&in, &SMD_LS, -0.40895699490641335, 0.09744556716505598);
    /* MD: a[1] - b[1], a[2]^2/20 + b[2]^2/22 */
    expect(&in, &MD, 5.1486169400291821 - 6.1412608360722043,
           2.4086819755272768 * 2.4086819755272768 / 20
               + 2.356466951905003 * 2.356466951905003 / 22);
}

static void test_fivenum(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_FIVENUM, 1, 30, 28);
    in.min1 = 1, in.q1_1 = 3, in.med1 = 5, in.q3_1 = 7, in.max1 = 10;
    in.min2 = 2, in.q1_2 = 4, in.med2 = 6, in.q3_2 = 9, in.max2 = 12;
    /* a <- c3(30,1,3,5,7,10); b <- c3(28,2,4,6,9,12)
     * escalc("SMD", m1i=a[1], sd1i=a[2], n1i=30, m2i=b[1], sd2i=b[2], n2i=28) */
    expect(&in, &SMD_LS, -0.49271643009984478, 0.071140459396673669);
    expect(&in, &MD, -1.3722385434348343, 0.52717919609199537);
    in.higher_is_better = 0;
    expect(&in, &MD, 1.3722385434348343, 0.52717919609199537);
}

static void test_median_invalid(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_MEDIAN_IQR, 1, 50, 27);
    in.q1_1 = 1, in.med1 = 1.2, in.q3_1 = 5;
    in.q1_2 = 4, in.med2 = 6, in.q3_2 = 9;
    /* skewness test (Shi et al. 2023, as conv.fivenum test=TRUE):
     * abs((1+5-2*1.2)/(5-1)) = 0.9 >= 2.65/sqrt(50)-6/50^2 = 0.3724 */
    expect_fail(&in, &SMD_LS, "arm iastm: skewed");
    in.med1 = 6; /* q1 <= median <= q3 broken */
    expect_fail(&in, &SMD_LS, "arm iastm: min <= q1 <= median <= q3 <= max does not hold");
    in.med1 = 3;
    in.q3_2 = NAN;
    expect_fail(&in, &SMD_LS, "q3_comp missing");
    in.q3_2 = 4;
    expect_fail(&in, &SMD_LS, "arm comp: min <= q1");
    in.med2 = in.q3_2 = 4;
    expect_fail(&in, &SMD_LS, "arm comp: IQR is zero");
    in.q3_2 = 9, in.med2 = 6;
    in.n2 = 4; /* conv.fivenum needs n >= 5 */
    expect_fail(&in, &SMD_LS, "n >= 5 per arm (n_comp = 4)");

    ma_es_input_t r = row(MA_FORM_MEDIAN_RANGE, 1, 20, 22);
    r.min1 = 1, r.med1 = 5, r.max1 = 10;
    r.min2 = 2, r.med2 = 6;
    expect_fail(&r, &SMD_LS, "max_comp missing");
    r.max2 = 2;
    expect_fail(&r, &SMD_LS, "arm comp: min <= q1");
}

/* ---- yi_vi, narrative, validation ---------------------------------------------------------- */

static void test_yi_vi(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_YI_VI, 0, NAN, NAN);
    in.yi = -0.3;
    in.vi = 0.04;
    expect(&in, &SMD_LS, -0.3, 0.04); /* passed through: no orientation, any measure */
    expect(&in, &MD, -0.3, 0.04);
    in.vi = 0;
    expect_fail(&in, &SMD_LS, "vi must be > 0 (got 0)");
    in.vi = NAN;
    expect_fail(&in, &SMD_LS, "vi missing");
    in.vi = 0.04;
    in.yi = NAN;
    expect_fail(&in, &SMD_LS, "yi missing");
}

static void test_narrative_and_form(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_NARRATIVE, 0, 63, 36);
    in.direction = MA_DIR_NO_DIFFERENCE;
    expect_fail(&in, &SMD_LS, "narrative result only");
    expect_fail(&in, &MD, "narrative result only");
    in.form = MA_FORM_NONE;
    expect_fail(&in, &SMD_LS, "data form missing");
    in.form = (ma_form_t)99;
    expect_fail(&in, &SMD_LS, "unknown data form");
}

static void test_invalid_final_sd(void **state)
{
    (void)state;
    ma_es_input_t in = sd_row(10.2, 2.1, 15, 8.7, 2.5, 14);
    ma_es_input_t x;

    x = in, x.n1 = NAN;
    expect_fail(&x, &SMD_LS, "n_iastm missing");
    x = in, x.n2 = 1;
    expect_fail(&x, &SMD_LS, "n_comp must be >= 2 (got 1)");
    x = in, x.n2 = 12.5;
    expect_fail(&x, &MD, "n_comp must be a whole number (got 12.5)");
    x = in, x.n1 = INFINITY;
    expect_fail(&x, &SMD_LS, "n_iastm must be finite");
    x = in, x.sd2 = -3.1;
    expect_fail(&x, &SMD_LS, "sd_comp must be > 0 (got -3.1)");
    x = in, x.sd1 = 0;
    expect_fail(&x, &MD, "sd_iastm must be > 0 (got 0)");
    x = in, x.m1 = NAN;
    expect_fail(&x, &SMD_LS, "mean_iastm missing");
    x = in, x.m2 = NAN;
    expect_fail(&x, &MD, "mean_comp missing");
    x = in, x.higher_is_better = 2;
    expect_fail(&x, &SMD_LS, "higher_is_better must be 1, 0 or -1 (got 2)");
    /* overflow in the arithmetic is reported, never ok with inf */
    x = in, x.m1 = 1e308, x.m2 = -1e308;
    expect_fail(&x, &MD, "not finite");

    ma_es_input_t se = row(MA_FORM_FINAL_SE, 1, 20, 22);
    se.m1 = 1, se.m2 = 2, se.se1 = 0.5, se.se2 = -1;
    expect_fail(&se, &SMD_LS, "se_comp must be > 0 (got -1)");

    ma_es_opts_t o = SMD_LS;
    o.vtype = (ma_vtype_t)7;
    expect_fail(&in, &o, "unknown vtype");
    o = SMD_LS;
    o.measure = (ma_measure_t)5;
    expect_fail(&in, &o, "unknown measure");

    ma_es_result_t r;
    ma_es_compute(NULL, &SMD_LS, &r);
    assert_int_equal(r.ok, 0);
    ma_es_compute(&in, &SMD_LS, NULL); /* must not crash */
}

static void test_invalid_md(void **state)
{
    (void)state;
    ma_es_input_t in = row(MA_FORM_MD_CI, 1, 24, 24);
    in.md = -29.9, in.md_lb = -16.6, in.md_ub = -43.3;
    expect_fail(&in, &SMD_LS, "md_ci_lb must be <= md_ci_ub (got -16.6 > -43.3)");
    in.md_lb = in.md_ub = -29.9;
    expect_fail(&in, &MD, "zero width");
    in.md_lb = -20, in.md_ub = -10;
    expect_fail(&in, &MD, "md -29.9 lies outside its 95% CI (-20 to -10)");
    in.md_lb = NAN;
    expect_fail(&in, &MD, "md_ci_lb missing");
    in.md_lb = -43.3, in.md_ub = -16.6, in.n2 = NAN;
    expect_fail(&in, &MD, "n_comp missing"); /* n picks t or z */

    ma_es_input_t s = row(MA_FORM_MD_SE, 1, 24, 24);
    s.md = 2;
    s.md_se = 0;
    expect_fail(&s, &SMD_LS, "md_se must be > 0 (got 0)");
    s.md_se = NAN;
    expect_fail(&s, &MD, "md_se missing");

    ma_es_input_t e = row(MA_FORM_ES_REPORTED, 1, 13, NAN);
    e.es = 0.5;
    expect_fail(&e, &SMD_LS, "n_comp missing");
    e.n2 = 13, e.es = NAN;
    expect_fail(&e, &SMD_LS, "es_reported missing");
    ma_es_input_t t = row(MA_FORM_T_STAT, 1, 10, 10);
    expect_fail(&t, &SMD_LS, "t_stat missing");
}

/* Random inputs of every form: a result is either ok with finite yi and vi > 0, or not ok
 * with a reason. */
static void test_never_nan_with_ok(void **state)
{
    (void)state;
    const double pool[] = { NAN, -1e308, -5, -1, -0.5, 0, 0.3, 1, 1.5, 2, 3, 5, 12.5, 30, 61,
                            1e6, 1e308, INFINITY };
    const size_t np = sizeof pool / sizeof pool[0];
    unsigned seed = 12345;
    for (int it = 0; it < 20000; it++) {
        ma_es_input_t in;
        ma_es_input_init(&in);
        in.form = (ma_form_t)(it % 14);
        in.higher_is_better = (int)(it % 3) - 1;
        in.direction = (ma_direction_t)((it / 3) % 4);
        double *f[] = { &in.n1, &in.n2, &in.m1, &in.sd1, &in.m2, &in.sd2, &in.se1, &in.se2,
                        &in.md, &in.md_lb, &in.md_ub, &in.md_se, &in.es, &in.t, &in.p,
                        &in.min1, &in.q1_1, &in.med1, &in.q3_1, &in.max1, &in.min2,
                        &in.q1_2, &in.med2, &in.q3_2, &in.max2, &in.yi, &in.vi };
        for (size_t j = 0; j < sizeof f / sizeof f[0]; j++) {
            seed = seed * 1103515245u + 12345u;
            *f[j] = pool[(seed >> 16) % np];
        }
        ma_es_opts_t o = { (ma_measure_t)(it % 2), (ma_vtype_t)((it / 2) % 4), (it / 8) % 2 };
        ma_es_result_t r;
        ma_es_compute(&in, &o, &r);
        if (r.ok) {
            assert_true(isfinite(r.yi));
            assert_true(isfinite(r.vi) && r.vi > 0);
            assert_non_null(r.method);
        } else {
            assert_true(r.reason[0] != '\0');
            assert_true(strlen(r.reason) < sizeof r.reason);
        }
    }
}

/* ---- names -------------------------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    const char *names[] = { "yi_vi", "final_sd", "change_sd", "final_se", "md_ci", "md_se",
                            "es_reported", "t_stat", "p_exact", "median_iqr", "median_range",
                            "fivenum", "narrative" };
    for (int i = 0; i < 13; i++) {
        int f = ma_form_parse(names[i]);
        assert_int_equal(f, MA_FORM_YI_VI + i);
        assert_string_equal(ma_form_name((ma_form_t)f), names[i]);
    }
    assert_int_equal(ma_form_parse("final-sd"), -1);
    assert_int_equal(ma_form_parse("Final_SD"), -1);
    assert_int_equal(ma_form_parse(NULL), -1);
    assert_int_equal(ma_form_parse(""), MA_FORM_NONE);
    assert_string_equal(ma_form_name(MA_FORM_NONE), "");

    assert_int_equal(ma_direction_parse("favours_iastm"), MA_DIR_FAVOURS_IASTM);
    assert_int_equal(ma_direction_parse("favours_comp"), MA_DIR_FAVOURS_COMP);
    assert_int_equal(ma_direction_parse("no_difference"), MA_DIR_NO_DIFFERENCE);
    assert_int_equal(ma_direction_parse(""), MA_DIR_UNKNOWN);
    assert_int_equal(ma_direction_parse("favours_control"), -1);
    assert_int_equal(ma_direction_parse(NULL), -1);

    ma_es_input_t in;
    ma_es_input_init(&in);
    assert_int_equal(in.form, MA_FORM_NONE);
    assert_int_equal(in.higher_is_better, -1);
    assert_int_equal(in.direction, MA_DIR_UNKNOWN);
    assert_true(isnan(in.n1) && isnan(in.p) && isnan(in.max2) && isnan(in.vi));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_smd),
        cmocka_unit_test(test_reference_md),
        cmocka_unit_test(test_hedges_j),
        cmocka_unit_test(test_ci95),
        cmocka_unit_test(test_final_sd_vtypes),
        cmocka_unit_test(test_av_all),
        cmocka_unit_test(test_revman5),
        cmocka_unit_test(test_md_and_change_sd),
        cmocka_unit_test(test_final_se),
        cmocka_unit_test(test_md_ci_t),
        cmocka_unit_test(test_md_ci_z),
        cmocka_unit_test(test_md_se),
        cmocka_unit_test(test_es_reported),
        cmocka_unit_test(test_t_stat),
        cmocka_unit_test(test_p_exact),
        cmocka_unit_test(test_median_iqr),
        cmocka_unit_test(test_median_range),
        cmocka_unit_test(test_fivenum),
        cmocka_unit_test(test_median_invalid),
        cmocka_unit_test(test_yi_vi),
        cmocka_unit_test(test_narrative_and_form),
        cmocka_unit_test(test_invalid_final_sd),
        cmocka_unit_test(test_invalid_md),
        cmocka_unit_test(test_never_nan_with_ok),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("es", tests, NULL, NULL);
}
