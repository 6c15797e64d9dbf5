/* valuespace projective compare: runs of one bank side by side (cmd_projective_compare.c loads
 * and checks them, projective_compare_report.c writes the report directory). */
#ifndef VS_CLI_PROJECTIVE_COMPARE_H
#define VS_CLI_PROJECTIVE_COMPARE_H

#include "cli.h"

/* One column: a run, from its journal or the shard journals of one run given together. */
typedef struct pc_run {
    const char **paths;
    size_t np;
    vs_runner_result *res;
    vs_runner_journal_header *hdr;
    char label[320];
    size_t B;
    double *reps; /* nd x B: 100 x the replicate means of each dimension, in replicate order */
} pc_run;

typedef struct pc_diff {
    double diff, lo, hi;
    int excludes_zero;
} pc_diff;

typedef struct pc {
    const char *out_dir;
    size_t nr, nd, B;
    pc_run *runs;
    char created_utc[32];
    int figures_off, have_figure;
} pc;

#define PC_FIGURE "projective_scores"
#define PC_FIGURE_CAPTION                                                                                      \
    "Projective scores per dimension and run (100 x the share of related judgements that are high) with "   \
    "their 95% bootstrap intervals, and below each run's coverage (the share of its judgements that are "   \
    "related). n/a: no related judgement, no score."

const char *pc_header(const pc_run *r, const char *field); /* "" when absent */
/* Column a minus column b on dimension d: the scores' difference and its percentile interval over
 * the paired resamples (NaN without a score in either, or without resamples). */
pc_diff pc_difference(const pc *c, size_t a, size_t b, size_t d);
/* Runs a and b share their seed: each replicate weights the items alike in both (paired). */
int pc_paired(const pc *c, size_t a, size_t b);
vs_runner_score pc_score(const pc *c, size_t r, size_t d);
int pc_write_report(pc *c); /* report.json/.md/.html, CSVs, the figure; 0 or 1 after a message */

int projective_compare(int argc, char **argv);

#endif
