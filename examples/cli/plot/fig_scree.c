/* Scree plot: eigenvalues against their number, with the parallel-analysis reference curves
 * (quantiles of simulated or resampled eigenvalues) dashed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

int plot_scree_curves(const char *dir, const char *name, const plot_scree *s) {
    double w = 720, h = 460;
    pl_canvas c;
    if (pl_begin(&c, w, h, "Scree plot") != 0) return 1;
    pl_title(&c, "Scree plot", s->subtitle);
    const char *names[6];
    pl_color cols[6];
    int dashed[6];
    double lo = 0, hi = s->unit_line ? 1 : 0, ticks[24];
    for (size_t k = 0; k < s->n_series; k++) {
        names[k] = s->series[k].name;
        cols[k] = pl_palette((size_t)s->series[k].color);
        dashed[k] = s->series[k].dashed == PL_DOTTED ? PL_SWATCH_DOTTED : s->series[k].dashed ? PL_SWATCH_DASHED : PL_SWATCH_LINE;
        for (size_t i = 0; i < s->p; i++)
            if (isfinite(s->series[k].v[i])) {
                if (s->series[k].v[i] > hi) hi = s->series[k].v[i];
                if (s->series[k].v[i] < lo) lo = s->series[k].v[i];
            }
    }
    double top = 68 + pl_legend(&c, 70, 68, w - 20, names, cols, dashed, s->n_series);
    size_t nt = pl_ticks(&lo, &hi, 6, ticks, 24);
    pl_scale y = {lo, hi, h - 56, top};
    pl_scale x = {0.5, (double)s->p + 0.5, 70, w - 20};
    pl_axis_y(&c, &y, ticks, nt, 70, w - 20, "eigenvalue");
    size_t every = s->p <= 20 ? 1 : s->p <= 50 ? 5 : 10;
    pl_group(&c, "axis x", NULL);
    for (size_t i = 1; i <= s->p; i++)
        if (i == 1 || i % every == 0) {
            char lab[24];
            snprintf(lab, sizeof lab, "%zu", i);
            pl_text(&c, pl_map(&x, (double)i), h - 38, lab, PL_FONT, PL_MIDDLE, 0, PL_BLACK, 0);
        }
    pl_text(&c, (70 + w - 20) / 2, h - 16, "factor or component number", PL_FONT, PL_MIDDLE, 0, PL_BLACK, 0);
    pl_group_end(&c);
    if (s->unit_line) pl_line(&c, 70, pl_map(&y, 1), w - 20, pl_map(&y, 1), PL_GREY, 1, 1);
    if (s->n_factors > 0) {
        double fx = pl_map(&x, (double)s->n_factors);
        char lab[96];
        if (s->n_components > 0)
            snprintf(lab, sizeof lab, "suggested: %zu factors, %zu components", s->n_factors, s->n_components);
        else snprintf(lab, sizeof lab, "%zu factors", s->n_factors);
        pl_line(&c, fx, top, fx, h - 56, PL_GREY, 1, 1);
        pl_text(&c, fx + 6, top + 14, lab, PL_FONT, PL_START, 0, PL_BLACK, 0);
    }
    double *xy = malloc(2 * (s->p ? s->p : 1) * sizeof *xy);
    if (!xy) {
        pl_discard(&c);
        return 1;
    }
    for (size_t k = 0; k < s->n_series; k++) {
        const plot_scree_series *se = &s->series[k];
        char attrs[512] = "";
        pl_attr(attrs, sizeof attrs, "data-series", se->id);
        pl_group(&c, "series", attrs);
        for (size_t i = 0; i < s->p; i++) {
            xy[2 * i] = pl_map(&x, (double)(i + 1));
            xy[2 * i + 1] = pl_map(&y, se->v[i]);
        }
        pl_poly(&c, xy, s->p, 0, PL_NONE, cols[k], se->dashed ? 1.5 : 2, se->dashed);
        for (size_t i = 0; i < s->p; i++) {
            attrs[0] = 0;
            pl_attr(attrs, sizeof attrs, "data-series", se->id);
            pl_attr_num(attrs, sizeof attrs, "data-index", (double)(i + 1));
            pl_attr_num(attrs, sizeof attrs, "data-value", se->v[i]);
            pl_group(&c, "mark point", attrs);
            if (se->dashed) pl_ellipse(&c, xy[2 * i], xy[2 * i + 1], 2, 2, cols[k], PL_NONE, 0);
            else pl_ellipse(&c, xy[2 * i], xy[2 * i + 1], 3.5, 3.5, cols[k], PL_WHITE, 0.8);
            pl_group_end(&c);
        }
        pl_group_end(&c);
    }
    free(xy);
    return pl_end(&c, dir, name);
}
