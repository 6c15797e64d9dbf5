/* The figures of the `valuespace` tool (built with cairo only, VS_WITH_CAIRO): each call draws
 * one figure and writes DIR/NAME.png and DIR/NAME.svg (canvas.h), returning 0, or 1 after a
 * message on stderr. The numbers come in plain arrays that the caller reads from the same result
 * object it writes to JSON. In the SVG every data mark is an element or group with
 * class="mark KIND" and its numbers in data-* attributes (data-value, data-low, data-high, and
 * data-key/data-group/data-series naming it), which tests compare with the JSON. */
#ifndef VS_CLI_PLOT_H
#define VS_CLI_PLOT_H

#include <stddef.h>

/* Value profiles of ng groups over k values, drawn in the order given (pass the values in the
 * circle's order). Arrays are ng x k, one row per group. */
typedef struct plot_profiles {
    size_t k, ng;
    const char *const *keys, *const *labels, *const *groups;
    const double *mean, *lo, *hi;
    const char *subtitle; /* e.g. where the numbers come from */
} plot_profiles;
/* One radar panel per group, mean with its interval band (marks: class "mark profile"). */
int plot_profile_panels(const char *dir, const char *name, const plot_profiles *p);
/* Every group's mean on one radar (marks: class "mark profile"). */
int plot_profile_overlay(const char *dir, const char *name, const plot_profiles *p);

/* A statistic with its interval for nt targets x ng groups (arrays nt x ng), drawn as bars
 * grouped by target (marks: class "mark bar", data-target, data-group). */
typedef struct plot_alignment {
    size_t nt, ng;
    const char *const *targets, *const *groups;
    const double *mean, *lo, *hi;
    const char *title, *subtitle, *axis;
} plot_alignment;
int plot_alignment_bars(const char *dir, const char *name, const plot_alignment *a);

/* Cross-validated macro-F1 per value beside the majority baseline's (marks: class "mark bar",
 * data-series "evaluator" or "baseline"). */
typedef struct plot_cv {
    size_t k;
    const char *const *keys, *const *labels;
    const double *f1, *baseline_f1;
    const char *subtitle;
} plot_cv;
int plot_cv_f1(const char *dir, const char *name, const plot_cv *c);

/* Projective scores of nr runs over nd dimensions (arrays nd x nr, row per dimension): score
 * 0..100 with its interval (marks: class "mark score", data-dim, data-run, data-value NaN and no
 * bar when there is no score) above the coverage 0..1 (class "mark coverage"). */
typedef struct plot_projective {
    size_t nd, nr;
    const char *const *dims, *const *runs;
    const double *score, *lo, *hi, *coverage;
    const char *subtitle;
} plot_projective;
int plot_projective_scores(const char *dir, const char *name, const plot_projective *p);

/* Scree plot: eigenvalue curves over 1..p (marks: class "mark point", data-series, data-index
 * 1-based). n_factors > 0 marks the suggested number of factors. */
typedef struct plot_scree_series {
    const char *id, *name; /* data-series, legend */
    const double *v;       /* p values */
    int dashed;            /* a reference curve: 1 dashed (simulated), 2 dotted (resampled) */
    int color;             /* palette index */
} plot_scree_series;
typedef struct plot_scree {
    size_t p, n_series;
    plot_scree_series series[6];
    size_t n_factors, n_components; /* 0 = not shown */
    int unit_line;                  /* draw the eigenvalue-1 line (Kaiser) */
    const char *subtitle;
} plot_scree;
int plot_scree_curves(const char *dir, const char *name, const plot_scree *s);

/* A factor solution: p variables x k factors (row-major), phi k x k or NULL (orthogonal). */
typedef struct plot_factors {
    size_t p, k;
    const char *const *vars;
    const double *loadings, *phi;
    double cut; /* the diagram's threshold (psych's default 0.3) */
    const char *subtitle;
} plot_factors;
/* Loadings heatmap, variables sorted by their main factor (marks: class "mark cell", data-var,
 * data-factor 1-based). */
int plot_loadings_heatmap(const char *dir, const char *name, const plot_factors *f);
/* Factor diagram in the manner of psych's fa.diagram: each variable's largest loading above the
 * cut as an arrow from its factor, width by size (marks: class "mark loading"); factor
 * correlations above the cut as curves (class "mark phi"). */
int plot_factor_diagram(const char *dir, const char *name, const plot_factors *f);

/* The variables of a solution sorted as psych's fa.sort: by the factor of their largest absolute
 * loading, then by that loading's size, descending. order gets p indices, main (may be NULL) the
 * main factor of each variable (indexed by variable). */
void plot_sort_by_factor(const double *loadings, size_t p, size_t k, size_t *order, size_t *main);

/* Frees cairo's font caches and fontconfig's configuration once no figure is open (after the
 * last figure of a command), so memory checkers see no leak from them. */
void plot_release(void);

#endif
