/* The two renderings of a figure: cairo (PNG) and SVG elements written here (canvas.h says why). */
#include "canvas.h"
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef VS_HAVE_FONTCONFIG
#include <fontconfig/fontconfig.h>
#endif

#define FONT "DejaVu Sans" /* fonts-dejavu-core, which fontconfig pulls in on Debian; else its fallback */
#define SVG_FONT "DejaVu Sans, Verdana, Arial, sans-serif"

static void xml_escaped(FILE *f, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* SVG colour and opacity attributes of one paint (fill or stroke). */
static void svg_paint(FILE *f, const char *what, pl_color col) {
    if (col.a <= 0) {
        fprintf(f, " %s=\"none\"", what);
        return;
    }
    fprintf(f, " %s=\"#%02x%02x%02x\"", what, (unsigned)lround(col.r * 255), (unsigned)lround(col.g * 255),
            (unsigned)lround(col.b * 255));
    if (col.a < 1) fprintf(f, " %s-opacity=\"%.3g\"", what, col.a);
}

static void svg_stroke(FILE *f, pl_color stroke, double width, int dashed) {
    svg_paint(f, "stroke", stroke);
    if (stroke.a > 0) {
        fprintf(f, " stroke-width=\"%.2f\"", width);
        if (dashed) fputs(dashed == PL_DOTTED ? " stroke-dasharray=\"1.5,3\"" : " stroke-dasharray=\"5,3\"", f);
    }
}

static void cairo_paint_path(pl_canvas *c, pl_color fill, pl_color stroke, double width, int dashed) {
    if (fill.a > 0) {
        cairo_set_source_rgba(c->cr, fill.r, fill.g, fill.b, fill.a);
        if (stroke.a > 0) cairo_fill_preserve(c->cr);
        else cairo_fill(c->cr);
    }
    if (stroke.a > 0) {
        static const double dash[2][2] = {{5, 3}, {1.5, 3}};
        cairo_set_source_rgba(c->cr, stroke.r, stroke.g, stroke.b, stroke.a);
        cairo_set_line_width(c->cr, width);
        cairo_set_dash(c->cr, dash[dashed == PL_DOTTED], dashed ? 2 : 0, 0);
        cairo_stroke(c->cr);
    }
    cairo_new_path(c->cr);
}

int pl_begin(pl_canvas *c, double w, double h, const char *title) {
    memset(c, 0, sizeof *c);
    c->w = w;
    c->h = h;
    c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(w), (int)ceil(h));
    c->cr = cairo_create(c->surface);
    c->svg = open_memstream(&c->svg_text, &c->svg_len);
    if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS || !c->svg) {
        fprintf(stderr, "valuespace: cannot start a %gx%g figure: out of memory\n", w, h);
        pl_discard(c);
        return 1;
    }
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_paint(c->cr);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    fprintf(c->svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" "
            "font-family=\"%s\" role=\"img\">\n<title>",
            w, h, w, h, SVG_FONT);
    xml_escaped(c->svg, title);
    fprintf(c->svg, "</title>\n<rect width=\"%g\" height=\"%g\" fill=\"#ffffff\"/>\n", w, h);
    return 0;
}

void pl_discard(pl_canvas *c) {
    if (c->cr) cairo_destroy(c->cr);
    if (c->surface) cairo_surface_destroy(c->surface);
    if (c->svg) fclose(c->svg);
    free(c->svg_text);
    memset(c, 0, sizeof *c);
}

int pl_end(pl_canvas *c, const char *dir, const char *name) {
    while (c->depth > 0) pl_group_end(c);
    fputs("</svg>\n", c->svg);
    int bad = fflush(c->svg) != 0;
    char path[4096];
    int status = 0;
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    cairo_surface_flush(c->surface);
    cairo_status_t cs = bad ? CAIRO_STATUS_NO_MEMORY : cairo_surface_write_to_png(c->surface, path);
    if (cs != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "valuespace: cannot write %s: %s\n", path, cairo_status_to_string(cs));
        status = 1;
    }
    snprintf(path, sizeof path, "%s/%s.svg", dir, name);
    FILE *f = status ? NULL : fopen(path, "w");
    if (!status) {
        if (!f || fwrite(c->svg_text, 1, c->svg_len, f) != c->svg_len) {
            fprintf(stderr, "valuespace: cannot write %s: %s\n", path, strerror(errno));
            status = 1;
        }
        if (f && fclose(f) != 0 && !status) {
            fprintf(stderr, "valuespace: cannot write %s: %s\n", path, strerror(errno));
            status = 1;
        }
    }
    pl_discard(c);
    return status;
}

