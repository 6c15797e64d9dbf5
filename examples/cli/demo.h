/* valuespace demo: the state of one run, shared by the run (cmd_demo.c), its figures
 * (demo_figures.c) and its HTML and CSV report (demo_report.c). */
#ifndef VS_CLI_DEMO_H
#define VS_CLI_DEMO_H

#include "cli.h"

#define CONFIDENCE 0.95
/* The BaseAlign mask thresholds of the report: FULCRA's published one, and 0 (unmasked). */
extern const double demo_thresholds[2];

typedef struct demo {
    const char *data_path, *out_dir;
    size_t folds, seed, threads, replicates;
    vs_dataset *ds;
    size_t n, k;
    const char **prompts, **responses;
    double *labels, *oof;
    size_t *groups;
    const vs_space *space;
    vs_evaluator_cv *cv;
    size_t n_targets;
    vs_vector *targets[8];
    vs_evaluator_profile *prof[2][2][8]; /* [labels, predictions][threshold 0.3, 0][target] */
    double seconds_cv, seconds_train, seconds_total;
    size_t active;
    /* the report's figures, in order (demo_figures.c); figures_off: a build without cairo */
    size_t n_figures;
    struct {
        const char *name, *caption;
    } figures[16];
    int figures_off;
    char created_utc[32]; /* when the run started (report.json) */
} demo;

/* Key and label of value t (the dataset's type level). */
const char *demo_key(const demo *d, size_t t);
const char *demo_label(const demo *d, size_t t);

/* FULCRA's alignment of group g in q: mean per-response reward, interval, rank, coverage. */
typedef struct reward {
    double mean, lo, hi, rank, coverage;
} reward;
reward demo_reward(const vs_evaluator_profile *q, size_t g);

/* The values in the order of the circle of values (by the space's circle angle; values without
 * one keep their place after those with): order gets d->k indices. */
void demo_circle_order(const demo *d, size_t *order);

/* Draws the figures into d->out_dir and lists them in d->figures (a build without cairo says
 * so and sets figures_off). Returns 0, or 1 after a message on stderr. */
int demo_figures(demo *d);
/* report.md, report.html (self-contained: figures inline, tables, methods; demo_report.c) and one
 * CSV per table. Each returns 0, or 1 after a message on stderr. */
int demo_write_markdown(const demo *d, const char *path);
int demo_write_html(const demo *d, const char *path);
int demo_write_csv(const demo *d);

#endif
