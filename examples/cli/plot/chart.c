/* The chart layer (chart.h). */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double pl_map(const pl_scale *s, double v) {
    if (s->d1 == s->d0) return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

size_t pl_ticks(double *lo, double *hi, size_t target, double *out, size_t cap) {
    if (!(*hi > *lo)) { /* one value: a unit range around it */
        *lo -= 0.5;
        *hi += 0.5;
    }
    if (target < 2) target = 2;
    double raw = (*hi - *lo) / (double)target, mag = pow(10, floor(log10(raw))), step = mag;
    static const double nice[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
        if (nice[i] * mag >= raw) {
            step = nice[i] * mag;
            break;
        }
    double a = floor(*lo / step + 1e-9) * step, b = ceil(*hi / step - 1e-9) * step;
    *lo = a;
    *hi = b;
    size_t n = 0;
    for (double v = a; v <= b + step * 1e-6 && n < cap; v += step) out[n++] = fabs(v) < step * 1e-9 ? 0 : v;
    return n;
}

void pl_tick_label(char *buf, size_t cap, double v, double step) {
    int dec = 0;
    while (dec < 6 && fabs(step * pow(10, dec) - round(step * pow(10, dec))) > 1e-6) dec++;
    snprintf(buf, cap, "%.*f", dec, v);
    if (strcmp(buf, "-0") == 0 || strspn(buf, "-0.") == strlen(buf)) snprintf(buf, cap, "%.*f", dec, 0.0);
}

void pl_axis_y(pl_canvas *c, const pl_scale *y, const double *ticks, size_t n, double x0, double x1,
               const char *title) {
    double step = n > 1 ? ticks[1] - ticks[0] : 1, widest = 0;
    pl_group(c, "axis y", NULL);
    for (size_t i = 0; i < n; i++) {
        char lab[32];
        double py = pl_map(y, ticks[i]);
        pl_line(c, x0, py, x1, py, ticks[i] == 0 ? PL_GREY : PL_LIGHT, ticks[i] == 0 ? 1.2 : 0.8, 0);
        pl_tick_label(lab, sizeof lab, ticks[i], step);
        pl_text(c, x0 - 6, py + 4, lab, PL_FONT, PL_END, 0, PL_BLACK, 0);
        double w = pl_text_width(c, lab, PL_FONT, 0);
        if (w > widest) widest = w;
    }
    pl_line(c, x0, y->r0, x0, y->r1, PL_GREY, 1, 0);
    if (title) pl_text(c, x0 - widest - 14, (y->r0 + y->r1) / 2, title, PL_FONT, PL_MIDDLE, -90, PL_BLACK, 0);
    pl_group_end(c);
}

void pl_title(pl_canvas *c, const char *title, const char *subtitle) {
    pl_text(c, c->w / 2, 24, title, PL_TITLE, PL_MIDDLE, 0, PL_BLACK, 1);
    if (subtitle) pl_text(c, c->w / 2, 42, subtitle, PL_FONT - 1, PL_MIDDLE, 0, PL_GREY, 0);
}

pl_color pl_palette(size_t i) {
    static const unsigned rgb[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9,
                                   0xD55E00, 0xF0E442, 0x000000};
    unsigned v = rgb[i % (sizeof rgb / sizeof rgb[0])];
    return (pl_color){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
}

pl_color pl_with_alpha(pl_color c, double a) {
    c.a = a;
    return c;
}

pl_color pl_diverging(double v) {
    if (!isfinite(v)) return PL_LIGHT;
    if (v > 1) v = 1;
    if (v < -1) v = -1;
    /* white to ColorBrewer RdBu's ends (#b2182b, #2166ac) */
    const double red[3] = {0xb2 / 255.0, 0x18 / 255.0, 0x2b / 255.0}, blue[3] = {0x21 / 255.0, 0x66 / 255.0, 0xac / 255.0};
    const double *end = v >= 0 ? red : blue;
    double t = fabs(v);
    return (pl_color){1 + t * (end[0] - 1), 1 + t * (end[1] - 1), 1 + t * (end[2] - 1), 1};
}

pl_color pl_text_on(pl_color fill) {
    double lum = 0.2126 * fill.r + 0.7152 * fill.g + 0.0722 * fill.b;
    return lum < 0.5 ? PL_WHITE : PL_BLACK;
}

double pl_legend(pl_canvas *c, double x, double y, double x_max, const char *const *names, const pl_color *colors,
                 const int *style, size_t n) {
    double x0 = x, y0 = y, row = 18;
    pl_group(c, "legend", NULL);
    for (size_t i = 0; i < n; i++) {
        double w = 22 + pl_text_width(c, names[i], PL_FONT, 0) + 16;
        if (x + w > x_max && x > x0) {
            x = x0;
            y += row;
        }
        if (style && style[i]) pl_line(c, x, y - 4, x + 16, y - 4, colors[i], 2,
                   style[i] == PL_SWATCH_DASHED ? PL_DASHED : style[i] == PL_SWATCH_DOTTED ? PL_DOTTED : PL_SOLID);
        else pl_rect(c, x, y - 10, 16, 11, colors[i], PL_NONE, 0);
        pl_text(c, x + 22, y, names[i], PL_FONT, PL_START, 0, PL_BLACK, 0);
        x += w;
    }
    pl_group_end(c);
    return y - y0 + row;
}

void pl_whisker(pl_canvas *c, double x, double y_lo, double y_hi, double cap, pl_color color) {
    pl_line(c, x, y_lo, x, y_hi, color, 1.3, 0);
    pl_line(c, x - cap, y_lo, x + cap, y_lo, color, 1.3, 0);
    pl_line(c, x - cap, y_hi, x + cap, y_hi, color, 1.3, 0);
}

const char *pl_fit(pl_canvas *c, const char *s, double size, double w, char *buf, size_t cap) {
    if (pl_text_width(c, s, size, 0) <= w) return s;
    size_t n = strlen(s);
    if (n >= cap) n = cap - 1;
    while (n > 1) {
        n--;
        while (n > 1 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* whole UTF-8 characters */
        snprintf(buf, cap, "%.*s...", (int)n, s);
        if (pl_text_width(c, buf, size, 0) <= w) return buf;
    }
    return s;
}

void pl_grouped_bars(pl_canvas *c, const pl_bars *b) {
    double lo = 0, hi = 0, ticks[24];
    if (b->fixed_hi > b->fixed_lo) {
        lo = b->fixed_lo;
        hi = b->fixed_hi;
    } else {
        for (size_t i = 0; i < b->ncat * b->nser; i++) {
            double vals[3] = {b->v[i], b->lo ? b->lo[i] : NAN, b->hi ? b->hi[i] : NAN};
            for (int j = 0; j < 3; j++)
                if (isfinite(vals[j])) {
                    if (vals[j] < lo) lo = vals[j];
                    if (vals[j] > hi) hi = vals[j];
                }
        }
    }
    size_t nt = pl_ticks(&lo, &hi, 5, ticks, 24);
    pl_scale y = {lo, hi, b->y1, b->y0};
    pl_axis_y(c, &y, ticks, nt, b->x0, b->x1, b->axis);
    double slot = (b->x1 - b->x0) / (double)b->ncat, bw = slot * 0.8 / (double)b->nser;
    if (bw > 34) bw = 34;
    double base = pl_map(&y, 0 < lo ? lo : 0 > hi ? hi : 0);
    for (size_t ci = 0; ci < b->ncat; ci++) {
        double cx = b->x0 + slot * ((double)ci + 0.5), left = cx - bw * (double)b->nser / 2;
        for (size_t s = 0; s < b->nser; s++) {
            size_t i = ci * b->nser + s;
            char attrs[640] = "";
            pl_attr(attrs, sizeof attrs, b->cat_attr, b->cat_keys[ci]);
            pl_attr(attrs, sizeof attrs, b->ser_attr, b->ser_keys[s]);
            pl_attr_num(attrs, sizeof attrs, "data-value", b->v[i]);
            if (b->lo) pl_attr_num(attrs, sizeof attrs, "data-low", b->lo[i]);
            if (b->hi) pl_attr_num(attrs, sizeof attrs, "data-high", b->hi[i]);
            pl_group(c, "mark bar", attrs);
            double x = left + bw * (double)s;
            if (isfinite(b->v[i])) pl_rect(c, x + 1, base, bw - 2, pl_map(&y, b->v[i]) - base, b->colors[s], PL_NONE, 0);
            if (b->lo && b->hi && isfinite(b->lo[i]) && isfinite(b->hi[i]))
                pl_whisker(c, x + bw / 2, pl_map(&y, b->lo[i]), pl_map(&y, b->hi[i]), bw * 0.22, PL_BLACK);
            pl_group_end(c);
        }
        if (b->slant_labels)
            pl_text(c, cx + 4, b->y1 + 14, b->cat_labels[ci], PL_FONT, PL_END, -35, PL_BLACK, 0);
        else
            pl_text(c, cx, b->y1 + 18, b->cat_labels[ci], PL_FONT, PL_MIDDLE, 0, PL_BLACK, 0);
    }
    pl_line(c, b->x0, base, b->x1, base, PL_GREY, 1.2, 0);
}