void pl_group(pl_canvas *c, const char *cls, const char *attrs) {
    fputs("<g class=\"", c->svg);
    xml_escaped(c->svg, cls);
    fprintf(c->svg, "\"%s>\n", attrs ? attrs : "");
    c->depth++;
}

void pl_group_end(pl_canvas *c) {
    if (c->depth <= 0) return;
    fputs("</g>\n", c->svg);
    c->depth--;
}

void pl_attr(char *buf, size_t cap, const char *name, const char *value) {
    char esc[1024];
    size_t o = 0;
    for (const char *s = value; *s && o + 7 < sizeof esc; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (rep) o += (size_t)snprintf(esc + o, sizeof esc - o, "%s", rep);
        else esc[o++] = *s;
    }
    esc[o] = 0;
    size_t len = strlen(buf);
    if (len < cap) snprintf(buf + len, cap - len, " %s=\"%s\"", name, esc);
}

void pl_attr_num(char *buf, size_t cap, const char *name, double value) {
    char v[40];
    if (isfinite(value)) snprintf(v, sizeof v, "%.17g", value);
    else snprintf(v, sizeof v, "NaN");
    pl_attr(buf, cap, name, v);
}

void pl_line(pl_canvas *c, double x1, double y1, double x2, double y2, pl_color stroke, double width, int dashed) {
    cairo_move_to(c->cr, x1, y1);
    cairo_line_to(c->cr, x2, y2);
    cairo_paint_path(c, PL_NONE, stroke, width, dashed);
    fprintf(c->svg, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"", x1, y1, x2, y2);
    svg_stroke(c->svg, stroke, width, dashed);
    fputs("/>\n", c->svg);
}

static void cairo_polygon(pl_canvas *c, const double *xy, size_t n, int closed) {
    for (size_t i = 0; i < n; i++) {
        if (i == 0) cairo_move_to(c->cr, xy[0], xy[1]);
        else cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
    }
    if (closed) cairo_close_path(c->cr);
}

static void svg_points(FILE *f, const double *xy, size_t n) {
    for (size_t i = 0; i < n; i++) fprintf(f, "%s%.2f,%.2f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
}

void pl_poly(pl_canvas *c, const double *xy, size_t n, int closed, pl_color fill, pl_color stroke, double width,
             int dashed) {
    if (n == 0) return;
    cairo_polygon(c, xy, n, closed);
    cairo_paint_path(c, fill, stroke, width, dashed);
    fprintf(c->svg, "<%s points=\"", closed ? "polygon" : "polyline");
    svg_points(c->svg, xy, n);
    fputc('"', c->svg);
    svg_paint(c->svg, "fill", closed ? fill : PL_NONE);
    svg_stroke(c->svg, stroke, width, dashed);
    fputs("/>\n", c->svg);
}

void pl_band(pl_canvas *c, const double *outer, const double *inner, size_t n, pl_color fill) {
    if (n == 0) return;
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_polygon(c, outer, n, 1);
    cairo_polygon(c, inner, n, 1);
    cairo_paint_path(c, fill, PL_NONE, 0, 0);
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_WINDING);
    fputs("<path fill-rule=\"evenodd\" d=\"", c->svg);
    for (int ring = 0; ring < 2; ring++) {
        const double *xy = ring ? inner : outer;
        for (size_t i = 0; i < n; i++) fprintf(c->svg, "%s%.2f,%.2f ", i ? "L" : "M", xy[2 * i], xy[2 * i + 1]);
        fputs("Z ", c->svg);
    }
    fputc('"', c->svg);
    svg_paint(c->svg, "fill", fill);
    fputs("/>\n", c->svg);
}

