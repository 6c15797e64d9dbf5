/* A factor diagram in the manner of psych's fa.diagram: the variables as boxes on the left in
 * sorted order, the factors as ellipses beside the blocks of their variables, each variable's
 * largest loading above the cut as an arrow from its factor (width by size; negative: red and
 * dashed) labelled with the loading, and the factor correlations above the cut as curves on
 * the right (oblique rotations). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

#define ROW 26.0
#define NEG ((pl_color){0.75, 0.1, 0.1, 1})

static void arrow_head(pl_canvas *c, double x, double y, double fx, double fy, pl_color col) {
    double dx = x - fx, dy = y - fy, len = sqrt(dx * dx + dy * dy);
    if (len <= 0) return;
    dx /= len;
    dy /= len;
    double tri[6] = {x, y, x - 9 * dx - 4 * dy, y - 9 * dy + 4 * dx, x - 9 * dx + 4 * dy, y - 9 * dy - 4 * dx};
    pl_poly(c, tri, 3, 1, col, PL_NONE, 0, 0);
}

static void number_label(pl_canvas *c, double x, double y, double v) {
    char lab[16];
    snprintf(lab, sizeof lab, "%.2f", v);
    double tw = pl_text_width(c, lab, PL_SMALL, 0);
    pl_rect(c, x - tw / 2 - 2, y - 9, tw + 4, 12, PL_WHITE, PL_NONE, 0);
    pl_text(c, x, y, lab, PL_SMALL, PL_MIDDLE, 0, v < 0 ? NEG : PL_BLACK, 0);
}

int plot_factor_diagram(const char *dir, const char *name, const plot_factors *f) {
    size_t p = f->p, k = f->k;
    size_t *order = malloc((p ? p : 1) * sizeof *order), *main = malloc((p ? p : 1) * sizeof *main);
    double *fy = malloc((k ? k : 1) * sizeof *fy), *vy = malloc((p ? p : 1) * sizeof *vy);
    pl_canvas c;
    int st = !order || !main || !fy || !vy || pl_begin(&c, 10, 10, "") != 0;
    if (st) {
        free(order), free(main), free(fy), free(vy);
        fprintf(stderr, "valuespace: out of memory drawing %s\n", name);
        return 1;
    }
    plot_sort_by_factor(f->loadings, p, k, order, main);
    double label_w = 40;
    for (size_t i = 0; i < p; i++) {
        double wv = pl_text_width(&c, f->vars[i], PL_FONT, 0);
        if (wv > label_w) label_w = wv;
    }
    pl_discard(&c);
    if (label_w > 200) label_w = 200;
    int oblique = 0;
    if (f->phi && k > 1)
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++)
                if (a != b && fabs(f->phi[a * k + b]) > 1e-9) oblique = 1;
    double top = 70, box_w = label_w + 16, vx1 = 20 + box_w, fx = vx1 + 230, rx = 34, ry = 18;
    double w = fx + rx + (oblique ? 40 + 40 * (double)k : 30), h = top + ROW * (double)p + 20;
    if (w < 440) w = 440;
    if (h < top + ROW * (double)k * 2 + 20) h = top + ROW * (double)k * 2 + 20;
    /* rows: the sorted variables; a factor sits at the middle of its block, or evenly spaced */
    for (size_t r = 0; r < p; r++) vy[order[r]] = top + ROW * ((double)r + 0.5);
    for (size_t j = 0; j < k; j++) {
        double sum = 0;
        size_t n = 0;
        for (size_t i = 0; i < p; i++)
            if (main[i] == j && fabs(f->loadings[i * k + j]) > f->cut) sum += vy[i], n++;
        fy[j] = n ? sum / (double)n : top + (h - top - 20) * ((double)j + 0.5) / (double)k;
    }
    /* keep the ellipses apart */
    for (size_t j = 1; j < k; j++) /* factors come in block order, so fy rises with j */
        if (fy[j] < fy[j - 1] + 2 * ry + 8) fy[j] = fy[j - 1] + 2 * ry + 8;
    if (k > 0 && fy[k - 1] + ry + 20 > h) h = fy[k - 1] + ry + 20;
    if (pl_begin(&c, w, h, "Factor diagram") != 0) {
        free(order), free(main), free(fy), free(vy);
        return 1;
    }
    char sub[256];
    snprintf(sub, sizeof sub, "%s%sloadings above %.2g%s", f->subtitle ? f->subtitle : "", f->subtitle ? "; " : "",
             f->cut, oblique ? ", factor correlations on the right" : "");
    pl_title(&c, "Factor diagram", sub);
    for (size_t r = 0; r < p; r++) {
        size_t i = order[r];
        char buf[256];
        pl_rect(&c, 20, vy[i] - 10, box_w, 20, PL_WHITE, PL_BLACK, 1);
        pl_text(&c, 20 + box_w / 2, vy[i] + 4, pl_fit(&c, f->vars[i], PL_FONT, label_w, buf, sizeof buf), PL_FONT,
                PL_MIDDLE, 0, PL_BLACK, 0);
    }
    for (size_t r = 0; r < p; r++) {
        size_t i = order[r], j = main[i];
        double v = f->loadings[i * k + j];
        if (!(fabs(v) > f->cut)) continue;
        char attrs[512] = "";
        pl_attr(attrs, sizeof attrs, "data-var", f->vars[i]);
        pl_attr_num(attrs, sizeof attrs, "data-factor", (double)(j + 1));
        pl_attr_num(attrs, sizeof attrs, "data-value", v);
        pl_group(&c, "mark loading", attrs);
        pl_color col = v < 0 ? NEG : PL_BLACK;
        double x0 = fx - rx, y0 = fy[j], x1 = vx1 + 2, y1 = vy[i];
        pl_line(&c, x0, y0, x1 + 6, y1, col, 0.6 + 3.2 * fabs(v), v < 0);
        arrow_head(&c, x1, y1, x0, y0, col);
        number_label(&c, x1 + 0.22 * (x0 - x1), y1 + 0.22 * (y0 - y1) + 4, v);
        pl_group_end(&c);
    }
    for (size_t j = 0; j < k; j++) {
        char lab[32];
        snprintf(lab, sizeof lab, "F%zu", j + 1);
        pl_ellipse(&c, fx, fy[j], rx, ry, (pl_color){0.93, 0.95, 1, 1}, PL_BLACK, 1.2);
        pl_text(&c, fx, fy[j] + 5, lab, PL_FONT + 1, PL_MIDDLE, 0, PL_BLACK, 1);
    }
    /* the curves first, then their labels on top, so a longer curve never hides a label */
    for (int pass = 0; oblique && pass < 2; pass++)
        for (size_t a = 0; a < k; a++)
            for (size_t b = a + 1; b < k; b++) {
                double v = f->phi[a * k + b];
                if (!(fabs(v) > f->cut)) continue;
                double bend = fx + rx + 16 + 40 * (double)(b - a), my = (fy[a] + fy[b]) / 2;
                if (pass == 1) {
                    number_label(&c, fx + rx + (bend - fx - rx) / 2, my + 4, v);
                    continue;
                }
                char attrs[256] = "";
                pl_attr_num(attrs, sizeof attrs, "data-factor1", (double)(a + 1));
                pl_attr_num(attrs, sizeof attrs, "data-factor2", (double)(b + 1));
                pl_attr_num(attrs, sizeof attrs, "data-value", v);
                pl_group(&c, "mark phi", attrs);
                pl_curve(&c, fx + rx, fy[a], bend, my, fx + rx, fy[b], v < 0 ? NEG : PL_BLACK, 0.6 + 3.2 * fabs(v),
                         v < 0);
                pl_group_end(&c);
            }
    free(order), free(main), free(fy), free(vy);
    return pl_end(&c, dir, name);
}
