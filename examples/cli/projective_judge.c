/* Judges of `valuespace projective run|resume` (see projective_judge.h). */
#include <string.h>

#include "cli.h"
#include "projective_judge.h"

#define BUILTIN_PREFIX "builtin:"

/* Every dimension the bank probes must be a dimension of the evaluator's level (the judge gets
 * them as labels), else the whole run would fail item by item. */
static int check_dimensions(const char *prog, const vs_evaluator *ev, const vs_bank *bank, const char *path) {
    const vs_space *bs = vs_bank_space(bank), *es = vs_evaluator_space(ev);
    size_t level = vs_evaluator_level(ev);
    for (size_t i = 0; i < vs_bank_item_count(bank); i++)
        for (size_t d = 0; d < vs_bank_item_dimension_count(bank, i); d++) {
            const char *key = vs_space_key(bs, vs_bank_item_dimension(bank, i, d));
            size_t idx;
            if (vs_space_find(&idx, es, level, key) != VS_OK)
                return cli_usage_error(prog,
                                       "the judge %s evaluates the level '%s' of space '%s', which has no dimension "
                                       "'%s' (of bank '%s'); a FULCRA model judges e.g. the schwartz10 bank",
                                       path, vs_space_level_name(es, level), vs_space_name(es), key,
                                       vs_bank_name(bank));
        }
    return 0;
}

int cli_judge_open(cli_judge *j, const char *prog, const char *spec, const vs_bank *bank) {
    memset(j, 0, sizeof *j);
    j->kind = VS_RUNNER_JUDGE_LOGLIK;
    if (strcmp(spec, "loglik") == 0) return 0;
    if (strcmp(spec, "choice") == 0) {
        j->kind = VS_RUNNER_JUDGE_CHOICE;
        return 0;
    }
    /* a header's "classify:builtin:M" is the two-way judge of journals written before the
     * three-way one: resuming such a journal keeps its rule; --judge builtin:M is three-way */
    int kind = VS_RUNNER_JUDGE_CLASSIFY3;
    const char *id = spec;
    if (strncmp(spec, "classify3:", 10) == 0) {
        id = spec + 10;
    } else if (strncmp(spec, "classify:", 9) == 0) {
        id = spec + 9;
        kind = VS_RUNNER_JUDGE_CLASSIFY;
    }
    if (strncmp(id, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)) != 0 || !id[strlen(BUILTIN_PREFIX)])
        return cli_usage_error(prog, "unknown judge '%s' (use loglik, choice or builtin:MODEL, MODEL a file of "
                               "'valuespace fulcra train')", spec);
    const char *path = id + strlen(BUILTIN_PREFIX);
    int rc = vs_evaluator_load(&j->ev, path, NULL);
    if (rc != VS_OK) return cli_fail(path, rc);
    int st = check_dimensions(prog, j->ev, bank, path);
    if (st == 0 && (rc = vs_evaluator_judge_create(&j->model, j->ev)) != VS_OK) st = cli_fail(path, rc);
    if (st != 0) {
        cli_judge_close(j);
        return st;
    }
    j->kind = kind;
    j->id = id;
    return 0;
}

void cli_judge_close(cli_judge *j) {
    vs_model_free(j->model);
    vs_evaluator_free(j->ev);
    memset(j, 0, sizeof *j);
}