void pl_rect(pl_canvas *c, double x, double y, double w, double h, pl_color fill, pl_color stroke, double width) {
    if (h < 0) { /* a bar below its baseline */
        y += h;
        h = -h;
    }
    cairo_rectangle(c->cr, x, y, w, h);
    cairo_paint_path(c, fill, stroke, width, 0);
    fprintf(c->svg, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x, y, w, h);
    svg_paint(c->svg, "fill", fill);
    svg_stroke(c->svg, stroke, width, 0);
    fputs("/>\n", c->svg);
}

void pl_ellipse(pl_canvas *c, double cx, double cy, double rx, double ry, pl_color fill, pl_color stroke,
                double width) {
    cairo_save(c->cr);
    cairo_translate(c->cr, cx, cy);
    cairo_scale(c->cr, rx, ry);
    cairo_new_sub_path(c->cr);
    cairo_arc(c->cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(c->cr); /* stroke with an unscaled pen */
    cairo_paint_path(c, fill, stroke, width, 0);
    fprintf(c->svg, "<ellipse cx=\"%.2f\" cy=\"%.2f\" rx=\"%.2f\" ry=\"%.2f\"", cx, cy, rx, ry);
    svg_paint(c->svg, "fill", fill);
    svg_stroke(c->svg, stroke, width, 0);
    fputs("/>\n", c->svg);
}

void pl_curve(pl_canvas *c, double x0, double y0, double cx, double cy, double x1, double y1, pl_color stroke,
              double width, int dashed) {
    /* cairo draws cubics: the quadratic's control points raised to degree 3 */
    cairo_move_to(c->cr, x0, y0);
    cairo_curve_to(c->cr, x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0), x1 + 2.0 / 3 * (cx - x1),
                   y1 + 2.0 / 3 * (cy - y1), x1, y1);
    cairo_paint_path(c, PL_NONE, stroke, width, dashed);
    fprintf(c->svg, "<path d=\"M%.2f,%.2f Q%.2f,%.2f %.2f,%.2f\" fill=\"none\"", x0, y0, cx, cy, x1, y1);
    svg_stroke(c->svg, stroke, width, dashed);
    fputs("/>\n", c->svg);
}

static void set_font(pl_canvas *c, double size, int bold) {
    cairo_select_font_face(c->cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(c->cr, size);
}

double pl_text_width(pl_canvas *c, const char *s, double size, int bold) {
    cairo_text_extents_t e;
    set_font(c, size, bold);
    cairo_text_extents(c->cr, s, &e);
    return e.x_advance;
}

void pl_text(pl_canvas *c, double x, double y, const char *s, double size, int anchor, double deg, pl_color color,
             int bold) {
    double w = pl_text_width(c, s, size, bold);
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    cairo_rotate(c->cr, deg * M_PI / 180);
    cairo_move_to(c->cr, anchor == PL_START ? 0 : anchor == PL_MIDDLE ? -w / 2 : -w, 0);
    cairo_set_source_rgba(c->cr, color.r, color.g, color.b, color.a);
    cairo_show_text(c->cr, s);
    cairo_restore(c->cr);
    cairo_new_path(c->cr);
    fprintf(c->svg, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%g\"", x, y, size);
    if (anchor != PL_START) fprintf(c->svg, " text-anchor=\"%s\"", anchor == PL_MIDDLE ? "middle" : "end");
    if (bold) fputs(" font-weight=\"bold\"", c->svg);
    if (deg != 0) fprintf(c->svg, " transform=\"rotate(%g %.2f %.2f)\"", deg, x, y);
    svg_paint(c->svg, "fill", color);
    fputc('>', c->svg);
    xml_escaped(c->svg, s);
    fputs("</text>\n", c->svg);
}

void plot_release(void) {
    cairo_debug_reset_static_data(); /* cairo's font caches, which hold fontconfig patterns */
#ifdef VS_HAVE_FONTCONFIG
    FcFini(); /* fontconfig's configuration; a later figure initialises it again */
#endif
}
