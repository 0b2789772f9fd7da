/* Words for the codes of a table (comparator classes, regions, sites, ...) in figures. */
#include "iastm/codemap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *column, *code, *label;
} word_t;

/* The codes of the trial schema (data/README.md) in a reader's words. The comparator
 * classes are also read from comp_arm (same codes). */
static const word_t BUILTIN[] = {
    /* column "": column headers */
    {"", "risk_of_bias", "Risk of bias"},
    {"", "rob", "Risk of bias"},
    {"", "study_id", "Study"},
    {"", "comparator", "Comparator"},
    {"comparator_class", "manual_mfr", "Hands-on myofascial release"},
    {"comparator_class", "spinal_manipulation", "Spinal manipulation"},
    {"comparator_class", "sham", "Sham"},
    {"comparator_class", "control", "Control (no IASTM)"},
    {"comparator_class", "other_active", "Other active treatment"},
    {"region", "spine", "Spine"},
    {"region", "other", "Other regions"},
    {"site", "cervical", "Cervical spine"},
    {"site", "thoracic", "Thoracic spine"},
    {"site", "lumbar", "Lumbar spine"},
    {"site", "shoulder", "Shoulder"},
    {"site", "elbow_forearm", "Elbow and forearm"},
    {"site", "wrist_hand", "Wrist and hand"},
    {"site", "hip", "Hip"},
    {"site", "thigh", "Thigh"},
    {"site", "knee", "Knee"},
    {"site", "lower_leg", "Lower leg"},
    {"site", "ankle_foot", "Ankle and foot"},
    {"site", "multiple", "Multiple sites"},
    {"outcome", "pain", "Pain"},
    {"outcome", "function", "Function"},
    {"outcome", "rom", "Range of motion"},
    {"risk_of_bias", "low", "Low"},
    {"risk_of_bias", "some_concerns", "Some concerns"},
    {"risk_of_bias", "high", "High"},
    {"randomized", "yes", "Randomized"},
    {"randomized", "no", "Not randomized"},
    {"condition_code", "chronic_low_back_pain", "Chronic low back pain"},
    {"condition_code", "low_back_pain", "Low back pain"},
    {"condition_code", "thoracic_spine_pain", "Thoracic spine pain"},
    {"condition_code", "chronic_neck_pain", "Chronic neck pain"},
    {"condition_code", "neck_pain", "Neck pain"},
    {"condition_code", "neck_myofascial_trigger_points", "Neck myofascial trigger points"},
    {"condition_code", "cervical_spondylosis", "Cervical spondylosis"},
    {"condition_code", "subacromial_impingement", "Subacromial impingement"},
    {"condition_code", "frozen_shoulder", "Frozen shoulder"},
    {"condition_code", "plantar_fasciitis", "Plantar fasciitis"},
    {"condition_code", "restricted_ankle_dorsiflexion", "Restricted ankle dorsiflexion"},
    {"condition_code", "hamstring_tightness", "Hamstring tightness"},
    {"condition_code", "knee_pain", "Knee pain"},
    {"condition_code", "knee_osteoarthritis", "Knee osteoarthritis"},
    {"condition_code", "medial_tibial_stress_syndrome", "Medial tibial stress syndrome"},
    {"condition_code", "fibromyalgia", "Fibromyalgia"},
};

void ma_codemap_init(ma_codemap_t *m)
{
    memset(m, 0, sizeof *m);
    m->c_col = m->c_code = m->c_label = -1;
}

void ma_codemap_clear(ma_codemap_t *m)
{
    ma_table_free(m->table);
    ma_codemap_init(m);
}

ma_status_t ma_codemap_read(ma_codemap_t *m, const char *path, ma_error_t *err)
{
    ma_table_t *t = NULL;
    ma_status_t st;
    size_t r, q;
    long cc, ck, cl;
    if ((st = ma_table_read_file(path, &t, err)) != MA_OK)
        return st;
    cc = ma_table_col(t, "column");
    ck = ma_table_col(t, "code");
    cl = ma_table_col(t, "label");
    if (cc < 0 || ck < 0 || cl < 0) {
        st = ma_error_at(err, MA_EINPUT, t->path, 1, NULL, NULL,
                         "a label map needs the columns column, code and label");
        ma_table_free(t);
        return st;
    }
    for (r = 0; r < t->nrow; r++) {
        if (!*ma_table_cell(t, r, cl) || !*ma_table_cell(t, r, ck)) {
            st = ma_error_at(err, MA_EINPUT, t->path, t->line[r],
                             *ma_table_cell(t, r, ck) ? "label" : "code", NULL,
                             "empty value in a label map");
            ma_table_free(t);
            return st;
        }
        /* maps are small: a quadratic check for repeats is cheap */
        for (q = 0; q < r; q++)
            if (!strcmp(ma_table_cell(t, q, cc), ma_table_cell(t, r, cc)) &&
                !strcmp(ma_table_cell(t, q, ck), ma_table_cell(t, r, ck))) {
                st = ma_error_at(err, MA_EINPUT, t->path, t->line[r], "code",
                                 ma_table_cell(t, r, ck),
                                 "repeated (also on line %ld) for column '%s':", t->line[q],
                                 ma_table_cell(t, r, cc));
                ma_table_free(t);
                return st;
            }
    }
    ma_codemap_clear(m);
    m->table = t;
    m->c_col = cc;
    m->c_code = ck;
    m->c_label = cl;
    return MA_OK;
}

const char *ma_codemap_get(const ma_codemap_t *m, const char *column, const char *code)
{
    size_t r;
    const char *col = column ? column : "";
    if (!code)
        return "";
    for (r = 0; m && m->table && r < m->table->nrow; r++)
        if (!strcmp(ma_table_cell(m->table, r, m->c_col), col) &&
            !strcmp(ma_table_cell(m->table, r, m->c_code), code))
            return ma_table_cell(m->table, r, m->c_label);
    if (!strcmp(col, "comp_arm"))
        col = "comparator_class";
    for (r = 0; r < sizeof BUILTIN / sizeof BUILTIN[0]; r++)
        if (!strcmp(BUILTIN[r].column, col) && !strcmp(BUILTIN[r].code, code))
            return BUILTIN[r].label;
    return code;
}
