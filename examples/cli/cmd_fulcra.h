/* `valuespace fulcra`: the FULCRA subcommands. The dispatcher and `fulcra check` live in
 * cmd_fulcra.c; `cv`, `train`, `predict` and `profile` (the evaluator side) in cmd_fulcra_eval.c;
 * `agree` in cmd_fulcra_agree.c; the --evaluator options in fulcra_evaluator.c.
 * Every handler follows cli.h: it gets the arguments after its own name (argv[0] is the
 * subcommand name) and returns 0 on success, 1 on failure (message on stderr), 2 on a usage
 * error. */
#ifndef VS_CLI_CMD_FULCRA_H
#define VS_CLI_CMD_FULCRA_H

#include "cli.h"

/* A FULCRA file as plain arrays for the evaluator (cmd_fulcra_eval.c). */
typedef struct fulcra_data {
    vs_dataset *ds;
    size_t n, k, set;
    const char **ids, **prompts, **responses, **sources;
    double *labels;
    size_t *groups;
} fulcra_data;

/* Reads FILE (label set `set`: VS_DATASET_TYPES or _ITEMS); 0, or the CLI status after a message. */
int fulcra_data_load(fulcra_data *d, const char *path, int strict, size_t set);
void fulcra_data_free(fulcra_data *d);
const vs_space *fulcra_data_space(const fulcra_data *d);
size_t fulcra_data_level(const fulcra_data *d);
/* The key of dimension i of `level`. */
const char *fulcra_dim_key(const vs_space *sp, size_t level, size_t i);
/* "types" or "items" to a label set; -1 for anything else. */
int fulcra_parse_set(const char *s, size_t *out);

/* --evaluator builtin:MODEL | prompted:BACKEND with --prompt-mode, --backend-opt, --template
 * (fulcra_evaluator.c). */
typedef struct fulcra_eval_spec {
    const char *spec, *template_path;
    char *opts[64];
    int nopts, mode; /* mode: VS_EVALUATOR_PROMPT_SCORE (set it before parsing) or _ANSWER */
} fulcra_eval_spec;
/* Consumes an evaluator option at argv[*i]: 1 if it was one, 0 if not, 2 after a usage error. */
int fulcra_eval_arg(fulcra_eval_spec *e, const char *prog, int argc, char **argv, int *i);
/* Opens the evaluator over the labels of `d` (`model`: the backend of a prompted one, to free
 * after the evaluator); 0 or a CLI status. */
int fulcra_open_evaluator(vs_evaluator **ev, vs_model **model, const char *prog, const fulcra_eval_spec *e,
                          const fulcra_data *d);

/* valuespace fulcra check FILE [--strict] [--json] (cmd_fulcra.c) */
int fulcra_check(int argc, char **argv);

/* valuespace fulcra cv FILE --folds K --seed S [--json] (cmd_fulcra_eval.c) */
int fulcra_cv(int argc, char **argv);
/* valuespace fulcra train FILE -o MODEL [--seed S] (cmd_fulcra_eval.c) */
int fulcra_train(int argc, char **argv);
/* valuespace fulcra predict --model MODEL FILE [--json] (cmd_fulcra_eval.c) */
int fulcra_predict(int argc, char **argv);
/* valuespace fulcra profile FILE [--model MODEL | --labels] [--target NAME] [--json] (cmd_fulcra_eval.c) */
int fulcra_profile(int argc, char **argv);

/* valuespace fulcra agree FILE --evaluator builtin:MODEL [--json] (cmd_fulcra_agree.c) */
int fulcra_agree(int argc, char **argv);

/* The `valuespace fulcra` dispatcher (cmd_fulcra.c); main.c lists it as {"fulcra", ..., cmd_fulcra}. */
int cmd_fulcra(int argc, char **argv);

#endif
