/* Judges of `valuespace projective run|resume|rejudge`: the forced-choice loglik judge, or the
 * built-in FULCRA evaluator (a model file of `valuespace fulcra train`) as a three-way classify
 * judge (high, low or unrelated). */
#ifndef VS_CLI_PROJECTIVE_JUDGE_H
#define VS_CLI_PROJECTIVE_JUDGE_H

#include "valuespace.h"

typedef struct cli_judge {
    int kind;              /* VS_RUNNER_JUDGE_LOGLIK, _CHOICE, _CLASSIFY (old journals) or _CLASSIFY3 */
    const char *id;        /* classify: the judge id written to the journal ("builtin:PATH") */
    vs_evaluator *ev;      /* classify: the evaluator (outlives `model`) */
    vs_model *model;       /* classify: the judge model; NULL for loglik */
} cli_judge;

/* Opens a judge from its --judge spec ("loglik" or "builtin:MODEL", three-way) or from the "judge"
 * field of a journal header ("loglik", "classify3:builtin:MODEL" or the two-way
 * "classify:builtin:MODEL" of older journals), and checks that the evaluator knows
 * every dimension of the bank. On failure reports it and returns 1 (bad file) or 2 (usage). */
int cli_judge_open(cli_judge *j, const char *prog, const char *spec, const vs_bank *bank);
void cli_judge_close(cli_judge *j);

#endif
