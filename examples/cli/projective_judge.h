/* Judges of `valuespace projective run|resume`: the forced-choice loglik judge, or the built-in
 * FULCRA evaluator (a model file of `valuespace fulcra train`) as a classify judge. */
#ifndef VS_CLI_PROJECTIVE_JUDGE_H
#define VS_CLI_PROJECTIVE_JUDGE_H

#include "valuespace.h"

typedef struct cli_judge {
    int kind;              /* VS_RUNNER_JUDGE_LOGLIK or VS_RUNNER_JUDGE_CLASSIFY */
    const char *id;        /* classify: the judge id written to the journal ("builtin:PATH") */
    vs_evaluator *ev;      /* classify: the evaluator (outlives `model`) */
    vs_model *model;       /* classify: the judge model; NULL for loglik */
} cli_judge;

/* Opens a judge from its --judge spec ("loglik" or "builtin:MODEL") or from the "judge" field of
 * a journal header ("loglik" or "classify:builtin:MODEL"), and checks that the evaluator knows
 * every dimension of the bank. On failure reports it and returns 1 (bad file) or 2 (usage). */
int cli_judge_open(cli_judge *j, const char *prog, const char *spec, const vs_bank *bank);
void cli_judge_close(cli_judge *j);

#endif
