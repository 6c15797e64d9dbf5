/* Value profiles on the circle: a radar with the values equally spaced in the order given
 * (clockwise from the top), a ring per tick and the 95% interval as a band. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "plot.h"

typedef struct radar {
    double cx, cy, r;
    pl_scale s; /* value -> radius */
    double ticks[16];
    size_t nticks;
} radar;

/* One radial range for every panel, so panels compare. */
static void radar_range(radar *g, const plot_profiles *p) {
    double lo = 0, hi = 0;
    for (size_t i = 0; i < p->ng * p->k; i++) {
        double a = isfinite(p->lo[i]) ? p->lo[i] : p->mean[i], b = isfinite(p->hi[i]) ? p->hi[i] : p->mean[i];
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    g->nticks = pl_ticks(&lo, &hi, 4, g->ticks, 16);
    g->s = (pl_scale){lo, hi, 0, g->r};
}

static void radar_xy(const radar *g, size_t i, size_t k, double v, double *x, double *y) {
    double rad = pl_map(&g->s, v), a = -M_PI / 2 + 2 * M_PI * (double)i / (double)k;
    if (rad < 0) rad = 0;
    *x = g->cx + rad * cos(a);
    *y = g->cy + rad * sin(a);
}

static void radar_frame(pl_canvas *c, const radar *g, const plot_profiles *p, double label_size) {
    size_t k = p->k;
    double *xy = malloc(2 * k * sizeof *xy);
    if (!xy) return;
    pl_group(c, "axis radar", NULL);
    for (size_t t = 0; t < g->nticks; t++) {
        for (size_t i = 0; i < k; i++) radar_xy(g, i, k, g->ticks[t], &xy[2 * i], &xy[2 * i + 1]);
        pl_poly(c, xy, k, 1, PL_NONE, g->ticks[t] == 0 ? PL_GREY : PL_LIGHT, g->ticks[t] == 0 ? 1.2 : 0.8, 0);
    }
    for (size_t i = 0; i < k; i++) {
        double x, y, a = -M_PI / 2 + 2 * M_PI * (double)i / (double)k;
        radar_xy(g, i, k, g->s.d1, &x, &y);
        pl_line(c, g->cx, g->cy, x, y, PL_LIGHT, 0.8, 0);
        double lx = g->cx + (g->r + 8) * cos(a), ly = g->cy + (g->r + 8) * sin(a) + label_size * 0.35;
        int anchor = fabs(cos(a)) < 0.2 ? PL_MIDDLE : cos(a) > 0 ? PL_START : PL_END;
        if (sin(a) < -0.95) ly -= 4;
        if (sin(a) > 0.95) ly += 8;
        pl_text(c, lx, ly, p->labels[i], label_size, anchor, 0, PL_BLACK, 0);
    }
    /* tick values along the first spoke's right side */
    double step = g->nticks > 1 ? g->ticks[1] - g->ticks[0] : 1;
    for (size_t t = 0; t < g->nticks; t++) {
        char lab[32];
        if (pl_map(&g->s, g->ticks[t]) < 14) continue; /* too close to the centre to read */
        pl_tick_label(lab, sizeof lab, g->ticks[t], step);
        double x, y;
        radar_xy(g, 0, k, g->ticks[t], &x, &y);
        pl_text(c, x + 3, y + 11, lab, PL_SMALL - 1, PL_START, 0, PL_GREY, 0);
    }
    pl_group_end(c);
    free(xy);
}

/* One group's profile: band (if asked), outline and a dot per value carrying its numbers. */
static void radar_series(pl_canvas *c, const radar *g, const plot_profiles *p, size_t grp, pl_color col,
                         int band) {
    size_t k = p->k;
    const double *m = p->mean + grp * k, *lo = p->lo + grp * k, *hi = p->hi + grp * k;
    double *xy = malloc(6 * k * sizeof *xy);
    if (!xy) return;
    double *in = xy + 2 * k, *out = xy + 4 * k;
    char attrs[512] = "";
    pl_attr(attrs, sizeof attrs, "data-group", p->groups[grp]);
    pl_group(c, "series", attrs);
    for (size_t i = 0; i < k; i++) {
        radar_xy(g, i, k, m[i], &xy[2 * i], &xy[2 * i + 1]);
        radar_xy(g, i, k, isfinite(lo[i]) ? lo[i] : m[i], &in[2 * i], &in[2 * i + 1]);
        radar_xy(g, i, k, isfinite(hi[i]) ? hi[i] : m[i], &out[2 * i], &out[2 * i + 1]);
    }
    if (band) pl_band(c, out, in, k, pl_with_alpha(col, 0.22));
    pl_poly(c, xy, k, 1, PL_NONE, col, 2, 0);
    for (size_t i = 0; i < k; i++) {
        attrs[0] = 0;
        pl_attr(attrs, sizeof attrs, "data-group", p->groups[grp]);
        pl_attr(attrs, sizeof attrs, "data-key", p->keys[i]);
        pl_attr_num(attrs, sizeof attrs, "data-value", m[i]);
        pl_attr_num(attrs, sizeof attrs, "data-low", lo[i]);
        pl_attr_num(attrs, sizeof attrs, "data-high", hi[i]);
        pl_group(c, "mark profile", attrs);
        pl_ellipse(c, xy[2 * i], xy[2 * i + 1], 3, 3, col, PL_WHITE, 0.8);
        pl_group_end(c);
    }
    pl_group_end(c);
    free(xy);
}

int plot_profile_panels(const char *dir, const char *name, const plot_profiles *p) {
    size_t cols = p->ng <= 4 ? 2 : 3, rows = (p->ng + cols - 1) / cols;
    double pw = 370, ph = 320, top = 58;
    pl_canvas c;
    if (pl_begin(&c, pw * (double)cols, top + ph * (double)rows + 10, "Value profiles per model") != 0) return 1;
    pl_title(&c, "Value profiles per model (mean and 95% interval)", p->subtitle);
    for (size_t g = 0; g < p->ng; g++) {
        double x0 = pw * (double)(g % cols), y0 = top + ph * (double)(g / cols);
        radar r = {x0 + pw / 2, y0 + ph / 2 + 10, 100, {0, 0, 0, 0}, {0}, 0};
        radar_range(&r, p);
        pl_text(&c, x0 + pw / 2, y0 + 14, p->groups[g], PL_FONT + 1, PL_MIDDLE, 0, PL_BLACK, 1);
        radar_frame(&c, &r, p, 11);
        radar_series(&c, &r, p, g, pl_palette(g), 1);
    }
    return pl_end(&c, dir, name);
}

int plot_profile_overlay(const char *dir, const char *name, const plot_profiles *p) {
    pl_canvas c;
    double w = 640, h = 560;
    if (pl_begin(&c, w, h, "Value profiles, all models") != 0) return 1;
    pl_title(&c, "Value profiles, all models (mean)", p->subtitle);
    radar r = {w / 2, 310, 170, {0, 0, 0, 0}, {0}, 0};
    radar_range(&r, p);
    /* the range of the means only: the overlay shows no intervals */
    double lo = 0, hi = 0;
    for (size_t i = 0; i < p->ng * p->k; i++) {
        if (p->mean[i] < lo) lo = p->mean[i];
        if (p->mean[i] > hi) hi = p->mean[i];
    }
    r.nticks = pl_ticks(&lo, &hi, 4, r.ticks, 16);
    r.s = (pl_scale){lo, hi, 0, r.r};
    radar_frame(&c, &r, p, PL_FONT);
    pl_color *cols = malloc((p->ng ? p->ng : 1) * sizeof *cols);
    if (!cols) {
        pl_discard(&c);
        fprintf(stderr, "valuespace: out of memory drawing %s\n", name);
        return 1;
    }
    for (size_t g = 0; g < p->ng; g++) {
        cols[g] = pl_palette(g);
        radar_series(&c, &r, p, g, cols[g], 0);
    }
    pl_legend(&c, 24, 70, w - 24, (const char *const *)p->groups, cols, NULL, p->ng);
    free(cols);
    return pl_end(&c, dir, name);
}
