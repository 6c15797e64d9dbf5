/* `valuespace fa`: the fit and the data subcommands (kmo, bartlett, parallel, map) live in
 * cmd_fa.c with the argument parser; the subcommands over a model's results -- omega, and
 * congruence and scores over saved solutions -- in cmd_fa_solution.c. */
#ifndef VS_CLI_CMD_FA_H
#define VS_CLI_CMD_FA_H

#include <stdio.h>

#include "cli.h"

/* The parsed arguments of every fa subcommand (cmd_fa.c's parse_args). */
typedef struct fa_args {
    const char *sub, *file, *file2, *scores_out, *save, *plot_dir;
    int cor, json, missing, have_factors, cor_kind, match, procrustes;
    size_t bootstrap; /* --bootstrap N replicates (0: none) */
    double n_obs;
    vs_fa *fa;
    cli_csv_opts csv;
} fa_args;

/* --json helpers (cmd_fa.c): a named array of n numbers, a named r x c matrix as rows */
void fa_json_array(cli_json *j, const char *key, const double *v, size_t n);
void fa_json_matrix(cli_json *j, const char *key, const double *v, size_t r, size_t c);
/* A copy of an array of a result (malloc; *n its length), or NULL. */
double *fa_get_array(const vs_fa_result *res, int what, size_t *n);
/* n x k scores as CSV (F1..Fk, NA for missing) to path, or to stdout when path is NULL. */
int fa_write_score_rows(const char *path, const double *s, size_t n, size_t k);

/* cmd_fa_solution.c: valuespace fa omega (on loaded data), fa congruence, fa scores */
int fa_run_omega(fa_args *a, const vs_fa_data *d, char **names, size_t p);
int fa_run_congruence(const fa_args *a);
int fa_run_scores(const fa_args *a);

#endif
