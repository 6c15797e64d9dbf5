/* A drawing surface that renders every primitive twice: with cairo into a PNG image and as SVG
 * elements of our own writing. Why our own SVG rather than cairo's SVG surface: the report inlines
 * several figures in one HTML page (cairo's SVG names its glyphs glyph0-1, ... in every file, so
 * inlined figures would take each other's glyphs), the text stays text (searchable, selectable),
 * and each data mark carries its value (class="mark ..." data-value="...") for tests and readers.
 * Cairo also measures the text, so both renderings share one layout. Built only with cairo
 * (VS_WITH_CAIRO). */
#ifndef VS_CLI_PLOT_CANVAS_H
#define VS_CLI_PLOT_CANVAS_H

#include <stddef.h>
#include <stdio.h>

#include <cairo.h>

typedef struct pl_color {
    double r, g, b, a; /* 0..1; a = 0: nothing is drawn */
} pl_color;

#define PL_NONE ((pl_color){0, 0, 0, 0})
#define PL_BLACK ((pl_color){0.1, 0.1, 0.1, 1})
#define PL_GREY ((pl_color){0.45, 0.45, 0.45, 1})
#define PL_LIGHT ((pl_color){0.86, 0.86, 0.86, 1})
#define PL_WHITE ((pl_color){1, 1, 1, 1})

enum pl_anchor { PL_START = -1, PL_MIDDLE = 0, PL_END = 1 };
/* The `dashed` argument of the line primitives: 0 solid, PL_DASHED, PL_DOTTED. */
enum pl_dash { PL_SOLID = 0, PL_DASHED = 1, PL_DOTTED = 2 };

typedef struct pl_canvas {
    double w, h;
    cairo_surface_t *surface;
    cairo_t *cr;
    FILE *svg; /* an open_memstream over svg_text */
    char *svg_text;
    size_t svg_len;
    int depth; /* open groups */
} pl_canvas;

/* Starts a w x h pixel figure on a white background; title goes into the SVG's <title>.
 * Returns 0, or 1 after a message on stderr (out of memory). */
int pl_begin(pl_canvas *c, double w, double h, const char *title);
/* Writes DIR/NAME.png and DIR/NAME.svg and frees the canvas (also after a failure).
 * Returns 0, or 1 after a message on stderr naming the file. */
int pl_end(pl_canvas *c, const char *dir, const char *name);
/* Frees a canvas without writing it. */
void pl_discard(pl_canvas *c);

/* A group of elements: in the SVG <g class="CLS" ATTRS>, where attrs is a string of
 * ready-made attributes (pl_attr builds them) or NULL. Nothing in the PNG. */
void pl_group(pl_canvas *c, const char *cls, const char *attrs);
void pl_group_end(pl_canvas *c);
/* Appends ` name="value"` (XML-escaped) to buf of cap bytes; a number value with %.17g, so it
 * reads back bit-exactly. */
void pl_attr(char *buf, size_t cap, const char *name, const char *value);
void pl_attr_num(char *buf, size_t cap, const char *name, double value);

void pl_line(pl_canvas *c, double x1, double y1, double x2, double y2, pl_color stroke, double width, int dashed);
/* A polyline (closed: a polygon) through n points xy[2i], xy[2i+1]. */
void pl_poly(pl_canvas *c, const double *xy, size_t n, int closed, pl_color fill, pl_color stroke, double width,
             int dashed);
/* The region between two closed polygons, outer and inner (n points each): an interval band. */
void pl_band(pl_canvas *c, const double *outer, const double *inner, size_t n, pl_color fill);
void pl_rect(pl_canvas *c, double x, double y, double w, double h, pl_color fill, pl_color stroke, double width);
void pl_ellipse(pl_canvas *c, double cx, double cy, double rx, double ry, pl_color fill, pl_color stroke,
                double width);
/* A quadratic Bezier from (x0,y0) over the control point (cx,cy) to (x1,y1). */
void pl_curve(pl_canvas *c, double x0, double y0, double cx, double cy, double x1, double y1, pl_color stroke,
              double width, int dashed);
/* Text at (x, y) (baseline), anchored at its start, middle or end, rotated by deg degrees
 * (counter-clockwise negative, as SVG) around (x, y). */
void pl_text(pl_canvas *c, double x, double y, const char *s, double size, int anchor, double deg, pl_color color,
             int bold);
/* Advance width of s in pixels at this size. */
double pl_text_width(pl_canvas *c, const char *s, double size, int bold);

#endif
