/* A tiny chart layer over the canvas: linear scales with round ticks, axes, legends, interval
 * whiskers, a categorical palette and a diverging colour map. The figures (fig_*.c) are built
 * from these. */
#ifndef VS_CLI_PLOT_CHART_H
#define VS_CLI_PLOT_CHART_H

#include "canvas.h"

#define PL_FONT 12.0   /* tick and category labels */
#define PL_SMALL 10.5  /* values printed in cells and on arrows */
#define PL_TITLE 15.0

/* Maps [d0, d1] of the data onto [r0, r1] of the page. */
typedef struct pl_scale {
    double d0, d1, r0, r1;
} pl_scale;

double pl_map(const pl_scale *s, double v);
/* Round tick values covering [lo, hi] (about `target` of them) into out; returns the count, and
 * widens *lo and *hi to the outer ticks. */
size_t pl_ticks(double *lo, double *hi, size_t target, double *out, size_t cap);
/* A tick label: as few decimals as the step needs. */
void pl_tick_label(char *buf, size_t cap, double v, double step);

/* A y axis at x = x0 with ticks, labels and light horizontal grid lines to x1, and a rotated
 * axis title (may be NULL). */
void pl_axis_y(pl_canvas *c, const pl_scale *y, const double *ticks, size_t n, double x0, double x1,
               const char *title);
/* The figure title, centred at the top (y = baseline), and an optional grey subtitle under it. */
void pl_title(pl_canvas *c, const char *title, const char *subtitle);

/* Colour i of a palette for categories that colour-blind readers can tell apart (Okabe & Ito). */
pl_color pl_palette(size_t i);
pl_color pl_with_alpha(pl_color c, double a);
/* v in [-1, 1] -> blue (negative) .. white (0) .. red (positive); beyond is clamped. */
pl_color pl_diverging(double v);
/* Text colour readable on a fill. */
pl_color pl_text_on(pl_color fill);

/* A legend row at (x, y): a swatch and a name per entry, wrapping at x_max; returns the height
 * used. style[i] (style may be NULL: all boxes) is PL_SWATCH_BOX, _LINE, _DASHED or _DOTTED. */
enum pl_swatch { PL_SWATCH_BOX = 0, PL_SWATCH_LINE = 1, PL_SWATCH_DASHED = 2, PL_SWATCH_DOTTED = 3 };
double pl_legend(pl_canvas *c, double x, double y, double x_max, const char *const *names, const pl_color *colors,
                 const int *style, size_t n);
/* A vertical interval whisker from y_lo to y_hi at x, with caps of half-width cap. */
void pl_whisker(pl_canvas *c, double x, double y_lo, double y_hi, double cap, pl_color color);
/* A label that fits w pixels: the text, or its start with "..." (into buf). */
const char *pl_fit(pl_canvas *c, const char *s, double size, double w, char *buf, size_t cap);

#endif

/* Grouped bars with optional interval whiskers: ncat categories along x, nser bars in each
 * (values ncat x nser, row per category). Each bar is a data mark: class "mark bar" with
 * cat_attr = the category key, series_attr = the series key, data-value, data-low, data-high. */
typedef struct pl_bars {
    size_t ncat, nser;
    const char *const *cat_labels, *const *cat_keys, *const *ser_keys;
    const double *v, *lo, *hi; /* lo, hi may be NULL */
    const pl_color *colors;    /* nser */
    const char *cat_attr, *ser_attr, *axis;
    double x0, y0, x1, y1;   /* the frame: left, top, right, bottom */
    double fixed_lo, fixed_hi; /* the y range when fixed_hi > fixed_lo, else from the data and 0 */
    int slant_labels;        /* category labels at -35 degrees */
} pl_bars;
void pl_grouped_bars(pl_canvas *c, const pl_bars *b);
