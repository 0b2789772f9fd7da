/* The tables of tau2 methods and data forms: every row is reachable by its name, and
 * the fallback chains of the methods end. */
#include <string.h>

#include "testutil.h"
#include "iastm/es.h"
#include "iastm/rma.h"

static void test_methods(void **state)
{
    size_t m, n = ma_method_count(), steps;
    (void)state;
    assert_int_equal(n, 9);
    for (m = 0; m < n; m++) {
        const ma_method_info_t *i = ma_method_info((ma_method_t)m);
        int f;
        assert_non_null(i);
        assert_int_equal(ma_method_parse(i->name), (int)m);
        /* a fallback is another method, and following them ends at DL */
        for (f = (int)m, steps = 0; ma_method_info((ma_method_t)f)->fallback >= 0; steps++) {
            f = ma_method_info((ma_method_t)f)->fallback;
            assert_true(f >= 0 && (size_t)f < n && f != (int)m);
            assert_true(steps < n);
        }
        assert_true(f == MA_METHOD_DL || f == MA_METHOD_FE);
    }
    assert_null(ma_method_info((ma_method_t)n));
    assert_string_equal(ma_method_name((ma_method_t)n), "?");
    assert_int_equal(ma_method_info(MA_METHOD_REML)->fallback, MA_METHOD_PM);
    assert_int_equal(ma_method_info(MA_METHOD_PM)->fallback, MA_METHOD_DL);
    assert_int_equal(ma_method_info(MA_METHOD_FE)->kind, MA_METHOD_KIND_COMMON);
    assert_int_equal(ma_method_parse("ee"), MA_METHOD_FE);
    assert_int_equal(ma_method_parse("reml"), MA_METHOD_REML);
    assert_int_equal(ma_method_parse("GENQ"), -1);
}

static void test_forms(void **state)
{
    static const struct {
        ma_form_t form;
        const char *name;
        int oriented;
    } rows[] = {
        {MA_FORM_YI_VI, "yi_vi", 0},          {MA_FORM_FINAL_SD, "final_sd", 1},
        {MA_FORM_CHANGE_SD, "change_sd", 1},  {MA_FORM_FINAL_SE, "final_se", 1},
        {MA_FORM_MD_CI, "md_ci", 1},          {MA_FORM_MD_SE, "md_se", 1},
        {MA_FORM_ES_REPORTED, "es_reported", 1}, {MA_FORM_T_STAT, "t_stat", 1},
        {MA_FORM_P_EXACT, "p_exact", 0},      {MA_FORM_MEDIAN_IQR, "median_iqr", 1},
        {MA_FORM_MEDIAN_RANGE, "median_range", 1}, {MA_FORM_FIVENUM, "fivenum", 1},
        {MA_FORM_NARRATIVE, "narrative", 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_string_equal(ma_form_name(rows[i].form), rows[i].name);
        assert_int_equal(ma_form_parse(rows[i].name), rows[i].form);
        assert_int_equal(ma_form_oriented(rows[i].form), rows[i].oriented);
    }
    assert_int_equal(ma_form_oriented(MA_FORM_NONE), 0);
    assert_int_equal(ma_form_parse("Final_SD"), -1);
    assert_string_equal(ma_form_name((ma_form_t)99), "?");
    assert_int_equal(ma_form_oriented((ma_form_t)99), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
