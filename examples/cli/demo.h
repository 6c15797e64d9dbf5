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
    int projective_part;  /* part 2 ran (demo_projective.c): DIR/projective/ holds its report */
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

/* Comparisons (demo_compare.c). A difference a - b with its percentile bootstrap interval from
 * the profiles' own resamples; excludes_zero when the interval lies on one side of 0. */
typedef struct diff {
    double diff, lo, hi;
    int excludes_zero;
} diff;
/* Agreement of the label-based and evaluator-based profiles over n pairs (NaN below 3 pairs or
 * for a constant). */
typedef struct agreement {
    double pearson, spearman;
    size_t n;
} agreement;
/* Group a minus group b on every value (out: d->k) of source src (0 labels, 1 predictions). */
int demo_profile_diffs(const demo *d, int src, size_t a, size_t b, diff *out);
/* Group a minus group b in mean reward to target `target`. */
int demo_reward_diff(const demo *d, int src, size_t target, size_t a, size_t b, diff *out);
agreement demo_agreement_value(const demo *d, size_t t); /* value t, across the models */
agreement demo_agreement_model(const demo *d, size_t g); /* model g, across the values */
/* report.json's "comparisons", the report's section and comparisons_*.csv, agreement.csv. */
int demo_compare_json(cli_json *j, const demo *d);
typedef struct doc demo_doc;
int demo_compare_section(demo_doc *o, const demo *d);
int demo_compare_csv(const demo *d);

/* Part 2 (demo_projective.c): with the ngram backend, three runs of the valuelex bank compared
 * into DIR/projective/; without it a note. Returns 0, or the status of the failed step. */
int demo_projective(demo *d);
extern const char demo_projective_caveat[];

/* The report's writers for sections written in other files (demo_report.c). */
int demo_doc_html(const demo_doc *o);
void demo_doc_heading(demo_doc *o, int level, const char *s);
void demo_doc_para(demo_doc *o, const char *s);
void demo_doc_table_begin(demo_doc *o, const char *header, const char *align);
void demo_doc_row_begin(demo_doc *o);
void demo_doc_cell(demo_doc *o, const char *s);
void demo_doc_row_end(demo_doc *o);
void demo_doc_table_end(demo_doc *o);
FILE *demo_csv_open(const demo *d, const char *name, const char *header, char *path, size_t cap);
void demo_csv_field(FILE *f, const char *s);
void demo_csv_num(FILE *f, double x); /* ",number" or "," (not available) */
int demo_csv_close(FILE *f, const char *path);

#endif
