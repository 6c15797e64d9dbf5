/* The evaluator's cross-validated macro-F1 per value beside the majority-class baseline's. */
#include "chart.h"
#include "plot.h"

#include <stdlib.h>

int plot_cv_f1(const char *dir, const char *name, const plot_cv *cv) {
    double w = 760, h = 440;
    pl_canvas c;
    if (pl_begin(&c, w, h, "Evaluator macro-F1 per value") != 0) return 1;
    double *v = malloc((2 * cv->k + 1) * sizeof *v);
    if (!v) {
        pl_discard(&c);
        return 1;
    }
    for (size_t t = 0; t < cv->k; t++) {
        v[2 * t] = cv->f1[t];
        v[2 * t + 1] = cv->baseline_f1[t];
    }
    static const char *const series[2] = {"evaluator", "majority baseline"};
    static const char *const keys[2] = {"evaluator", "baseline"};
    const pl_color cols[2] = {pl_palette(0), PL_GREY};
    pl_title(&c, "Evaluator macro-F1 per value (cross-validated)", cv->subtitle);
    pl_legend(&c, 70, 68, w - 20, series, cols, NULL, 2);
    pl_bars b = {cv->k, 2, cv->labels, cv->keys, keys, v, NULL, NULL, cols, "data-key", "data-series", "macro-F1",
                 70, 86, w - 20, h - 90, 0, 1, 1};
    pl_grouped_bars(&c, &b);
    free(v);
    return pl_end(&c, dir, name);
}
