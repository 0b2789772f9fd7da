/* iastm: meta-analysis toolkit for trials of instrument-assisted soft tissue mobilization.
 * Umbrella header for the library. */
#ifndef IASTM_H
#define IASTM_H

#include "iastm/error.h"
#include "iastm/num.h"
#include "iastm/csv.h"
#include "iastm/es.h"
#include "iastm/dataset.h"
#include "iastm/codemap.h"
#include "iastm/audit.h"
#include "iastm/rma.h"
#include "iastm/subgroup.h"
#include "iastm/regress.h"
#include "iastm/model_matrix.h"
#include "iastm/loo.h"
#include "iastm/cumul.h"
#include "iastm/influence.h"
#include "iastm/bias.h"
#include "iastm/gnuplot.h"
#include "iastm/plot.h"
#include "iastm/writer.h"
#include "iastm/outfile.h"
#include "iastm/progress.h"
#include "iastm/permutest.h"
#include "iastm/gosh.h"
#include "iastm/boot.h"
#include "iastm/bayes.h"
#include "iastm/mv.h"
#include "iastm/dependence.h"

#endif
