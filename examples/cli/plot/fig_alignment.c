/* FULCRA alignment per target: each group's statistic (the mean per-response BaseAlign reward)
 * with its interval, bars grouped by target. */
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

int plot_alignment_bars(const char *dir, const char *name, const plot_alignment *a) {
    double w = 760, h = 440;
    pl_canvas c;
    if (pl_begin(&c, w, h, a->title) != 0) return 1;
    pl_color *cols = malloc((a->ng ? a->ng : 1) * sizeof *cols);
    if (!cols) {
        pl_discard(&c);
        fprintf(stderr, "valuespace: out of memory drawing %s\n", name);
        return 1;
    }
    for (size_t g = 0; g < a->ng; g++) cols[g] = pl_palette(g);
    pl_title(&c, a->title, a->subtitle);
    double legend_h = pl_legend(&c, 80, 68, w - 20, a->groups, cols, NULL, a->ng);
    pl_bars b = {a->nt, a->ng, a->targets, a->targets, a->groups, a->mean, a->lo, a->hi, cols,
                 "data-target", "data-group", a->axis, 80, 68 + legend_h, w - 20, h - 40, 0, 0, 0};
    pl_grouped_bars(&c, &b);
    free(cols);
    return pl_end(&c, dir, name);
}
