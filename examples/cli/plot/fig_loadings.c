/* Loadings heatmap: variables (rows, sorted by their main factor) x factors, each cell coloured
 * blue-white-red by its loading and labelled with it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

static const double *sort_L;
static size_t sort_k;
static size_t *sort_main;

static int by_factor(const void *pa, const void *pb) {
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (sort_main[a] != sort_main[b]) return sort_main[a] < sort_main[b] ? -1 : 1;
    double la = fabs(sort_L[a * sort_k + sort_main[a]]), lb = fabs(sort_L[b * sort_k + sort_main[b]]);
    if (la != lb) return la > lb ? -1 : 1;
    return a < b ? -1 : a > b;
}

void plot_sort_by_factor(const double *L, size_t p, size_t k, size_t *order, size_t *main) {
    size_t *m = main ? main : malloc((p ? p : 1) * sizeof *m);
    for (size_t i = 0; i < p; i++) {
        order[i] = i;
        size_t best = 0;
        for (size_t f = 1; f < k; f++)
            if (fabs(L[i * k + f]) > fabs(L[i * k + best])) best = f;
        if (m) m[i] = best;
    }
    if (m) { /* qsort has no context argument: the comparison reads these (one figure at a time) */
        sort_L = L;
        sort_k = k;
        sort_main = m;
        qsort(order, p, sizeof *order, by_factor);
    }
    if (!main) free(m);
}

int plot_loadings_heatmap(const char *dir, const char *name, const plot_factors *f) {
    size_t p = f->p, k = f->k;
    size_t *order = malloc((p ? p : 1) * sizeof *order);
    if (!order) return 1;
    plot_sort_by_factor(f->loadings, p, k, order, NULL);
    pl_canvas c;
    double cell_w = 58, cell_h = 20, label_w = 0;
    /* measure the variable names on a throw-away canvas-sized context */
    if (pl_begin(&c, 10, 10, "") != 0) {
        free(order);
        return 1;
    }
    for (size_t i = 0; i < p; i++) {
        double wv = pl_text_width(&c, f->vars[i], PL_FONT, 0);
        if (wv > label_w) label_w = wv;
    }
    pl_discard(&c);
    if (label_w > 220) label_w = 220;
    double left = 20 + label_w + 10, top = 84, w = left + cell_w * (double)k + 110;
    if (w < 420) w = 420;
    double h = top + cell_h * (double)p + 30;
    if (pl_begin(&c, w, h, "Factor loadings") != 0) {
        free(order);
        return 1;
    }
    pl_title(&c, "Factor loadings", f->subtitle);
    for (size_t j = 0; j < k; j++) {
        char lab[32];
        snprintf(lab, sizeof lab, "F%zu", j + 1);
        pl_text(&c, left + cell_w * ((double)j + 0.5), top - 8, lab, PL_FONT, PL_MIDDLE, 0, PL_BLACK, 1);
    }
    for (size_t r = 0; r < p; r++) {
        size_t i = order[r];
        double y = top + cell_h * (double)r;
        char buf[256];
        pl_text(&c, left - 8, y + cell_h * 0.7, pl_fit(&c, f->vars[i], PL_FONT, label_w, buf, sizeof buf), PL_FONT,
                PL_END, 0, PL_BLACK, 0);
        for (size_t j = 0; j < k; j++) {
            double v = f->loadings[i * k + j];
            char attrs[512] = "", lab[16];
            pl_attr(attrs, sizeof attrs, "data-var", f->vars[i]);
            pl_attr_num(attrs, sizeof attrs, "data-factor", (double)(j + 1));
            pl_attr_num(attrs, sizeof attrs, "data-value", v);
            pl_group(&c, "mark cell", attrs);
            pl_color fill = pl_diverging(v);
            pl_rect(&c, left + cell_w * (double)j, y, cell_w, cell_h, fill, PL_WHITE, 1);
            snprintf(lab, sizeof lab, "%.2f", v);
            pl_text(&c, left + cell_w * ((double)j + 0.5), y + cell_h * 0.7, lab, PL_SMALL, PL_MIDDLE, 0,
                    pl_text_on(fill), fabs(v) >= f->cut);
            pl_group_end(&c);
        }
    }
    /* colour key: -1 .. 1 */
    double kx = left + cell_w * (double)k + 30, ky = top, kh = cell_h * (double)(p < 8 ? 8 : p) * 0.6;
    if (ky + kh > h - 30) kh = h - 30 - ky;
    pl_group(&c, "legend", NULL);
    for (int s = 0; s < 40; s++) {
        double v = 1 - 2 * (s + 0.5) / 40;
        pl_rect(&c, kx, ky + kh * s / 40, 14, kh / 40 + 0.5, pl_diverging(v), PL_NONE, 0);
    }
    pl_text(&c, kx + 20, ky + 10, "+1", PL_SMALL, PL_START, 0, PL_BLACK, 0);
    pl_text(&c, kx + 20, ky + kh / 2 + 4, "0", PL_SMALL, PL_START, 0, PL_BLACK, 0);
    pl_text(&c, kx + 20, ky + kh, "-1", PL_SMALL, PL_START, 0, PL_BLACK, 0);
    pl_group_end(&c);
    free(order);
    return pl_end(&c, dir, name);
}
