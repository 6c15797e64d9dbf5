/* Projective scores of several runs: per dimension, each run's score (0..100) with its bootstrap
 * interval in the upper panel and its coverage (the share of its judgements that are related) in
 * the lower one. A score without a related judgement has no bar and says "n/a". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

/* One panel of bars: categories along x, one bar per run; `cls` names the marks. */
static void panel(pl_canvas *c, const plot_projective *p, const char *cls, const double *v, const double *lo,
                  const double *hi, double y0, double y1, double top, const char *axis, const pl_color *cols) {
    double x0 = 80, x1 = c->w - 20, ticks[24], lo_t = 0, hi_t = top;
    size_t nt = pl_ticks(&lo_t, &hi_t, 5, ticks, 24);
    pl_scale y = {lo_t, hi_t, y1, y0};
    pl_axis_y(c, &y, ticks, nt, x0, x1, axis);
    double slot = (x1 - x0) / (double)p->nd, bw = slot * 0.8 / (double)p->nr;
    if (bw > 34) bw = 34;
    double base = pl_map(&y, 0);
    for (size_t d = 0; d < p->nd; d++) {
        double cx = x0 + slot * ((double)d + 0.5), left = cx - bw * (double)p->nr / 2;
        for (size_t r = 0; r < p->nr; r++) {
            size_t i = d * p->nr + r;
            char attrs[900] = "";
            pl_attr(attrs, sizeof attrs, "data-dim", p->dims[d]);
            pl_attr(attrs, sizeof attrs, "data-run", p->runs[r]);
            pl_attr_num(attrs, sizeof attrs, "data-value", v[i]);
            if (lo) pl_attr_num(attrs, sizeof attrs, "data-low", lo[i]);
            if (hi) pl_attr_num(attrs, sizeof attrs, "data-high", hi[i]);
            pl_group(c, cls, attrs);
            double x = left + bw * (double)r;
            if (isfinite(v[i])) pl_rect(c, x + 1, base, bw - 2, pl_map(&y, v[i]) - base, cols[r], PL_NONE, 0);
            else /* no related judgement: no score, and no bar that could be read as one */
                pl_text(c, x + bw / 2 + 3, base - 4, "n/a", PL_SMALL, PL_START, -90, PL_GREY, 0);
            if (lo && hi && isfinite(lo[i]) && isfinite(hi[i]))
                pl_whisker(c, x + bw / 2, pl_map(&y, lo[i]), pl_map(&y, hi[i]), bw * 0.22, PL_BLACK);
            pl_group_end(c);
        }
    }
    pl_line(c, x0, base, x1, base, PL_GREY, 1.2, 0);
}

int plot_projective_scores(const char *dir, const char *name, const plot_projective *p) {
    double w = 160 + (double)(p->nd * p->nr) * 18, h = 600;
    if (w < 760) w = 760;
    pl_canvas c;
    static const char title[] = "Projective scores per dimension (95% interval) and coverage";
    if (pl_begin(&c, w, h, title) != 0) return 1;
    pl_color *cols = malloc((p->nr ? p->nr : 1) * sizeof *cols);
    if (!cols) {
        pl_discard(&c);
        fprintf(stderr, "valuespace: out of memory drawing %s\n", name);
        return 1;
    }
    for (size_t r = 0; r < p->nr; r++) cols[r] = pl_palette(r);
    pl_title(&c, title, p->subtitle);
    double legend_h = pl_legend(&c, 80, 68, w - 20, p->runs, cols, NULL, p->nr);
    double top = 68 + legend_h + 10;
    panel(&c, p, "mark score", p->score, p->lo, p->hi, top, top + 250, 100, "score (share high, %)", cols);
    panel(&c, p, "mark coverage", p->coverage, NULL, NULL, top + 290, top + 400, 1, "coverage", cols);
    double x0 = 80, slot = (w - 20 - x0) / (double)p->nd;
    for (size_t d = 0; d < p->nd; d++) {
        char buf[64];
        pl_text(&c, x0 + slot * ((double)d + 0.5) + 4, top + 414, pl_fit(&c, p->dims[d], PL_FONT, 110, buf, sizeof buf),
                PL_FONT, PL_END, -35, PL_BLACK, 0);
    }
    free(cols);
    return pl_end(&c, dir, name);
}
